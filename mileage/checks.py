"""The ledger's consistency check (`manage.py mileage_check`, bench/check.py,
the tests): every kept total equals the entries it sums. Returns the
problems found, in words; none is the pass."""

import zoneinfo

from django.conf import settings
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth

from accounts.models import User

from .models import MemberMonth, MileageClaim, MileageEntry
from .services import grade_case


def ledger_problems() -> list[str]:
    """Compare the kept balances, grades and month totals with the entries
    (months in Seoul time, as the services count them), in a few grouped
    queries; and look for a source credited twice. For tests, the benchmark
    and an operator's shell, not for a page."""
    found = []
    entry_sum = Coalesce(
        Subquery(
            MileageEntry.objects.filter(member_id=OuterRef("pk"))
            .values("member_id")
            .annotate(total=Sum("points"))
            .values("total")[:1]
        ),
        0,
    )
    wrong_balance = (
        User.objects.annotate(entry_sum=entry_sum).exclude(mileage_balance=F("entry_sum")).count()
    )
    if wrong_balance:
        found.append(f"{wrong_balance} members whose balance differs from their entries")

    wrong_grade = User.objects.exclude(mileage_grade=grade_case(F("mileage_balance"))).count()
    if wrong_grade:
        found.append(f"{wrong_grade} members whose grade does not match their balance")

    seoul = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    sums = {
        (member_id, month.date() if hasattr(month, "date") else month): total
        for member_id, month, total in MileageEntry.objects.annotate(
            month=TruncMonth("created_at", tzinfo=seoul)
        )
        .values("member_id", "month")
        .annotate(total=Sum("points"))
        .values_list("member_id", "month", "total")
        .order_by()
    }
    kept = {
        (member_id, month): points
        for member_id, month, points in MemberMonth.objects.values_list(
            "member_id", "month", "points"
        )
    }
    wrong_months = [k for k in set(sums) | set(kept) if sums.get(k, 0) != kept.get(k, 0)]
    if wrong_months:
        found.append(f"{len(wrong_months)} monthly totals that differ from their entries")

    doubled = (
        MileageEntry.objects.filter(points__gt=0, reversed_by__isnull=True)
        .exclude(action="adjustment")
        .values("member_id", "action", "source_type_id", "source_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    if doubled:
        found.append(f"{doubled} sources credited more than once")
    return found


def claims_waiting() -> int:
    """Claims not folded yet (none once the sweep has run)."""
    return MileageClaim.objects.count()
