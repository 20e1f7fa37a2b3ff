"""The departments' answer timeliness, the themed calls and the adopted
items' progress as the statistics pages show them, each figure leading to
what it counts."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from answers.models import Assignment
from stats.refresh import refresh
from tests.answers.helpers import assigned, published
from tests.factories import DepartmentFactory, UserFactory
from tests.pages import english_client, page_html, page_text
from tests.stats.test_pages import figure_links, listed_titles, table
from tests.themes.helpers import make_theme, proposal_fields
from tests.tracking.helpers import adopted_card
from themes import services as theme_services

pytestmark = pytest.mark.django_db


def test_departments_show_their_answer_timeliness_and_the_answers_behind_it():
    # Given two departments: one answered two proposals, one has none yet
    roads = DepartmentFactory(code="roads", name="도로계획과", name_en="Road Planning")
    parks = DepartmentFactory(code="parks", name="공원조성과", name_en="Parks")
    for title in ("보도 턱 낮추기", "자전거 길 잇기"):
        published(assigned(department=roads, title=title))
    late = assigned(department=parks, title="놀이터 그늘막")
    Assignment.objects.filter(pk=late.pk).update(
        assigned_at=timezone.now() - timedelta(days=20), deadline=timezone.now() - timedelta(days=2)
    )
    refresh()
    en = english_client()
    response = en.get("/stats/departments/")
    rows = table(response, "stats-timeliness")
    answers, on_time, share, median, overdue = rows["Road Planning"]
    assert (answers, on_time, share, overdue) == ("2", "2", "100.0%", "0")
    assert median.endswith("days")
    # And the answers lead to the two answered proposals
    link = re.search(r'<a href="([^"]+answered_in=any[^"]*)">2</a>', page_html(response)).group(1)
    assert "department=roads" in link
    assert sorted(listed_titles(en.get(link))) == ["보도 턱 낮추기", "자전거 길 잇기"]
    # And the answer overdue now leads to its proposal
    assert rows["Parks"][0] == "0" and rows["Parks"][4] == "1"
    overdue = re.search(r'<a href="([^"]+overdue=yes[^"]*)">1</a>', page_html(response)).group(1)
    assert listed_titles(en.get(overdue)) == ["놀이터 그늘막"]
    assert "with an answer overdue" in page_text(en.get(overdue))
    # And the proposals by department, each figure with its list
    assert table(response, "stats-by-department")["Road Planning"][:2] == ["2", "2"]
    assert table(response, "stats-by-department")["Parks"][:2] == ["1", "0"]
    for url, number in figure_links(response):
        assert len(listed_titles(en.get(url))) == number, url
    # And the year the answers were published
    year = timezone.localdate().year
    this_year = en.get(f"/stats/departments/?year={year}")
    assert table(this_year, "stats-timeliness")["Road Planning"][0] == "2"
    assert f"answered in {year}" in page_text(en.get(f"{link.split('?')[0]}?answered_in={year}"))


def test_themed_calls_show_the_proposals_sent_to_them():
    theme = make_theme(title="걷고 싶은 한강 다리")
    for title in ("잠수교에 그늘막을", "한강 다리 보행로 넓히기"):
        theme_services.theme_propose(
            theme=theme, author=UserFactory(), **proposal_fields(title=title)
        )
    refresh()
    en = english_client()
    response = en.get("/stats/themes/")
    assert table(response, "stats-by-theme")["걷고 싶은 한강 다리"][0] == "2"
    ((url, number),) = [(u, n) for u, n in figure_links(response) if "stage" not in u]
    listed = en.get(url)
    assert number == 2
    assert sorted(listed_titles(listed)) == ["잠수교에 그늘막을", "한강 다리 보행로 넓히기"]
    assert "themed call “걷고 싶은 한강 다리”" in page_text(listed)


def test_the_adopted_items_progress_links_to_the_public_tracker():
    adopted_card(title="어린이 보호구역 확대")
    refresh()
    en = english_client()
    response = en.get("/stats/")
    cards = table(response, "stats-cards")
    assert cards["Under review"][0] == "1"
    assert '<a href="/adopted/?kind=adopted&stage=review">1</a>' in page_html(response)
    tracker = en.get("/adopted/?kind=adopted&stage=review")
    assert "어린이 보호구역 확대" in page_text(tracker)
