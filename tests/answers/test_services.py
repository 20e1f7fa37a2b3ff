"""Every answers transition, allowed and refused, through the services: what
the database holds afterwards, what the timeline records and who is told."""

import datetime as dt
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.roles import Role
from answers import services
from answers.models import (
    Answer,
    AnswerRating,
    AnswerStatus,
    Assignment,
    ReassignmentRequest,
    ReassignmentStatus,
)
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from proposals.models import EventKind, PipelineSettings, Proposal, ProposalStatus
from proposals.services import proposal_follow, proposal_withdraw
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    official,
    operator,
)

from .helpers import COMPLETE, REFUSAL, assigned, clerk_of, drafted, published, submitted

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")


def notices(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("recipient_id"))


def recipients(kind: str) -> set[int]:
    return {n.recipient_id for n in notices(kind)}


# --- assignment -------------------------------------------------------------------


def test_crossing_the_bar_assigns_the_category_department_with_a_deadline(
    django_capture_on_commit_callbacks,
):
    # given a proposal whose category belongs to the roads department, two of
    # its officials (one reads English), an operator and a follower
    roads = DepartmentFactory(code="roads", name="도로계획과", name_en="Road Planning Division")
    clerks = [official(roads), official(roads, language="en")]
    bystander = official(DepartmentFactory())
    staff = operator()
    proposal = ProposalFactory(
        category=CategoryFactory(default_department=roads), endorsement_count=1234
    )
    follower = UserFactory()
    proposal_follow(proposal=proposal, user=follower)

    # when it is assigned on 2025-03-01 15:00 Seoul time
    with time_machine.travel(dt.datetime(2025, 3, 1, 15, 0, tzinfo=SEOUL), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assignment = services.assignment_open(
                proposal=proposal, actor=None, reason="1234명이 추천했습니다."
            )

    # then the department must answer by the end of 21 March (20 days later)
    assert assignment.department == roads and assignment.is_current and assignment.is_open
    assert timezone.localtime(assignment.deadline).date() == dt.date(2025, 3, 21)
    assert timezone.localtime(assignment.deadline).time() == dt.time.max
    proposal.refresh_from_db()
    assert (proposal.status, proposal.department) == (ProposalStatus.ASSIGNED, roads)
    event = proposal.events.get()
    assert (event.to_status, event.actor_department, event.actor_role, event.is_public) == (
        ProposalStatus.ASSIGNED,
        roads,
        "system",
        True,
    )
    # and the department's officials, the operator and the proposer and
    # follower are told once each, in their own language
    assert recipients("assigned_department") == {c.pk for c in clerks}
    assert bystander.pk not in recipients("assigned_department")
    assert recipients("assigned_operator") == {staff.pk}
    assert recipients("assigned") == {proposal.author_id, follower.pk}
    korean = Notification.objects.get(kind="assigned_department", recipient=clerks[0])
    english = Notification.objects.get(kind="assigned_department", recipient=clerks[1])
    # (the notice keeps codes; each reader's language names them)
    assert (
        korean.params
        == english.params
        == {
            "title": proposal.title,
            "count": 1234,
            "department": roads.pk,
            "deadline": "2025-03-21",
        }
    )
    with translation.override("ko"):
        assert all(t in korean.message for t in ("1,234", "도로계획과", "2025년 3월 21일"))
    with translation.override("en"):
        assert "Road Planning Division" in english.message and "March 21, 2025" in english.message
    mailed = {m.to[0]: m.body for m in mail.outbox}
    assert "도로계획과" in mailed[clerks[0].email] and "2025년 3월 21일" in mailed[clerks[0].email]
    assert "Road Planning Division" in mailed[clerks[1].email]
    assert "March 21, 2025" in mailed[clerks[1].email]
    assert len(mail.outbox) == 5
    assert {m.to[0] for m in mail.outbox} == {
        u.email for u in [*clerks, staff, proposal.author, follower]
    }


def test_the_deadline_follows_the_settings():
    settings_row = PipelineSettings.load()
    settings_row.answer_deadline_days = 7
    settings_row.save()
    with time_machine.travel(dt.datetime(2025, 3, 1, 0, 30, tzinfo=SEOUL), tick=False):
        assignment = assigned()
    assert timezone.localtime(assignment.deadline).date() == dt.date(2025, 3, 8)


def test_an_operator_may_assign_by_hand_and_is_recorded():
    proposal = ProposalFactory(status=ProposalStatus.NOT_REACHED)
    staff = operator()
    assignment = services.assignment_open(proposal=proposal, actor=staff, reason="창의적입니다.")
    event = proposal.events.get()
    assert (event.actor, event.actor_role, event.reason) == (staff, Role.OPERATOR, "창의적입니다.")
    assert assignment.department == proposal.category.default_department


@pytest.mark.parametrize("who", ["citizen", "official"])
def test_only_the_pipeline_or_an_operator_assigns(who):
    proposal = ProposalFactory()
    actor = UserFactory() if who == "citizen" else official()
    with pytest.raises(PermissionDenied):
        services.assignment_open(proposal=proposal, actor=actor, reason="")
    assert not Assignment.objects.exists()
    assert Proposal.objects.get().status == ProposalStatus.OPEN


@pytest.mark.parametrize(
    "status", [ProposalStatus.ASSIGNED, ProposalStatus.WITHDRAWN, ProposalStatus.ANSWERED]
)
def test_a_proposal_past_or_out_of_the_open_stage_is_not_assigned(status):
    proposal = ProposalFactory(
        status=status, withdrawn_at=timezone.now() if status == ProposalStatus.WITHDRAWN else None
    )
    with pytest.raises(TransitionNotAllowed):
        services.assignment_open(proposal=proposal, actor=None, reason="")
    assert not Assignment.objects.exists()
    assert not Notification.objects.exists()


def test_assigning_twice_is_refused_and_changes_nothing():
    assignment = assigned()
    with pytest.raises(TransitionNotAllowed):
        services.assignment_open(proposal=assignment.proposal, actor=None, reason="")
    assert Assignment.objects.count() == 1


def test_a_category_without_a_department_cannot_be_assigned():
    proposal = ProposalFactory(category=CategoryFactory(default_department=None))
    with pytest.raises(ServiceError, match="has no default department"):
        services.assignment_open(proposal=proposal, actor=None, reason="")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.department) == (ProposalStatus.OPEN, None)
    assert not proposal.events.exists()


