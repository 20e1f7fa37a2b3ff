"""The public statistics pages, read from stats.figures (the summary tables),
and the list of the proposals each figure counts.

- /stats/: the funnel (all time and the chosen period), seed 002's per-year
  table, proposals received per month, by category and by district, and the
  adopted items' progress.
- /stats/departments/: by department, and each department's answer
  timeliness.
- /stats/themes/: by themed call.
- /stats/proposals/: the public proposals a figure counted.

A phone reads one subject at a time: the overview holds what most readers
look for and the two longer tables of named owners have pages of their own,
each with the same period form. Every page is the same for every anonymous
reader, and its figures change at most at each refresh (every ten minutes),
so the page cache may keep them (oasis.page_cache)."""

from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.districts import District
from oasis.page_cache import cached_for_anonymous
from oasis.pagination import CappedPaginator
from tracking.models import CardKind, CardStage

from . import figures
from .forms import ANY_YEAR, CITY_WIDE, YES, CountedListForm, PeriodForm
from .models import Dimension, Stage
from .selectors import counted_proposals

PAGE_SIZE = 20

# The stages as table columns: short words, in funnel order (seed 002's
# table calls them 접수건수 … 채택건수).
STAGE_COLUMNS = [
    ("received", gettext_lazy("Received")),
    ("answered", gettext_lazy("Answered")),
    ("debated", gettext_lazy("Debated")),
    ("on_agenda", gettext_lazy("To a meeting")),
    ("adopted", gettext_lazy("Adopted")),
    ("completed", gettext_lazy("Completed")),
]


def _bar(value: int, top: int) -> int:
    """A bar's width in whole percent of the largest value shown (the
    stylesheet has a class for each: no style attribute under the CSP); a
    value above zero always shows at least a sliver."""
    if not top or not value:
        return 0
    return max(1, round(value * 100 / top))


def _table(rows: list[figures.Row]) -> list[dict]:
    """Rows of a stage table: each stage's count with the link to its list,
    the adoption rate, and the bar of the received count."""
    top = max((row.counts.received for row in rows), default=0)
    return [
        {
            "key": row.key,
            "label": row.label,
            "cells": [
                {
                    "name": name,
                    "label": label,
                    "count": getattr(row.counts, name),
                    "link": row.link(name),
                }
                for name, label in STAGE_COLUMNS
            ],
            "rate": row.counts.adoption_rate,
            "bar": _bar(row.counts.received, top),
        }
        for row in rows
    ]


def _period(request, years):
    """The period form, the chosen (year, month), and 400 when the form
    was refused (its message is shown; the page shows all years)."""
    form = PeriodForm(request.GET or None, years=years)
    if not form.is_bound:
        return form, None, None, 200
    if not form.is_valid():
        return form, None, None, 400
    return form, form.cleaned_data["year"], form.cleaned_data["month"], 200


def _period_label(year, month) -> str:
    if year is None:
        return _("All years")
    if month is None:
        return _("Year %(year)d") % {"year": year}
    return _("%(year)d-%(month)02d") % {"year": year, "month": month}


def _page_context(request, section):
    """What every statistics page shares: the period, when the figures were
    counted, and the links between the pages that keep the period."""
    years = figures.years()
    form, year, month, status = _period(request, years)
    query = QueryDict(mutable=True)
    if year is not None:
        query["year"] = year
        if month is not None:
            query["month"] = month
    suffix = f"?{query.urlencode()}" if query else ""
    pages = [
        ("overview", _("Overview"), reverse("stats:overview") + suffix),
        ("departments", _("By department"), reverse("stats:departments") + suffix),
        ("themes", _("By themed call"), reverse("stats:themes") + suffix),
    ]
    context = {
        "section": section,
        "pages": pages,
        "form": form,
        "years": years,
        "year": year,
        "month": month,
        "period_label": _period_label(year, month),
        "as_of": figures.as_of(),
        "stage_columns": STAGE_COLUMNS,
    }
    return context, status


def _funnel(all_time: figures.Counts, period: figures.Counts | None, year, month):
    """The funnel's rows: each stage's count all time and in the period,
    and the period's share of its received proposals (the bar)."""
    shown = period or all_time
    rows = []
    for (name, label), stage in zip(STAGE_COLUMNS, Stage, strict=True):
        count = getattr(shown, name)
        share = round(count * 100 / shown.received, 1) if shown.received else None
        rows.append(
            {
                "name": name,
                "label": stage.label,
                "short": label,
                "all_time": getattr(all_time, name),
                "all_time_link": figures.list_url(name),
                "period": count if period is not None else None,
                "period_link": figures.list_url(name, year=year, month=month),
                "share": share,
                "bar": _bar(count, shown.received),
            }
        )
    return rows


def _cards():
    """Adopted items and department promises per stage (live counts), with
    the public tracker's list of each (/adopted/?kind=&stage=)."""
    progress = {(row.kind, row.stage): row.count for row in figures.card_progress()}
    top = max(progress.values(), default=0)
    tracker = reverse("tracking:list")
    rows = []
    for stage, label in CardStage.choices:
        cells = []
        for kind in CardKind.values:
            count = progress.get((kind, stage), 0)
            cells.append((count, f"{tracker}?kind={kind}&stage={stage}"))
        rows.append({"label": label, "cells": cells, "bar": _bar(cells[0][0], top)})
    return {
        "kinds": [label for _kind, label in CardKind.choices],
        "rows": rows,
        "total": sum(progress.values()),
    }


