"""Reading polls for the public pages: the list, one poll with its
questions and material, a member's own vote. Every list here is
query-bounded: its cost does not grow with the rows shown."""

from datetime import timedelta

from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Answer, Ballot, Poll, PollStatus, Question, QuestionKind
from .rules import PUBLIC_STATUSES, is_public

# Groups of the list, in the order shown.
OPEN, UPCOMING, CLOSED = 0, 1, 2


def public_polls(*, kind: str = "", now=None, institution=None):
    """Published and closed polls, open ones first (ending soonest), then
    those about to open, then closed ones (latest first); `kind` filters by
    type, `institution` keeps one partner institution's (its space, issue
    16). Each carries `group` (OPEN, UPCOMING, CLOSED)."""
    now = now or timezone.now()
    open_now = Q(status=PollStatus.PUBLISHED, starts_at__lte=now, ends_at__gt=now)
    upcoming = Q(status=PollStatus.PUBLISHED, starts_at__gt=now)
    polls = Poll.objects.filter(status__in=PUBLIC_STATUSES)
    if kind:
        polls = polls.filter(kind=kind)
    if institution is not None:
        polls = polls.filter(institution=institution)
    return (
        polls.select_related("department", "institution")
        .annotate(
            group=Case(
                When(open_now, then=Value(OPEN)),
                When(upcoming, then=Value(UPCOMING)),
                default=Value(CLOSED),
                output_field=IntegerField(),
            ),
            # Open and upcoming polls by the nearest date; closed ones by the latest end.
            soonest=Case(
                When(open_now, then=F("ends_at")),
                When(upcoming, then=F("starts_at")),
                default=None,
            ),
        )
        .order_by("group", F("soonest").asc(nulls_last=True), "-ends_at", "-id")
    )


def voted_poll_ids(user, poll_ids) -> set[int]:
    """Which of `poll_ids` the member has a ballot in (one query)."""
    if not (user and user.is_authenticated) or not poll_ids:
        return set()
    return set(
        Ballot.objects.filter(member=user, poll_id__in=list(poll_ids)).values_list(
            "poll_id", flat=True
        )
    )


def public_poll_or_404(pk) -> Poll:
    """A published or closed poll with its department; a draft is not public."""
    poll = get_object_or_404(Poll.objects.select_related("department"), pk=pk)
    if not is_public(poll):
        raise Http404
    return poll


def questions_of(poll: Poll) -> list[Question]:
    """The poll's questions in order, each with its choices (two queries)."""
    return list(poll.questions.prefetch_related("choices"))


def attachments_of(poll: Poll) -> tuple[list, list]:
    """The poll's background material: (images, files), each in order."""
    items = list(poll.attachments.all())
    return [a for a in items if a.kind == "image"], [a for a in items if a.kind != "image"]


def ballot_of(user, poll: Poll) -> Ballot | None:
    """The member's ballot in `poll` with its answers, or None."""
    if not (user and user.is_authenticated):
        return None
    return (
        Ballot.objects.filter(poll=poll, member=user)
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("choice")))
        .first()
    )


def answers_of(ballot: Ballot | None, questions) -> tuple[dict, str]:
    """The member's vote as the vote form and service take it: ({question
    id: [choice ids] or text}, the yes/no reason)."""
    if ballot is None:
        return {}, ""
    kinds = {question.pk: question.kind for question in questions}
    answers: dict = {}
    reason = ""
    for answer in ballot.answers.all():
        if kinds.get(answer.question_id) == QuestionKind.TEXT:
            answers[answer.question_id] = answer.text
        else:
            answers.setdefault(answer.question_id, []).append(answer.choice_id)
            if answer.text:
                reason = answer.text
    return answers, reason


def my_vote(ballot: Ballot | None, questions) -> list[dict]:
    """What the member answered, question by question, to show them:
    [{"question", "choices": [labels], "text"}]."""
    if ballot is None:
        return []
    by_question: dict[int, list] = {}
    for answer in ballot.answers.all():
        by_question.setdefault(answer.question_id, []).append(answer)
    shown = []
    for question in questions:
        answers = by_question.get(question.pk, [])
        shown.append(
            {
                "question": question,
                "choices": [a.choice.label for a in answers if a.choice_id],
                "text": next((a.text for a in answers if a.text), ""),
            }
        )
    return shown


def days_left(poll: Poll, now=None) -> int | None:
    """Whole days until the poll closes, counted in Seoul's calendar (0 on
    its last day); None once it has closed."""
    now = now or timezone.now()
    if poll.status == PollStatus.CLOSED or now >= poll.ends_at:
        return None
    # The last moment of the poll, not its end: one ending at midnight
    # has its last day the day before.
    last_day = timezone.localdate(poll.ends_at - timedelta(microseconds=1))
    return (last_day - timezone.localdate(now)).days
