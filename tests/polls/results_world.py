"""Polls with votes, for the results' tests: rows written as the vote
services write them (a ballot with the voter's groups, one answer per
choice picked, the counts moved with them), so the results read the same
counts the pages do. The vote services themselves are tested by their part."""

import datetime as dt

from django.db.models import F
from django.utils import timezone

from polls.models import (
    Answer,
    Ballot,
    Choice,
    Poll,
    PollKind,
    PollStatus,
    Question,
    QuestionKind,
    ResultsShown,
    YesNo,
)
from tests.factories import DepartmentFactory


def make_poll(
    *,
    kind=PollKind.CHOICE,
    department=None,
    status=PollStatus.PUBLISHED,
    results_shown=ResultsShown.AFTER_CLOSE,
    open_now=False,
    questions=(("Which?", QuestionKind.SINGLE, ("A", "B", "C")),),
    title="길고양이와의 공존을 위해 무엇을 해야 할까요?",
) -> Poll:
    """A poll and its questions; closed in the past unless `open_now`."""
    now = timezone.now()
    if open_now:
        starts, ends = now - dt.timedelta(days=1), now + dt.timedelta(days=10)
    else:
        starts, ends = now - dt.timedelta(days=20), now - dt.timedelta(days=1)
    poll = Poll.objects.create(
        title=title,
        summary="시민 의견을 묻습니다.",
        kind=kind,
        department=department or DepartmentFactory(),
        status=status,
        starts_at=starts,
        ends_at=ends,
        published_at=starts if status != PollStatus.DRAFT else None,
        closed_at=ends if status == PollStatus.CLOSED else None,
        results_shown=results_shown,
    )
    if kind == PollKind.YES_NO:
        questions = (("찬성하십니까?", QuestionKind.SINGLE, ("찬성", "반대", "기타")),)
    for position, (text, question_kind, labels) in enumerate(questions):
        question = Question.objects.create(
            poll=poll,
            position=position,
            text=text,
            kind=question_kind,
            max_choices=len(labels) if question_kind == QuestionKind.MULTIPLE else 1,
        )
        codes = (YesNo.FOR, YesNo.AGAINST, YesNo.OTHER) if kind == PollKind.YES_NO else ()
        for i, label in enumerate(labels):
            Choice.objects.create(
                question=question, position=i, label=label, code=codes[i] if codes else ""
            )
    return poll


def choice(poll: Poll, label: str, question: int = 0) -> Choice:
    return Choice.objects.get(question__poll=poll, question__position=question, label=label)


def vote(poll: Poll, *picks, district="", age_band="", texts=None, member=None) -> Ballot:
    """One voter's ballot: `picks` are labels of the first question's choices
    (or (question position, label) pairs); `texts` maps a question position
    to a typed text (a yes/no reason is the text of its choice's answer).
    Without `member` the ballot is one of a voter who has since left."""
    # A voter who left the portal keeps their ballot without a member
    # (Ballot.member is SET_NULL): as cheap as a ballot gets, and counted the same.
    ballot = Ballot.objects.create(poll=poll, member=member, district=district, age_band=age_band)
    Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
    answered = set()
    texts = dict(texts or {})
    for pick in picks:
        position, label = pick if isinstance(pick, tuple) else (0, pick)
        picked = choice(poll, label, position)
        Answer.objects.create(
            ballot=ballot,
            question=picked.question,
            choice=picked,
            text=texts.pop(position, "") if poll.kind == PollKind.YES_NO else "",
        )
        Choice.objects.filter(pk=picked.pk).update(vote_count=F("vote_count") + 1)
        answered.add(picked.question_id)
    for position, text in texts.items():
        question = Question.objects.get(poll=poll, position=position)
        Answer.objects.create(ballot=ballot, question=question, text=text)
        answered.add(question.pk)
    Question.objects.filter(pk__in=answered).update(answer_count=F("answer_count") + 1)
    poll.refresh_from_db()
    return ballot


def votes(poll: Poll, label: str, n: int, **groups) -> None:
    for _ in range(n):
        vote(poll, label, **groups)
