"""Where themes show outside their own pages: the line on a proposal's page
naming its theme, and the front page's section of open themes."""

import datetime as dt

import pytest
from django.utils import timezone

from proposals.front_page import front_sections
from tests.factories import ProposalFactory, UserFactory
from tests.pages import english_client, logged_in, page_html, page_text
from themes.front_page import open_themes_section
from themes.models import Theme, ThemeStatus

from .page_helpers import a_theme, entered

pytestmark = pytest.mark.django_db


def test_a_proposals_page_names_the_theme_it_was_sent_to():
    theme = a_theme(phase="closed")
    proposal = entered(theme)
    for client in (english_client(), logged_in()):
        response = client.get(proposal.get_absolute_url())
        assert f"Themed call Submitted to the theme {theme.title}" in page_text(response)
        assert f'href="/themes/{theme.pk}/"' in page_html(response)
    # a free proposal says nothing of themes
    free = ProposalFactory()
    assert "Submitted to the theme" not in page_text(english_client().get(free.get_absolute_url()))


def test_the_theme_line_costs_the_proposal_page_one_query(django_assert_num_queries):
    # The proposal page's own test holds its total; the line adds one look-up.
    from themes.templatetags.themes_tags import proposal_theme

    proposal = entered(a_theme())
    with django_assert_num_queries(1):
        assert proposal_theme(proposal)["theme"].pk == proposal.theme_entry.theme_id


def test_the_front_page_shows_at_most_three_open_themes_closing_soonest_first(
    django_assert_max_num_queries,
):
    # Given no open theme, only a closed one and a draft
    a_theme(phase="closed", title="마감한 테마")
    a_theme(phase="draft", title="초안 테마")
    # Then the front page has no theme section
    assert [s.key for s in front_sections() if s.key == "themes"] == []
    assert "Themed calls open now" not in page_text(english_client().get("/"))

    # Given four open themes
    now = timezone.now()
    for days in (9, 3, 12, 5):
        a_theme(title=f"{days}일 남은 테마", ends_at=now + dt.timedelta(days=days))
    # When the front page is read
    # (the themes' own section: the polls add theirs beside it)
    with django_assert_max_num_queries(1):
        section = open_themes_section()
    response = logged_in(UserFactory()).get("/")
    text = page_text(response)
    # Then it shows the three closing soonest, in that order, with their D-day
    assert "Themed calls open now" in text
    shown = [row.theme.title for row in section.data["rows"]]
    assert shown == ["3일 남은 테마", "5일 남은 테마", "9일 남은 테마"]
    assert text.index("3일 남은 테마") < text.index("5일 남은 테마") < text.index("9일 남은 테마")
    assert "12일 남은 테마" not in text and "마감한 테마" not in text
    assert "D-3" in text
    assert Theme.objects.filter(status=ThemeStatus.PUBLISHED).count() == 4
