"""Merging keeps every endorsement exactly once under concurrency, on the
real PostgreSQL server (issue 16): two clicks of one carry, a carry racing
a direct endorsement of the target, many members carrying at once, and two
merges of one pair in opposite directions."""

import pytest

from oasis.errors import ServiceError
from proposals import merging, services
from proposals.models import (
    CarryState,
    Endorsement,
    EndorsementCarry,
    EventKind,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from tests.factories import ProposalFactory, UserFactory, operator
from tests.threads import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _merged_with(members):
    source = ProposalFactory()
    for member in members:
        services.proposal_endorse(proposal=source, user=member)
    target = ProposalFactory()
    merging.proposal_merge(actor=operator(), source=source, target=target, reason="중복")
    return source, target


def _exact(target, expected: int):
    services.endorsement_counts_reconcile_all()
    target.refresh_from_db()
    rows = Endorsement.objects.filter(proposal=target).count()
    assert target.endorsement_count == rows == expected
    assert not Endorsement.objects.filter(pending=True).exists()


def test_two_clicks_at_once_carry_once(role_groups):
    member = UserFactory()
    _source, target = _merged_with([member])
    carry = EndorsementCarry.objects.get(member=member)

    results = run_at_once(
        [lambda: merging.endorsement_carry(member=member, carry=carry) for _ in range(6)]
    )

    done = [r for r in results if isinstance(r, EndorsementCarry)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(done) == 1 and len(refused) == 5, results
    carry.refresh_from_db()
    assert carry.state == CarryState.CARRIED
    _exact(target, 1)


def test_a_carry_racing_a_direct_endorsement_counts_once(role_groups):
    for _round in range(5):
        member = UserFactory()
        _source, target = _merged_with([member])
        carry = EndorsementCarry.objects.get(member=member)

        results = run_at_once(
            [
                lambda m=member, c=carry: merging.endorsement_carry(member=m, carry=c),
                lambda m=member, t=target: services.proposal_endorse(proposal=t, user=m),
            ]
        )

        assert not any(
            isinstance(r, Exception) and not isinstance(r, ServiceError) for r in results
        ), results
        carry.refresh_from_db()
        assert carry.state in (CarryState.CARRIED, CarryState.ALREADY)
        _exact(target, 1)


def test_many_members_carrying_while_others_endorse_are_each_counted_once(role_groups):
    carriers = UserFactory.create_batch(15)
    direct = UserFactory.create_batch(10)
    _source, target = _merged_with(carriers)
    carries = list(EndorsementCarry.objects.filter(member__in=carriers))

    results = run_at_once(
        [lambda c=c: merging.endorsement_carry(member=c.member, carry=c) for c in carries]
        + [lambda m=m: services.proposal_endorse(proposal=target, user=m) for m in direct]
    )

    assert [r for r in results if isinstance(r, Exception)] == []
    assert EndorsementCarry.objects.filter(state=CarryState.CARRIED).count() == 15
    _exact(target, 25)


def test_merges_of_one_pair_in_opposite_directions_make_no_loop(role_groups):
    for _round in range(5):
        a, b = ProposalFactory(), ProposalFactory()
        staff = operator()

        results = run_at_once(
            [
                lambda s=staff, x=a, y=b: merging.proposal_merge(
                    actor=s, source=x, target=y, reason="중복"
                ),
                lambda s=staff, x=a, y=b: merging.proposal_merge(
                    actor=s, source=y, target=x, reason="중복"
                ),
            ]
        )

        merged = [r for r in results if isinstance(r, Proposal)]
        refused = [r for r in results if isinstance(r, ServiceError)]
        assert len(merged) == 1 and len(refused) == 1, results
        statuses = dict(Proposal.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", "status"))
        assert sorted(statuses.values()) == sorted([ProposalStatus.MERGED, ProposalStatus.OPEN])
        assert (
            ProposalEvent.objects.filter(proposal__in=[a, b], kind=EventKind.MERGED_INTO).count()
            == 1
        )


def test_an_endorsement_of_the_source_racing_its_merge_is_asked_or_refused(role_groups):
    # A member endorsing the duplicate at the moment it is merged is either
    # in before (and asked to carry) or refused after: never lost in between.
    for _round in range(5):
        member = UserFactory()
        source, target = ProposalFactory(), ProposalFactory()
        staff = operator()

        results = run_at_once(
            [
                lambda p=source, m=member: services.proposal_endorse(proposal=p, user=m),
                lambda s=staff, p=source, t=target: merging.proposal_merge(
                    actor=s, source=p, target=t, reason="중복"
                ),
            ]
        )

        assert isinstance(results[1], Proposal), results
        endorsed = Endorsement.objects.filter(proposal=source, user=member).exists()
        asked = EndorsementCarry.objects.filter(source=source, member=member).exists()
        assert endorsed == asked
        assert endorsed or isinstance(results[0], ServiceError)