@cached_for_anonymous
def overview(request):
    context, status = _page_context(request, "overview")
    year, month = context["year"], context["month"]
    if context["as_of"] is not None:
        all_time = figures.totals()
        period = figures.totals(year, month) if year is not None else None
        years = context["years"]
        month_year = year or (years[-1] if years else timezone.localdate().year)
        months = figures.by_month(month_year)
        context.update(
            all_time=all_time,
            period=period,
            shown=period or all_time,
            funnel=_funnel(all_time, period, year, month),
            by_year=_table(figures.by_year()),
            month_year=month_year,
            by_month=_table(months),
            by_category=_table(figures.breakdown(Dimension.CATEGORY, year, month)),
            by_district=_table(figures.breakdown(Dimension.DISTRICT, year, month)),
            cards=_cards(),
        )
    return render(request, "stats/overview.html", context, status=status)


@cached_for_anonymous
def departments(request):
    context, status = _page_context(request, "departments")
    year, month = context["year"], context["month"]
    if context["as_of"] is not None:
        answered_in = year or ANY_YEAR
        timeliness = [
            {
                "row": row,
                "bar": _bar(row.on_time, row.answered),
                "answered_link": figures.list_url(
                    "answered", department=row.department.code, answered_in=answered_in
                ),
                "overdue_link": figures.list_url(
                    "received", department=row.department.code, overdue=YES
                ),
                "on_time_link": figures.list_url(
                    "answered",
                    department=row.department.code,
                    answered_in=answered_in,
                    on_time=YES,
                ),
            }
            for row in figures.timeliness(year)
        ]
        context.update(
            by_department=_table(figures.breakdown(Dimension.DEPARTMENT, year, month)),
            timeliness=timeliness,
        )
    return render(request, "stats/departments.html", context, status=status)


@cached_for_anonymous
def themes(request):
    context, status = _page_context(request, "themes")
    if context["as_of"] is not None:
        context["by_theme"] = _table(
            figures.breakdown(Dimension.THEME, context["year"], context["month"])
        )
    return render(request, "stats/themes.html", context, status=status)


# What a list holds, in words: the stage reached (after "proposals that …").
STAGE_PHRASES = {
    Stage.ANSWERED: gettext_lazy("were answered by the department"),
    Stage.DEBATED: gettext_lazy("went as far as a debate"),
    Stage.ON_AGENDA: gettext_lazy("were put to a realization meeting"),
    Stage.ADOPTED: gettext_lazy("were adopted"),
    Stage.COMPLETED: gettext_lazy("were adopted and completed"),
}


def _scope_words(data: dict) -> list[str]:
    """The filters of a valid CountedListForm, each in words."""
    words = []
    year, month = data.get("year"), data.get("month")
    if year is not None and month is not None:
        words.append(_("received in %(year)d-%(month)02d") % {"year": year, "month": month})
    elif year is not None:
        words.append(_("received in %(year)d") % {"year": year})
    elif month is not None:
        words.append(_("received in month %(month)d of any year") % {"month": month})
    if data.get("category") is not None:
        words.append(_("%(name)s category") % {"name": data["category"].label})
    district = data.get("district")
    if district == CITY_WIDE:
        words.append(_("city-wide"))
    elif district:
        words.append(str(District(district).label))
    if data.get("department") is not None:
        words.append(_("handled by %(name)s") % {"name": data["department"].label})
    if data.get("theme") is not None:
        words.append(_("themed call “%(name)s”") % {"name": data["theme"].title})
    if data.get("institution") is not None:
        words.append(_("addressed to %(name)s") % {"name": data["institution"].label})
    answered_in = data.get("answered_in")
    if answered_in == ANY_YEAR:
        words.append(
            _("answered on time, in any year")
            if data.get("on_time") == YES
            else _("with a published answer")
        )
    elif answered_in:
        words.append(
            (
                _("answered on time in %(year)d")
                if data.get("on_time") == YES
                else _("answered in %(year)d")
            )
            % {"year": answered_in}
        )
    if data.get("overdue") == YES:
        words.append(_("with an answer overdue"))
    return words


def _list_heading(data: dict) -> str:
    """ "2024년 교통 분야 제안 중 토론까지 간 제안": the list's heading."""
    words = _scope_words(data)
    scope = words[0] if words else ""
    for word in words[1:]:
        # Korean runs the words on; English separates them with commas.
        scope = _("%(scope)s, %(more)s") % {"scope": scope, "more": word}
    stage = data.get("stage", Stage.RECEIVED)
    if stage == Stage.RECEIVED:
        return (
            _("Proposals (%(scope)s)") % {"scope": scope} if scope else _("Every proposal received")
        )
    phrase = STAGE_PHRASES[stage]
    if scope:
        return _("Proposals (%(scope)s) that %(stage)s") % {"scope": scope, "stage": phrase}
    return _("Proposals that %(stage)s") % {"stage": phrase}


@cached_for_anonymous
def proposal_list(request):
    """The public proposals a figure counted (stats.figures.list_url), as the
    proposal list shows them, paged without counting past the cap. Filters
    the form refuses (an unknown stage, a year of letters, a category that
    does not exist) are answered with the form's message and no proposals,
    with status 400: nothing is listed for a figure that does not exist."""
    form = CountedListForm(request.GET)
    status = 200
    as_of = figures.as_of()
    if form.is_valid():
        data = form.cleaned_data
        queryset = counted_proposals(
            **data,
            overdue_at=as_of or timezone.now(),
            user=request.user if request.user.is_authenticated else None,
        )
        heading = _list_heading(data)
    else:
        status = 400
        queryset = counted_proposals().none()
        heading = _("No list for these filters")
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "stats/proposal_list.html",
        {
            "form": form,
            "heading": heading,
            "page": page,
            "query": query.urlencode(),
            "as_of": as_of,
        },
        status=status,
    )
