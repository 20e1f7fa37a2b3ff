"""The demo shows themed calls (issue 14): an open theme with proposals made
through the theme's service, and a closed one with a theme-debate pick whose
debate is open and the department's published final response and outcome;
on /themes/, the theme pages and the front page, each dated before the
loading."""

import pytest
from django.test import Client

from debates.models import DebateStatus
from proposals.models import EventKind, ProposalStatus
from tests.pages import english_client, page_text
from themes.models import Theme, ThemeProposal, ThemeStatus

pytestmark = pytest.mark.django_db


def test_an_open_theme_takes_proposals_and_shows_on_the_front_page(world):
    theme = Theme.objects.get(status=ThemeStatus.PUBLISHED)
    assert theme.is_open()
    entries = ThemeProposal.objects.filter(theme=theme).select_related("proposal")
    assert entries.count() >= 3 and theme.proposal_count == entries.count()
    # through the service: each proposal's timeline names the theme
    for entry in entries:
        assert entry.proposal.events.filter(kind=EventKind.THEME_SUBMITTED).exists()
        assert entry.proposal.created_at < world.started
        assert theme.starts_at <= entry.created_at < world.started
    assert theme.published_at < theme.starts_at < world.started
    assert theme.materials.exists()

    page = page_text(english_client().get(f"/themes/{theme.pk}/"))
    assert theme.title in page and "Propose an idea to this theme" in page
    assert all(entry.proposal.title in page for entry in entries)
    assert theme.title in page_text(Client().get("/"))


def test_a_closed_theme_has_a_debate_pick_and_its_departments_response(world):
    theme = Theme.objects.get(status=ThemeStatus.CLOSED)
    assert theme.ends_at < world.started and theme.closed_at == theme.ends_at
    assert theme.response and theme.outcome
    assert theme.ends_at < theme.response_published_at < world.started
    picks = ThemeProposal.objects.filter(theme=theme, picked_for_debate_at__isnull=False)
    assert picks.count() == 2
    debated = picks.get(proposal__status=ProposalStatus.DEBATE).proposal
    assert debated.debate.status == DebateStatus.OPEN
    assert debated.debate.starts_at < world.started and debated.debate.stance_total > 0
    # the other waits for the theme's department to answer it
    waiting = picks.exclude(proposal=debated).get().proposal
    assert waiting.status == ProposalStatus.ASSIGNED
    assert waiting.department_id == theme.department_id

    page = page_text(english_client().get(f"/themes/{theme.pk}/"))
    for words in (
        "This theme is closed",
        "The department's final response",
        theme.outcome[:20],
        "Picked for the theme debate",
        debated.title,
        "Open for debate",
        "Debate not opened yet",
    ):
        assert words in page, words
    # and the list shows both, the open one first
    listing = page_text(english_client().get("/themes/"))
    other = Theme.objects.get(status=ThemeStatus.PUBLISHED)
    assert listing.index(other.title) < listing.index(theme.title)
