"""Reads of themes: the entries that count, the lists the staff homes and
the admin show, and the public pages' reads (the list with open themes
first, one theme's page with its material, proposals and debate picks, the
front page's open themes). The public reads never return a draft; each list
costs a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.predicates import is_operator
from oasis.admin_utils import days_until
from oasis.pagination import CappedPaginator
from proposals import selectors as proposal_selectors
from proposals.models import Proposal, ProposalStatus

from .models import Theme, ThemeMaterial, ThemeProposal, ThemeStatus
from .rules import theme_open_refusal

# A theme's proposal that stands (proposals.participation.proposal_stands as
# a query): what Theme.proposal_count counts and the theme page lists.
STANDING = Q(proposal__is_hidden=False, proposal__deleted_at__isnull=True) & ~Q(
    proposal__status=ProposalStatus.WITHDRAWN
)

# How far ahead the operators' home looks for themes about to close.
CLOSING_SOON = timedelta(days=7)


def standing_entries(theme):
    """The theme's proposals that stand, as ThemeProposal rows."""
    return ThemeProposal.objects.filter(theme=theme).filter(STANDING)


def pick_candidates(theme):
    """The theme's standing proposals, most endorsed first: the list the
    operator picks the theme debate from."""
    return (
        standing_entries(theme)
        .select_related("proposal")
        .order_by("-proposal__endorsement_count", "proposal_id")
    )


def closing_soon(now=None):
    """Published themes that close within CLOSING_SOON, soonest first."""
    now = now or timezone.now()
    return Theme.objects.filter(
        status=ThemeStatus.PUBLISHED, ends_at__gt=now, ends_at__lte=now + CLOSING_SOON
    ).order_by("ends_at", "pk")


def waiting_for_response(department=None):
    """Closed themes whose final response is not published yet, the longest
    waiting first; one department's when given."""
    themes = Theme.objects.filter(status=ThemeStatus.CLOSED, response_published_at__isnull=True)
    if department is not None:
        themes = themes.filter(department=department)
    return themes.select_related("department").order_by("closed_at", "pk")


def visible_to_staff(user, themes=None):
    """The themes `user` sees in the admin: every one for an operator, their
    own department's for an official (themes.see_theme's twin)."""
    themes = Theme.objects.all() if themes is None else themes
    if is_operator(user):
        return themes
    if user.department_id is None:
        return themes.none()
    return themes.filter(department_id=user.department_id)


# --- the public pages ------------------------------------------------------------------

# Themes a page of /themes/ shows, and proposals a page of a theme.
THEMES_PER_PAGE = 12
PROPOSALS_PER_PAGE = 20
# Open themes the front page shows at most.
FRONT_PAGE_THEMES = 3


class Phase:
    """Where a public theme stands for a reader, from its status and period
    (the beat may not have closed a theme whose end has just passed)."""

    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


def phase_of(theme: Theme, now: datetime | None = None) -> str:
    """A draft reads as it will once published (the admin's preview)."""
    now = now or timezone.now()
    if theme.status == ThemeStatus.CLOSED or now >= theme.ends_at:
        return Phase.CLOSED
    if now < theme.starts_at:
        return Phase.UPCOMING
    return Phase.OPEN


def public_themes() -> QuerySet[Theme]:
    """Themes the public may read: published or closed, never a draft."""
    return Theme.objects.filter(
        status__in=[ThemeStatus.PUBLISHED, ThemeStatus.CLOSED]
    ).select_related("department")


def is_public(theme: Theme) -> bool:
    """public_themes' twin for one theme."""
    return theme.status in (ThemeStatus.PUBLISHED, ThemeStatus.CLOSED)


def open_themes(now: datetime | None = None) -> QuerySet[Theme]:
    """Themes taking proposals now, the one closing soonest first."""
    now = now or timezone.now()
    return (
        public_themes()
        .filter(status=ThemeStatus.PUBLISHED, starts_at__lte=now, ends_at__gt=now)
        .order_by("ends_at", "id")
    )


