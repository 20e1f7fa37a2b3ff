"""Voting in a yes/no, multiple-choice or survey poll, and changing a vote.

A vote is one transaction under the poll's row lock: the rules are asked
again (the page asked before, but the poll may have closed, or another tab
voted, since), the answers are checked against the poll's questions, the
member's ballot is taken (polls.services.ballots: the voter counted and the
poll's mileage earned once), the answers written and the choices' and
questions' counts moved by exactly what changed. The lock serialises the
votes of one poll, which is what keeps every count equal to its rows; a
refused vote writes nothing."""

from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from oasis.errors import ServiceError

from .. import rules
from ..models import TEXT_ANSWER_MAX_LENGTH, Answer, Choice, Poll, PollKind, Question, QuestionKind
from . import ballots


class VoteInvalid(ServiceError):
    """The answers do not fit the poll; `question_id` names the question
    they do not fit (None: the vote as a whole), so a form can show the
    message beside it."""

    def __init__(self, message, *, question_id: int | None = None, code: str = "invalid"):
        super().__init__(message, code=code)
        self.question_id = question_id


@dataclass(frozen=True)
class _Picked:
    question_id: int
    choice_id: int | None
    text: str


def poll_vote(*, poll: Poll, member, answers: dict, reason: str = "", now=None):
    """Record `member`'s vote in `poll`, or replace it where the poll
    allows changing a vote. Returns (ballot, created).

    `answers` maps a question's id to a list of choice ids (a single or
    multiple choice question) or to a string (a text question); a question
    left out, or with an empty list or blank text, is not answered, which
    only an optional question accepts. `reason` is a yes/no vote's optional
    reason, kept on its answer. Raises ServiceError (VoteInvalid for answers
    that do not fit) with a message for the member; nothing is written then.
    Writes the ballot (once), its answers and the counts; earns the poll's
    mileage on the first vote only."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        refusal = rules.vote_refusal(member, locked, now)
        if refusal:
            raise ServiceError(refusal, code="refused")
        questions = list(locked.questions.prefetch_related("choices"))
        picked = _checked(locked, questions, answers, reason)
        ballot, created = ballots.ballot_take(poll=locked, member=member, now=now)
        old = [] if created else list(ballot.answers.all())
        if not created:
            # Only a poll that allows it gets here with a ballot (the rules
            # above); a race lost to another tab of the same member lands
            # here too, and is refused like the second vote it is.
            if not locked.allow_vote_change:
                raise ServiceError(rules.already_voted(), code="refused")
            Answer.objects.filter(ballot=ballot).delete()
            ballot.updated_at = now
            ballot.save(update_fields=["updated_at"])
        try:
            with transaction.atomic():
                Answer.objects.bulk_create(
                    Answer(
                        ballot=ballot, question_id=p.question_id, choice_id=p.choice_id, text=p.text
                    )
                    for p in picked
                )
        except IntegrityError as exc:  # a duplicate slipped past _checked: refuse, write nothing
            raise VoteInvalid(_("The same answer was given twice.")) from exc
        _move_counts(old=old, new=picked)
    poll.voter_count = locked.voter_count
    return ballot, created


def _move_counts(*, old, new) -> None:
    """Move each choice's and question's count by what the vote changed:
    the old answers' counts go down, the new ones' up, each row touched
    once and only when its count changes."""
    choices = Counter()
    for answer in old:
        if answer.choice_id:
            choices[answer.choice_id] -= 1
    for p in new:
        if p.choice_id:
            choices[p.choice_id] += 1
    questions = Counter()
    for question_id in {a.question_id for a in old}:
        questions[question_id] -= 1
    for question_id in {p.question_id for p in new}:
        questions[question_id] += 1
    for choice_id, delta in choices.items():
        if delta:
            Choice.objects.filter(pk=choice_id).update(vote_count=F("vote_count") + delta)
    for question_id, delta in questions.items():
        if delta:
            Question.objects.filter(pk=question_id).update(answer_count=F("answer_count") + delta)


def _question_ids(answers: dict) -> dict[int, object]:
    """The answers keyed by question id as an int; a key that is no id, or
    a question given twice (as 3 and "3"), is refused."""
    keyed: dict[int, object] = {}
    for key, value in answers.items():
        try:
            question_id = int(key)
        except (TypeError, ValueError):
            raise VoteInvalid(_("This answer belongs to no question of this poll.")) from None
        if question_id in keyed:
            raise VoteInvalid(
                _("A question was answered twice. Please answer each question once."),
                question_id=question_id,
            )
        keyed[question_id] = value
    return keyed


def _choice_ids(question: Question, value) -> list[int]:
    values = [value] if isinstance(value, (str, int)) else list(value or [])
    ids = []
    valid = {choice.pk for choice in question.choices.all()}
    for item in values:
        if item in ("", None):
            continue
        try:
            choice_id = int(item)
        except (TypeError, ValueError):
            choice_id = None
        if choice_id not in valid:
            raise VoteInvalid(
                _("Please pick from the choices given for this question."), question_id=question.pk
            )
        ids.append(choice_id)
    if len(ids) != len(set(ids)):
        raise VoteInvalid(
            _("The same choice was picked twice. Please pick each choice once."),
            question_id=question.pk,
        )
    return ids


def _checked(poll: Poll, questions: list[Question], answers: dict, reason: str) -> list[_Picked]:
    """The answers as rows to write, once each fits its question."""
    keyed = _question_ids(answers or {})
    by_id = {question.pk: question for question in questions}
    if unknown := set(keyed) - set(by_id):
        raise VoteInvalid(
            _("This answer belongs to no question of this poll."), question_id=min(unknown)
        )
    reason = (reason or "").strip()
    if reason and poll.kind != PollKind.YES_NO:
        raise VoteInvalid(_("Only a yes-or-no vote takes a reason."))
    if len(reason) > TEXT_ANSWER_MAX_LENGTH:
        raise VoteInvalid(
            _("Please keep your reason within %(limit)d characters.")
            % {"limit": TEXT_ANSWER_MAX_LENGTH}
        )
    picked: list[_Picked] = []
    for question in questions:
        value = keyed.get(question.pk)
        if question.kind == QuestionKind.TEXT:
            if value is not None and not isinstance(value, str):
                raise VoteInvalid(_("Please answer in words."), question_id=question.pk)
            text = (value or "").strip()
            if len(text) > TEXT_ANSWER_MAX_LENGTH:
                raise VoteInvalid(
                    _("Please keep your answer within %(limit)d characters.")
                    % {"limit": TEXT_ANSWER_MAX_LENGTH},
                    question_id=question.pk,
                )
            if text:
                picked.append(_Picked(question.pk, None, text))
            elif question.required:
                raise VoteInvalid(_("Please answer this question."), question_id=question.pk)
            continue
        ids = _choice_ids(question, value)
        if not ids:
            if question.required:
                raise VoteInvalid(_("Please answer this question."), question_id=question.pk)
            continue
        if question.kind == QuestionKind.SINGLE and len(ids) > 1:
            raise VoteInvalid(_("Please pick one answer."), question_id=question.pk)
        if question.kind == QuestionKind.MULTIPLE and len(ids) > question.max_choices:
            raise VoteInvalid(
                _("Please pick at most %(count)d choices.") % {"count": question.max_choices},
                question_id=question.pk,
                code="too_many",
            )
        for choice_id in ids:
            # A yes/no vote's reason goes on its one answer.
            text = reason if poll.kind == PollKind.YES_NO else ""
            picked.append(_Picked(question.pk, choice_id, text))
    if not picked:
        raise VoteInvalid(_("Please answer at least one question."))
    return picked
