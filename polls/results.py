"""A city poll's results, as the results page, the poll page's summary and
the staff's exports read them (selectors: nothing here writes).

When results are public (`results_public`): a live poll's while it takes
votes and after, an "after close" poll's once voting is over (closed, or its
end has passed before the beat closed it). A draft's never. The poll's staff
(results_rules.is_poll_staff: operators, the administrators of the poll's
institution and its department) see them at any time, marked "not public
yet".

Numbers come from the counts kept with the votes (Poll.voter_count,
Question.answer_count, Choice.vote_count, PollArgument.endorsement_count),
never from counting ballots, except the breakdowns, which read the ballots'
groups in one grouped query for the whole poll (and one more for its
several-choice questions).

Percentages are of the question's answers (the ballots that answered it),
to one decimal place. A one-choice question's percentages are rounded by
largest remainder, so they add up to exactly 100.0; a several-choice
question's are each rounded half up (they add up to more than 100, which the
page says). A choice some voted for never reads "0.0%" but "under 0.1%", and
one not everybody chose never reads "100.0%" but "over 99.9%".

Breakdowns by district and by age band use the groups each ballot kept when
voting (only where the voter had consented; "not given" otherwise). A group
with fewer than settings.POLL_MIN_GROUP voters on a question is hidden, and
since the question's totals are public, hiding one group alone would let
anyone work it out by subtraction: so the next smallest groups are hidden
too until at least two are hidden and together they hold at least
POLL_MIN_GROUP voters. What subtraction then reveals is a merged group as
large as any shown. Breakdowns are public once voting is over, even for a
live poll: a breakdown watched while votes come in would show which group a
newcomer's vote went to. Staff see them at any time.

Text answers (a survey's short-text questions) and yes/no reasons are not
published: they were typed with a secret vote, nobody moderates them, and a
sentence can name its writer. The public sees how many were given; the
poll's staff read the latest on the results page and every one, without
any member's id, in the export. The department's response speaks to them."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.age_bands import AgeBand
from accounts.districts import District

from .editing_rules import seen_in_admin_condition
from .models import (
    Answer,
    ArgumentSide,
    Poll,
    PollArgument,
    PollKind,
    PollStatus,
    QuestionKind,
    ResultsShown,
)
from .results_rules import is_poll_staff

# Text answers and reasons shown to staff on the results page (all of them
# are in the export).
LATEST_TEXTS = 20
# The top arguments of each side shown with a discussion poll's results.
TOP_ARGUMENTS = 3

NOT_GIVEN = ""


# --- when ---------------------------------------------------------------------------


def voting_over(poll: Poll, now=None) -> bool:
    """Voting has ended: closed, or published and past its end (the beat
    may not have closed it yet)."""
    now = now or timezone.now()
    if poll.status == PollStatus.CLOSED:
        return True
    return poll.status == PollStatus.PUBLISHED and now >= poll.ends_at


def results_public(poll: Poll, now=None) -> bool:
    """Anyone may see the results now."""
    now = now or timezone.now()
    if voting_over(poll, now):
        return True
    # A discussion poll's results are its arguments' endorsements, which its
    # page shows (and orders by) as they come: live whatever the setting says,
    # or the results page would keep back what the poll page already shows.
    return (
        (poll.results_shown == ResultsShown.LIVE or poll.kind == PollKind.DISCUSSION)
        and poll.status == PollStatus.PUBLISHED
        and poll.starts_at <= now
    )


def results_visible(poll: Poll, user, now=None) -> bool:
    """`user` may see the results now: public ones, or as the poll's staff."""
    return results_public(poll, now) or is_poll_staff(user, poll)


def breakdowns_visible(poll: Poll, user, now=None) -> bool:
    """The breakdowns by group: public once voting is over (see the module's
    docstring), to the poll's staff at any time."""
    return voting_over(poll, now) or is_poll_staff(user, poll)


# --- percentages --------------------------------------------------------------------


