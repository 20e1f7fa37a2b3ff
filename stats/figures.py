"""The figures, read from the summary tables (stats/models.py). This is the
one interface the statistics pages, the reports, the home page, the API and
the bulk files use; none of them reads the facts' tallies any other way.

Every function costs a fixed, small number of queries on tables of a few
thousand rows, whatever the number of proposals. Figures are as of the last
refresh (`as_of()`), at most ten minutes old."""

from dataclasses import dataclass, field
from datetime import datetime
from statistics import median
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.districts import District
from accounts.models import Department, Institution
from meetings.models import AgendaDecision, AgendaItem
from proposals.models import Category, Proposal
from themes.models import Theme
from tracking.models import CardKind, CardStage, ManagementCard

from .models import (
    STAGE_FIELDS,
    DepartmentTimeliness,
    Dimension,
    ProposalFact,
    Refresh,
    Tally,
)

STAGE_NAMES = {stage: name for stage, name in STAGE_FIELDS.items()}
# The URL word for each stage, in the lists' links (?stage=debated).
STAGE_BY_NAME = {name: stage for stage, name in STAGE_FIELDS.items()}


@dataclass
class Counts:
    """How many public proposals were received, and how many of them reached
    each stage (at least)."""

    received: int = 0
    answered: int = 0
    debated: int = 0
    on_agenda: int = 0
    adopted: int = 0
    completed: int = 0

    @property
    def adoption_rate(self) -> float | None:
        """Adopted per received, in percent (two decimals, as seed 002's
        table); None when nothing was received."""
        if not self.received:
            return None
        return round(self.adopted * 100 / self.received, 2)

    def as_dict(self) -> dict:
        return {
            **{name: getattr(self, name) for name in STAGE_FIELDS.values()},
            "adoption_rate": self.adoption_rate,
        }


@dataclass
class Row:
    """One line of a breakdown: `key` as in Tally.key, `label` in the
    reader's language, `filters` the list filters that reproduce it."""

    key: str
    label: str
    counts: Counts
    filters: dict = field(default_factory=dict)

    def link(self, stage: str = "received") -> str:
        return list_url(stage, **self.filters)


@dataclass
class Timeliness:
    department: Department
    answered: int
    on_time: int
    median_days: float | None
    overdue_now: int

    @property
    def on_time_share(self) -> float | None:
        """Answers on time per answers, in percent (one decimal)."""
        if not self.answered:
            return None
        return round(self.on_time * 100 / self.answered, 1)


def list_url(stage: str = "received", **filters) -> str:
    """The list of the proposals a figure counts (/stats/proposals/).
    `filters`: year, month, category (code), district (code, "citywide" for
    ""), department (code), theme (id), institution (slug)."""
    params = {"stage": stage} if stage != "received" else {}
    params.update({key: value for key, value in filters.items() if value not in (None, "")})
    query = urlencode(params)
    return reverse("stats:proposals") + (f"?{query}" if query else "")


def list_count(stage: str = "received", **filters) -> int | None:
    """How many proposals the list at list_url(stage, **filters) shows, read
    from the tallies (one small query) instead of counting the facts: the
    figure that links to it, the same number by construction. None when no
    tally holds it: an unknown stage or filter, or two of category, district,
    department and theme at once (count the facts then)."""
    if stage not in STAGE_BY_NAME:
        return None
    year, month = filters.pop("year", None), filters.pop("month", None)
    given = {key: value for key, value in filters.items() if value not in (None, "")}
    if len(given) > 1:
        return None
    tallies = Tally.objects.filter(dimension=Dimension.ALL)
    if given:
        ((dimension, key),) = given.items()
        if dimension not in Dimension.values or dimension == Dimension.ALL:
            return None
        if dimension == Dimension.DISTRICT and key == "citywide":
            key = ""
        tallies = Tally.objects.filter(dimension=dimension, key=str(key))
    return _period(tallies, year, month).aggregate(n=Sum(stage))["n"] or 0


