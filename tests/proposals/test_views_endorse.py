"""Endorsing a proposal from its page: once per member, exact counts, and a
message when it is refused."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mileage.defaults import ensure_defaults
from mileage.models import MileageRule
from mileage.services import claims_fold_all
from oasis.celery import app as celery_app
from proposals import services
from proposals.models import Endorsement
from tests.factories import ProposalFactory, UserFactory
from tests.pages import flash, logged_in, page_html

from .helpers import (
    endorsement_count,
    english_page_client,  # noqa: F401 (the `client` fixture, reading English)
)

pytestmark = pytest.mark.django_db


# --- endorsing --------------------------------------------------------------------


def test_a_member_endorses_once_and_can_take_it_back():
    proposal = ProposalFactory()
    member = UserFactory()
    browser = logged_in(member)
    url = f"/proposals/{proposal.pk}/endorse/"
    # endorse
    response = browser.post(url, follow=True)
    assert response.redirect_chain == [(f"/proposals/{proposal.pk}/#endorse", 302)]
    assert flash(response) == ["You endorsed this proposal."]
    assert endorsement_count(response) == 1
    assert "Take back my endorsement" in page_html(response)
    # twice: refused, still one
    response = browser.post(url, follow=True)
    assert flash(response) == ["You have already endorsed this proposal."]
    assert endorsement_count(response) == 1
    assert Endorsement.objects.filter(proposal=proposal).count() == 1
    # take it back
    response = browser.post(url, {"action": "withdraw"}, follow=True)
    assert flash(response) == ["Your endorsement is taken back."]
    assert endorsement_count(response) == 0
    assert not Endorsement.objects.exists()


def test_counts_are_exact_with_many_members():
    proposal = ProposalFactory()
    members = UserFactory.create_batch(7)
    for member in members:
        logged_in(member).post(f"/proposals/{proposal.pk}/endorse/")
    logged_in(members[0]).post(f"/proposals/{proposal.pk}/endorse/", {"action": "withdraw"})
    response = logged_in().get(f"/proposals/{proposal.pk}/")
    assert endorsement_count(response) == 6 == proposal.endorsements.count()


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("own", "You cannot endorse your own proposal."),
        ("withdrawn", "This proposal is no longer gathering endorsements."),
        ("hidden", "This proposal is no longer gathering endorsements."),
    ],
)
def test_endorsing_is_refused_with_a_message(state, message):
    proposal = ProposalFactory(
        status="withdrawn" if state == "withdrawn" else "open",
        withdrawn_at=timezone.now() if state == "withdrawn" else None,
        is_hidden=state == "hidden",
    )
    browser = logged_in(proposal.author if state == "own" else UserFactory())
    response = browser.post(f"/proposals/{proposal.pk}/endorse/", follow=True)
    assert flash(response) == [message]
    assert not Endorsement.objects.exists()
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 0


def test_the_author_sees_no_endorse_button_on_their_own_proposal():
    proposal = ProposalFactory()
    page = page_html(logged_in(proposal.author).get(f"/proposals/{proposal.pk}/"))
    assert f'action="/proposals/{proposal.pk}/endorse/"' not in page
    assert "This is your proposal." in page


def test_endorsing_needs_login_post_and_a_live_proposal(client):
    proposal = ProposalFactory()
    response = client.post(f"/proposals/{proposal.pk}/endorse/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert logged_in().get(f"/proposals/{proposal.pk}/endorse/").status_code == 405
    trashed = ProposalFactory(deleted_at=timezone.now())
    assert logged_in().post(f"/proposals/{trashed.pk}/endorse/").status_code == 404
    assert not Endorsement.objects.exists()


def test_endorsing_without_a_csrf_token_is_refused():
    proposal = ProposalFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    assert browser.post(f"/proposals/{proposal.pk}/endorse/").status_code == 403
    assert not Endorsement.objects.exists()


# --- cost of one endorsement (issue 10: the spike) ----------------------------------


def _endorse_capturing_queries(proposal, member):
    browser = logged_in(member)
    with CaptureQueriesContext(connection) as queries:
        response = browser.post(f"/proposals/{proposal.pk}/endorse/")
    assert response.status_code == 302
    return browser, [q["sql"] for q in queries.captured_queries]


def test_an_endorsement_writes_no_session_and_reads_no_settings_row():
    # Given a proposal someone endorsed already (the bars are cached by now)
    proposal = ProposalFactory()
    services.proposal_endorse(proposal=proposal, user=UserFactory())

    # When a member endorses it
    browser, queries = _endorse_capturing_queries(proposal, UserFactory())

    # Then the message waits in a cookie, not in a session write, the
    # pipeline's settings come from the cache, and the next page shows it
    assert not [q for q in queries if q.startswith("UPDATE") and "django_session" in q]
    assert not [q for q in queries if "proposals_pipelinesettings" in q]
    page = browser.get(proposal.get_absolute_url())
    assert flash(page) == ["You endorsed this proposal."]
    assert endorsement_count(page) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_endorsement_costs_eleven_queries_on_postgresql(settings):
    # Given a proposal on PostgreSQL, where requests commit as they go, and
    # tasks sent to a worker as in production (not run inside the request);
    # the default mileage rules are back (a transactional test before this
    # one may have emptied the tables their migration filled)
    ensure_defaults()
    proposal = ProposalFactory()
    endorser = UserFactory()
    services.proposal_endorse(proposal=proposal, user=UserFactory())
    claims_fold_all()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False

    # When a member endorses it
    browser, queries = _endorse_capturing_queries(proposal, endorser)

    # Then it costs the session, the member and their roles, the proposal
    # (with whether its author still earns mileage), the insert with the
    # mileage it earns in a transaction of their own (BEGIN, the row, a claim
    # for the endorser and one for the proposer, COMMIT: neither is ever
    # stored without the other), the reconcile and its look for rows left
    # (was 14, then 7 before mileage). Counting the points into the balances
    # is the members' fold tasks' work, never the request's: the proposer's
    # row is the one a spike of endorsements shares.
    assert len(queries) <= 11, "\n".join(queries)
    assert not [q for q in queries if q.startswith("UPDATE") and "accounts_user" in q]
    page = browser.get(proposal.get_absolute_url())
    assert flash(page) == ["You endorsed this proposal."]
    assert endorsement_count(page) == 2

    # And the fold (the worker's, or the minute's sweep) counts the points
    claims_fold_all()
    endorser.refresh_from_db()
    proposal.author.refresh_from_db()
    assert endorser.mileage_balance == MileageRule.objects.get(action="endorse").points
    assert proposal.author.mileage_balance == 2 * MileageRule.objects.get(action="endorsed").points
