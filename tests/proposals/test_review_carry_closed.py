"""Review of issue 16: a carry-over request whose target no longer takes
endorsements (its window closed, withdrawn, hidden) is no longer offered on
the member's page or the merged proposal's page: its button could only be
refused, and the request stayed on /me/ for ever."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import merging, services
from proposals.models import EndorsementCarry, Proposal
from tests.factories import ProposalFactory, UserFactory, operator
from tests.pages import logged_in, page_html

pytestmark = pytest.mark.django_db


def test_a_request_to_a_closed_target_is_no_longer_offered(role_groups):
    member = UserFactory()
    source, target = ProposalFactory(), ProposalFactory()
    services.proposal_endorse(proposal=source, user=member)
    merging.proposal_merge(actor=operator(), source=source, target=target, reason="중복")
    carry = EndorsementCarry.objects.get(member=member)
    button = reverse("proposals:carry", args=[carry.pk])
    client = logged_in(member)
    assert button in page_html(client.get(reverse("me")))
    assert button in page_html(client.get(source.get_absolute_url()))

    Proposal.objects.filter(pk=target.pk).update(
        endorsement_deadline=timezone.now() - timedelta(minutes=1)
    )

    assert button not in page_html(client.get(reverse("me")))
    assert button not in page_html(client.get(source.get_absolute_url()))
    assert list(merging.asked_carries(member)) == []
