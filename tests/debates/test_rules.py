"""Who may do what in a debate: every role against every state of a debate,
and the list showing a debate exactly when the rule says it is visible."""

from datetime import timedelta

import pytest
import rules
import time_machine
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from debates import selectors, services
from debates.models import Argument
from debates.rules import debate_is_visible
from proposals.models import Proposal
from proposals.services import proposal_withdraw
from tests.factories import UserFactory, official, operator

from .helpers import closed_debate, open_debate

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "panel", "expert", "official", "operator", "inactive"]
STATES = ["taking part", "ended", "closed", "withdrawn", "hidden", "trashed"]


def make_user(role):
    return {
        "anonymous": AnonymousUser,
        "citizen": UserFactory,
        "panel": lambda: UserFactory(roles=[Role.PANEL]),
        "expert": lambda: UserFactory(roles=[Role.EXPERT_INTERNAL]),
        "official": official,
        "operator": operator,
        "inactive": lambda: UserFactory(is_active=False),
    }[role]()


def make_debate(state):
    if state == "closed":
        return closed_debate()
    debate = open_debate()
    if state == "withdrawn":
        proposal_withdraw(proposal=debate.proposal, user=debate.proposal.author)
    elif state == "hidden":
        Proposal.objects.filter(pk=debate.proposal_id).update(is_hidden=True, hidden_reason="광고")
    elif state == "trashed":
        Proposal.objects.filter(pk=debate.proposal_id).update(deleted_at=debate.starts_at)
    debate.refresh_from_db()
    debate.proposal.refresh_from_db()
    return debate


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_who_takes_part_when(role, state):
    """Any active member, whatever their role, takes a stance and argues while
    the debate takes part; nobody does otherwise, and the service agrees with
    the permission the page asks."""
    user = make_user(role)
    debate = make_debate(state)
    moment = debate.ends_at + timedelta(seconds=1) if state == "ended" else debate.starts_at
    expected = role not in ("anonymous", "inactive") and state == "taking part"
    with time_machine.travel(moment):
        assert rules.has_perm("debates.take_stance", user, debate) is expected
        assert rules.has_perm("debates.post_argument", user, debate) is expected
        try:
            services.stance_set(debate=debate, user=user, position="for")
            services.argument_create(
                debate=debate, author=user, side="for", body="찬성하는 이유입니다."
            )
        except Exception:  # noqa: BLE001 - any refusal
            allowed = False
        else:
            allowed = True
    assert allowed is expected


@pytest.mark.parametrize("role", ROLES)
def test_only_operators_moderate_close_and_publish(role):
    user = make_user(role)
    running, finished = open_debate(), closed_debate()
    is_operator = role == "operator"
    assert rules.has_perm("debates.moderate", user) is is_operator
    assert rules.has_perm("debates.close_debate", user, running) is is_operator
    assert rules.has_perm("debates.close_debate", user, finished) is False
    assert rules.has_perm("debates.publish_results", user, finished) is is_operator
    assert rules.has_perm("debates.publish_results", user, running) is False


def test_only_the_author_deletes_an_argument():
    debate = open_debate()
    author = UserFactory()
    argument = services.argument_create(
        debate=debate, author=author, side="against", body="반대하는 이유"
    )
    assert rules.has_perm("debates.delete_own_argument", author, argument)
    for other in (UserFactory(), operator(), AnonymousUser()):
        assert not rules.has_perm("debates.delete_own_argument", other, argument)
    Argument.objects.filter(pk=argument.pk).update(deleted_at=debate.starts_at)
    argument.refresh_from_db()
    assert not rules.has_perm("debates.delete_own_argument", author, argument)


def test_a_debate_is_listed_exactly_when_it_is_visible():
    debates = [make_debate(state) for state in STATES]
    listed = set(selectors.debate_list().values_list("pk", flat=True))
    for debate in debates:
        assert (debate.pk in listed) is debate_is_visible(debate), debate
    assert len(listed) == 4  # all but the hidden and the trashed
