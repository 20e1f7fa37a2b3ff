"""Review of issue 16's merges (attacks): members carrying their
endorsement while the proposal they carry it to is itself merged further
must neither deadlock nor lose or double any endorsement (PostgreSQL)."""

import pytest

from oasis.errors import ServiceError
from proposals import merging, services
from proposals.models import CarryState, Endorsement, EndorsementCarry
from tests.factories import ProposalFactory, UserFactory, operator
from tests.threads import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_carrying_while_the_target_is_merged_further_neither_deadlocks_nor_loses(role_groups):
    boss = operator()
    for _round in range(3):
        members = [UserFactory() for _ in range(6)]
        source = ProposalFactory()
        for member in members:
            services.proposal_endorse(proposal=source, user=member)
        target = ProposalFactory()
        merging.proposal_merge(actor=boss, source=source, target=target, reason="중복")
        final = ProposalFactory()
        carries = list(EndorsementCarry.objects.filter(source=source).order_by("pk"))

        results = run_at_once(
            [
                *[
                    lambda m=c.member, c=c: merging.endorsement_carry(member=m, carry=c)
                    for c in carries
                ],
                lambda t=target, f=final: merging.proposal_merge(
                    actor=boss, source=t, target=f, reason="또 중복"
                ),
            ]
        )

        errors = [
            r for r in results if isinstance(r, Exception) and not isinstance(r, ServiceError)
        ]
        assert not errors, errors
        assert not isinstance(results[-1], Exception), results[-1]
        services.endorsement_counts_reconcile_all()
        for carry in EndorsementCarry.objects.filter(source=source):
            on_target = Endorsement.objects.filter(proposal=target, user=carry.member).exists()
            on_final = Endorsement.objects.filter(proposal=final, user=carry.member).exists()
            if carry.state == CarryState.CARRIED and carry.target_id == target.pk:
                # Carried before the target was merged: that endorser is
                # asked in turn about the final proposal.
                assert on_target and not on_final
                assert EndorsementCarry.objects.filter(
                    source=target, member=carry.member, target=final, state=CarryState.ASKED
                ).exists()
            elif carry.state == CarryState.CARRIED:
                # The click followed the carry to the final proposal.
                assert carry.target_id == final.pk and on_final and not on_target
            else:
                # Still asked, now about the final proposal.
                assert carry.state == CarryState.ASKED and carry.target_id == final.pk
                assert not on_target and not on_final
        for proposal in (target, final):
            proposal.refresh_from_db()
            assert (
                proposal.endorsement_count == Endorsement.objects.filter(proposal=proposal).count()
            )
