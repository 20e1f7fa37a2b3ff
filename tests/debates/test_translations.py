"""Korean first: the debates catalogue translates every string, its compiled
form matches it, and the pages read in Korean by default."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.factories import UserFactory

from .helpers import open_debate

PO = Path(settings.BASE_DIR) / "debates/locale/ko/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")

pytestmark = pytest.mark.django_db


def _blocks():
    for block in PO.read_text(encoding="utf-8").split("\n\n")[1:]:  # after the header
        if re.search(r"^msgid ", block, re.M):
            yield block


def _joined(match) -> str:
    return match.group(1) + "".join(re.findall(r'"(.*)"', match.group(2) or ""))


def test_every_debates_string_has_a_korean_translation():
    untranslated = [
        b
        for b in _blocks()
        if not _joined(re.search(r'^msgstr(?:\[0\])? "(.*)"((?:\n".*")*)', b, re.M))
    ]
    assert untranslated == []
    assert [b for b in _blocks() if "#, fuzzy" in b] == []


def test_the_compiled_debates_catalogue_is_up_to_date():
    with MO.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    compiled = {k if isinstance(k, str) else k[0] for k in catalogue._catalog if k}
    source = set()
    for block in _blocks():
        msgid = _joined(re.search(r'^msgid "(.*)"((?:\n".*")*)', block, re.M))
        context = re.search(r'^msgctxt "(.*)"', block, re.M)
        msgid = msgid.replace('\\"', '"')
        source.add(f"{context.group(1)}\x04{msgid}" if context else msgid)
    assert source - compiled == set(), "recompile: msgfmt -o django.mo django.po"


def test_the_debate_reads_in_korean_by_default():
    debate = open_debate()
    browser = Client()
    browser.force_login(UserFactory())
    text = browser.get(debate.proposal.get_absolute_url()).content.decode()
    for words in (
        "상상토론",
        "나의 입장",
        "찬성",
        "반대",
        "유보",
        "입장 저장하기",
        "의견 올리기",
        "30일 남음",
    ):
        assert words in text, words
    with translation.override("ko"):
        assert str(debate.get_status_display()) == "진행 중"
