"""Text helpers shared by services, filters and templates."""

import re

_WHITESPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    """Lower-case and drop all whitespace: Korean is often spaced differently
    from one writer to the next (한강다리 / 한강 다리), so search compares
    compacted text."""
    return _WHITESPACE.sub("", text or "").lower()


def normalise_tags(raw: str) -> list[str]:
    """'#한강, 다리  산책' → ['한강', '다리', '산책'] (unique, order kept)."""
    seen: dict[str, None] = {}
    for part in re.split(r"[,\s]+", raw or ""):
        name = part.strip().lstrip("#")[:30]
        if name:
            seen.setdefault(name, None)
    return list(seen)
