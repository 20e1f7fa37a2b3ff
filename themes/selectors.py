"""Reads of themes: the entries that count, the lists the staff homes and
the admin show. Pages (themepages) build on these."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.predicates import is_operator
from proposals.models import ProposalStatus

from .models import Theme, ThemeProposal, ThemeStatus

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
