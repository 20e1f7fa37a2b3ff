"""Reads for a partner institution's space (/org/<slug>/): the institution
itself, and the short lists its home page shows. Each costs a fixed number
of queries, whatever the institution holds."""

import re

from django.http import Http404
from django.utils import timezone

from accounts.models import Institution
from debates.selectors import debate_list
from polls.selectors import OPEN, public_polls
from proposals import selectors as proposal_selectors
from proposals.models import ProposalStatus

# The home page's short lists.
HOME_PROPOSALS = 6
HOME_DEBATES = 3
HOME_POLLS = 3
# The brand colour is written into a nonce'd <style> of a public page: only a
# plain #rrggbb passes (the admin form checks it too), else the house colour.
BRAND_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULT_BRAND = "#1f5fa8"


def institution_or_404(slug: str) -> Institution:
    """Any registered institution, open or closed (a closed one's space is
    still read; it only takes no new proposals). Unknown: 404."""
    try:
        return Institution.objects.get(slug=slug)
    except Institution.DoesNotExist:
        raise Http404 from None


def open_institutions():
    """The institutions listed at /org/: the open ones, by name."""
    return Institution.objects.filter(is_active=True).order_by("name")


def brand_color(institution: Institution) -> str:
    color = institution.brand_color or ""
    return color if BRAND_COLOR.fullmatch(color) else DEFAULT_BRAND


def home_lists(institution: Institution, user) -> dict:
    """The home page's open proposals (most endorsed first), open debates
    (ending soonest) and open polls (closing soonest)."""
    proposals = proposal_selectors.with_endorsed_flag(
        proposal_selectors.proposal_list().filter(
            institution=institution, status=ProposalStatus.OPEN
        ),
        user,
    ).order_by("-endorsement_count", "-id")[:HOME_PROPOSALS]
    now = timezone.now()
    polls = [
        poll
        for poll in public_polls(now=now, institution=institution)[:HOME_POLLS]
        if poll.group == OPEN
    ]
    return {
        "proposals": list(proposals),
        "debates": list(debate_list(status="open", institution=institution)[:HOME_DEBATES]),
        "polls": polls,
    }
