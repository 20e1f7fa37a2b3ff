"""The ledger's consistency check (`manage.py mileage_check`, bench/check.py,
the tests): every kept total equals the entries it sums. Returns the
problems found, in words; none is the pass."""

from collections import defaultdict

from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import User

from .models import MemberMonth, MileageClaim, MileageEntry, MileageSettings
from .services import grade_for


def ledger_problems() -> list[str]:
    """Compare, member by member, the kept balance, grade and month totals
    with the entries (months in Seoul time, as the services count them).
    Reads every entry of every member who has one: a check for tests, the
    benchmark and an operator's shell, not for a page."""
    found = []
    sums = dict(
        MileageEntry.objects.values_list("member_id").annotate(total=Sum("points")).order_by()
    )
    balances = dict(User.objects.values_list("id", "mileage_balance").iterator())
    wrong_balance = [m for m in set(sums) | set(balances) if sums.get(m, 0) != balances.get(m, 0)]
    if wrong_balance:
        found.append(f"{len(wrong_balance)} members whose balance differs from their entries")

    thresholds = MileageSettings.load().thresholds()
    wrong_grade = sum(
        1
        for balance, grade in User.objects.values_list(
            "mileage_balance", "mileage_grade"
        ).iterator()
        if grade_for(balance, thresholds) != grade
    )
    if wrong_grade:
        found.append(f"{wrong_grade} members whose grade does not match their balance")

    months: dict[tuple[int, object], int] = defaultdict(int)
    for member_id, points, created_at in MileageEntry.objects.values_list(
        "member_id", "points", "created_at"
    ).iterator():
        months[(member_id, timezone.localtime(created_at).date().replace(day=1))] += points
    kept = {
        (m, month): p
        for m, month, p in MemberMonth.objects.values_list("member_id", "month", "points")
    }
    wrong_months = [k for k in set(months) | set(kept) if months.get(k, 0) != kept.get(k, 0)]
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
