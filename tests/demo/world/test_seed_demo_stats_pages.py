"""The demo shows the open statistics (issue 15): seed_demo counts them once
at the end, so a newcomer under `make run` sees figures on the front page
and on /stats/, each leading to the proposals it counts, and the next
realization meeting on the front page."""

import re

import pytest
from django.test import Client

from meetings.selectors import next_scheduled_meeting
from proposals.models import Proposal
from tests.pages import english_client, page_html, page_text
from tests.stats.test_pages import figure_links, table

pytestmark = pytest.mark.django_db


def test_the_front_page_shows_the_demos_figures_and_next_meeting(world):
    response = english_client().get("/")
    received = re.search(
        r"<dt>Proposals received</dt><dd><a [^>]*>([\d,]+)</a></dd>", page_html(response)
    ).group(1)
    assert int(received.replace(",", "")) == Proposal.objects.public().count() > 0
    upcoming = next_scheduled_meeting()
    assert upcoming is not None
    assert "Next realization meeting" in page_text(response)
    assert upcoming.get_absolute_url() in page_html(response)
    assert "다음 실현회의" in page_text(Client().get("/"))


def test_the_statistics_show_the_demo_and_link_to_what_they_count(world):
    en = english_client()
    response = en.get("/stats/")
    assert response.status_code == 200
    years = table(response, "stats-by-year")
    assert years and all(int(cells[0].replace(",", "")) > 0 for cells in years.values())
    funnel = table(response, "stats-funnel")
    assert all(int(cells[0].replace(",", "")) > 0 for cells in list(funnel.values())[:5])
    # Each figure's list counts what the figure says (the smaller ones, a
    # page of twenty or less, are listed whole)
    checked = 0
    for url, number in figure_links(response):
        if 0 < number <= 20:
            listed = en.get(url)
            assert len(re.findall(r'class="proposal-item"', page_html(listed))) == number, url
            checked += 1
    assert checked >= 5
    for path in ("/stats/departments/", "/stats/themes/"):
        assert en.get(path).status_code == 200
    assert table(en.get("/stats/departments/"), "stats-timeliness")
    assert table(en.get("/stats/themes/"), "stats-by-theme")