def theme_list(now: datetime | None = None) -> QuerySet[Theme]:
    """The public list: open themes first (closing soonest first), then
    those about to open (soonest first), then the closed ones (latest
    closed first). One ordering the database sorts, so a page is one query
    however many themes there are."""
    now = now or timezone.now()
    is_open = Q(status=ThemeStatus.PUBLISHED, starts_at__lte=now, ends_at__gt=now)
    upcoming = Q(status=ThemeStatus.PUBLISHED, starts_at__gt=now)
    return (
        public_themes()
        .annotate(
            group=Case(
                When(is_open, then=Value(0)),
                When(upcoming, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            # Open and upcoming themes read by their nearest date, closed ones
            # newest first: the sort key is the date's distance from now's side.
            open_key=Case(When(is_open, then="ends_at"), When(upcoming, then="starts_at")),
        )
        .order_by("group", "open_key", "-ends_at", "-id")
    )


@dataclass
class ThemeRow:
    """A theme as a list shows it: where it stands and its days left."""

    theme: Theme
    phase: str
    days_left: int | None  # to the close while open, to the opening while upcoming


def theme_rows(themes, now: datetime | None = None) -> list[ThemeRow]:
    now = now or timezone.now()
    rows = []
    for theme in themes:
        phase = phase_of(theme, now)
        days = None
        if phase == Phase.OPEN:
            days = days_until(theme.ends_at, now=now)[0]
        elif phase == Phase.UPCOMING:
            days = days_until(theme.starts_at, now=now)[0]
        rows.append(ThemeRow(theme=theme, phase=phase, days_left=days))
    return rows


def theme_list_page(page_number, now: datetime | None = None):
    """One page of /themes/ (a CappedPaginator page of ThemeRow)."""
    now = now or timezone.now()
    page = CappedPaginator(theme_list(now), THEMES_PER_PAGE).get_page(page_number)
    page.object_list = theme_rows(page.object_list, now)
    return page


def front_page_themes(now: datetime | None = None) -> list[ThemeRow]:
    """The open themes the front page shows (one query)."""
    now = now or timezone.now()
    return theme_rows(open_themes(now)[:FRONT_PAGE_THEMES], now)


def theme_proposals(theme: Theme) -> QuerySet[Proposal]:
    """The theme's proposals that stand (what its count counts: neither
    hidden, in the trash nor withdrawn), newest first, with what a list row
    shows."""
    return (
        proposal_selectors.proposal_list()
        .filter(theme_entry__theme=theme)
        .exclude(status=ProposalStatus.WITHDRAWN)
        .order_by("-created_at", "-id")
    )


def theme_proposals_page(theme: Theme, page_number):
    return CappedPaginator(theme_proposals(theme), PROPOSALS_PER_PAGE).get_page(page_number)


def theme_picks(theme: Theme) -> list[ThemeProposal]:
    """The theme's proposals picked for the theme debate (테마토론), in the
    order they were picked, each with its proposal and its debate when one
    is open or was (`debate`, else None). Public proposals only."""
    picks = list(
        ThemeProposal.objects.filter(
            theme=theme,
            picked_for_debate_at__isnull=False,
            proposal__in=Proposal.objects.public(),
        )
        .select_related("proposal", "proposal__debate", "proposal__category")
        .order_by("picked_for_debate_at", "id")
    )
    for pick in picks:
        # The reverse one-to-one raises when there is no debate yet.
        pick.debate = getattr(pick.proposal, "debate", None)
    return picks


def theme_materials(theme: Theme) -> list[ThemeMaterial]:
    return list(theme.materials.all())


def theme_page_context(
    theme: Theme,
    *,
    page_number=None,
    preview: bool = False,
    now: datetime | None = None,
) -> dict:
    """What templates/themes/detail.html reads, for the public page and the
    admin's preview of a draft alike: `theme`, `phase`, `days_left`,
    `materials`, `proposals` (a page), `picks`, `can_propose`, `preview`.
    Five queries, whatever the number of proposals and picks."""
    now = now or timezone.now()
    row = theme_rows([theme], now)[0]
    return {
        "theme": theme,
        "phase": row.phase,
        "days_left": row.days_left,
        "materials": theme_materials(theme),
        "proposals": theme_proposals_page(theme, page_number),
        "picks": theme_picks(theme),
        # A preview shows the button as the public will see it, but it
        # leads nowhere that writes (the template says so).
        "can_propose": row.phase == Phase.OPEN
        if preview
        else theme_open_refusal(theme, now) is None,
        "preview": preview,
    }


def theme_of_proposal(proposal_id: int) -> Theme | None:
    """The public theme a proposal was submitted to, if any (one query)."""
    entry = (
        ThemeProposal.objects.filter(proposal_id=proposal_id)
        .exclude(theme__status=ThemeStatus.DRAFT)
        .select_related("theme")
        .first()
    )
    return entry.theme if entry else None
