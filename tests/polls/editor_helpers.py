"""Polls made through the editing services, for the tests of the poll
editor, its life cycle and the sections that show polls."""

import datetime as dt

from django.utils import timezone

from polls.models import Poll, PollKind
from polls.services import editing, votes
from tests.factories import DepartmentFactory, UserFactory, operator


def a_poll(
    kind=PollKind.CHOICE, *, by=None, department=None, days=7, starts=-1, questions=None, **fields
):
    """A draft poll of `kind`, open from `starts` days from now for `days`
    days; a choice or survey poll gets `questions` (QuestionDrafts; by
    default one question with three choices)."""
    by = by or operator()
    now = timezone.now()
    poll = editing.poll_create(
        actor=by,
        kind=kind,
        title=fields.pop("title", "길고양이와의 공존을 위해 무엇을 해야 할까요?"),
        summary=fields.pop("summary", "시민 여러분의 생각을 묻습니다."),
        department=department or DepartmentFactory(),
        starts_at=now + dt.timedelta(days=starts),
        ends_at=now + dt.timedelta(days=starts + days),
        **fields,
    )
    if kind in (PollKind.CHOICE, PollKind.SURVEY):
        editing.questions_save(
            poll=poll,
            actor=by,
            questions=questions
            if questions is not None
            else [
                editing.QuestionDraft(
                    text="가장 좋은 방법을 골라 주세요.",
                    kind="multiple",
                    max_choices=2,
                    labels=["아파트 공동 관리", "시민단체 협조", "자치구 행정 지원"],
                )
            ],
        )
    return poll


def published(kind=PollKind.CHOICE, **kwargs) -> Poll:
    poll = a_poll(kind, **kwargs)
    return editing.poll_publish(poll=poll, actor=operator())


def vote(poll, member=None) -> None:
    """A member's vote on the first choice of each question, through the
    voting service as the poll page sends it."""
    member = member or UserFactory()
    answers = {
        question.pk: [question.choices.first().pk]
        for question in poll.questions.prefetch_related("choices")
        if question.kind != "text"
    }
    votes.poll_vote(poll=poll, member=member, answers=answers)
    poll.refresh_from_db()