def test_the_database_allows_one_current_assignment_per_proposal():
    assignment = assigned()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            proposal=assignment.proposal,
            department=DepartmentFactory(),
            deadline=assignment.deadline,
        )


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


# --- returning and publishing ------------------------------------------------------------


def test_an_operator_returns_an_answer_with_a_reason_and_the_department_is_told(
    django_capture_on_commit_callbacks,
):
    assignment = assigned()
    clerk = clerk_of(assignment)
    staff = operator()
    answer = submitted(assignment)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_return(
            answer=answer, user=staff, reason="예산 근거를 보태 주세요."
        )
    assert (answer.status, answer.return_reason) == (AnswerStatus.DRAFT, "예산 근거를 보태 주세요.")
    returned = notices("answer_returned")
    assert [n.recipient_id for n in returned] == [clerk.pk]
    assert "예산 근거를 보태 주세요." in returned[0].message
    assert [m.to for m in mail.outbox] == [[clerk.email]]
    # the department fixes it and submits again: the operators are told again
    services.answer_save(assignment=assignment, user=clerk, **{**COMPLETE, "estimated_budget": 9})
    services.answer_submit(answer=answer, user=clerk)
    assert len(notices("answer_submitted")) == 2


@pytest.mark.parametrize("reason", ["", "   "])
def test_returning_needs_a_reason(reason):
    answer = submitted(assigned())
    with pytest.raises(ServiceError, match="reason"):
        services.answer_return(answer=answer, user=operator(), reason=reason)
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SUBMITTED


def test_an_operator_publishes_on_time_and_the_proposer_and_followers_are_told(
    django_capture_on_commit_callbacks,
):
    # given a submitted answer and a follower
    assignment = assigned()
    follower = UserFactory(language="en")
    proposal_follow(proposal=assignment.proposal, user=follower)
    answer = submitted(assignment)
    staff = operator()
    mail.outbox.clear()

    # when an operator publishes it
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_publish(answer=answer, user=staff)

    # then it is public, on time, approved by the operator, the assignment closed
    assert answer.status == AnswerStatus.PUBLISHED
    assert (answer.approved_by, answer.met_deadline) == (staff, True)
    assignment.refresh_from_db()
    assert assignment.closed_at == answer.published_at and assignment.is_current
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.ANSWERED
    event = proposal.events.get(to_status=ProposalStatus.ANSWERED)
    assert event.actor_department == assignment.department and event.is_public
    assert event.reason == "결정: 수용. 기한 안에 답변했어요."
    published_notices = notices("answer_published")
    assert {n.recipient_id for n in published_notices} == {proposal.author_id, follower.pk}
    told_follower = Notification.objects.get(kind="answer_published", recipient=follower)
    assert told_follower.params["decision"] == "accept"  # named in the reader's language
    with translation.override("en"):
        assert told_follower.message.endswith(": Accepted.")
    follower_mail = next(m for m in mail.outbox if m.to == [follower.email])
    assert "Accepted" in follower_mail.body
    assert len(mail.outbox) == 2


def test_a_late_answer_is_recorded_as_late():
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, 0, tzinfo=SEOUL), tick=False):
        assignment = assigned()
        answer = submitted(assignment)
    with time_machine.travel(dt.datetime(2025, 3, 23, 10, 0, tzinfo=SEOUL), tick=False):
        answer = services.answer_publish(answer=answer, user=operator())
    assert answer.met_deadline is False
    event = Proposal.objects.get().events.get(to_status=ProposalStatus.ANSWERED)
    assert event.reason == "결정: 수용. 기한보다 2일 늦게 답변했어요."


