"""The public reports pages: /stats/reports/ (every report, newest first)
and /stats/reports/<kind>/<period>/ (one report, its frozen figures as
tables with bars, printable). Nothing here counts anything: a report's
figures are read from its own row (stats/reports.py froze them)."""

import datetime as dt
import re

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from oasis.page_cache import cached_for_anonymous
from proposals.models import Proposal

from .figures import list_url
from .models import STAGE_FIELDS, Dimension, Report, ReportKind, Stage
from .reports import BREAKDOWNS

# Monthly reports per page: two years.
REPORTS_PER_PAGE = 24

# ASCII digits only: \d and int() take any script's digits (２０２６).
PERIOD_FORMS = {
    ReportKind.MONTHLY: re.compile(r"^([0-9]{4})-([0-9]{2})$"),
    ReportKind.YEARLY: re.compile(r"^([0-9]{4})$"),
}

DIMENSION_TITLES = {
    Dimension.CATEGORY: _("By category"),
    Dimension.DISTRICT: _("By district"),
    Dimension.DEPARTMENT: _("By department"),
    Dimension.THEME: _("By theme"),
}


def period_name(kind: str, period_start: dt.date) -> str:
    """The period in a report's URL: 2026-11 for a month, 2025 for a year."""
    return f"{period_start:%Y}" if kind == ReportKind.YEARLY else f"{period_start:%Y-%m}"


def _summaries(reports) -> list[dict]:
    return [
        {
            **report,
            "url": reverse(
                "stats:report",
                args=[report["kind"], period_name(report["kind"], report["period_start"])],
            ),
        }
        for report in reports
    ]


@cached_for_anonymous
def report_list(request):
    """The yearly reports (a handful, all on the first page) and the monthly
    ones, newest first, paged; each with its headline figures, read from
    the frozen JSON in the same query."""
    columns = (
        "kind",
        "period_start",
        "as_of",
        "figures__totals__received",
        "figures__totals__adopted",
    )
    yearly = _summaries(
        Report.objects.filter(kind=ReportKind.YEARLY).order_by("-period_start").values(*columns)
    )
    page = Paginator(
        Report.objects.filter(kind=ReportKind.MONTHLY).order_by("-period_start").values(*columns),
        REPORTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    page.object_list = _summaries(page.object_list)
    return render(
        request,
        "stats/reports/list.html",
        {"yearly": yearly if page.number == 1 else [], "page": page, "query": ""},
    )


def _report_or_404(kind: str, period: str) -> Report:
    form = PERIOD_FORMS.get(kind)
    found = form.match(period) if form else None
    if found is None:
        raise Http404
    year = int(found.group(1))
    month = int(found.group(2)) if kind == ReportKind.MONTHLY else 1
    if not (1 <= month <= 12 and year >= 1):
        raise Http404
    report = Report.objects.filter(kind=kind, period_start=dt.date(year, month, 1)).first()
    if report is None:
        raise Http404
    return report


def _share(value: int, largest: int) -> int:
    """A bar's width in whole percent of the table's largest figure; a
    figure above zero always shows at least a sliver."""
    if not largest or not value:
        return 0
    return max(1, round(value * 100 / largest))


def _stage_columns():
    return [(name, Stage(stage).label) for stage, name in STAGE_FIELDS.items()]


def _breakdown(figures: dict, dimension: str, english: dict, period: dict) -> list[dict]:
    rows = figures.get(BREAKDOWNS[dimension], [])
    largest = max((row["received"] for row in rows), default=0)
    shown = []
    for row in rows:
        filter_value = (
            "citywide" if dimension == Dimension.DISTRICT and row["key"] == "" else row["key"]
        )
        filters = {**period, dimension: filter_value}
        shown.append(
            {
                "label": english.get(dimension, {}).get(row["key"]) or row["label"],
                "cells": [
                    {"value": row[name], "link": list_url(name, **filters)}
                    for name in STAGE_FIELDS.values()
                ],
                "adoption_rate": row.get("adoption_rate"),
                "share": _share(row["received"], largest),
            }
        )
    return shown


def _change(now: int, before: int) -> dict:
    return {"now": now, "before": before, "difference": now - before}


@cached_for_anonymous
def report_detail(request, kind: str, period: str):
    """One report: its frozen figures as tables (with bars), compared with
    the previous period; each figure links to today's list of the proposals
    it counts. Unknown kind, malformed or unreported period → 404."""
    report = _report_or_404(kind, period)
    figures = report.figures
    english = figures.get("labels_en", {}) if (get_language() or "ko").startswith("en") else {}
    year, month = figures.get("year"), figures.get("month")
    period_filters = {"year": year, "month": month}
    totals = figures.get("totals", {})
    previous = figures.get("previous", {})
    before = previous.get("totals", {})
    comparison = [
        {
            "label": label,
            "link": list_url(name, **period_filters),
            **_change(totals.get(name, 0), before.get(name, 0)),
        }
        for name, label in _stage_columns()
    ]
    by_month = figures.get("by_month", [])
    largest_month = max((row["received"] for row in by_month), default=0)
    months = [
        {
            "label": f"{year}-{row['month']:02d}",
            "cells": [
                {"value": row[name], "link": list_url(name, year=year, month=row["month"])}
                for name in STAGE_FIELDS.values()
            ],
            "adoption_rate": row.get("adoption_rate"),
            "share": _share(row["received"], largest_month),
        }
        for row in by_month
    ]
    breakdowns = [
        {
            "dimension": dimension,
            "title": DIMENSION_TITLES[dimension],
            "rows": _breakdown(figures, dimension, english, period_filters),
        }
        for dimension in BREAKDOWNS
    ]
    department_names = english.get(Dimension.DEPARTMENT, {})
    answers = [
        {
            **row,
            "department_name": department_names.get(row["department"]) or row["department_name"],
        }
        for row in figures.get("answers", [])
    ]
    # The adopted proposals' titles are read live and only while they are
    # public: one hidden or retitled by moderation since is not shown as it
    # was (the frozen count stays as it was counted).
    frozen = figures.get("adopted", [])
    titles = dict(
        Proposal.objects.public()
        .filter(pk__in=[item["proposal"] for item in frozen])
        .values_list("pk", "title")
    )
    adopted = [
        {
            "title": titles[item["proposal"]],
            "url": reverse("proposals:detail", args=[item["proposal"]]),
            "decided_at": dt.datetime.fromisoformat(item["decided_at"]),
        }
        for item in frozen
        if item["proposal"] in titles
    ]
    as_of = report.as_of
    return render(
        request,
        "stats/reports/detail.html",
        {
            "report": report,
            "period": period_name(report.kind, report.period_start),
            "previous_period": period_name(
                report.kind, dt.date(previous.get("year") or 1, previous.get("month") or 1, 1)
            ),
            "is_yearly": report.kind == ReportKind.YEARLY,
            "as_of": timezone.localtime(as_of),
            "empty": figures.get("empty", False),
            "totals": totals,
            "totals_link": list_url("received", **period_filters),
            "previous": previous,
            "comparison": comparison,
            "stage_columns": _stage_columns(),
            "months": months,
            "breakdowns": breakdowns,
            "answers": answers,
            "adopted": adopted,
            "adopted_hidden": len(frozen) - len(adopted),
        },
    )
