"""Korean first: every interface string has a Korean translation, and the
compiled catalogue matches the source catalogue."""

import gettext
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale/ko/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def _entries():
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:  # the first block is the header
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        yield block


def _first_msgstr(block: str) -> str:
    match = re.search(r'^msgstr(?:\[0\])? "(.*)"((?:\n".*")*)', block, re.M)
    return (match.group(1) + "".join(re.findall(r'"(.*)"', match.group(2) or ""))) if match else ""


def test_every_string_has_a_korean_translation():
    untranslated = [b for b in _entries() if not _first_msgstr(b)]
    fuzzy = [b for b in _entries() if "#, fuzzy" in b]
    assert untranslated == []
    assert fuzzy == []


def _field(block: str, name: str) -> str | None:
    """The unescaped text of `name` (msgid, msgctxt, msgstr, msgstr[0]) in a block."""
    match = re.search(rf'^{re.escape(name)} "(.*)"((?:\n".*")*)', block, re.M)
    if match is None:
        return None
    text = match.group(1) + "".join(re.findall(r'"(.*)"', match.group(2) or ""))
    # C-escaped in the .po file
    return text.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def test_compiled_catalogue_is_up_to_date():
    with MO.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    entries = list(_entries())
    assert len(entries) > 1000  # the catalogue was read, not mis-split
    stale = []
    for block in entries:
        msgid, context = _field(block, "msgid"), _field(block, "msgctxt")
        # A msgid with a context (pgettext) is compiled as "context\x04msgid";
        # a plural one under (msgid, 0).
        key = f"{context}\x04{msgid}" if context is not None else msgid
        if "msgid_plural" in block:
            key, expected = (key, 0), _field(block, "msgstr[0]")
        else:
            expected = _field(block, "msgstr")
        if catalogue._catalog.get(key) != expected:
            stale.append(msgid)
    assert stale == [], "run `make messages` (or recompile the .mo)"
