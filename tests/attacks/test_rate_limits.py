"""An attacker hammering the endpoints that write or that guess secrets:
sign-up, the log-in at /accounts/login/, password reset, proposing, editing,
commenting and endorsing. Each stops at its limit with the site's own
friendly 429 page (in the visitor's language), never a 500, and nothing more
is written. (The admin's log-in and staff second factor have their own tests.)"""

import pytest
from django.conf import settings

from accounts.models import User
from proposals.models import Comment, Proposal
from tests.factories import ProposalFactory, UserFactory
from tests.pages import english_client, logged_in, page_text

pytestmark = pytest.mark.django_db

FRIENDLY = "Too many requests. Please wait a little and try again."


def _friendly_429(response) -> bool:
    text = page_text(response)
    return response.status_code == 429 and FRIENDLY in text and "Oasis" in text


def _allowed(action: str, scope: str) -> int:
    """How many requests the configured limit lets through (oasis/settings/limits.py)."""
    return int(settings.OASIS_RATE_LIMITS[action][scope].split("/")[0])


def _until_refused(send, limit: int):
    """Send `limit` requests, which must all be let through, then one more,
    which is returned."""
    statuses = [send().status_code for _ in range(limit)]
    assert 429 not in statuses and 500 not in statuses, statuses
    return send()


def test_signing_up_over_and_over_from_one_address_is_stopped():
    attacker = english_client()
    n = iter(range(1000))
    refused = _until_refused(
        lambda: attacker.post(
            "/accounts/signup/",
            {"email": f"bot{next(n)}@example.com", "password1": "x", "password2": "y"},
        ),
        _allowed("signup", "ip"),
    )
    assert _friendly_429(refused)
    assert not User.objects.exists()


def test_guessing_a_members_password_is_stopped_and_the_right_one_too():
    # allauth answers failed log-ins past its limit (5 per address in 5
    # minutes) with the log-in form and its message, which tells a member
    # who mistyped what to do better than an error page would.
    UserFactory(email="victim@example.com")
    attacker = english_client()
    for i in range(5):
        attacker.post("/accounts/login/", {"login": "victim@example.com", "password": f"g{i}"})
    refused = attacker.post("/accounts/login/", {"login": "victim@example.com", "password": "g"})
    assert "Too many failed login attempts. Try again later." in page_text(refused)
    # Even the right password is refused until the window passes
    right = attacker.post(
        "/accounts/login/", {"login": "victim@example.com", "password": "pass-word-123"}
    )
    assert "Too many failed login attempts." in page_text(right)
    assert "_auth_user_id" not in attacker.session


def test_guessing_passwords_across_many_accounts_from_one_address_is_stopped():
    guesses = _allowed("login_failed", "ip")
    for i in range(guesses + 1):
        UserFactory(email=f"member{i}@example.com")
    attacker = english_client()
    for i in range(guesses):
        attacker.post("/accounts/login/", {"login": f"member{i}@example.com", "password": "1234"})
    refused = attacker.post(
        "/accounts/login/", {"login": f"member{guesses}@example.com", "password": "1"}
    )
    assert "Too many failed login attempts. Try again later." in page_text(refused)


def test_hammering_the_login_page_is_stopped_with_the_friendly_page():
    attacker = english_client()
    refused = _until_refused(lambda: attacker.post("/accounts/login/", {}), _allowed("login", "ip"))
    assert _friendly_429(refused)


def test_flooding_a_members_mailbox_with_password_resets_is_stopped():
    UserFactory(email="victim@example.com")
    attacker = english_client()
    refused = _until_refused(
        lambda: attacker.post("/accounts/password/reset/", {"email": "victim@example.com"}),
        5,
    )
    assert _friendly_429(refused)


def test_proposing_over_and_over_is_stopped():
    attacker = logged_in()
    refused = _until_refused(lambda: attacker.post("/proposals/new/", {}), 10)
    assert _friendly_429(refused)
    assert not Proposal.objects.exists()


def test_editing_over_and_over_is_stopped():
    # Each edit may carry photos to decode: edits are limited per member
    proposal = ProposalFactory()
    attacker = logged_in(proposal.author)
    url = f"/proposals/{proposal.pk}/edit/"
    refused = _until_refused(lambda: attacker.post(url, {"title": ""}), 30)
    assert _friendly_429(refused)


def test_editing_is_limited_per_address_across_accounts(settings):
    # Four accounts from one address use up its edits (100 an hour here)
    settings.OASIS_RATE_LIMITS = {"edit_proposal": {"user": "30/h", "ip": "100/h"}}
    for _ in range(4):
        proposal = ProposalFactory()
        author = logged_in(proposal.author)
        for _ in range(25):
            assert author.post(f"/proposals/{proposal.pk}/edit/", {}).status_code != 429
    fifth = ProposalFactory()
    refused = logged_in(fifth.author).post(f"/proposals/{fifth.pk}/edit/", {})
    assert _friendly_429(refused)


def test_commenting_over_and_over_is_stopped():
    proposal = ProposalFactory()
    attacker = logged_in()
    url = f"/proposals/{proposal.pk}/comments/"
    bodies = iter(f"도배 {i}" for i in range(1000))
    refused = _until_refused(lambda: attacker.post(url, {"body": next(bodies)}), 30)
    assert _friendly_429(refused)
    assert Comment.objects.count() == 30


def test_endorsing_over_and_over_is_stopped():
    proposal = ProposalFactory()
    attacker = logged_in()
    url = f"/proposals/{proposal.pk}/endorse/"
    refused = _until_refused(lambda: attacker.post(url, {"action": "endorse"}), 120)
    assert _friendly_429(refused)
    assert proposal.endorsements.count() == 1


def test_the_429_page_speaks_korean_to_a_korean_visitor():
    from django.test import Client

    attacker = Client()
    attacker.force_login(UserFactory())
    for _ in range(10):
        attacker.post("/proposals/new/", {})
    refused = attacker.post("/proposals/new/", {})
    assert refused.status_code == 429
    assert '<html lang="ko">' in refused.content.decode()
    assert "요청이 너무 많아요. 잠시 뒤에 다시 해 주세요." in page_text(refused)
