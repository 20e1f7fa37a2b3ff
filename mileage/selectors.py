"""What other parts read of a member's mileage (display, awards): the grade
and the way to the next, the ledger for the member's pages, the rankings.
Every selector costs a bounded number of queries, whatever the number of
members or entries. (grade_progress and recent_entries are the ledger
branch's, copied as they are so the two fit when merged.)"""

import datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from accounts.grades import Grade
from proposals.models import Proposal

from .models import MemberMonth, MileageEntry, MileageRule, MileageSettings, grade_for

# How many members a ranking shows.
RANKING_SIZE = 50


class GradeProgress(NamedTuple):
    grade: Grade
    next_grade: Grade | None  # None at the top grade
    points_to_next: int  # 0 at the top grade
    percent: int  # 0–100 of the way from this grade's start to the next's


def balance_of(member) -> int:
    """The member's balance as stored now (one query; the member object
    passed may be older than the last fold)."""
    return get_user_model().objects.values_list("mileage_balance", flat=True).get(pk=member.pk)


def grade_progress(member, *, thresholds: list[int] | None = None) -> GradeProgress:
    """The member's grade, the next one and how far they are on the way, from
    `member.mileage_balance` and the thresholds (read once if not given).
    Unpacks as (grade, next grade, points to next, percent)."""
    thresholds = thresholds or MileageSettings.load().thresholds()
    balance = member.mileage_balance
    starts = [0, *thresholds]
    grade = grade_for(balance, thresholds)
    if grade == Grade.OASIS:
        return GradeProgress(grade, None, 0, 100)
    start, end = starts[grade], starts[grade + 1]
    percent = max(0, min(100, (balance - start) * 100 // (end - start))) if end > start else 100
    return GradeProgress(grade, Grade(grade + 1), max(end - balance, 0), percent)


def recent_entries(member, n: int = 10):
    """The member's last `n` entries, newest first (one query)."""
    return list(
        MileageEntry.objects.filter(member_id=member.pk)
        .select_related("source_type")
        .order_by("-created_at", "-id")[:n]
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


def member_mileage_data(user) -> dict:
    """The member's part of their data export (accounts.export): balance,
    grade and the whole ledger, oldest first. Two queries."""
    return {
        "balance": user.mileage_balance,
        "grade": int(user.mileage_grade),
        "entries": [
            {
                "at": entry.created_at.isoformat(),
                "action": entry.action,
                "points": entry.points,
                "proposal": entry.proposal_id,
                "note": entry.note,
            }
            for entry in MileageEntry.objects.filter(member=user).order_by("created_at", "id")
        ],
    }
