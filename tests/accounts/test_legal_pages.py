"""The terms of use and the privacy policy: in Korean first and in English,
every version readable for good, linked from every page's footer, and the
privacy policy saying what the portal actually does (its items, periods,
officer and processors come from the code and the settings)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from accounts import legal
from tests.factories import ProposalFactory
from tests.pages import english_client, logged_in, page_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "korean", "english"),
    [
        ("/legal/terms/", "제1조 목적", "Article 1. Purpose"),
        ("/legal/privacy/", "개인정보 보호책임자", "Privacy officer"),
    ],
)
def test_each_document_reads_in_korean_first_and_in_english(path, korean, english):
    page = Client().get(path)
    assert page.status_code == 200
    assert korean in page_text(page)
    assert english not in page_text(page)
    page = english_client().get(path)
    assert english in page_text(page)
    assert korean not in page_text(page)


def test_the_privacy_policy_lists_items_periods_officer_and_processors(settings):
    settings.OASIS_PRIVACY_OFFICER = {
        **settings.OASIS_PRIVACY_OFFICER,
        "phone": "02-120-1234",
        "email": "officer@seoul.example",
    }
    settings.OASIS_PRIVACY_PROCESSORS = [
        {"name": "한빛클라우드", "name_en": "Hanbit Cloud", "task": "서버", "task_en": "Hosting"}
    ]
    settings.OASIS_WITHDRAWN_RETENTION_DAYS = 45
    text = page_text(english_client().get("/legal/privacy/"))
    for item in legal.DATA_ITEMS:
        assert str(item.label) in text
    assert "02-120-1234" in text and "officer@seoul.example" in text
    assert "Hanbit Cloud" in text and "Hosting" in text
    assert "kept for 45 days after you leave" in text
    assert "for 2 years" in text  # access records
    assert "sessionid" in text  # cookies
    korean = page_text(Client().get("/legal/privacy/"))
    assert "한빛클라우드" in korean and "탈퇴 후 45일" in korean


def test_earlier_versions_stay_readable_and_unknown_ones_are_404(monkeypatch):
    today = timezone.localdate()
    first = legal.current(legal.Kind.TERMS)
    newer = legal.DocumentVersion(
        legal.Kind.TERMS, "2099-02-01", today, material=False, text=first.version
    )
    monkeypatch.setattr(legal, "VERSIONS", (*legal.VERSIONS, newer))
    client = english_client()
    current = client.get("/legal/terms/")
    assert current.context["document"] == newer
    assert f'href="/legal/terms/{first.version}/"' in current.content.decode()
    old = client.get(f"/legal/terms/{first.version}/")
    assert old.status_code == 200
    assert "This is an earlier version, kept for reference." in page_text(old)
    for path in ("/legal/terms/1999-01-01/", "/legal/cookies/", "/legal/privacy/%00/"):
        assert client.get(path).status_code == 404


def test_an_announced_version_is_shown_before_it_takes_effect(monkeypatch):
    upcoming = legal.DocumentVersion(
        legal.Kind.PRIVACY,
        "2099-03-01",
        timezone.localdate() + datetime.timedelta(days=30),
        material=True,
        text=legal.current(legal.Kind.PRIVACY).version,
    )
    monkeypatch.setattr(legal, "VERSIONS", (*legal.VERSIONS, upcoming))
    text = page_text(english_client().get("/legal/privacy/"))
    assert "A new version takes effect on" in text
    # Nobody is asked to agree to it yet
    assert logged_in().get("/proposals/").status_code == 200


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_every_page_links_both_documents_in_its_footer(who):
    client = english_client() if who == "visitor" else logged_in()
    proposal = ProposalFactory()
    own = "/accounts/login/" if who == "visitor" else "/accounts/profile/"
    for path in ("/", "/proposals/", f"/proposals/{proposal.pk}/", "/debates/", own):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert 'href="/legal/terms/"' in footer and 'href="/legal/privacy/"' in footer, path
