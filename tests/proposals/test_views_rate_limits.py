"""Rate limits on proposing, commenting and endorsing: the friendly 429 page.
Limits are per member, with a much looser bound per address (many members
share one carrier address), all read from settings.OASIS_RATE_LIMITS."""

import importlib

import pytest

from oasis.settings import limits
from proposals.models import Comment, Proposal
from tests.factories import ProposalFactory, UserFactory
from tests.pages import english_client, flash, form_posting_to, logged_in, page_html

from .helpers import CREATE, proposal_form

pytestmark = pytest.mark.django_db


# --- rate limits ------------------------------------------------------------------------------


def _hammer(browser, url, times, data=None):
    return [browser.post(url, data or {}).status_code for _ in range(times)]


def test_proposing_too_often_gets_the_friendly_429_page():
    # Given a member who posted the form ten times in an hour (valid or not)
    browser = logged_in()
    assert 429 not in _hammer(browser, CREATE, 10)
    # When they post again
    response = browser.post(CREATE, proposal_form())
    # Then they are asked to wait, on a page of the site, and nothing is saved
    assert response.status_code == 429
    assert "Too many requests. Please wait a little and try again." in page_html(response)
    assert '<html lang="en">' in response.content.decode()
    assert not Proposal.objects.exists()


def test_proposing_is_limited_per_ip_across_accounts(settings):
    # Three accounts from one address use up its posts (30 an hour here)
    settings.OASIS_RATE_LIMITS = {"propose": {"user": "10/h", "ip": "30/h"}}
    for _ in range(3):
        assert 429 not in _hammer(logged_in(), CREATE, 10)
    assert logged_in().post(CREATE, proposal_form()).status_code == 429
    # while another address is not affected
    other = logged_in()
    assert other.post(CREATE, {}, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_commenting_too_often_gets_429():
    proposal = ProposalFactory()
    browser = logged_in()
    assert 429 not in _hammer(browser, f"/proposals/{proposal.pk}/comments/", 30, {"body": ""})
    assert browser.post(f"/proposals/{proposal.pk}/comments/", {"body": "또"}).status_code == 429
    assert not Comment.objects.exists()


def test_endorsing_too_often_gets_429():
    proposal = ProposalFactory()
    browser = logged_in()
    url = f"/proposals/{proposal.pk}/endorse/"
    statuses = _hammer(browser, url, 120, {"action": "endorse"})
    assert 429 not in statuses
    assert browser.post(url).status_code == 429
    assert proposal.endorsements.count() == 1


def test_64_members_behind_one_carrier_address_can_all_log_in_and_endorse():
    # Given a proposal going viral and 64 members on one mobile carrier's address
    proposal = ProposalFactory()
    members = UserFactory.create_batch(64)
    for member in members:
        # When each logs in and endorses from that same address
        browser = english_client()
        login = browser.post(
            "/accounts/login/", {"login": member.email, "password": "pass-word-123"}
        )
        assert login.status_code == 302, member.email
        page = browser.get(proposal.get_absolute_url())
        form = form_posting_to(page, f"/proposals/{proposal.pk}/endorse/")
        response = browser.post(form["action"], form["fields"], follow=True)
        # Then every one of them is told their endorsement counts
        assert flash(response) == ["You endorsed this proposal."], member.email
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 64 == proposal.endorsements.count()


def test_the_address_bound_still_stops_a_flood_of_accounts(settings):
    # Given an address allowed 70 endorsements an hour (members 120 each)
    settings.OASIS_RATE_LIMITS = {"endorse": {"user": "120/h", "ip": "70/h"}}
    proposals = ProposalFactory.create_batch(2)
    url = f"/proposals/{proposals[0].pk}/endorse/"
    # When 70 accounts endorse from it, then a 71st
    for _ in range(70):
        assert logged_in().post(url, {"action": "endorse"}).status_code == 302
    refused = logged_in().post(url, {"action": "endorse"})
    # Then the 71st gets the friendly 429 page and nothing is stored for it
    assert refused.status_code == 429
    assert "Too many requests. Please wait a little and try again." in page_html(refused)
    assert proposals[0].endorsements.count() == 70
    # while the same member count from another address is not affected
    other = logged_in().post(url, {"action": "endorse"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302


def test_a_setting_changes_a_members_limit(settings):
    # Given members allowed 3 endorsement posts an hour
    settings.OASIS_RATE_LIMITS = {"endorse": {"user": "3/h", "ip": "6000/h"}}
    proposal = ProposalFactory()
    browser = logged_in()
    url = f"/proposals/{proposal.pk}/endorse/"
    # When one member posts a fourth time
    assert 429 not in _hammer(browser, url, 3, {"action": "endorse"})
    refused = browser.post(url, {"action": "endorse"})
    # Then they are asked to wait, and another member is not
    assert refused.status_code == 429
    assert "Too many requests. Please wait a little and try again." in page_html(refused)
    assert logged_in().post(url, {"action": "endorse"}).status_code == 302


def test_every_limit_can_be_set_from_the_environment(monkeypatch):
    # Given an operator's environment that tightens one limit and turns one off
    monkeypatch.setenv("OASIS_RATE_LIMIT_ENDORSE_IP", "500/10m")
    monkeypatch.setenv("OASIS_RATE_LIMIT_LOGIN_FAILED_KEY", "")
    try:
        # When the settings are read
        reloaded = importlib.reload(limits)
        # Then those limits follow it and the others keep their defaults
        assert reloaded.OASIS_RATE_LIMITS["endorse"] == {"user": "120/h", "ip": "500/10m"}
        assert reloaded.allauth_rate("login_failed") == "60/m/ip"
        # and a value that is not a rate stops the start-up with its name
        monkeypatch.setenv("OASIS_RATE_LIMIT_COMMENT_USER", "lots")
        with pytest.raises(Exception, match="OASIS_RATE_LIMIT_COMMENT_USER"):
            importlib.reload(limits)
        # as does a period of zero, which would divide by zero on every POST
        monkeypatch.setenv("OASIS_RATE_LIMIT_COMMENT_USER", "5/0m")
        with pytest.raises(Exception, match="OASIS_RATE_LIMIT_COMMENT_USER"):
            importlib.reload(limits)
    finally:
        monkeypatch.undo()
        importlib.reload(limits)
