"""The poll's life cycle (polls/services/editing.py): what a poll needs to
be published, closing early and by the beat, and what is fixed once
members have voted."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import AuditRecord
from notifications.models import Notification
from oasis.errors import ServiceError
from polls import audit_words
from polls.models import Choice, PollKind, PollStatus, YesNo
from polls.services import editing
from polls.tasks import close_due_polls
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tests.polls.editor_helpers import a_poll, published, vote

pytestmark = pytest.mark.django_db


def test_a_yes_no_poll_is_made_with_its_three_fixed_choices_and_publishes():
    poll = a_poll(PollKind.YES_NO)
    (question,) = poll.questions.all()
    assert [c.code for c in question.choices.all()] == [YesNo.FOR, YesNo.AGAINST, YesNo.OTHER]

    boss = operator()
    editing.poll_publish(poll=poll, actor=boss)

    poll.refresh_from_db()
    assert poll.status == PollStatus.PUBLISHED and poll.published_at is not None
    record = AuditRecord.objects.get(action=audit_words.POLL_PUBLISHED)
    assert record.actor == boss and record.target_id == str(poll.pk)


@pytest.mark.parametrize(
    ("questions", "words"),
    [
        ([editing.QuestionDraft(text="하나뿐", labels=["예"])], "needs at least two choices"),
        (
            [
                editing.QuestionDraft(
                    text="여럿", kind="multiple", max_choices=4, labels=["가", "나"]
                )
            ],
            "up to 4 choices but has only 2",
        ),
    ],
)
def test_an_incomplete_choice_poll_is_not_published(questions, words):
    poll = a_poll(PollKind.CHOICE, questions=questions)
    with pytest.raises(ServiceError, match=words):
        editing.poll_publish(poll=poll, actor=operator())
    poll.refresh_from_db()
    assert poll.status == PollStatus.DRAFT and not AuditRecord.objects.exists()


def test_a_survey_needs_a_question_and_a_poll_whose_period_is_over_is_not_published():
    survey = a_poll(
        PollKind.SURVEY, questions=[editing.QuestionDraft(text="자유롭게", kind="text")]
    )
    editing.poll_publish(poll=survey, actor=operator())  # a text question alone is a survey
    late = a_poll(PollKind.YES_NO, starts=-10, days=5)
    with pytest.raises(ServiceError, match="already over"):
        editing.poll_publish(poll=late, actor=operator())


def test_only_operators_write_publish_and_close():
    poll = a_poll(PollKind.YES_NO)
    for who in (official(poll.department), UserFactory()):
        with pytest.raises(PermissionDenied):
            editing.poll_publish(poll=poll, actor=who)
        with pytest.raises(PermissionDenied):
            editing.poll_update(poll=poll, actor=who, changes={"title": "바꿈"})


def test_once_votes_exist_questions_choices_and_targeting_are_fixed():
    poll = published(PollKind.CHOICE)
    vote(poll)
    question = poll.questions.get()
    before = list(Choice.objects.values_list("pk", "label"))
    with pytest.raises(ServiceError, match="already voted"):
        editing.questions_save(
            poll=poll,
            actor=operator(),
            questions=[
                editing.QuestionDraft(pk=question.pk, text=question.text, labels=["하나", "둘"])
            ],
        )
    with pytest.raises(ServiceError, match="already voted"):
        editing.poll_update(poll=poll, actor=operator(), changes={"target_districts": ["mapo"]})
    assert list(Choice.objects.values_list("pk", "label")) == before
    # The words of the poll may still be corrected.
    editing.poll_update(poll=poll, actor=operator(), changes={"summary": "고친 요약"})
    poll.refresh_from_db()
    assert poll.summary == "고친 요약" and poll.target_districts == []


def test_a_running_poll_may_be_extended_but_not_ended_in_the_past():
    poll = published(PollKind.YES_NO)
    later = poll.ends_at + dt.timedelta(days=7)
    editing.poll_update(poll=poll, actor=operator(), changes={"ends_at": later})
    with pytest.raises(ServiceError, match="end in the past"):
        editing.poll_update(
            poll=poll,
            actor=operator(),
            changes={"ends_at": timezone.now() - dt.timedelta(hours=1)},
        )
    poll.refresh_from_db()
    assert poll.ends_at == later


def test_closing_early_needs_a_reason_and_tells_the_department_once():
    department = DepartmentFactory()
    asker, other = official(department), official(DepartmentFactory())
    poll = published(PollKind.YES_NO, department=department)
    vote(poll)
    with pytest.raises(ServiceError, match="reason"):
        editing.poll_close(poll=poll, actor=operator(), reason=" ")

    editing.poll_close(poll=poll, actor=operator(), reason="사업 계획이 바뀌었습니다")

    poll.refresh_from_db()
    assert poll.status == PollStatus.CLOSED and poll.closed_at is not None
    record = AuditRecord.objects.get(action=audit_words.POLL_CLOSED_EARLY)
    assert record.params == {"voters": 1, "reason": "사업 계획이 바뀌었습니다"}
    notice = Notification.objects.get(kind="poll_closed")
    assert notice.recipient == asker and notice.params["voters"] == 1
    assert not Notification.objects.filter(recipient=other).exists()
    with pytest.raises(ServiceError, match="already closed"):
        editing.poll_close(poll=poll, actor=operator(), reason="다시")


def test_the_beat_closes_each_poll_whose_period_is_over_once():
    department = DepartmentFactory()
    asker = official(department)
    due = published(PollKind.YES_NO, department=department, starts=-3, days=7)
    running = published(PollKind.YES_NO, department=department, starts=-1, days=7)
    vote(due)
    later = timezone.now() + dt.timedelta(days=5)

    assert editing.close_due_polls(now=later) == 1
    assert editing.close_due_polls(now=later) == 0  # run twice: nothing twice
    assert close_due_polls() == 0  # the task, at the real time: nothing due

    due.refresh_from_db()
    running.refresh_from_db()
    assert due.status == PollStatus.CLOSED and due.closed_at == later
    assert running.status == PollStatus.PUBLISHED
    assert Notification.objects.filter(recipient=asker, kind="poll_closed").count() == 1
    # The beat is nobody: no operator's audit row.
    assert (
        not AuditRecord.objects.filter(action__startswith="polls.")
        .exclude(action=audit_words.POLL_PUBLISHED)
        .exists()
    )
