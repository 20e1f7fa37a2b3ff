"""Monthly and yearly reports (like Tokyo's 월례 and 연보, seed 002 sec. 6.3):
what citizens proposed in a period, how far it went, how the departments
answered and what the realization meetings adopted.

A report is made once per period, after the period is over, from figures
refreshed and then read in one consistent snapshot, and frozen in
`Report.figures`: later steps of the same proposals never change it. The
beat (`stats.tasks.make_due_reports`, daily at 01:00 Seoul time) makes last
month's report on and after the 1st and last year's on and after 1 January,
and catches up any period it missed.

What a report freezes (`Report.figures`, JSON):
- everything of `stats.figures.period_snapshot(year, month)`, labels in
  Korean, the site's own language;
- `kind`, `period` (first and last day, ISO dates);
- `previous`: the previous period's totals, read in the same snapshot (so
  both periods are counted as of the same moment);
- `answers`: each department's first answers published in the period
  (`stats.figures.answer_timeliness`);
- `adopted`: the public proposals adopted in the period (ids, no titles);
- `labels_en`: the English labels of every key the tables name, so an
  English reader reads the frozen report in English;
- `empty`: nothing was received, answered or adopted in the period."""

import calendar
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oasis.snapshot import consistent_snapshot

from . import figures
from .models import Dimension, Report, ReportKind
from .refresh import refresh as refresh_figures

# How far back the beat catches up missed periods: a fresh install with ten
# years of proposals gets two years of monthly reports and ten yearly ones,
# not a report for every month since the first proposal.
CATCH_UP_MONTHS = 24
CATCH_UP_YEARS = 10

# The dimensions a report breaks its figures down by, with the key of their
# table in `figures` (as period_snapshot names it).
BREAKDOWNS = {
    Dimension.CATEGORY: "by_category",
    Dimension.DISTRICT: "by_district",
    Dimension.DEPARTMENT: "by_department",
    Dimension.THEME: "by_theme",
}


class PeriodNotOver(ValueError):
    """A report was asked for a period that has not ended (in Seoul time);
    the message is translated and safe to show."""


