"""proposals/rules.py: every role against every state, for every permission;
and the list shows a proposal exactly when the public may see it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from oasis.errors import ServiceError
from proposals import selectors, services
from proposals.models import ProposalStatus
from tests.factories import CommentFactory, ProposalFactory, UserFactory, official, operator

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "author", "citizen", "official", "operator"]
STATES = ["open", "endorsed", "assigned", "withdrawn", "hidden", "trashed"]


def _proposal(state):
    return ProposalFactory(
        status={"assigned": "assigned", "withdrawn": "withdrawn"}.get(state, "open"),
        withdrawn_at=timezone.now() if state == "withdrawn" else None,
        endorsement_count=1 if state == "endorsed" else 0,
        is_hidden=state == "hidden",
        deleted_at=timezone.now() if state == "trashed" else None,
    )


def _user(role, proposal):
    return {
        "anonymous": lambda: AnonymousUser(),
        "author": lambda: proposal.author,
        "citizen": lambda: UserFactory(),
        "official": lambda: official(),
        "operator": lambda: operator(),
    }[role]()


# What each role may do in each state: the table docs/permissions.md describes.
EXPECTED = {
    "proposals.edit_proposal": {("author", "open")},
    # Withdrawing follows the pipeline table: not once already withdrawn.
    "proposals.withdraw_proposal": {("author", s) for s in STATES if s != "withdrawn"},
    # Authors may delete only before a department took it up; operators always.
    "proposals.trash_proposal": {("author", s) for s in STATES if s != "assigned"}
    | {("operator", s) for s in STATES},
    "proposals.endorse_proposal": {
        (role, state)
        for role in ("citizen", "official", "operator")
        for state in ("open", "endorsed", "assigned")
    },
    "proposals.moderate": {("operator", s) for s in STATES},
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_permission_table(perm, role, state):
    proposal = _proposal(state)
    user = _user(role, proposal)
    assert user.has_perm(perm, proposal) is ((role, state) in EXPECTED[perm])


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ["author", "citizen", "operator"])
def test_the_endorse_rule_and_the_endorse_service_agree(role, state):
    # The button is shown by the rule; the service must accept exactly then.
    proposal = _proposal(state)
    user = _user(role, proposal)
    allowed = user.has_perm("proposals.endorse_proposal", proposal)
    try:
        services.proposal_endorse(proposal=proposal, user=user)
    except ServiceError:
        accepted = False
    else:
        accepted = True
    assert accepted is allowed


@pytest.mark.parametrize("role", ROLES)
def test_only_the_comment_author_changes_a_comment(role):
    comment = CommentFactory()
    user = {"author": comment.author}.get(role) or _user(role, comment.proposal)
    assert user.has_perm("proposals.delete_own_comment", comment) is (role == "author")


@pytest.mark.parametrize("state", STATES)
def test_a_proposal_is_listed_exactly_when_the_public_may_see_it(state):
    proposal = _proposal(state)
    listed = selectors.proposal_list().filter(pk=proposal.pk).exists()
    assert listed is (state not in ("hidden", "trashed"))


def test_withdrawn_and_decided_proposals_stay_listed():
    withdrawn = _proposal("withdrawn")
    adopted = ProposalFactory(status=ProposalStatus.ADOPTED)
    assert set(selectors.proposal_list()) == {withdrawn, adopted}
