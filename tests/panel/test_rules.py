"""The panel's permissions, role by role (panel/rules.py's table): who may
apply, decide, rate, list what to rate, and see the panel's scores. Asked
as the pages and services ask them (rules.has_perm, the rule set itself)."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from panel import selectors
from proposals.models import ProposalStatus
from tests.factories import UserFactory, official, operator
from tests.pages import english_client, logged_in, page_text

from .helpers import open_proposal, panel_member, rate

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": lambda: AnonymousUser(),
    "citizen": lambda: UserFactory(),
    "panel": lambda: panel_member(),
    "official": lambda: official(),
    "operator": lambda: operator(),
}

# role → (apply, decide an application, end a membership, rate, list to rate)
EXPECTED = {
    "anonymous": (False, False, False, False, False),
    "citizen": (True, False, False, False, False),
    "panel": (False, False, False, True, True),
    "official": (False, False, False, False, False),
    "operator": (False, True, True, False, False),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_may_do_exactly_its_part(role):
    user = ROLES[role]()
    proposal = open_proposal()
    assert (
        rules.has_perm("panel.apply", user),
        rules.has_perm("panel.decide_application", user),
        rules.has_perm("panel.end_membership", user),
        rules.has_perm("panel.rate_proposal", user, proposal),
        rules.has_perm("panel.list_to_rate", user),
    ) == EXPECTED[role]


@pytest.mark.parametrize("role", EXPECTED)
def test_everyone_sees_the_panel_page_and_the_scores_on_a_proposal(role):
    proposal = open_proposal()
    rate(proposal, panel_member(), 4, 4, 4)
    user = ROLES[role]()
    client = english_client() if role == "anonymous" else logged_in(user)
    assert client.get("/panel/").status_code == 200
    text = page_text(client.get(proposal.get_absolute_url()))
    assert "Citizen panel rating" in text and "4.00" in text and "1 panel member rated" in text


def test_a_panel_member_may_not_rate_twice_their_own_or_a_closed_proposal():
    member = panel_member()
    rated = open_proposal()
    rate(rated, member)
    own = open_proposal(author=member)
    closed = open_proposal(status=ProposalStatus.NOT_ADOPTED)
    hidden = open_proposal(is_hidden=True)
    trashed = open_proposal(deleted_at=timezone.now())
    for proposal in (rated, own, closed, hidden, trashed):
        assert not rules.has_perm("panel.rate_proposal", member, proposal)


def test_an_inactive_panel_member_may_not_rate():
    member = panel_member(is_active=False)
    assert not rules.has_perm("panel.rate_proposal", member, open_proposal())


def test_the_list_to_rate_holds_a_proposal_exactly_when_the_member_may_rate_it():
    member = panel_member()
    proposals = [
        open_proposal(),
        open_proposal(status=ProposalStatus.ANSWERED),
        open_proposal(status=ProposalStatus.DEBATE),
        open_proposal(status=ProposalStatus.REVIEW),
        open_proposal(status=ProposalStatus.NOT_REACHED),
        open_proposal(author=member),
        open_proposal(is_hidden=True),
        open_proposal(deleted_at=timezone.now()),
    ]
    rate(proposals[1], member)
    listed = set(selectors.proposals_to_rate(member).values_list("pk", flat=True))
    allowed = {p.pk for p in proposals if rules.has_perm("panel.rate_proposal", member, p)}
    assert listed == allowed == {proposals[0].pk, proposals[2].pk}
