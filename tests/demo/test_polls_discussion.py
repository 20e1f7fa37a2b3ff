"""The demo's discussion-poll arguments (demo/polls_discussion.py): written
through the services at moments inside the poll's period, so counts,
ballots and the voter count are those of the rows; run twice, nothing twice."""

from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from demo.polls_discussion import DISCUSSION_TOPICS, seed_poll_arguments
from polls.models import Ballot, PollArgument, PollStatus
from tests.factories import UserFactory, operator
from tests.polls.discussion_helpers import discussion_poll

pytestmark = pytest.mark.django_db


def _citizens(n):
    return [UserFactory(email=f"demo-citizen{i}@demo.oasis.kr") for i in range(n)]


def test_a_demo_discussion_has_leading_arguments_with_exact_counts_and_runs_once():
    citizens = _citizens(12)
    operator(email="demo-operator@demo.oasis.kr")  # staff take no part
    poll = discussion_poll(opened_days_ago=5, title=DISCUSSION_TOPICS["street_cats"]["title"])
    now = timezone.now()

    seeded = seed_poll_arguments(poll=poll, topic="street_cats", now=now)

    arguments = PollArgument.objects.filter(poll=poll).annotate(rows=Count("endorsements"))
    assert seeded.arguments == len(DISCUSSION_TOPICS["street_cats"]["arguments"])
    assert seeded.endorsements == sum(a.rows for a in arguments) > 0
    assert all(a.endorsement_count == a.rows for a in arguments)
    assert len({a.endorsement_count for a in arguments}) > 1  # some lead
    assert all(poll.starts_at < a.created_at <= now for a in arguments)
    poll.refresh_from_db()
    assert poll.voter_count == Ballot.objects.filter(poll=poll).count() <= len(citizens)
    assert not Ballot.objects.filter(poll=poll, member__is_staff=True).exists()

    again = seed_poll_arguments(poll=poll, topic="street_cats", now=now)
    assert (again.arguments, again.endorsements) == (0, 0)


def test_a_closed_demo_discussion_is_seeded_inside_its_period_then_closed():
    citizens = _citizens(6)
    poll = discussion_poll(opened_days_ago=30, days_left=-10)
    seeded = seed_poll_arguments(
        poll=poll, topic="quiet_parks", members=citizens, now=poll.ends_at - timedelta(hours=1)
    )
    assert seeded.arguments == len(DISCUSSION_TOPICS["quiet_parks"]["arguments"])
    poll.status = PollStatus.CLOSED
    poll.save(update_fields=["status"])
    assert all(a.created_at < poll.ends_at for a in PollArgument.objects.filter(poll=poll))
