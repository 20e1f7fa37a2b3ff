"""Every role against every meetings permission (the table in
meetings/rules.py), and the expert-opinion list filtered by the same rule that
guards editing one."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from meetings import selectors, services
from meetings.models import RealizationMeetingStatus, WorkingReviewStatus
from tests.factories import ProposalFactory

from .helpers import external_expert, internal_expert, make, meeting, on_agenda, review

pytestmark = pytest.mark.django_db

ROLES = ["citizen", "official", "operator", "mayor_office", "expert_internal", "expert_external"]

EXPECTED = {
    "meetings.decide_in_review": {"official", "operator", "expert_internal"},
    "meetings.finalise_review": {"operator"},
    "meetings.run_meeting": {"operator"},
    "meetings.record_decision": {"operator", "mayor_office"},
    "meetings.write_opinion": {"expert_internal", "expert_external"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", sorted(EXPECTED))
def test_role_permissions(role, permission):
    user = make(role)

    assert rules.has_perm(permission, user) == (role in EXPECTED[permission])


@pytest.mark.parametrize("permission", sorted(EXPECTED))
def test_anonymous_visitors_may_do_nothing(permission):
    assert not rules.has_perm(permission, AnonymousUser())


def test_a_finalised_review_is_closed_to_everyone():
    finalised = review()
    finalised.status = WorkingReviewStatus.FINALISED

    for role in ROLES:
        assert not rules.has_perm("meetings.decide_in_review", make(role), finalised)
        assert not rules.has_perm("meetings.finalise_review", make(role), finalised)


def test_an_opinion_is_listed_for_exactly_those_who_may_read_it():
    author, colleague = internal_expert(), external_expert()
    opinion = services.expert_opinion_save(
        proposal=ProposalFactory(status="review"),
        expert=author,
        text="실현 가능성이 높습니다.",
        recommendation="adopt",
    )

    for user, sees in [
        (author, True),
        (colleague, False),
        (make("operator"), True),
        (make("mayor_office"), True),
        (make("official"), False),
        (make("citizen"), False),
    ]:
        assert (opinion in selectors.expert_opinions_of(user)) is sees
    assert rules.has_perm("meetings.edit_opinion", author, opinion)
    assert not rules.has_perm("meetings.edit_opinion", colleague, opinion)


# --- the admin's permissions: what may be deleted or reordered, and when ---------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_operator_deletes_a_draft_review_and_nobody_a_finalised_one(role):
    draft, finalised = review(), review()
    finalised.status = WorkingReviewStatus.FINALISED
    user = make(role)

    assert rules.has_perm("meetings.delete_review", user, draft) == (role == "operator")
    assert not rules.has_perm("meetings.delete_review", user, finalised)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_operator_deletes_a_meeting_and_only_before_it_has_an_agenda(role):
    empty, with_agenda = meeting(), meeting()
    on_agenda(with_agenda)
    user = make(role)

    assert rules.has_perm("meetings.delete_meeting", user, empty) == (role == "operator")
    assert not rules.has_perm("meetings.delete_meeting", user, with_agenda)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_operator_reorders_an_agenda_and_only_before_the_meeting_is_held(role):
    ahead, held = meeting(), meeting(days=-1)
    held.status = RealizationMeetingStatus.HELD
    user = make(role)

    assert rules.has_perm("meetings.reorder_agenda", user, ahead) == (role == "operator")
    assert not rules.has_perm("meetings.reorder_agenda", user, held)
