"""The demo shows a merged duplicate (issue 16): merged by the demo
operator through the service, its endorsers asked (the demo citizen still
asked, one already carried over), the pages saying so."""

import pytest
from django.urls import reverse

from demo.members import CITIZEN_EMAIL
from demo.merges import DUPLICATE_TITLE
from proposals.models import CarryState, EndorsementCarry, EventKind, Proposal, ProposalStatus
from tests.pages import english_client, logged_in, page_text

pytestmark = pytest.mark.django_db


def test_a_duplicate_is_merged_and_its_endorsers_asked(world):
    duplicate = Proposal.objects.get(title=DUPLICATE_TITLE)
    assert duplicate.status == ProposalStatus.MERGED and duplicate.merged_into is not None
    assert duplicate.events.filter(kind=EventKind.MERGED_INTO).exists()
    assert "Merges: 1 duplicate merged" in world.output
    states = list(EndorsementCarry.objects.filter(source=duplicate).values_list("state", flat=True))
    assert states.count(CarryState.CARRIED) == 1 and CarryState.ASKED in states
    text = page_text(english_client().get(duplicate.get_absolute_url()))
    assert f"This proposal was merged into #{duplicate.merged_into_id}." in text
    citizen = EndorsementCarry.objects.get(source=duplicate, member__email=CITIZEN_EMAIL)
    assert citizen.state == CarryState.ASKED
    assert "Carry your endorsements over" in page_text(logged_in(citizen.member).get(reverse("me")))
