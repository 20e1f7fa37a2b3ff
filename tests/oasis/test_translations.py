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


def test_compiled_catalogue_is_up_to_date():
    with MO.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    compiled = {k if isinstance(k, str) else k[0] for k in catalogue._catalog if k}
    source = set()
    for block in _entries():
        match = re.search(r'^msgid "(.*)"((?:\n".*")*)', block, re.M)
        msgid = match.group(1) + "".join(re.findall(r'"(.*)"', match.group(2) or ""))
        # A msgid with a context (pgettext) is compiled as "context\x04msgid".
        context = re.search(r'^msgctxt "(.*)"', block, re.M)
        source.add(f"{context.group(1)}\x04{msgid}" if context else msgid)
    # msgids are C-escaped in the .po file; compare on the unescaped text
    source = {s.encode().decode("unicode_escape").encode("latin-1").decode("utf-8") for s in source}
    assert source - compiled == set(), "run `make messages` (or recompile the .mo)"
