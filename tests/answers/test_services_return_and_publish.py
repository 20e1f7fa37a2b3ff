"""answers/services.py, the operators' review: returning an answer with a
reason or publishing it, on time or late, and who is told."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from answers import services
from answers.models import AnswerStatus
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import PipelineSettings, Proposal, ProposalStatus
from proposals.services import proposal_follow, proposal_withdraw
from tests.factories import DepartmentFactory, UserFactory, official, operator

from .helpers import COMPLETE, SEOUL, assigned, clerk_of, drafted, notices, published, submitted

# Dates here count calendar days (working days: test_workdays.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_days")]


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
    assert event.text == "Decision: Accepted. Answered by the deadline."
    published_notices = notices("answer_published")
    assert {n.recipient_id for n in published_notices} == {proposal.author_id, follower.pk}
    told_follower = Notification.objects.get(kind="answer_published", recipient=follower)
    assert told_follower.params["decision"] == "accept"  # named in the reader's language
    with translation.override("en"):
        assert told_follower.message.endswith(": Accepted.")
    follower_mail = next(m for m in mail.outbox if m.to == [follower.email])
    assert "Accepted" in follower_mail.body
    # (the department's officials also hear that their promise is tracked:
    # tests/tracking/test_promises.py)
    told = [m for m in mail.outbox if m.to in ([proposal.author.email], [follower.email])]
    assert len(told) == 2


def test_a_late_answer_is_recorded_as_late():
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, 0, tzinfo=SEOUL), tick=False):
        assignment = assigned()
        answer = submitted(assignment)
    with time_machine.travel(dt.datetime(2025, 3, 23, 10, 0, tzinfo=SEOUL), tick=False):
        answer = services.answer_publish(answer=answer, user=operator())
    assert answer.met_deadline is False
    event = Proposal.objects.get().events.get(to_status=ProposalStatus.ANSWERED)
    assert event.text == "Decision: Accepted. Answered 2 days after the deadline."


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
