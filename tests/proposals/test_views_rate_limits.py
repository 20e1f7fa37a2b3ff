"""Rate limits on proposing, commenting and endorsing: the friendly 429 page."""

import pytest

from proposals.models import Comment, Proposal
from tests.factories import ProposalFactory
from tests.pages import logged_in, page_html

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


def test_proposing_is_limited_per_ip_across_accounts():
    # Three accounts from one address use up its 30 posts an hour
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
