"""Writing awards: a reward recorded for an adopted proposer, the monthly
ranking of officials (이달의 상상지기) and its confirmation, a best creative
policy marked. Each function asks rules.py who may and whether the step is
possible, writes in one transaction with its audit row, and sends its
notices (notifications.notify is idempotent by key)."""

import calendar
import datetime as dt

import rules
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import User
from accounts.roles import Role
from answers.models import Answer, AnswerStatus
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import Comment
from tracking.models import ManagementCard

from . import audit_words, notices
from .models import (
    CITATION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    AwardCandidate,
    AwardStatus,
    BestPolicy,
    MonthlyAward,
    ProposerReward,
    RewardKind,
)
from .rules import best_policy_refusal, confirm_refusal, reward_refusal

# How a month's work is scored: an answer published by its deadline counts
# three times a late one, and a comment to citizens once. Answering on time
# is what the city asks of its officials most; a late answer still helped a
# citizen, and a comment is a smaller, still public, piece of work.
POINTS_ON_TIME = 3
POINTS_LATE = 1
POINTS_COMMENT = 1
# The winners the confirmation screen proposes (the operator may change them).
DEFAULT_WINNERS = 3


# --- rewards for adopted proposers --------------------------------------------------


def reward_record(
    *,
    card: ManagementCard,
    user,
    kind: str,
    amount_won: int,
    given_on: dt.date,
    note: str = "",
    is_addition: bool = False,
) -> ProposerReward:
    """Record the reward given to the proposer of the adopted item `card`.

    Requires: `user` an operator (awards.record_reward); rules.reward_refusal
    (an adopted item, a sane amount, a past date; a second reward only as an
    addition). Writes: one ProposerReward and an audit row, under the card's
    row lock, so two operators recording at once make one first reward.
    Triggers: the proposer's notice."""
    if not rules.has_perm("awards.record_reward", user):
        raise PermissionDenied
    if kind not in RewardKind.values:
        raise ServiceError(_("Please choose the kind of reward."))
    note = (note or "").strip()[:NOTE_MAX_LENGTH]
    with transaction.atomic():
        card = (
            ManagementCard.objects.select_for_update(of=("self",))
            .select_related("proposal__author")
            .get(pk=card.pk)
        )
        refusal = reward_refusal(
            card,
            amount_won=amount_won,
            given_on=given_on,
            is_addition=is_addition,
            today=timezone.localdate(),
        )
        if refusal:
            raise ServiceError(refusal)
        try:
            with transaction.atomic():
                reward = ProposerReward.objects.create(
                    card=card,
                    proposer=card.proposal.author,
                    kind=kind,
                    amount_won=amount_won,
                    given_on=given_on,
                    note=note,
                    is_addition=is_addition,
                    recorded_by=user,
                )
        except IntegrityError:
            raise ServiceError(
                _(
                    "This item already has a reward. To record another one, tick “additional reward”."
                )
            ) from None
        audit_record(
            actor=user,
            action=audit_words.REWARD_RECORDED,
            target=card,
            params={
                "kind": kind,
                "amount": amount_won,
                "given_on": given_on.isoformat(),
                "addition": is_addition,
            },
        )
        notices.tell_reward_given(reward=reward)
    return reward


# --- 이달의 상상지기 ------------------------------------------------------------------


def previous_month(now: dt.datetime) -> dt.date:
    """The first day of the month before `now`'s (Seoul time)."""
    first = timezone.localdate(now).replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first moment and the next month's, in Seoul time."""
    days = calendar.monthrange(month.year, month.month)[1]
    start = timezone.make_aware(dt.datetime.combine(month, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(month + dt.timedelta(days=days), dt.time.min))
    return start, end


def month_ranking(month: dt.date) -> list[AwardCandidate]:
    """The officials' ranking of `month`, unsaved, best first.

    Counted: answers an official wrote that were published (approved by an
    operator) in the month, on time when published by the assignment's
    deadline (Answer.met_deadline); comments they wrote as officials in the
    month that are neither hidden nor deleted, on proposals not deleted.
    Only active members holding the official role now are ranked (a prize
    goes to someone who can receive it). Score: POINTS_* above. Ties share a
    rank (1, 2, 2, 4), ordered by on-time answers, then comments. Three queries."""
    start, end = month_bounds(month)
    officials = User.objects.filter(is_active=True, groups__name=Role.OFFICIAL)
    answers = (
        Answer.objects.filter(
            status=AnswerStatus.PUBLISHED,
            published_at__gte=start,
            published_at__lt=end,
            written_by__in=officials,
        )
        .values("written_by")
        .annotate(
            on_time=Count("id", filter=Q(met_deadline=True)),
            late=Count("id", filter=~Q(met_deadline=True)),
        )
    )
    comments = (
        Comment.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            deleted_at__isnull=True,
            is_hidden=False,
            proposal__deleted_at__isnull=True,
            author_department__isnull=False,
            author__in=officials,
        )
        .values("author")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict] = {}
    for row in answers:
        counts.setdefault(row["written_by"], {}).update(on_time=row["on_time"], late=row["late"])
    for row in comments:
        counts.setdefault(row["author"], {})["comments"] = row["n"]
    departments = dict(User.objects.filter(pk__in=counts).values_list("pk", "department_id"))
    candidates = []
    for official_id, numbers in counts.items():
        on_time, late, written = (
            numbers.get("on_time", 0),
            numbers.get("late", 0),
            numbers.get("comments", 0),
        )
        candidates.append(
            AwardCandidate(
                official_id=official_id,
                department_id=departments.get(official_id),
                answers_on_time=on_time,
                answers_late=late,
                comments=written,
                score=on_time * POINTS_ON_TIME + late * POINTS_LATE + written * POINTS_COMMENT,
                rank=1,
            )
        )
    candidates.sort(key=lambda c: (-c.score, -c.answers_on_time, -c.comments, c.official_id))
    for place, candidate in enumerate(candidates, start=1):
        before = candidates[place - 2] if place > 1 else None
        same = before is not None and before.score == candidate.score
        candidate.rank = before.rank if same else place
    return candidates


