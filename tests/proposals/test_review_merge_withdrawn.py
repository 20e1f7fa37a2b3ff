"""Review of issue 16: a member who withdrew from Oasis is not asked to
carry an endorsement over (nobody can answer for them), and the operator's
preview does not count them among those asked."""

import pytest

from accounts.services import account_withdraw
from proposals import merging, services
from proposals.models import CarryState, EndorsementCarry
from tests.factories import ProposalFactory, UserFactory, operator

pytestmark = pytest.mark.django_db


def test_a_withdrawn_endorser_is_not_asked_and_not_counted(role_groups):
    stays, leaves = UserFactory(), UserFactory()
    source, target = ProposalFactory(), ProposalFactory()
    for member in (stays, leaves):
        services.proposal_endorse(proposal=source, user=member)
    account_withdraw(user=leaves)

    assert merging.merge_preview(source, target)["asked"] == 1
    merging.proposal_merge(actor=operator(), source=source, target=target, reason="중복")

    states = dict(EndorsementCarry.objects.values_list("member_id", "state"))
    assert states == {stays.pk: CarryState.ASKED}
    source.refresh_from_db()
    # Their endorsement of the merged proposal stays on the record
    assert source.endorsement_count == 2
