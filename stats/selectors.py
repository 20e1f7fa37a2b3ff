"""The one read of the facts outside stats.figures: the public proposals a
figure counted, for the list each figure links to (/stats/proposals/).

It filters ProposalFact as the tallies were summed from it (public facts,
stage reached at least, the month received, the dimension's key), so the
list holds exactly the proposals its figure counted at the last refresh,
less any hidden or trashed since (a list never shows what the public site
does not)."""

from datetime import datetime

from django.db.models import QuerySet

from answers.models import Assignment
from proposals import selectors as proposal_selectors
from proposals.models import Proposal

from .forms import ANY_YEAR, CITY_WIDE, YES
from .models import Stage


def counted_proposals(
    *,
    stage: int = Stage.RECEIVED,
    year: int | None = None,
    month: int | None = None,
    category=None,
    district: str = "",
    department=None,
    theme=None,
    institution=None,
    answered_in: int | str = "",
    on_time: str = "",
    overdue: str = "",
    overdue_at: datetime | None = None,
    user=None,
) -> QuerySet[Proposal]:
    """Public proposals whose fact reached `stage` and matches the filters
    (a CountedListForm's cleaned data), newest first, with what a list row
    shows. `answered_in`: the year the first answer was published, or
    "any"; with `on_time` "yes", only answers that met their deadline (the
    departments' timeliness counts these among proposals with a department).
    `overdue` "yes": the proposals whose answer is still awaited and was due
    before `overdue_at` (the last refresh, when "overdue now" was counted);
    read from the live assignments, so one answered since has left the list."""
    facts = {"fact__is_public": True, "fact__stage__gte": stage}
    if year is not None:
        facts["fact__year"] = year
    if month is not None:
        facts["fact__month"] = month
    if category is not None:
        facts["fact__category"] = category
    if district:
        facts["fact__district"] = "" if district == CITY_WIDE else district
    if department is not None:
        facts["fact__department"] = department
    if theme is not None:
        facts["fact__theme"] = theme
    if institution is not None:
        facts["fact__institution"] = institution
    if answered_in != "":
        facts["fact__answered_at__isnull"] = False
        facts["fact__department__isnull"] = False
        if answered_in != ANY_YEAR:
            # In Seoul's calendar (TIME_ZONE), as the refresh counts the year.
            facts["fact__answered_at__year"] = answered_in
    if on_time == YES:
        facts["fact__answered_on_time"] = True
    queryset = proposal_selectors.proposal_list().filter(**facts)
    if overdue == YES:
        late = Assignment.objects.awaiting_answer().filter(deadline__lt=overdue_at)
        if department is not None:
            late = late.filter(department=department)
        queryset = queryset.filter(pk__in=late.values("proposal_id"))
    if user is not None:
        queryset = proposal_selectors.with_endorsed_flag(queryset, user)
    return queryset.order_by("-created_at", "-id")
