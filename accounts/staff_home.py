"""The staff home ("오늘 할 일", Today's work): the admin's index, listing
what waits for the signed-in member in each of their roles.

The work lives in apps above this floor (answers, meetings, tracking, the
conductor), so this module never imports them: each app registers the
builders of its own sections from its AppConfig.ready()
(`register_section`), as it registers its part of the data export. A
builder is asked with the member and the moment, and returns a
`HomeSection` when the member holds the role the section is for, None
otherwise. Every section costs a bounded number of queries whatever the
number of rows: a count that stops at COUNT_CAP + 1 and the first ROW_LIMIT
rows (`section_from`)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from oasis.admin_utils import days_until, dday_cell

# Rows shown per section; the section's list page (`list_url`) has the rest.
ROW_LIMIT = 10
# Counted up to this many; above it the home says "99+", as the lists say
# "more than" past their cap (oasis/pagination.py): the count never reads
# a whole table.
COUNT_CAP = 99


class HomeRole:
    """The role a section is for: the home groups sections under these
    headings, in this order."""

    OFFICIAL = "official"
    HEAD = "head"
    OPERATOR = "operator"
    MAYOR_OFFICE = "mayor_office"
    EXPERT = "expert"
    INSTITUTION = "institution"

    ORDER = [OFFICIAL, HEAD, INSTITUTION, OPERATOR, MAYOR_OFFICE, EXPERT]
    HEADINGS = {
        OFFICIAL: _("Your department's work"),
        HEAD: _("As head of the department"),
        OPERATOR: _("Operator"),
        MAYOR_OFFICE: _("Mayor's office"),
        EXPERT: _("Expert"),
        INSTITUTION: _("Your institution's work"),
    }


@dataclass
class HomeRow:
    """One piece of work: what it is, where it is done, and by when."""

    title: str
    url: str
    deadline: date | None = None
    note: str = ""

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and days_until(self.deadline)[1]

    @property
    def dday(self):
        """The same D-day cell as every admin list: "D-3", "D-day", or
        "Overdue 3 days late" in colour and in words."""
        return dday_cell(self.deadline) if self.deadline else ""


@dataclass
class HomeSection:
    """A kind of work waiting for the member: how much, the first rows, and
    the list with all of it. `links` are further pages of the section (a
    meeting's agendas); `summary` a line about it (the next meeting)."""

    key: str
    role: str
    title: str
    empty_text: str
    rows: list[HomeRow] = field(default_factory=list)
    count: int = 0
    list_url: str = ""
    summary: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def count_label(self) -> str:
        return f"{COUNT_CAP}+" if self.count > COUNT_CAP else str(self.count)

    @property
    def has_more(self) -> bool:
        return self.count > COUNT_CAP or self.count > len(self.rows)


Builder = Callable[[object, datetime], "HomeSection | None"]

# (order, key, builder), kept sorted by order.
_BUILDERS: list[tuple[int, str, Builder]] = []


def register_section(key: str, builder: Builder, *, order: int = 100) -> None:
    """Add a section to staff homes, built by `builder(user, now)`, which
    returns None for members it is not for. Within a role, sections come
    by `order` (the pipeline's order: blocked proposals before answers,
    answers before cards). Registering a key again replaces its builder
    (ready() may run twice in tests)."""
    _BUILDERS[:] = [entry for entry in _BUILDERS if entry[1] != key]
    _BUILDERS.append((order, key, builder))
    _BUILDERS.sort(key=lambda entry: entry[0])


def admin_url(name: str, *args, **query) -> str:
    """The address of the admin page `name` (`args`: its ids), with `query`
    as its filters: where a section's rows and its "open the list" lead."""
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def section_from(
    queryset: QuerySet, row: Callable[[object], HomeRow], *, limit: int = ROW_LIMIT
) -> tuple[list[HomeRow], int]:
    """The first `limit` rows of `queryset` (in its order) made into
    HomeRows by `row`, and how many there are, counted up to COUNT_CAP + 1:
    two queries, the second only when there is something."""
    count = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    rows = [row(obj) for obj in queryset[:limit]] if count else []
    return rows, count


def home_sections(user, now: datetime | None = None) -> list[tuple[str, list[HomeSection]]]:
    """What waits for `user`, as (role heading, sections) in HomeRole.ORDER;
    a member with several roles gets each role's group."""
    now = now or timezone.now()
    by_role: dict[str, list[HomeSection]] = {}
    for _order, _key, builder in _BUILDERS:
        section = builder(user, now)
        if section is not None:
            by_role.setdefault(section.role, []).append(section)
    return [
        (str(HomeRole.HEADINGS[role]), by_role[role]) for role in HomeRole.ORDER if role in by_role
    ]


def registered_keys() -> Iterable[str]:
    return [key for _order, key, _builder in _BUILDERS]