def test_an_answer_published_on_the_due_date_is_on_time():
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, 0, tzinfo=SEOUL), tick=False):
        answer = submitted(assigned())
    with time_machine.travel(dt.datetime(2025, 3, 21, 23, 59, tzinfo=SEOUL), tick=False):
        assert services.answer_publish(answer=answer, user=operator()).met_deadline is True


def test_publishing_queues_the_debate_check_for_a_proposal_past_the_debate_bar(
    django_capture_on_commit_callbacks,
):
    settings_row = PipelineSettings.load()
    settings_row.debate_threshold = 100
    settings_row.save()
    assignment = assigned(endorsement_count=150)
    answer = submitted(assignment)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.answer_publish(answer=answer, user=operator())
    assert callbacks  # the promotion check and e-mails ran after commit
    assert Proposal.objects.get().status == ProposalStatus.DEBATE


@pytest.mark.parametrize("service", ["publish", "return"])
def test_only_operators_review_answers(service):
    assignment = assigned()
    answer = submitted(assignment)
    for user in (clerk_of(assignment), official(DepartmentFactory()), UserFactory()):
        with pytest.raises(PermissionDenied):
            if service == "publish":
                services.answer_publish(answer=answer, user=user)
            else:
                services.answer_return(answer=answer, user=user, reason="이유")
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SUBMITTED


@pytest.mark.parametrize("state", ["draft", "published"])
def test_only_a_submitted_answer_is_published_or_returned(state):
    assignment = assigned()
    answer = drafted(assignment) if state == "draft" else published(assignment)
    staff = operator()
    with pytest.raises(ServiceError):
        services.answer_publish(answer=answer, user=staff)
    with pytest.raises(ServiceError):
        services.answer_return(answer=answer, user=staff, reason="이유")
    answer.refresh_from_db()
    assert answer.status == state
    assert Proposal.objects.get().events.filter(to_status=ProposalStatus.ANSWERED).count() == (
        1 if state == "published" else 0
    )


def test_an_answer_to_a_withdrawn_proposal_is_not_published():
    assignment = assigned()
    answer = submitted(assignment)
    proposal_withdraw(proposal=assignment.proposal, user=assignment.proposal.author)
    with pytest.raises(ServiceError, match="no longer waits"):
        services.answer_publish(answer=answer, user=operator())
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SUBMITTED
    assert Proposal.objects.get().status == ProposalStatus.WITHDRAWN


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


# --- rating --------------------------------------------------------------------------------


def test_the_proposer_rates_a_published_answer_once():
    assignment = assigned()
    clerk = clerk_of(assignment)
    answer = published(assignment)
    proposer = assignment.proposal.author
    rating = services.answer_rate(
        answer=answer, user=proposer, score=4, comment="빠른 답변 감사합니다."
    )
    assert (rating.score, rating.rater, rating.comment) == (4, proposer, "빠른 답변 감사합니다.")
    event = Proposal.objects.get().events.get(kind=EventKind.ANSWER_RATED)
    assert (event.reason, event.is_public, event.actor_department) == ("5점 만점에 4점", True, None)
    assert recipients("answer_rated") == {clerk.pk}
    with pytest.raises(ServiceError, match="already rated"):
        services.answer_rate(answer=answer, user=proposer, score=1)
    assert AnswerRating.objects.get().score == 4


def test_nobody_but_the_proposer_rates():
    assignment = assigned()
    answer = published(assignment)
    for user in (UserFactory(), clerk_of(assignment), operator()):
        with pytest.raises(PermissionDenied):
            services.answer_rate(answer=answer, user=user, score=5)
    assert not AnswerRating.objects.exists()


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_an_unpublished_answer_cannot_be_rated(state):
    assignment = assigned()
    answer = drafted(assignment) if state == "draft" else submitted(assignment)
    with pytest.raises(ServiceError, match="Only a published answer"):
        services.answer_rate(answer=answer, user=assignment.proposal.author, score=5)
    assert not AnswerRating.objects.exists()


@pytest.mark.parametrize("score", [0, 6, "five", None])
def test_a_score_is_from_1_to_5(score):
    assignment = assigned()
    answer = published(assignment)
    with pytest.raises(ValidationError):
        services.answer_rate(answer=answer, user=assignment.proposal.author, score=score)
    assert not AnswerRating.objects.exists()


def test_the_database_keeps_scores_between_1_and_5():
    assignment = assigned()
    answer = published(assignment)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerRating.objects.create(answer=answer, rater=assignment.proposal.author, score=9)


def test_the_days_left_count_seoul_dates():
    with time_machine.travel(dt.datetime(2025, 3, 1, 23, 30, tzinfo=SEOUL), tick=False):
        assignment = assigned()
        assert assignment.days_left() == 20
    moment = timezone.localtime(assignment.deadline) + timedelta(minutes=1)
    assert assignment.days_left(moment) == -1 and assignment.is_overdue(moment)
    assert assignment.days_left(assignment.deadline) == 0 and not assignment.is_overdue(
        assignment.deadline
    )
