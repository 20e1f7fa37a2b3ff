"""The ledger stays exact under concurrent actions, on the real PostgreSQL
server: every credit once, none lost, none doubled, caps held, no deadlock."""

import pytest
from django.db import transaction

from accounts.participation import Action, participated
from mileage import services as mileage_services
from mileage.defaults import ensure_defaults
from proposals import services
from proposals.models import Endorsement
from tests.factories import CommentFactory, ProposalFactory, UserFactory
from tests.threads import run_at_once

from .helpers import assert_exact, balance, endorse, entries, set_rule

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _rules():
    # A transactional test before this one flushed the migration's rows.
    ensure_defaults()
    set_rule(Action.ENDORSE, 1)
    set_rule(Action.ENDORSED, 1)


def _endorse_as_the_site_does(proposal, member):
    """The endorse request on PostgreSQL: autocommit, the row first, then the
    participation signal (as the sources part sends it)."""
    services.proposal_endorse(proposal=proposal, user=member)
    endorse(Endorsement.objects.get(proposal=proposal, user=member))


def test_a_burst_of_endorsements_credits_the_proposer_once_each():
    # Given a proposal and 40 members
    proposal = ProposalFactory()
    members = [UserFactory() for _ in range(40)]

    # When they all endorse at the same moment
    results = run_at_once([lambda m=m: _endorse_as_the_site_does(proposal, m) for m in members])

    # Then, as soon as the last request answered, the proposer has one
    # credit per endorsement and each endorser one: none lost or doubled
    assert [r for r in results if isinstance(r, Exception)] == []
    assert balance(proposal.author) == 40
    assert entries(proposal.author) == [1] * 40
    assert all(balance(m) == 1 for m in members)
    assert_exact()


def test_members_endorsing_each_others_proposals_at_once_do_not_deadlock():
    # Given 10 pairs of members, each with a proposal
    pairs = [(ProposalFactory(), ProposalFactory()) for _ in range(10)]

    def in_one_transaction(proposal, member):
        # The caller's own transaction (the simple path): the two credits
        # are for two members, in opposite orders across the pair.
        with transaction.atomic():
            endorsement = Endorsement.objects.create(proposal=proposal, user=member)
            endorse(endorsement)

    # When each endorses the other's proposal at the same moment, in autocommit
    # and inside transactions alike
    calls = []
    for a, b in pairs[:5]:
        calls += [
            lambda a=a, b=b: _endorse_as_the_site_does(b, a.author),
            lambda a=a, b=b: _endorse_as_the_site_does(a, b.author),
        ]
    for a, b in pairs[5:]:
        calls += [
            lambda a=a, b=b: in_one_transaction(b, a.author),
            lambda a=a, b=b: in_one_transaction(a, b.author),
        ]
    results = run_at_once(calls)

    # Then nobody failed and each has 1 for endorsing and 1 for being endorsed
    assert [r for r in results if isinstance(r, Exception)] == []
    for a, b in pairs:
        assert balance(a.author) == 2 and balance(b.author) == 2
    assert_exact()


@pytest.mark.parametrize("in_transaction", [False, True])
def test_the_daily_cap_holds_when_a_members_actions_arrive_at_once(in_transaction):
    # Given comments worth 2, at most 10 a day, and a member with 12 comments
    set_rule(Action.COMMENT, 2, cap=10)
    member = UserFactory()
    comments = [CommentFactory(author=member) for _ in range(12)]

    def send(comment):
        if in_transaction:
            with transaction.atomic():
                participated(action=Action.COMMENT, member_id=member.pk, source=comment)
        else:
            participated(action=Action.COMMENT, member_id=member.pk, source=comment)

    # When all twelve signals arrive at once, with the sweep running too
    results = run_at_once(
        [lambda c=c: send(c) for c in comments] + [mileage_services.claims_fold_all] * 2
    )

    # Then the member earned exactly the cap
    assert [r for r in results if isinstance(r, Exception)] == []
    mileage_services.claims_fold_all()
    assert balance(member) == 10
    assert_exact()


def test_endorse_and_take_back_racing_leave_the_ledger_exact():
    # Given 20 members who endorsed a proposal
    proposal = ProposalFactory()
    members = [UserFactory() for _ in range(20)]
    for m in members:
        _endorse_as_the_site_does(proposal, m)

    def take_back(member):
        endorsement = Endorsement.objects.get(proposal=proposal, user=member)
        services.proposal_unendorse(proposal=proposal, user=member)
        endorse(endorsement, undo=True)

    # When half take it back while the other half's retried signals arrive
    # again and the sweep runs
    calls = [lambda m=m: take_back(m) for m in members[:10]]
    calls += [
        lambda m=m: endorse(Endorsement.objects.get(proposal=proposal, user=m))
        for m in members[10:]
    ]
    calls += [mileage_services.claims_fold_all] * 2
    results = run_at_once(calls)

    # Then the proposer keeps one credit per standing endorsement
    assert [r for r in results if isinstance(r, Exception)] == []
    mileage_services.claims_fold_all()
    assert balance(proposal.author) == 10
    assert all(balance(m) == 0 for m in members[:10])
    assert all(balance(m) == 1 for m in members[10:])
    assert_exact()
