"""The member's page (/me/) lists the open city polls they may vote in and
have not voted in yet (polls/member_home.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from polls.member_home import OPEN_POLLS_CHECKED, votable_polls
from polls.models import Ballot, PollStatus
from tests.factories import UserFactory, operator
from tests.pages import logged_in, page_html, page_text
from tests.polls.target_helpers import targeted_poll

pytestmark = pytest.mark.django_db


def closing_in(days, **fields):
    return targeted_poll(ends_at=timezone.now() + dt.timedelta(days=days), **fields)


def section_of(response) -> str:
    html = page_html(response)
    start = html.find('<section aria-labelledby="my-polls"')
    return page_text(html[start : html.find("</section>", start)]).strip() if start >= 0 else ""


def test_the_member_home_lists_the_open_polls_they_may_vote_in():
    member = UserFactory(district="mapo")
    for_everyone = closing_in(3, title="모두에게 묻는 투표")
    for_mapo = closing_in(2, title="마포구에 묻는 투표", districts=["mapo"])
    closing_in(1, title="강남구에 묻는 투표", districts=["gangnam"])
    needs_age = closing_in(4, title="30대에게 묻는 투표", ages=["30s"])
    closing_in(1, title="닫힌 투표", status=PollStatus.CLOSED)
    closing_in(1, title="준비 중인 투표", status=PollStatus.DRAFT)
    targeted_poll(
        title="곧 열릴 투표",
        starts_at=timezone.now() + dt.timedelta(days=1),
        ends_at=timezone.now() + dt.timedelta(days=5),
    )
    voted = closing_in(1, title="이미 투표한 투표")
    Ballot.objects.create(poll=voted, member=member)

    response = logged_in(member).get(reverse("me"))

    section = section_of(response)
    assert section.startswith("City polls you can vote in")
    titles = [for_mapo.title, for_everyone.title, needs_age.title]
    positions = [section.find(title) for title in titles]
    assert -1 not in positions and positions == sorted(positions)  # closing soonest first
    for left_out in ("강남구에", "닫힌", "준비 중인", "곧 열릴", "이미 투표한"):
        assert left_out not in section
    # The poll that needs the birth year says it will ask for it.
    assert section.count("Asks for a detail first") == 1
    assert section.find("Asks for a detail first") > section.find(needs_age.title)
    html = page_html(response)
    assert f'href="{for_mapo.get_absolute_url()}"' in html
    assert f'href="{reverse("polls:list")}"' in html


def test_no_section_without_a_poll_to_vote_in():
    closing_in(2, districts=["gangnam"])
    response = logged_in(UserFactory(district="mapo")).get(reverse("me"))
    assert section_of(response) == ""


def test_staff_accounts_are_not_invited_to_vote():
    closing_in(2)
    response = logged_in(operator()).get(reverse("me"))
    assert section_of(response) == ""


def test_at_most_five_polls_are_listed():
    for days in range(1, 9):
        closing_in(days)
    assert len(votable_polls(UserFactory())) == 5


def test_the_bound_of_polls_checked_is_kept():
    """Polls outside the member's target do not make the page read more than
    OPEN_POLLS_CHECKED rows: a poll beyond the bound is not found."""
    for _number in range(OPEN_POLLS_CHECKED):
        closing_in(1, districts=["gangnam"])
    closing_in(2)
    assert votable_polls(UserFactory(district="mapo")) == []


def test_the_section_costs_the_same_queries_whatever_the_number_of_polls(
    django_assert_max_num_queries,
):
    member = UserFactory(district="mapo", birth_year=1990)
    closing_in(2, districts=["mapo"])
    client = logged_in(member)
    client.get(reverse("me"))  # sessions and caches warmed
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("me"))
    for days in range(3, 12):
        closing_in(days, districts=["mapo"] if days % 2 else ["gangnam"], ages=["30s"])
        Ballot.objects.create(poll=closing_in(days), member=member)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("me"))
    assert section_of(response).count("· ") >= 5
