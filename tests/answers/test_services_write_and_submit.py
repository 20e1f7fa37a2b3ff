"""answers/services.py, the department writes its answer and submits it."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from answers import services
from answers.models import Answer, AnswerStatus
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind, Proposal, ProposalStatus
from tests.factories import DepartmentFactory, UserFactory, official, operator

from .helpers import COMPLETE, REFUSAL, assigned, clerk_of, drafted, notices, recipients, submitted

pytestmark = pytest.mark.django_db


# --- writing the answer ---------------------------------------------------------------


def test_an_official_of_the_department_writes_and_rewrites_a_draft():
    assignment = assigned()
    clerk = clerk_of(assignment)
    answer = services.answer_save(assignment=assignment, user=clerk, summary="검토 중입니다.")
    assert (answer.status, answer.summary, answer.written_by) == (
        AnswerStatus.DRAFT,
        "검토 중입니다.",
        clerk,
    )
    colleague = official(assignment.department)
    services.answer_save(assignment=assignment, user=colleague, **COMPLETE)
    answer.refresh_from_db()
    assert answer.decision == "accept" and answer.written_by == colleague
    assert answer.estimated_budget == 120_000_000
    assert Answer.objects.count() == 1
    # a draft is internal: nothing on the timeline beyond the assignment, nobody told
    assert assignment.proposal.events.count() == 1
    assert not Notification.objects.exclude(kind__startswith="assigned").exists()


@pytest.mark.parametrize("who", ["other_official", "operator", "citizen", "proposer"])
def test_nobody_but_the_assigned_department_writes_the_answer(who):
    assignment = assigned()
    user = {
        "other_official": lambda: official(DepartmentFactory()),
        "operator": operator,
        "citizen": UserFactory,
        "proposer": lambda: assignment.proposal.author,
    }[who]()
    with pytest.raises(PermissionDenied):
        services.answer_save(assignment=assignment, user=user, **COMPLETE)
    assert not Answer.objects.exists()


def test_an_official_from_another_department_cannot_change_an_existing_draft():
    assignment = assigned()
    answer = drafted(assignment)
    with pytest.raises(PermissionDenied):
        services.answer_save(
            assignment=assignment, user=official(DepartmentFactory()), summary="바꿔치기"
        )
    with pytest.raises(PermissionDenied):
        services.answer_submit(answer=answer, user=official(DepartmentFactory()))
    answer.refresh_from_db()
    assert (answer.summary, answer.status) == (COMPLETE["summary"], AnswerStatus.DRAFT)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("estimated_budget", -1),
        ("decision", "maybe"),
        ("refusal_basis_kind", "mood"),
        ("summary", "가" * 2001),
    ],
)
def test_a_draft_with_a_malformed_value_is_refused(field, value):
    assignment = assigned()
    with pytest.raises(ValidationError) as refused:
        services.answer_save(
            assignment=assignment, user=clerk_of(assignment), **{**COMPLETE, field: value}
        )
    assert field in refused.value.message_dict
    assert not Answer.objects.exists()


# --- submitting ---------------------------------------------------------------------------


def test_a_complete_answer_is_submitted_and_the_operators_are_told(
    django_capture_on_commit_callbacks,
):
    assignment = assigned()
    staff = operator()
    answer = drafted(assignment)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_submit(answer=answer, user=clerk_of(assignment))
    assert answer.status == AnswerStatus.SUBMITTED and answer.submitted_at is not None
    event = assignment.proposal.events.get(kind=EventKind.ANSWER_SUBMITTED)
    assert not event.is_public and event.actor_department == assignment.department
    assert recipients("answer_submitted") == {staff.pk}
    assert [m.to for m in mail.outbox] == [[staff.email]]
    # the proposal still waits: only publishing answers it
    assert Proposal.objects.get().status == ProposalStatus.ASSIGNED


def test_an_incomplete_answer_cannot_be_submitted():
    assignment = assigned()
    answer = drafted(assignment, {"summary": "검토 중"})
    with pytest.raises(ValidationError) as refused:
        services.answer_submit(answer=answer, user=clerk_of(assignment))
    assert set(refused.value.message_dict) == {
        "decision",
        "necessity",
        "effectiveness",
        "feasibility",
    }
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.DRAFT
    assert not notices("answer_submitted")


def test_not_accepting_requires_the_basis_in_plain_words():
    assignment = assigned()
    answer = drafted(assignment, {**REFUSAL, "refusal_basis_kind": "", "refusal_basis": " "})
    with pytest.raises(ValidationError) as refused:
        services.answer_submit(answer=answer, user=clerk_of(assignment))
    assert set(refused.value.message_dict) == {"refusal_basis_kind", "refusal_basis"}
    assert "cite its basis" in refused.value.message_dict["refusal_basis_kind"][0]
    # with the basis it goes through
    answer = drafted(assignment, REFUSAL)
    assert services.answer_submit(answer=answer, user=clerk_of(assignment)).status == "submitted"


def test_the_database_refuses_a_refusal_without_basis():
    answer = submitted(assigned(), REFUSAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(refusal_basis="")


def test_a_submitted_answer_is_frozen_for_the_department():
    assignment = assigned()
    answer = submitted(assignment)
    with pytest.raises(ServiceError, match="submitted for approval"):
        services.answer_save(assignment=assignment, user=clerk_of(assignment), summary="수정")
    with pytest.raises(ServiceError, match="cannot become"):
        services.answer_submit(answer=answer, user=clerk_of(assignment))
    answer.refresh_from_db()
    assert answer.summary == COMPLETE["summary"]
    assert len(notices("answer_submitted")) == 0  # no operator in this test
    assert assignment.proposal.events.filter(kind=EventKind.ANSWER_SUBMITTED).count() == 1
