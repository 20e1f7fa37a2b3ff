"""/themes/ as the public reads it: open themes first with their D-day and
proposal count, then those about to open, then the closed ones; drafts never."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.factories import operator
from tests.pages import english_client, logged_in, page_text
from themes.models import Theme

from .page_helpers import a_theme, entered

pytestmark = pytest.mark.django_db


def titles_in_order(response) -> list[str]:
    return re.findall(r'<h2><a href="/themes/\d+/">([^<]+)</a></h2>', response.content.decode())


@pytest.mark.parametrize("who", ["anonymous", "citizen", "staff"])
def test_open_themes_come_first_then_upcoming_then_closed_and_drafts_never(who):
    # Given themes in every state
    now = timezone.now()
    closing_late = a_theme(title="늦게 마감하는 테마", ends_at=now + dt.timedelta(days=20))
    closing_soon = a_theme(title="곧 마감하는 테마", ends_at=now + dt.timedelta(days=2))
    entered(closing_soon)
    upcoming = a_theme(phase="upcoming", title="곧 열리는 테마")
    closed_long_ago = a_theme(
        phase="closed",
        title="오래전에 마감한 테마",
        starts_at=now - dt.timedelta(days=100),
        ends_at=now - dt.timedelta(days=60),
    )
    closed_lately = a_theme(phase="closed", title="최근 마감한 테마")
    a_theme(phase="draft", title="아직 쓰는 중인 테마")
    client = {
        "anonymous": english_client,
        "citizen": logged_in,
        "staff": lambda: logged_in(operator()),
    }[who]()

    # When the list is read
    response = client.get("/themes/")

    # Then the order is open (closing soonest first), upcoming, closed (latest first)
    assert response.status_code == 200
    assert titles_in_order(response) == [
        closing_soon.title,
        closing_late.title,
        upcoming.title,
        closed_lately.title,
        closed_long_ago.title,
    ]
    text = page_text(response)
    assert "아직 쓰는 중인 테마" not in text
    # with where each stands in words, the D-day and the proposal count
    assert "Taking proposals D-2" in text
    assert "1 proposal" in text and "0 proposals" in text
    assert "Opens in 2 days" in text
    assert "Closed" in text
    assert "Hangang Park HQ" in text


def test_an_empty_list_says_so():
    response = english_client().get("/themes/")
    assert "No theme yet" in page_text(response)


def test_the_list_is_paged_with_a_fixed_number_of_queries(django_assert_max_num_queries):
    member = logged_in()
    counts = []
    for n in (3, 30):
        while Theme.objects.count() < n:
            entered(a_theme(title=f"테마 {Theme.objects.count()}"))
        with django_assert_max_num_queries(9) as captured:
            response = member.get("/themes/")
        counts.append(len(captured.captured_queries))
        assert response.status_code == 200
    assert counts[0] == counts[1]
    # twelve a page, and the next pages hold the rest
    assert len(titles_in_order(response)) == 12
    assert len(titles_in_order(english_client().get("/themes/?page=3"))) == 6
    assert english_client().get("/themes/?page=abc").status_code == 200
