"""Who enters the proposals admin: officials read, citizens are kept out."""

import pytest
from django.urls import reverse

from tests.factories import ProposalFactory, UserFactory, official
from tests.pages import logged_in

from .helpers import CHANGELIST, export, run_action, shown

pytestmark = pytest.mark.django_db


# --- officials --------------------------------------------------------------------


def test_an_official_sees_the_list_but_cannot_change_hide_or_export():
    # Given a department official (staff, not an operator)
    user = official()
    client = logged_in(user)
    proposal = ProposalFactory()
    # The list opens, with no actions at all
    response = client.get(reverse(CHANGELIST))
    assert shown(response) == {proposal.pk}
    assert response.context["action_form"] is None
    assert "hide_proposals" not in response.content.decode()
    # The change page cannot be saved
    change_url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    assert client.post(change_url, {"title": "바뀐 제목"}).status_code == 403
    assert not user.has_perm("proposals.change_proposal")
    # Posting the hide action anyway changes nothing
    run_action(client, "hide_proposals", [proposal], reason="시도")
    proposal.refresh_from_db()
    assert proposal.is_hidden is False
    # No export
    assert client.get(reverse("admin:proposals_proposal_export")).status_code == 403
    assert export(client, "0").status_code == 403


def test_a_citizen_cannot_open_the_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
