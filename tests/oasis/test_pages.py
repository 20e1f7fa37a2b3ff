"""Site-wide pages: home, the language switch, the 404 page and the refusal of
a form sent without its CSRF token."""

import html
import re

import pytest
from django.test import Client
from django.utils import timezone

from stats.refresh import refresh
from tests.factories import ProposalFactory, UserFactory
from tests.pages import english

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.content.decode()).group(1)


def _section(response, heading_id) -> str:
    """The text of one home page section, from its heading to the next section."""
    page = html.unescape(response.content.decode())
    return page.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def _stat(response, label) -> str:
    match = re.search(rf"<dt>{label}</dt><dd><a [^>]*>([^<]*)</a></dd>", response.content.decode())
    return match.group(1)


@pytest.fixture
def en(client):
    return english(client)


def test_home_shows_the_latest_and_most_endorsed_proposals_and_counts(en):
    # Given proposals in every state, and members
    ProposalFactory(title="오래된 제안", endorsement_count=50)
    ProposalFactory(title="채택된 제안", status="adopted", endorsement_count=900)
    for i in range(6):
        ProposalFactory(title=f"새 제안 {i}", endorsement_count=i)
    ProposalFactory(title="숨긴 제안", is_hidden=True, endorsement_count=999)
    ProposalFactory(title="지운 제안", deleted_at=timezone.now(), endorsement_count=999)
    UserFactory(is_active=False)
    # When a visitor opens the home page
    response = en.get("/")
    assert response.status_code == 200
    # Then the latest six are listed, newest first
    latest = _section(response, "latest-title")
    assert re.findall(r"새 제안 \d", latest) == [f"새 제안 {i}" for i in range(5, -1, -1)]
    assert "오래된 제안" not in latest
    # And the most endorsed still gathering endorsements, most first
    popular = _section(response, "popular-title")
    titles = re.findall(r">([^<>]*제안[^<>]*)</a></h3>", popular)
    assert titles[:3] == ["오래된 제안", "새 제안 5", "새 제안 4"]
    assert "채택된 제안" not in popular
    # And the headline figures, as of the statistics' last count, leave out
    # hidden and trashed proposals (tests/stats/test_front_page.py has more)
    refresh()
    response = en.get("/")
    assert _stat(response, "Proposals received") == "8"
    assert _stat(response, "Adopted") == "1"
    for gone in ("숨긴 제안", "지운 제안"):
        assert gone not in html.unescape(response.content.decode())


def test_an_empty_portal_invites_the_first_proposal(en):
    response = en.get("/")
    assert "No proposals yet. Be the first!" in response.content.decode()
    # Nothing counted yet: no figures, the way to the statistics
    assert "Proposals received" not in response.content.decode()
    assert 'href="/stats/"' in response.content.decode()


def test_the_interface_is_korean_by_default(client):
    response = client.get("/")
    assert _lang(response) == "ko"
    assert 'action="/i18n/setlang/"' in response.content.decode()


def test_the_language_switch_changes_the_page_language(client):
    # Given a visitor on the proposals page in Korean
    assert _lang(client.get("/proposals/")) == "ko"
    # When they choose English in the switch
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/proposals/"})
    # Then they are back on the page, now in English, and it stays so
    assert response.status_code == 302 and response["Location"] == "/proposals/"
    english = client.get("/proposals/")
    assert _lang(english) == "en"
    assert "<h1>Proposals</h1>" in english.content.decode()
    assert _lang(client.get("/")) == "en"
    # And they can switch back
    client.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    assert _lang(client.get("/")) == "ko"


def test_an_unknown_language_is_ignored(client):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert _lang(client.get("/")) == "ko"


def test_a_missing_page_gets_the_sites_404_page(en):
    response = en.get("/no-such-page/")
    assert response.status_code == 404
    text = html.unescape(response.content.decode())
    assert "<h1>Page not found</h1>" in text
    assert 'href="/"' in text  # a way home, inside the site layout
    assert 'class="site-header"' in text


def test_a_form_sent_without_its_csrf_token_is_refused_with_an_explanation():
    # Given a browser that enforces CSRF, as a real one does, and a member
    member = UserFactory()
    browser = english(Client(enforce_csrf_checks=True))
    # When the log-in form is posted without the token (e.g. from another site)
    response = browser.post(
        "/accounts/login/", {"login": member.email, "password": "pass-word-123"}
    )
    # Then it is refused with the site's page, and nothing changed
    assert response.status_code == 403
    assert "Your form expired or came from another site" in html.unescape(response.content.decode())
    assert "_auth_user_id" not in browser.session


def test_the_same_form_with_its_token_is_accepted():
    member = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(
        "/accounts/login/",
        {"login": member.email, "password": "pass-word-123", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(member.pk)
