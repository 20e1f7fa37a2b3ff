"""What the poll's page says about its target (templates/polls/includes/
eligibility.html): who the poll asks, and for this reader whether they can
vote, what to tell us first, or why they cannot (they still see the poll)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode

from polls.models import PollStatus
from tests.factories import UserFactory
from tests.pages import english_client, logged_in, page_html, page_text
from tests.polls.target_helpers import targeted_poll

pytestmark = pytest.mark.django_db


def box_of(response) -> str:
    html = page_html(response)
    start = html.find('<section class="poll-target"')
    return page_text(html[start : html.find("</section>", start)]).strip() if start >= 0 else ""


def test_a_poll_for_everyone_shows_no_target_box():
    response = logged_in(UserFactory()).get(targeted_poll().get_absolute_url())
    assert response.status_code == 200 and box_of(response) == ""


def test_a_member_in_the_target_is_told_they_can_vote():
    poll = targeted_poll(districts=["mapo"], genders=["female"])
    box = box_of(
        logged_in(UserFactory(district="mapo", gender="female")).get(poll.get_absolute_url())
    )
    assert box.startswith("Who this poll asks")
    assert "This poll asks residents of Mapo-gu of gender Female." in box
    assert "You are in this group: you can vote." in box


def test_a_member_without_the_detail_is_sent_to_give_it_and_back():
    poll = targeted_poll(districts=["mapo"], ages=["30s"])
    response = logged_in(UserFactory(district="mapo")).get(poll.get_absolute_url())
    box = box_of(response)
    assert "To vote, please tell us your birth year" in box
    details = reverse("polls:details_needed", args=[poll.pk])
    link = f"{details}?{urlencode({'next': poll.get_absolute_url()})}"
    assert f'href="{link}"' in page_html(response)


def test_a_member_outside_the_target_sees_the_poll_and_is_told_why():
    poll = targeted_poll(districts=["mapo", "eunpyeong"])
    response = logged_in(UserFactory(district="gangnam")).get(poll.get_absolute_url())
    assert response.status_code == 200
    assert poll.title in page_text(response)
    box = box_of(response)
    assert "This poll asks residents of Mapo-gu, Eunpyeong-gu." in box
    assert "you are not in this group, so you cannot vote" in box
    assert "You can still read the poll and see its results" in box
    assert "Gangnam" not in box  # the member's own data is not repeated
    assert f'href="{reverse("accounts:profile")}"' in page_html(response)
    assert 'id="vote-form"' not in response.content.decode()


def test_in_korean_the_box_says_who_the_poll_asks():
    poll = targeted_poll(districts=["mapo", "eunpyeong"], ages=["20s", "30s"])
    client = Client()
    client.force_login(UserFactory(district="gangnam"))
    box = box_of(client.get(poll.get_absolute_url()))
    assert "이 투표는 마포구·은평구에 사는 20대·30대 시민에게 묻습니다." in box
    assert "투표할 수 없습니다" in box


def test_a_visitor_is_told_who_is_asked_and_to_log_in():
    poll = targeted_poll(genders=["female"])
    box = box_of(english_client().get(poll.get_absolute_url()))
    assert "This poll asks citizens of gender Female." in box
    assert "Log in to see whether you can vote" in box


def test_a_closed_poll_says_only_whom_it_asked():
    poll = targeted_poll(districts=["mapo"], status=PollStatus.CLOSED)
    box = box_of(logged_in(UserFactory()).get(poll.get_absolute_url()))
    assert box == "Who this poll asks This poll asks residents of Mapo-gu."