def _tenths_largest_remainder(counts: list[int], total: int) -> list[int]:
    """Each count's share of `total` in tenths of a percent, adding up to
    exactly 1000 when the counts add up to `total`."""
    exact = [count * 1000 / total for count in counts]
    tenths = [int(value) for value in exact]
    left = 1000 - sum(tenths)
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(exact[i] - tenths[i]), i))
    for i in by_remainder[: max(left, 0)]:
        if exact[i] > tenths[i]:
            tenths[i] += 1
    return tenths


def _tenths_half_up(count: int, total: int) -> int:
    return int((Decimal(count * 1000) / Decimal(total)).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class Share:
    """A count and its share of a total, as shown."""

    count: int
    total: int
    tenths: int  # tenths of a percent, rounded as the module says

    @property
    def percent(self) -> Decimal:
        return (Decimal(self.tenths) / 10).quantize(Decimal("0.1"))

    @property
    def label(self) -> str:
        """ "37.5%", "under 0.1%", "over 99.9%" (digits read alike in both languages)."""
        if self.count and self.tenths == 0:
            return str(_("under 0.1%"))
        if self.count < self.total and self.tenths >= 1000:
            return str(_("over 99.9%"))
        return f"{self.percent}%"

    @property
    def bar(self) -> int:
        """The bar's width in whole percent (at least 1 for a count above 0)."""
        width = (self.tenths + 5) // 10
        return max(width, 1) if self.count else 0


def shares(counts: list[int], total: int, *, adds_up: bool) -> list[Share]:
    """Each of `counts` as a Share of `total`: largest remainder where they
    add up to the total (one choice each), half up otherwise."""
    if total <= 0:
        return [Share(count, total, 0) for count in counts]
    if adds_up and sum(counts) == total:
        tenths = _tenths_largest_remainder(counts, total)
    else:
        tenths = [_tenths_half_up(count, total) for count in counts]
    return [Share(count, total, t) for count, t in zip(counts, tenths, strict=True)]


# --- results ------------------------------------------------------------------------


@dataclass
class ChoiceResult:
    id: int
    label: str
    code: str
    share: Share


@dataclass
class GroupRow:
    """One group of a breakdown: its voters on the question and, unless
    hidden, each choice's share of them (in the question's choice order)."""

    key: str
    label: str
    total: int
    hidden: bool
    cells: list[Share] = field(default_factory=list)


@dataclass
class Breakdown:
    dimension: str  # "district" or "age_band"
    title: str
    rows: list[GroupRow]

    @property
    def hidden_count(self) -> int:
        return sum(1 for row in self.rows if row.hidden)


@dataclass
class TextAnswer:
    text: str
    side: str = ""  # a yes/no reason: the choice's label it came with
    at: object = None


@dataclass
class QuestionResult:
    id: int
    position: int
    text: str
    kind: str
    answer_count: int
    choices: list[ChoiceResult]
    # Short text answers (or a yes/no vote's reasons): how many were given
    # (staff only for reasons) and, for staff, the latest.
    text_count: int | None = None
    texts: list[TextAnswer] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)

    @property
    def is_multiple(self) -> bool:
        return self.kind == QuestionKind.MULTIPLE

    @property
    def has_choices(self) -> bool:
        return bool(self.choices)


@dataclass
class SideTally:
    side: str
    label: str
    arguments: int
    endorsements: int
    top: list = field(default_factory=list)


@dataclass
class DiscussionResult:
    sides: list[SideTally]

    @property
    def argument_count(self) -> int:
        return sum(side.arguments for side in self.sides)


@dataclass
class PollResults:
    poll: Poll
    public: bool  # False: shown to staff before it is public
    voter_count: int
    questions: list[QuestionResult]
    discussion: DiscussionResult | None
    with_breakdowns: bool
    with_texts: bool
    min_group: int


