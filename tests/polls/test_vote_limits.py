"""The poll pages' cost does not grow with rows, and voting is rate-limited
like every other write."""

import pytest
from django.urls import reverse

from polls.forms import field_name
from polls.models import PollStatus
from polls.services.votes import poll_vote
from tests.pages import english_client, logged_in, page_text
from tests.polls.vote_helpers import choice_ids, choice_poll, citizen, survey_poll, yes_no_poll

pytestmark = pytest.mark.django_db


def _polls(n, start=0):
    for i in range(start, start + n):
        (yes_no_poll if i % 2 else choice_poll)(
            title=f"투표 {i}", status=PollStatus.CLOSED if i % 3 == 0 else PollStatus.PUBLISHED
        )


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_poll_list_costs_the_same_for_3_polls_or_25(who, django_assert_max_num_queries):
    member = citizen()
    client = english_client() if who == "visitor" else logged_in(member)
    _polls(3)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("polls:list")).status_code == 200
    _polls(22, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("polls:list"))
    assert "투표 24" in page_text(response)


def test_the_poll_list_filters_by_type_and_shows_what_the_member_voted():
    poll = yes_no_poll(title="찬반 하나")
    choice_poll(title="문답 하나")
    member = citizen()
    question = poll.questions.get()
    poll_vote(
        poll=poll, member=member, answers={question.pk: choice_ids(question, "보호조치 찬성")}
    )

    response = logged_in(member).get(reverse("polls:list") + "?kind=yes_no")

    text = page_text(response)
    assert "찬반 하나" in text and "문답 하나" not in text
    assert "You voted" in text
    # An unknown type is the whole list, not an error
    assert logged_in(member).get(reverse("polls:list") + "?kind=nope").status_code == 200


def test_open_polls_come_before_closed_ones():
    closed = yes_no_poll(title="마감된 투표", status=PollStatus.CLOSED)
    open_poll = yes_no_poll(title="진행 중 투표")
    text = page_text(english_client().get(reverse("polls:list")))
    assert text.index(open_poll.title) < text.index(closed.title)


def test_the_poll_page_costs_the_same_however_many_have_voted(django_assert_max_num_queries):
    poll = survey_poll(allow_vote_change=True)
    member = citizen()
    client = logged_in(member)
    answers = {
        q.pk: (choice_ids(q, q.choices.first().label) if q.kind != "text" else "의견")
        for q in poll.questions.all()
    }
    poll_vote(poll=poll, member=member, answers=answers)
    with django_assert_max_num_queries(20) as few:
        assert client.get(poll.get_absolute_url()).status_code == 200
    for _ in range(10):
        poll_vote(poll=poll, member=citizen(), answers=answers)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(poll.get_absolute_url())
    assert "You voted" in page_text(response)


def test_voting_over_and_over_is_stopped_with_the_friendly_page(settings):
    settings.OASIS_RATE_LIMITS = {
        **settings.OASIS_RATE_LIMITS,
        "poll_vote": {"user": "3/h", "ip": "100/h"},
    }
    poll = yes_no_poll(allow_vote_change=True)
    question = poll.questions.get()
    client = logged_in(citizen())
    url = reverse("polls:vote", args=[poll.pk])
    data = {field_name(question.pk): str(choice_ids(question, "보호조치 찬성")[0])}
    statuses = [client.post(url, data).status_code for _ in range(3)]
    assert statuses == [302, 302, 302]
    refused = client.post(url, data)
    assert refused.status_code == 429
    assert "Too many requests" in page_text(refused)
