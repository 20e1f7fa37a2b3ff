"""Polls for the voting tests: one of each kind voted through the vote
form, open now unless told otherwise."""

import datetime as dt

from django.utils import timezone

from polls.models import Choice, Poll, PollKind, PollStatus, Question, QuestionKind, YesNo
from tests.factories import DepartmentFactory, UserFactory


def make_poll(
    *, kind=PollKind.CHOICE, status=PollStatus.PUBLISHED, starts=None, ends=None, **fields
):
    now = timezone.now()
    fields.setdefault("department", DepartmentFactory())
    return Poll.objects.create(
        title=fields.pop("title", "길고양이와의 공존을 위해 무엇을 해야 할까요?"),
        summary=fields.pop("summary", "시민 여러분의 생각을 묻습니다."),
        kind=kind,
        status=status,
        starts_at=starts or now - dt.timedelta(days=1),
        ends_at=ends or now + dt.timedelta(days=10),
        published_at=now - dt.timedelta(days=1) if status != PollStatus.DRAFT else None,
        **fields,
    )


def add_question(
    poll,
    text="질문",
    *,
    kind=QuestionKind.SINGLE,
    labels=(),
    max_choices=1,
    required=True,
    codes=None,
):
    question = Question.objects.create(
        poll=poll,
        text=text,
        kind=kind,
        max_choices=max_choices,
        required=required,
        position=poll.questions.count(),
    )
    for position, label in enumerate(labels):
        Choice.objects.create(
            question=question,
            label=label,
            position=position,
            code=(codes or {}).get(label, ""),
        )
    return question


def yes_no_poll(**fields) -> Poll:
    fields.setdefault("title", "재개발 때 길고양이 보호조치를 만들면 어떨까요?")
    poll = make_poll(kind=PollKind.YES_NO, **fields)
    add_question(
        poll,
        "보호조치에 찬성하시나요?",
        labels=("보호조치 찬성", "보호조치 반대", "기타 의견"),
        codes={
            "보호조치 찬성": YesNo.FOR,
            "보호조치 반대": YesNo.AGAINST,
            "기타 의견": YesNo.OTHER,
        },
    )
    return poll


def choice_poll(max_choices=3, **fields) -> Poll:
    poll = make_poll(kind=PollKind.CHOICE, **fields)
    add_question(
        poll,
        "길고양이와 공존을 위한 방안을 모두 선택해 주세요.",
        kind=QuestionKind.MULTIPLE,
        max_choices=max_choices,
        labels=(
            "아파트 공동 관리",
            "시민단체 협조",
            "자치구 행정 신청",
            "시민 개개인의 솔선수범",
            "협약체 구성 및 토론",
        ),
    )
    return poll


def survey_poll(**fields) -> Poll:
    fields.setdefault("title", "길고양이 리서치")
    poll = make_poll(kind=PollKind.SURVEY, **fields)
    add_question(poll, "관심이 있으신가요?", labels=("관심이 있다", "관심 없다", "민관이 협조해야"))
    add_question(
        poll,
        "어떤 도움이 필요할까요?",
        kind=QuestionKind.MULTIPLE,
        max_choices=2,
        labels=("급식소", "중성화", "입양"),
    )
    add_question(poll, "하고 싶은 말", kind=QuestionKind.TEXT, required=False)
    return poll


def citizen(**fields):
    """A member who gave the details targeted polls read, and agreed to share them."""
    fields.setdefault("district", "gangnam")
    fields.setdefault("birth_year", 1990)
    fields.setdefault("gender", "female")
    return UserFactory(**fields)


def choice_ids(question, *labels) -> list[int]:
    by_label = {choice.label: choice.pk for choice in question.choices.all()}
    return [by_label[label] for label in labels]
