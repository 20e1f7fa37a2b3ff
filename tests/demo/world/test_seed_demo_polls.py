"""The demo shows the city polls (issue 14): an open and a closed poll of
each type, one for the members of a district, votes from demo members, a
published department response, a draft on the operator's home, a closed poll
waiting for official@'s department, and the open polls on the front page."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from demo.members import CITIZEN2_EMAIL, CITIZEN_EMAIL, OFFICIAL_EMAIL, OPERATOR_EMAIL
from polls.models import Ballot, Poll, PollKind, PollStatus
from polls.targeting import eligibility
from tests.pages import logged_in, page_text

pytestmark = pytest.mark.django_db


def test_an_open_and_a_closed_poll_of_each_type_with_votes(world):
    for kind in PollKind.values:
        for status in (PollStatus.PUBLISHED, PollStatus.CLOSED):
            assert Poll.objects.filter(kind=kind, status=status).exists(), (kind, status)
    for poll in Poll.objects.exclude(kind=PollKind.DISCUSSION).exclude(status=PollStatus.DRAFT):
        assert poll.voter_count == Ballot.objects.filter(poll=poll).count() > 0, poll.title
        for question in poll.questions.all():
            assert question.answer_count <= poll.voter_count
    for poll in Poll.objects.filter(kind=PollKind.DISCUSSION):
        # Arguments and endorsements through the discussion service.
        assert poll.arguments.count() > 0, poll.title
        assert poll.voter_count == Ballot.objects.filter(poll=poll).count() > 0, poll.title
    closed = Poll.objects.filter(status=PollStatus.CLOSED)
    assert all(p.closed_at == p.ends_at and p.closed_at < world.started for p in closed)
    assert closed.filter(response_published_at__isnull=False).count() == 1


def test_the_targeted_poll_takes_citizen_but_not_citizen2(world):
    poll = Poll.objects.get(target_districts=["mapo"])
    assert poll.is_open()
    citizen = User.objects.get(email=CITIZEN_EMAIL)
    outside = User.objects.get(email=CITIZEN2_EMAIL)
    assert eligibility(citizen, poll).allowed
    assert not eligibility(outside, poll).allowed
    # The fixed citizen logins are left to vote themselves.
    assert not Ballot.objects.filter(member__in=[citizen, outside]).exists()


def test_staff_homes_and_the_front_page_show_the_polls(world):
    home = page_text(logged_in(User.objects.get(email=OPERATOR_EMAIL)).get(reverse("admin:index")))
    assert "City polls waiting to be published" in home
    assert "공원 전체를 금연 구역으로 정하면 어떨까요?" in home
    official = page_text(
        logged_in(User.objects.get(email=OFFICIAL_EMAIL)).get(reverse("admin:index"))
    )
    assert "따릉이 이용 만족도 조사" in official
    front = page_text(Client().get("/"))
    assert "무더운 여름, 민간 상업시설도 적정 실내온도를 지키면 어떨까요?" in front