def poll_results(
    poll: Poll, *, user=None, now=None, breakdowns: bool | None = None, texts: bool | None = None
) -> PollResults:
    """The results of `poll` as `user` may see them (the caller has asked
    `results_visible`). Breakdowns and texts default to what `user` may see;
    the export asks for both. Queries: the questions with their choices (2),
    the breakdowns (1, +1 with several-choice questions), the arguments of a
    discussion poll (1 + one per side), staff's texts (1 per text or yes/no
    question): none grows with the votes."""
    now = now or timezone.now()
    staff = is_poll_staff(user, poll)
    if breakdowns is None:
        breakdowns = breakdowns_visible(poll, user, now)
    if texts is None:
        texts = staff
    questions = list(poll.questions.prefetch_related("choices"))
    results = [_question_result(question) for question in questions]
    if breakdowns:
        _add_breakdowns(poll, results)
    for question, result in zip(questions, results, strict=True):
        _add_texts(poll, question, result, with_texts=texts)
    discussion = _discussion(poll) if poll.kind == PollKind.DISCUSSION else None
    return PollResults(
        poll=poll,
        public=results_public(poll, now),
        voter_count=poll.voter_count,
        questions=results,
        discussion=discussion,
        with_breakdowns=breakdowns,
        with_texts=texts,
        min_group=settings.POLL_MIN_GROUP,
    )


def _question_result(question) -> QuestionResult:
    choices = list(question.choices.all())
    counted = shares(
        [choice.vote_count for choice in choices],
        question.answer_count,
        adds_up=question.kind != QuestionKind.MULTIPLE,
    )
    return QuestionResult(
        id=question.pk,
        position=question.position,
        text=question.text,
        kind=question.kind,
        answer_count=question.answer_count,
        choices=[
            ChoiceResult(id=choice.pk, label=choice.label, code=choice.code, share=share)
            for choice, share in zip(choices, counted, strict=True)
        ],
    )


def _add_texts(poll, question, result: QuestionResult, *, with_texts: bool) -> None:
    if question.kind == QuestionKind.TEXT:
        # A text question's answer_count is the number of texts given.
        result.text_count = question.answer_count
        if with_texts:
            result.texts = [
                TextAnswer(text=text, at=at)
                for text, at in Answer.objects.filter(question=question, choice__isnull=True)
                .exclude(text="")
                .order_by("-id")
                .values_list("text", "ballot__updated_at")[:LATEST_TEXTS]
            ]
    elif poll.kind == PollKind.YES_NO and with_texts:
        reasons = Answer.objects.filter(question=question).exclude(text="")
        result.text_count = reasons.count()
        result.texts = [
            TextAnswer(text=text, side=label, at=at)
            for text, label, at in reasons.order_by("-id").values_list(
                "text", "choice__label", "ballot__updated_at"
            )[:LATEST_TEXTS]
        ]


# --- breakdowns ---------------------------------------------------------------------

DIMENSIONS = (
    ("district", _("By district"), District),
    ("age_band", _("By age band"), AgeBand),
)


