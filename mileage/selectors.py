"""Reads of the mileage ledger for the member's pages and the rankings.
Every selector costs a bounded number of queries, whatever the number of
members or entries."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from accounts.grades import Grade
from proposals.models import Proposal

from .models import MemberMonth, MileageEntry, MileageRule, MileageSettings

# How many members a ranking shows.
RANKING_SIZE = 50


@dataclass(frozen=True)
class GradeProgress:
    """Where a member stands on the grade ladder: their grade, the next one
    and how many points it still takes, and how far along the current step
    they are (0–100) for a progress bar."""

    balance: int
    grade: Grade
    next_grade: Grade | None
    next_from: int | None
    points_to_next: int
    percent: int


def grade_progress(*, user, settings: MileageSettings | None = None) -> GradeProgress:
    """`user`'s progress to the next grade. The grade is the one kept on the
    member's row (mileage's services keep it in step with the balance and the
    thresholds); the thresholds come from MileageSettings (one query unless
    `settings` is given)."""
    settings = settings or MileageSettings.load()
    thresholds = [0, *settings.thresholds()]
    balance = user.mileage_balance
    grade = Grade(user.mileage_grade)
    if grade == Grade.OASIS:
        return GradeProgress(balance, grade, None, None, 0, 100)
    step_from, next_from = thresholds[grade], thresholds[grade + 1]
    span = max(next_from - step_from, 1)
    done = min(max(balance - step_from, 0), span)
    return GradeProgress(
        balance=balance,
        grade=grade,
        next_grade=Grade(grade + 1),
        next_from=next_from,
        points_to_next=max(next_from - balance, 0),
        percent=done * 100 // span,
    )


def grade_ladder(*, settings: MileageSettings | None = None) -> list[tuple[Grade, int]]:
    """Each grade with the points at which it begins, 씨앗 at 0."""
    settings = settings or MileageSettings.load()
    return list(zip(Grade, [0, *settings.thresholds()], strict=True))


def earning_rules() -> QuerySet[MileageRule]:
    """What each action earns, for the page that explains grades: the rules
    that give points (an operator's adjustment is not something to earn)."""
    return MileageRule.objects.filter(points__gt=0).order_by("-points", "action")


def member_entries(*, user) -> QuerySet[MileageEntry]:
    """`user`'s ledger, newest first (index mileage_entry_member_time)."""
    return MileageEntry.objects.filter(member=user).order_by("-created_at", "-id")


def recent_entries(*, user, limit: int = 3) -> list[MileageEntry]:
    """What earned (or took back) `user`'s last points."""
    return list(member_entries(user=user)[:limit])


def public_proposals(entries) -> dict[int, str]:
    """Of the proposals these entries came from, the ones anyone may open
    (not hidden, not in the trash) with their titles, so a ledger row links
    only to a page that shows. One query, none without proposals."""
    ids = {e.proposal_id for e in entries if e.proposal_id}
    if not ids:
        return {}
    return dict(Proposal.objects.public().filter(pk__in=ids).values_list("pk", "title"))


def ledger_rows(entries) -> list[dict]:
    """Each entry with the public proposal it came from (`proposal_id` and
    `title`, None when there is none or it is no longer shown) and its points
    without their sign (the page writes + or − itself). One query."""
    titles = public_proposals(entries)
    return [
        {
            "entry": entry,
            "proposal_id": entry.proposal_id if entry.proposal_id in titles else None,
            "title": titles.get(entry.proposal_id),
            "amount": abs(entry.points),
        }
        for entry in entries
    ]


def ranked_members():
    """Who appears in a ranking: active members who have not withdrawn and are
    not staff (staff speak for the city and do not compete with citizens)."""
    return get_user_model().objects.filter(
        is_active=True, is_staff=False, withdrawn_at__isnull=True
    )


def all_time_ranking(*, size: int = RANKING_SIZE) -> list:
    """The members with the highest balances (index
    accounts_user_mileage_rank), ties broken by who joined first. One query."""
    return list(
        ranked_members()
        .filter(mileage_balance__gt=0)
        .order_by("-mileage_balance", "id")
        .only(
            "id",
            "nickname",
            "display_name",
            "email",
            "withdrawn_at",
            "is_staff",
            "mileage_balance",
            "mileage_grade",
        )[:size]
    )


def monthly_ranking(*, month: datetime.date, size: int = RANKING_SIZE) -> list[MemberMonth]:
    """The members who earned the most in `month` (its first day; index
    mileage_month_rank), with their names and grades. One query."""
    return list(
        MemberMonth.objects.filter(
            month=month,
            points__gt=0,
            member__is_active=True,
            member__is_staff=False,
            member__withdrawn_at__isnull=True,
        )
        .select_related("member")
        .order_by("-points", "member_id")[:size]
    )


def ranked_months(*, limit: int = 12) -> list[datetime.date]:
    """The months that have a ranking, newest first, for the links to earlier
    months. One query over the month index."""
    return list(
        MemberMonth.objects.filter(points__gt=0)
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()[:limit]
    )