def period_bounds(kind: str, period_start: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month or year starting `period_start`
    (normalised to the first of its month or year)."""
    if kind == ReportKind.YEARLY:
        return dt.date(period_start.year, 1, 1), dt.date(period_start.year, 12, 31)
    if kind == ReportKind.MONTHLY:
        last = calendar.monthrange(period_start.year, period_start.month)[1]
        return (
            dt.date(period_start.year, period_start.month, 1),
            dt.date(period_start.year, period_start.month, last),
        )
    raise ValueError(_("There is no such kind of report."))


def previous_period(kind: str, period_start: dt.date) -> dt.date:
    """The first day of the period before the one starting `period_start`."""
    if kind == ReportKind.YEARLY:
        return dt.date(period_start.year - 1, 1, 1)
    return (period_start - dt.timedelta(days=1)).replace(day=1)


def _moments(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period's first moment and the next period's, in Seoul time."""
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, end


def _year_month(kind: str, period_start: dt.date) -> tuple[int, int | None]:
    return period_start.year, (period_start.month if kind == ReportKind.MONTHLY else None)


def _english_labels(snapshot: dict, answers: list) -> dict:
    """The English label of every key the frozen tables name. Korean labels
    are frozen in the tables themselves."""
    labels = {}
    year, month = snapshot["year"], snapshot["month"]
    with translation.override("en"):
        for dimension in BREAKDOWNS:
            labels[dimension] = {
                row.key: row.label for row in figures.breakdown(dimension, year, month)
            }
        for row in answers:
            labels[Dimension.DEPARTMENT].setdefault(row.department.code, row.department.label)
    return labels


def _freeze(kind: str, first: dt.date, last: dt.date) -> tuple[dict, dt.datetime | None]:
    """The report's figures, read inside the caller's snapshot."""
    year, month = _year_month(kind, first)
    start, end = _moments(first, last)
    with translation.override("ko"):
        snapshot = figures.period_snapshot(year, month)
        answers = figures.answer_timeliness(start, end)
        before = previous_period(kind, first)
        before_year, before_month = _year_month(kind, before)
        snapshot.update(
            kind=kind,
            period={"start": first.isoformat(), "end": last.isoformat()},
            previous={
                "year": before_year,
                "month": before_month,
                "totals": figures.totals(before_year, before_month).as_dict(),
            },
            answers=[
                {
                    "department": row.department.code,
                    "department_name": row.department.label,
                    "answered": row.answered,
                    "on_time": row.on_time,
                    "on_time_share": row.on_time_share,
                    "median_days": row.median_days,
                }
                for row in answers
            ],
            adopted=figures.adopted_between(start, end),
        )
    snapshot["labels_en"] = _english_labels(snapshot, answers)
    snapshot["empty"] = not (
        snapshot["totals"]["received"] or snapshot["answers"] or snapshot["adopted"]
    )
    as_of = figures.as_of()
    if as_of is not None:
        snapshot["as_of"] = timezone.localtime(as_of).isoformat()
    return snapshot, as_of


def report_make(
    kind: str, period_start: dt.date, *, now: dt.datetime | None = None, refresh: bool = True
) -> Report:
    """The report of the month or year starting `period_start` (any day of
    it is taken as its first), made once.

    Requires: `kind` monthly or yearly (else ValueError); the period over in
    Seoul time at `now` (else PeriodNotOver, a ValueError). Idempotent: a
    period already reported is returned untouched, frozen. Otherwise the
    figures are refreshed (unless the caller just did: `refresh=False`),
    read in one consistent snapshot and written as one Report row. A period
    with no data is a report of zeros (`figures["empty"]`), never an error.
    Writes: one Report. Triggers nothing."""
    first, last = period_bounds(kind, period_start)
    today = timezone.localdate(now or timezone.now())
    if today <= last:
        raise PeriodNotOver(
            _("The report for %(period)s can be made once the period is over, from %(day)s.")
            % {
                "period": first.strftime("%Y" if kind == ReportKind.YEARLY else "%Y-%m"),
                "day": (last + dt.timedelta(days=1)).isoformat(),
            }
        )
    existing = Report.objects.filter(kind=kind, period_start=first).first()
    if existing is not None:
        return existing
    if refresh:
        refresh_figures()
    with consistent_snapshot():
        snapshot, as_of = _freeze(kind, first, last)
    try:
        with transaction.atomic():
            return Report.objects.create(
                kind=kind,
                period_start=first,
                period_end=last,
                as_of=as_of or timezone.now(),
                figures=snapshot,
            )
    except IntegrityError:
        # Another run made the same period between our look and our write:
        # theirs is the report (both read the same figures).
        return Report.objects.get(kind=kind, period_start=first)


def due_periods(now: dt.datetime) -> list[tuple[str, dt.date]]:
    """Every period over at `now` that should have a report: the months
    since the first public proposal (at most CATCH_UP_MONTHS back) and the
    years (at most CATCH_UP_YEARS back), oldest first, yearly after monthly."""
    first = figures.first_month()
    if first is None:
        return []
    today = timezone.localdate(now)
    this_month = today.year * 12 + today.month - 1
    oldest = max(first[0] * 12 + first[1] - 1, this_month - CATCH_UP_MONTHS)
    periods = [
        (ReportKind.MONTHLY, dt.date(index // 12, index % 12 + 1, 1))
        for index in range(oldest, this_month)
    ]
    periods += [
        (ReportKind.YEARLY, dt.date(year, 1, 1))
        for year in range(max(first[0], today.year - CATCH_UP_YEARS), today.year)
    ]
    return periods


def reports_make_due(*, now: dt.datetime | None = None) -> list[Report]:
    """Make every report due at `now` that is not made yet (due_periods):
    last month's on and after the 1st, last year's on and after 1 January,
    and any missed. Idempotent: run twice, makes nothing twice. The figures
    are refreshed once for all of them, and not at all when nothing is due
    (the beat runs it daily, a demo every minute): the last refresh, at most
    ten minutes old, knows every period already over. Writes: the new
    Report rows. Returns the reports made by this run."""
    now = now or timezone.now()
    if figures.as_of() is None:
        refresh_figures()
    made = set(Report.objects.values_list("kind", "period_start"))
    missing = [period for period in due_periods(now) if period not in made]
    if not missing:
        return []
    refresh_figures()
    return [report_make(kind, start, now=now, refresh=False) for kind, start in missing]