def as_of() -> datetime | None:
    """When the figures shown were counted; None before the first refresh."""
    return (
        Refresh.objects.filter(finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )


def _sums() -> dict:
    return {name: Sum(name) for name in STAGE_FIELDS.values()}


def _counts(values: dict) -> Counts:
    return Counts(**{name: values.get(name) or 0 for name in STAGE_FIELDS.values()})


def _period(queryset, year: int | None, month: int | None):
    if year is not None:
        queryset = queryset.filter(year=year)
    if month is not None:
        queryset = queryset.filter(month=month)
    return queryset


def years() -> list[int]:
    """The years with any proposal received, oldest first."""
    return list(
        Tally.objects.filter(dimension=Dimension.ALL)
        .values_list("year", flat=True)
        .distinct()
        .order_by("year")
    )


def totals(year: int | None = None, month: int | None = None) -> Counts:
    """All public proposals received in the year/month (all time if None)."""
    tallies = _period(Tally.objects.filter(dimension=Dimension.ALL), year, month)
    return _counts(tallies.aggregate(**_sums()))


def by_year() -> list[Row]:
    """One row per year, oldest first: the per-year table of seed 002
    (received, adopted, adoption rate) and the other stages."""
    grouped = (
        Tally.objects.filter(dimension=Dimension.ALL)
        .values("year")
        .annotate(**_sums())
        .order_by("year")
    )
    return [
        Row(
            key=str(row["year"]),
            label=str(row["year"]),
            counts=_counts(row),
            filters={"year": row["year"]},
        )
        for row in grouped
    ]


def one_totals(dimension: str, key: str, year: int | None = None) -> Counts:
    """The public proposals of one value of a dimension (a partner
    institution's slug, issue 16), all time or in `year`: the same sums as
    the breakdown's row for it, one query."""
    tallies = _period(Tally.objects.filter(dimension=dimension, key=key), year, None)
    return _counts(tallies.aggregate(**_sums()))


def one_by_year(dimension: str, key: str) -> list[Row]:
    """One row per year, oldest first, for one value of a dimension (a
    partner institution's space): each row's links list what it counted."""
    grouped = (
        Tally.objects.filter(dimension=dimension, key=key)
        .values("year")
        .annotate(**_sums())
        .order_by("year")
    )
    return [
        Row(
            key=str(row["year"]),
            label=str(row["year"]),
            counts=_counts(row),
            filters={"year": row["year"], dimension: key},
        )
        for row in grouped
    ]


def by_month(year: int) -> list[Row]:
    """Twelve rows for the year, January first (zeros where nothing came)."""
    found = {
        row["month"]: _counts(row)
        for row in Tally.objects.filter(dimension=Dimension.ALL, year=year)
        .values("month")
        .annotate(**_sums())
    }
    return [
        Row(
            key=str(month),
            label=str(_("Month %(month)d") % {"month": month}),
            counts=found.get(month, Counts()),
            filters={"year": year, "month": month},
        )
        for month in range(1, 13)
    ]


def _labels(dimension: str, keys: list[str]) -> dict[str, str]:
    if dimension == Dimension.CATEGORY:
        return {c.code: str(c) for c in Category.objects.filter(code__in=keys)}
    if dimension == Dimension.DEPARTMENT:
        return {d.code: str(d) for d in Department.objects.filter(code__in=keys)}
    if dimension == Dimension.THEME:
        ids = [int(key) for key in keys if key.isdigit()]
        return {str(t.pk): t.title for t in Theme.objects.filter(pk__in=ids)}
    if dimension == Dimension.INSTITUTION:
        return {i.slug: i.label for i in Institution.objects.filter(slug__in=keys)}
    if dimension == Dimension.DISTRICT:
        labels = {code: str(label) for code, label in District.choices}
        labels[""] = str(_("City-wide"))
        return labels
    return {}


def _filter_value(dimension: str, key: str):
    if dimension == Dimension.DISTRICT and key == "":
        return "citywide"
    return key


def breakdown(dimension: str, year: int | None = None, month: int | None = None) -> list[Row]:
    """One row per category, district, department or theme with proposals
    in the period, most received first."""
    grouped = (
        _period(Tally.objects.filter(dimension=dimension), year, month)
        .values("key")
        .annotate(**_sums())
        .order_by("-received", "key")
    )
    rows = list(grouped)
    labels = _labels(dimension, [row["key"] for row in rows])
    period = {"year": year, "month": month}
    return [
        Row(
            key=row["key"],
            label=labels.get(row["key"], row["key"]),
            counts=_counts(row),
            filters={**period, dimension: _filter_value(dimension, row["key"])},
        )
        for row in rows
    ]


def timeliness(year: int | None = None) -> list[Timeliness]:
    """Each department's answer timeliness (all years when None), slowest
    median first (departments without one last), then the most overdue now,
    then by name; departments with answers overdue now are included even
    without a published answer. Overdue now is counted for all years only,
    and shown beside a year's figures as it is today."""
    rows = DepartmentTimeliness.objects.filter(year=year or 0).select_related("department")
    overdue = {}
    if year:
        overdue = dict(
            DepartmentTimeliness.objects.filter(year=0).values_list("department_id", "overdue_now")
        )
    found = [
        Timeliness(
            department=row.department,
            answered=row.answered,
            on_time=row.on_time,
            median_days=round(row.median_hours / 24, 1) if row.median_hours is not None else None,
            overdue_now=overdue.get(row.department_id, 0) if year else row.overdue_now,
        )
        for row in rows
    ]
    # Sorted here: a year's overdue figure comes from the all-years row.
    # A few hundred departments at most.
    found.sort(
        key=lambda t: (
            t.median_days is None,
            -(t.median_days or 0),
            -t.overdue_now,
            t.department.name,
        )
    )
    return found


@dataclass
class CardProgress:
    kind: str
    stage: str
    label: str
    count: int


def card_progress() -> list[CardProgress]:
    """Adopted items and department promises by stage, live (one GROUP BY
    over the cards, a few thousand rows at full scale)."""
    counted = {
        (row["kind"], row["stage"]): row["n"]
        for row in ManagementCard.objects.filter(
            proposal__is_hidden=False, proposal__deleted_at__isnull=True
        )
        .values("kind", "stage")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [
        CardProgress(kind=kind, stage=stage, label=str(label), count=counted.get((kind, stage), 0))
        for kind in CardKind.values
        for stage, label in CardStage.choices
    ]


def headline() -> dict:
    """The home page's figures: all time, and this year so far."""
    today = timezone.localdate()
    return {
        "all": totals(),
        "this_year": totals(year=today.year),
        "year": today.year,
        "as_of": as_of(),
    }


def period_snapshot(year: int, month: int | None = None) -> dict:
    """The figures of one month (or a whole year when month is None), as
    JSON-ready data: what a report freezes. Read inside the caller's
    snapshot (oasis.snapshot.consistent_snapshot)."""

    def rows(dimension):
        return [
            {"key": row.key, "label": row.label, **row.counts.as_dict()}
            for row in breakdown(dimension, year, month)
        ]

    return {
        "year": year,
        "month": month,
        "as_of": (as_of() or datetime.min).isoformat(),
        "totals": totals(year, month).as_dict(),
        "by_month": (
            [{"month": int(row.key), **row.counts.as_dict()} for row in by_month(year)]
            if month is None
            else []
        ),
        "by_category": rows(Dimension.CATEGORY),
        "by_district": rows(Dimension.DISTRICT),
        "by_department": rows(Dimension.DEPARTMENT),
        "by_theme": rows(Dimension.THEME),
        "timeliness": [
            {
                "department": t.department.code,
                "department_name": t.department.name,
                "answered": t.answered,
                "on_time": t.on_time,
                "on_time_share": t.on_time_share,
                "median_days": t.median_days,
            }
            for t in timeliness(year)
        ],
    }


def monthly_tallies():
    """Every tally row (each dimension's key per month received), oldest
    month first, as JSON-ready dicts with the key's label in the active
    language and the adoption rate: the open data's statistics file. Reads
    the tallies in chunks; the labels once per dimension."""
    keys: dict[str, set] = {}
    for row in Tally.objects.values("dimension", "key").distinct().order_by():
        keys.setdefault(row["dimension"], set()).add(row["key"])
    labels = {dimension: _labels(dimension, sorted(found)) for dimension, found in keys.items()}
    labels[Dimension.ALL] = {"": str(Dimension.ALL.label)}
    for row in (
        Tally.objects.order_by("year", "month", "dimension", "key")
        .values("dimension", "key", "year", "month", *STAGE_FIELDS.values())
        .iterator(chunk_size=2_000)
    ):
        counts = _counts(row)
        yield {
            "dimension": row["dimension"],
            "key": row["key"],
            "label": labels.get(row["dimension"], {}).get(row["key"], row["key"]),
            "year": row["year"],
            "month": row["month"],
            **counts.as_dict(),
        }


# --- added by the reports part (stats/reports.py) --------------------------------


def first_month() -> tuple[int, int] | None:
    """The (year, month) of the first public proposal counted; None before
    any. The reports' catch-up starts here, never before."""
    first = (
        Tally.objects.filter(dimension=Dimension.ALL)
        .order_by("year", "month")
        .values_list("year", "month")
        .first()
    )
    return tuple(first) if first else None


def answer_timeliness(start: datetime, end: datetime) -> list[Timeliness]:
    """Each department's first answers to public proposals published in
    [start, end) (the same definition as `timeliness`, for any period; a
    monthly report's month), slowest median first. Overdue now is not a
    figure of a past period: always 0. Reads one narrow column per answer
    of the period (a month's are a few thousand at full scale): the median
    needs the values."""
    answered = ProposalFact.objects.filter(
        is_public=True,
        department__isnull=False,
        answered_at__gte=start,
        answered_at__lt=end,
    )
    counted: dict[int, list] = {}
    for department_id, spent, met in answered.values_list(
        "department_id", "answer_hours", "answered_on_time"
    ).order_by():
        entry = counted.setdefault(department_id, [0, 0, []])
        entry[0] += 1
        entry[1] += bool(met)
        if spent is not None:
            entry[2].append(spent)
    departments = Department.objects.in_bulk(list(counted))
    rows = [
        Timeliness(
            department=departments[department_id],
            answered=n,
            on_time=on_time,
            median_days=round(int(median(hours)) / 24, 1) if hours else None,
            overdue_now=0,
        )
        for department_id, (n, on_time, hours) in counted.items()
    ]
    rows.sort(key=lambda row: (-(row.median_days or 0), row.department.name))
    return rows


def adopted_between(start: datetime, end: datetime) -> list[dict]:
    """The public proposals a realization meeting adopted in [start, end),
    in the order decided: id, department code and the decision's moment
    (ISO 8601, Seoul time). Titles are not given: a reader of a frozen
    list takes them from the live proposal, so a proposal hidden or retitled
    by moderation since is never shown as it was."""
    items = (
        AgendaItem.objects.filter(
            decision=AgendaDecision.ADOPTED,
            decided_at__gte=start,
            decided_at__lt=end,
            proposal__in=Proposal.objects.public(),
        )
        .order_by("decided_at", "pk")
        .values_list("proposal_id", "proposal__department__code", "decided_at")
    )
    return [
        {
            "proposal": proposal_id,
            "department": department or "",
            "decided_at": timezone.localtime(decided_at).isoformat(),
        }
        for proposal_id, department, decided_at in items
    ]
