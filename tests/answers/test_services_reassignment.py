"""answers/services.py, reassignment: the department asks, the operators
decide or reassign directly."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from answers import services
from answers.models import Answer, Assignment, ReassignmentRequest, ReassignmentStatus
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind, Proposal, ProposalStatus
from tests.factories import DepartmentFactory, official, operator

from .helpers import COMPLETE, SEOUL, assigned, clerk_of, drafted, notices, recipients, submitted

# Dates here count calendar days (working days: test_workdays.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_days")]


# --- reassignment ------------------------------------------------------------------------


def test_the_department_asks_for_reassignment_and_the_operators_are_told():
    assignment = assigned()
    staff = operator()
    parks = DepartmentFactory(name="공원조성과")
    request = services.reassignment_request(
        assignment=assignment,
        user=clerk_of(assignment),
        reason="한강공원 소관입니다.",
        suggested_department=parks,
    )
    assert (request.status, request.suggested_department) == (ReassignmentStatus.PENDING, parks)
    told = notices("reassignment_requested")
    assert [n.recipient_id for n in told] == [staff.pk]
    assert "한강공원 소관입니다." in told[0].message
    assert not assignment.proposal.events.get(kind=EventKind.REASSIGNMENT_REQUESTED).is_public


def test_a_second_request_while_one_is_pending_is_refused():
    assignment = assigned()
    services.reassignment_request(
        assignment=assignment, user=clerk_of(assignment), reason="소관 아님"
    )
    with pytest.raises(ServiceError, match="already waiting"):
        services.reassignment_request(
            assignment=assignment, user=clerk_of(assignment), reason="다시"
        )
    assert ReassignmentRequest.objects.count() == 1


def test_a_pending_request_blocks_submitting_and_a_submitted_answer_blocks_requests():
    assignment = assigned()
    clerk = clerk_of(assignment)
    answer = drafted(assignment)
    services.reassignment_request(assignment=assignment, user=clerk, reason="소관 아님")
    with pytest.raises(ServiceError, match="Wait for the operators"):
        services.answer_submit(answer=answer, user=clerk)

    other = assigned()
    submitted(other)
    with pytest.raises(ServiceError, match="already submitted"):
        services.reassignment_request(assignment=other, user=clerk_of(other), reason="소관 아님")


@pytest.mark.parametrize("who", ["other_official", "operator", "proposer"])
def test_only_the_assigned_department_asks_for_reassignment(who):
    assignment = assigned()
    user = {
        "other_official": lambda: official(DepartmentFactory()),
        "operator": operator,
        "proposer": lambda: assignment.proposal.author,
    }[who]()
    with pytest.raises(PermissionDenied):
        services.reassignment_request(assignment=assignment, user=user, reason="소관 아님")
    assert not ReassignmentRequest.objects.exists()


def test_approving_moves_the_proposal_to_the_new_department_with_a_fresh_deadline(
    django_capture_on_commit_callbacks,
):
    # given a department that drafted an answer and asked to hand the proposal on
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, 0, tzinfo=SEOUL), tick=False):
        old = assigned()
        old_clerk = clerk_of(old)
        draft = drafted(old)
        request = services.reassignment_request(
            assignment=old, user=old_clerk, reason="한강공원 소관입니다."
        )
    parks = DepartmentFactory(name="공원조성과")
    parks_clerk = official(parks)
    mail.outbox.clear()

    # when an operator approves it ten days later
    with time_machine.travel(dt.datetime(2025, 3, 11, 9, 0, tzinfo=SEOUL), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            decided = services.reassignment_decide(
                request=request, user=operator(), approve=True, department=parks
            )

    # then the old assignment is closed and a new one runs 20 days from now
    assert (decided.status, decided.to_department) == (ReassignmentStatus.APPROVED, parks)
    old.refresh_from_db()
    assert not old.is_current and old.closed_at is not None
    new = Assignment.objects.get(is_current=True)
    assert new.department == parks
    assert timezone.localtime(new.deadline).date() == dt.date(2025, 3, 31)
    proposal = Proposal.objects.get()
    assert (proposal.department, proposal.status) == (parks, ProposalStatus.ASSIGNED)
    event = proposal.events.get(kind=EventKind.REASSIGNED)
    assert (event.actor_department, event.reason, event.is_public) == (
        parks,
        "한강공원 소관입니다.",
        True,
    )
    # the new department and the proposer are told; the old draft stays with the old one
    assert recipients("reassigned") == {parks_clerk.pk}
    assert recipients("reassigned_public") == {proposal.author_id}
    # and the official who asked hears it was approved
    assert recipients("reassignment_approved") == {old_clerk.pk}
    assert {m.to[0] for m in mail.outbox} == {
        parks_clerk.email,
        proposal.author.email,
        old_clerk.email,
    }
    assert Answer.objects.get() == draft and draft.assignment_id == old.pk
    # and the old department can no longer write on it
    with pytest.raises(PermissionDenied):
        services.answer_save(assignment=old, user=old_clerk, **COMPLETE)
    with pytest.raises(PermissionDenied):
        services.answer_save(assignment=new, user=old_clerk, **COMPLETE)
    assert services.answer_save(assignment=new, user=parks_clerk, **COMPLETE).assignment == new


def test_refusing_needs_a_reason_and_tells_the_official_who_asked():
    assignment = assigned()
    clerk = clerk_of(assignment)
    request = services.reassignment_request(assignment=assignment, user=clerk, reason="소관 아님")
    staff = operator()
    with pytest.raises(ServiceError, match="reason"):
        services.reassignment_decide(request=request, user=staff, approve=False, reason="")
    decided = services.reassignment_decide(
        request=request, user=staff, approve=False, reason="교량은 도로계획과 소관입니다."
    )
    assert (decided.status, decided.decided_by, decided.decision_reason) == (
        ReassignmentStatus.REFUSED,
        staff,
        "교량은 도로계획과 소관입니다.",
    )
    assert recipients("reassignment_refused") == {clerk.pk}
    assert Assignment.objects.get().is_current
    # once decided, it cannot be decided again
    with pytest.raises(ServiceError, match="already been decided"):
        services.reassignment_decide(
            request=request, user=staff, approve=True, department=DepartmentFactory()
        )
    assert Assignment.objects.count() == 1


def test_approving_needs_another_department():
    assignment = assigned()
    request = services.reassignment_request(
        assignment=assignment, user=clerk_of(assignment), reason="소관 아님"
    )
    staff = operator()
    with pytest.raises(ValidationError):
        services.reassignment_decide(request=request, user=staff, approve=True, department=None)
    with pytest.raises(ServiceError, match="already with"):
        services.reassignment_decide(
            request=request, user=staff, approve=True, department=assignment.department
        )
    request.refresh_from_db()
    assert request.status == ReassignmentStatus.PENDING
    assert Assignment.objects.count() == 1


def test_only_operators_decide_reassignment():
    assignment = assigned()
    clerk = clerk_of(assignment)
    request = services.reassignment_request(assignment=assignment, user=clerk, reason="소관 아님")
    with pytest.raises(PermissionDenied):
        services.reassignment_decide(
            request=request, user=clerk, approve=True, department=DepartmentFactory()
        )
    with pytest.raises(PermissionDenied):
        services.assignment_reassign(
            assignment=assignment, user=clerk, department=DepartmentFactory(), reason="이유"
        )
    assert Assignment.objects.count() == 1


def test_an_operator_reassigns_directly_and_settles_a_pending_request():
    assignment = assigned()
    request = services.reassignment_request(
        assignment=assignment, user=clerk_of(assignment), reason="소관 아님"
    )
    parks = DepartmentFactory()
    new = services.assignment_reassign(
        assignment=assignment, user=operator(), department=parks, reason="공원 소관"
    )
    assert new.department == parks and new.is_current
    request.refresh_from_db()
    assert (request.status, request.to_department) == (ReassignmentStatus.APPROVED, parks)
    with pytest.raises(ServiceError, match="reassigned"):
        services.assignment_reassign(
            assignment=assignment, user=operator(), department=DepartmentFactory(), reason="또"
        )