def _add_breakdowns(poll: Poll, results: list[QuestionResult]) -> None:
    """Fill each choice question's breakdowns from one grouped query (and one
    more for the voters of each group on several-choice questions)."""
    with_choices = [result for result in results if result.has_choices]
    if not with_choices:
        return
    # (question, district, age band, choice) → answers
    cells = (
        Answer.objects.filter(question__poll=poll, choice__isnull=False)
        .values_list("question_id", "ballot__district", "ballot__age_band", "choice_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    picked = defaultdict(int)  # (question, dimension, group, choice) → answers
    voters = defaultdict(int)  # (question, dimension, group) → ballots
    multiple = {result.id for result in with_choices if result.is_multiple}
    for question_id, district, age_band, choice_id, n in cells:
        for dimension, group in (("district", district), ("age_band", age_band)):
            picked[question_id, dimension, group, choice_id] += n
            if question_id not in multiple:
                voters[question_id, dimension, group] += n
    if multiple:
        # A ballot picks several choices: count each ballot once per group.
        for question_id, district, age_band, n in (
            Answer.objects.filter(question_id__in=multiple, choice__isnull=False)
            .values_list("question_id", "ballot__district", "ballot__age_band")
            .annotate(n=Count("ballot_id", distinct=True))
            .order_by()
        ):
            voters[question_id, "district", district] += n
            voters[question_id, "age_band", age_band] += n
    for result in with_choices:
        for dimension, title, choices_class in DIMENSIONS:
            totals = {
                group: n
                for (question_id, dim, group), n in voters.items()
                if question_id == result.id and dim == dimension
            }
            hidden = groups_to_hide(totals, settings.POLL_MIN_GROUP)
            rows = []
            for group in _ordered(totals, choices_class):
                row = GroupRow(
                    key=group,
                    label=str(choices_class(group).label) if group else str(_("Not given")),
                    total=totals[group],
                    hidden=group in hidden,
                )
                if not row.hidden:
                    row.cells = shares(
                        [
                            picked[result.id, dimension, group, choice.id]
                            for choice in result.choices
                        ],
                        row.total,
                        adds_up=not result.is_multiple,
                    )
                rows.append(row)
            result.breakdowns.append(Breakdown(dimension=dimension, title=str(title), rows=rows))


def _ordered(totals: dict, choices_class) -> list[str]:
    known = [value for value in choices_class.values if value in totals]
    return known + ([NOT_GIVEN] if NOT_GIVEN in totals else [])


def groups_to_hide(totals: dict[str, int], minimum: int) -> set[str]:
    """The groups of a breakdown to hide: each smaller than `minimum`, then
    the next smallest until the hidden ones are at least two and together
    hold at least `minimum` voters (or every group is hidden), so that
    subtracting the shown groups from the public total reveals no group
    smaller than `minimum`."""
    hidden = {group for group, total in totals.items() if total < minimum}
    if not hidden:
        return hidden
    shown = sorted((g for g in totals if g not in hidden), key=lambda g: (totals[g], g))
    while shown and (len(hidden) < 2 or sum(totals[g] for g in hidden) < minimum):
        hidden.add(shown.pop(0))
    return hidden


# --- discussion polls ---------------------------------------------------------------

SIDES = (
    (ArgumentSide.FOR, ArgumentSide.FOR.label),
    (ArgumentSide.AGAINST, ArgumentSide.AGAINST.label),
    ("", _("Neither side")),
)


def _discussion(poll: Poll) -> DiscussionResult:
    """Arguments shown (not hidden) and their endorsements by side, with each
    side's most endorsed arguments."""
    shown = PollArgument.objects.filter(poll=poll, is_hidden=False)
    tallies = {
        side: (n, endorsed or 0)
        for side, n, endorsed in shown.values_list("side")
        .annotate(n=Count("id"), endorsed=Sum("endorsement_count"))
        .values_list("side", "n", "endorsed")
        .order_by()
    }
    sides = []
    for side, label in SIDES:
        arguments, endorsements = tallies.get(side, (0, 0))
        top = (
            list(shown.filter(side=side).order_by("-endorsement_count", "-id")[:TOP_ARGUMENTS])
            if arguments
            else []
        )
        sides.append(
            SideTally(
                side=side,
                label=str(label),
                arguments=arguments,
                endorsements=endorsements,
                top=top,
            )
        )
    return DiscussionResult(sides=sides)


# --- the staff's list ---------------------------------------------------------------


def polls_for_results_staff(user):
    """The polls whose results `user` works on as staff: every published or
    closed poll for an operator, their department's for an official, their
    institution's for an institution's administrator, none for anyone else.
    The list twin of results_rules.is_poll_staff (drafts have no results to
    answer yet)."""
    polls = Poll.objects.exclude(status=PollStatus.DRAFT).select_related("department")
    condition = seen_in_admin_condition(user)
    return polls.none() if condition is None else polls.filter(condition)


def awaiting_response(now=None) -> Q:
    """Polls whose voting is over and whose response is not yet published."""
    now = now or timezone.now()
    over = Q(status=PollStatus.CLOSED) | Q(status=PollStatus.PUBLISHED, ends_at__lte=now)
    return over & Q(response_published_at__isnull=True)


def polls_awaiting_response(user, now=None):
    """The polls `user` answers as staff that wait for the response, the
    longest waiting first."""
    return polls_for_results_staff(user).filter(awaiting_response(now)).order_by("ends_at", "id")