def monthly_award_rank(*, now: dt.datetime | None = None) -> MonthlyAward:
    """Rank the officials of the month before `now` and store the round.

    Idempotent: a month already ranked is returned as it is (the beat runs
    daily, a retried task twice). A month nobody answered or commented in
    is stored as EMPTY (nothing for an operator to confirm). Writes: one
    MonthlyAward and its AwardCandidate rows. Triggers nothing: the round
    waits on the operators' home."""
    month = previous_month(now or timezone.now())
    existing = MonthlyAward.objects.filter(month=month).first()
    if existing is not None:
        return existing
    candidates = month_ranking(month)
    try:
        with transaction.atomic():
            award = MonthlyAward.objects.create(
                month=month, status=AwardStatus.WAITING if candidates else AwardStatus.EMPTY
            )
            for candidate in candidates:
                candidate.award = award
            AwardCandidate.objects.bulk_create(candidates)
    except IntegrityError:
        # Another run stored the month between our look and our write.
        return MonthlyAward.objects.get(month=month)
    return award


def monthly_award_confirm(*, award: MonthlyAward, winner_ids, user) -> MonthlyAward:
    """Confirm `award` with the candidates `winner_ids` as its winners.

    Requires: `user` an operator (awards.confirm_award); a round waiting
    (confirmed twice → refused, nothing written); winners among its
    candidates. Writes: the winners, the round's status with who and when,
    an audit row, under the round's row lock. Triggers: each winner's notice."""
    if not rules.has_perm("awards.confirm_award", user):
        raise PermissionDenied
    wanted = {int(pk) for pk in winner_ids}
    with transaction.atomic():
        award = MonthlyAward.objects.select_for_update().get(pk=award.pk)
        winners = list(AwardCandidate.objects.filter(pk__in=wanted).select_related("official"))
        refusal = confirm_refusal(award, winners)
        if refusal is None and len(winners) != len(wanted):
            refusal = _("A chosen winner is not a candidate of this month.")
        if refusal:
            raise ServiceError(refusal)
        AwardCandidate.objects.filter(award=award, pk__in=wanted).update(is_winner=True)
        award.status = AwardStatus.CONFIRMED
        award.confirmed_at = timezone.now()
        award.confirmed_by = user
        award.save(update_fields=["status", "confirmed_at", "confirmed_by"])
        audit_record(
            actor=user,
            action=audit_words.AWARD_CONFIRMED,
            target=award,
            params={"month": award.month.strftime("%Y-%m"), "count": len(winners)},
        )
        notices.tell_award_won(award=award, winners=winners)
    return award


# --- yearly best creative policies ------------------------------------------------------


def best_policy_mark(
    *, card: ManagementCard, user, year: int, citation: str, position: int | None = None
) -> BestPolicy:
    """Mark the completed adopted item `card` as one of `year`'s best
    creative policies, at `position` in the year (default: after the last).

    Requires: `user` an operator (awards.mark_best_policy);
    rules.best_policy_refusal (completed, adopted, public, not marked
    before, a year that has begun); a citation; a free position. Writes:
    one BestPolicy and an audit row under the card's row lock. Triggers nothing."""
    if not rules.has_perm("awards.mark_best_policy", user):
        raise PermissionDenied
    citation = (citation or "").strip()
    if not citation:
        raise ServiceError(_("Please write the citation: why this policy is one of the best."))
    if len(citation) > CITATION_MAX_LENGTH:
        raise ServiceError(
            _("The citation can be at most %(max)d characters.") % {"max": CITATION_MAX_LENGTH}
        )
    with transaction.atomic():
        card = (
            ManagementCard.objects.select_for_update(of=("self",))
            .select_related("proposal")
            .get(pk=card.pk)
        )
        refusal = best_policy_refusal(card, year=year, today=timezone.localdate())
        if refusal:
            raise ServiceError(refusal)
        if position is None:
            last = BestPolicy.objects.filter(year=year).aggregate(last=Max("position"))["last"]
            position = (last or 0) + 1
        elif position < 1 or BestPolicy.objects.filter(year=year, position=position).exists():
            raise ServiceError(
                _("Number %(position)d of %(year)d is already taken; choose another.")
                % {"position": position, "year": year}
            )
        try:
            with transaction.atomic():
                best = BestPolicy.objects.create(
                    card=card, year=year, citation=citation, position=position, marked_by=user
                )
        except IntegrityError:
            raise ServiceError(
                _(
                    "Another operator marked this item or took this number just now; please look again."
                )
            ) from None
        audit_record(
            actor=user,
            action=audit_words.BEST_POLICY_MARKED,
            target=card,
            params={"year": year, "position": position},
        )
    return best
