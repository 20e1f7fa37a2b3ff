"""Who may do what, role × state, and the list twin: an assignment is listed
for a user exactly when the rule lets them see it."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from answers import selectors, services
from answers.models import Answer, Assignment, ReassignmentRequest
from tests.factories import DepartmentFactory, UserFactory, official, operator

from .helpers import assigned, clerk_of, drafted, published, submitted

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "proposer", "official", "other_official", "operator"]


def user_for(role, assignment):
    return {
        "anonymous": AnonymousUser,
        "citizen": UserFactory,
        "proposer": lambda: assignment.proposal.author,
        "official": lambda: clerk_of(assignment),
        "other_official": lambda: official(DepartmentFactory()),
        "operator": operator,
    }[role]()


def in_state(state) -> Assignment:
    """An assignment whose answer is in `state`; "none" has no answer yet,
    "requested" a pending reassignment request, "reassigned" was handed on."""
    assignment = assigned()
    if state == "draft":
        drafted(assignment)
    elif state == "submitted":
        submitted(assignment)
    elif state == "published":
        published(assignment)
    elif state == "requested":
        services.reassignment_request(
            assignment=assignment, user=clerk_of(assignment), reason="소관 아님"
        )
    elif state == "reassigned":
        services.assignment_reassign(
            assignment=assignment, user=operator(), department=DepartmentFactory(), reason="소관"
        )
    return Assignment.objects.select_related("proposal").get(pk=assignment.pk)


# (permission, object) → the (role, state) pairs where it holds
EXPECTED = {
    "answers.write_answer": {
        ("official", "none"),
        ("official", "draft"),
        ("official", "requested"),
    },
    "answers.review_answer": {("operator", "submitted")},
    "answers.request_reassignment": {("official", "none"), ("official", "draft")},
    "answers.reassign": {
        ("operator", state) for state in ("none", "draft", "submitted", "requested")
    },
    "answers.rate_answer": {("proposer", "published")},
}
STATES = ["none", "draft", "submitted", "published", "requested", "reassigned"]


def target(permission, assignment):
    if permission in ("answers.write_answer", "answers.request_reassignment", "answers.reassign"):
        return assignment
    return Answer.objects.filter(assignment=assignment).first()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_what_the_table_says(role, state):
    assignment = in_state(state)
    user = user_for(role, assignment)
    for permission, allowed in EXPECTED.items():
        obj = target(permission, assignment)
        if obj is None:
            continue  # no answer in this state: the step has nothing to act on
        assert rules.has_perm(permission, user, obj) == ((role, state) in allowed), permission


@pytest.mark.parametrize("role", ROLES)
def test_deciding_a_request_is_for_operators_while_it_is_pending(role):
    assignment = in_state("requested")
    request = ReassignmentRequest.objects.get()
    user = user_for(role, assignment)
    assert rules.has_perm("answers.decide_reassignment", user, request) == (role == "operator")
    if role == "operator":
        services.reassignment_decide(request=request, user=user, approve=False, reason="아니요")
        request.refresh_from_db()
        assert not rules.has_perm("answers.decide_reassignment", user, request)


@pytest.mark.parametrize("role", ROLES)
def test_an_assignment_is_listed_exactly_when_it_may_be_seen(role):
    # given assignments to two departments, one handed on to a third
    mine = assigned()
    user = user_for(role, mine)
    theirs = assigned()
    handed_on = assigned(department=mine.department)
    services.assignment_reassign(
        assignment=handed_on, user=operator(), department=DepartmentFactory(), reason="소관"
    )
    listed = set(selectors.assignments_visible_to(user))
    for assignment in Assignment.objects.all():
        assert (assignment in listed) == rules.has_perm("answers.see_assignment", user, assignment)
    # and the same scope holds for the answers and requests lists
    assert set(selectors.answers_visible_to(user)) == {
        a for a in Answer.objects.all() if a.assignment in listed
    }
    assert set(selectors.reassignment_requests_visible_to(user)) == {
        r for r in ReassignmentRequest.objects.all() if r.assignment in listed
    }
    if role == "official":
        assert listed == {mine}
        assert theirs not in listed
    if role == "operator":
        assert len(listed) == 4  # everything, the handed-on history too


@pytest.mark.parametrize("role", ROLES)
def test_operators_oversee_every_department_and_nobody_else_does(role):
    # The admin asks it for the department filter, handed-on assignments and
    # the bulk actions on the answer lists.
    user = user_for(role, assigned())
    assert rules.has_perm("answers.oversee_answers", user) == (role == "operator")
