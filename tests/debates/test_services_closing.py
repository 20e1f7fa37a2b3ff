"""debates/services.py, closing a debate: on schedule, early by hand, and the
sweep that closes due debates."""

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from debates import services
from debates.models import DebateStatus
from notifications.models import NoticeTopic, Notification
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from proposals.models import EventKind, ProposalEvent, ProposalStatus
from tests.factories import UserFactory, official, operator

from .helpers import closed_debate, notices, open_debate

pytestmark = pytest.mark.django_db


# --- closing ------------------------------------------------------------------


def test_the_schedule_closes_a_debate_at_its_end_with_the_counts(
    django_capture_on_commit_callbacks,
):
    debate = open_debate()
    admin = operator()
    for position in ("for", "for", "against", "undecided"):
        services.stance_set(debate=debate, user=UserFactory(), position=position)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.debate_close(debate=debate, now=debate.ends_at)

    debate.refresh_from_db()
    assert debate.status == DebateStatus.CLOSED
    assert debate.closed_at == debate.ends_at
    assert debate.closed_by is None and debate.close_reason == ""
    event = debate.proposal.events.get(kind=EventKind.DEBATE_CLOSED)
    assert event.is_public and event.actor is None
    assert event.text == "2 for, 1 against, 1 undecided."
    closed = notices("debate_closed")
    # The proposer under "my proposals", the four who took a stance under
    # "debates I joined" (tests/debates/test_participant_notices.py).
    assert [(n.recipient_id, n.topic) for n in closed] == [
        (debate.proposal.author_id, "my_proposals"),
        *(
            (user_id, "debates")
            for user_id in sorted(debate.stances.values_list("user_id", flat=True))
        ),
    ]
    assert closed[0].params == {
        "title": debate.proposal.title,
        "for": 2,
        "against": 1,
        "undecided": 1,
    }
    due = notices("debate_summary_due")
    assert [n.recipient_id for n in due] == [admin.pk]
    assert due[0].url == f"/admin/debates/debate/{debate.pk}/change/"
    # The proposer and the operator at once; the four who took a stance hear
    # of it under "debates I joined", whose e-mail waits for the daily digest
    # by default (issue 16).
    assert len(mail.outbox) == 2
    joined = Notification.objects.filter(kind="debate_closed", topic=NoticeTopic.DEBATES)
    assert joined.count() == 4 and {n.digest for n in joined} == {"daily"}
    # the proposal waits in debate for its results
    debate.proposal.refresh_from_db()
    assert debate.proposal.status == ProposalStatus.DEBATE


def test_the_schedule_does_not_close_a_running_debate():
    debate = open_debate()
    with pytest.raises(
        TransitionNotAllowed, match=timezone.localtime(debate.ends_at).strftime("%Y-%m-%d")
    ):
        services.debate_close(debate=debate)
    debate.refresh_from_db()
    assert debate.status == DebateStatus.OPEN
    assert not debate.proposal.events.filter(kind=EventKind.DEBATE_CLOSED).exists()


def test_an_operator_closes_early_only_with_a_reason():
    debate = open_debate()
    admin = operator()
    with pytest.raises(ServiceError):
        services.debate_close(debate=debate, actor=admin, reason="")
    debate.refresh_from_db()
    assert debate.status == DebateStatus.OPEN

    services.debate_close(debate=debate, actor=admin, reason="제안자가 요청했습니다.")
    debate.refresh_from_db()
    assert debate.status == DebateStatus.CLOSED
    assert (debate.closed_by, debate.close_reason) == (admin, "제안자가 요청했습니다.")
    event = debate.proposal.events.get(kind=EventKind.DEBATE_CLOSED)
    assert event.actor == admin and "제안자가 요청했습니다." in event.text


def test_only_operators_close_debates_by_hand():
    debate = open_debate()
    for person in (UserFactory(), official(), debate.proposal.author):
        with pytest.raises(PermissionDenied):
            services.debate_close(debate=debate, actor=person, reason="그만")
    debate.refresh_from_db()
    assert debate.status == DebateStatus.OPEN


def test_closing_twice_is_refused_and_changes_nothing():
    debate = closed_debate()
    debate.refresh_from_db()
    closed_at = debate.closed_at
    events = ProposalEvent.objects.count()
    sent = Notification.objects.count()

    with pytest.raises(ServiceError, match="This debate is already closed."):
        services.debate_close(debate=debate, now=debate.ends_at + timedelta(days=1))
    with pytest.raises(ServiceError, match="This debate is already closed."):
        services.debate_close(debate=debate, actor=operator(), reason="다시")

    debate.refresh_from_db()
    assert debate.closed_at == closed_at
    assert debate.closed_by is None
    assert ProposalEvent.objects.count() == events
    assert Notification.objects.count() == sent


# --- the sweep ------------------------------------------------------------------


def test_the_sweep_closes_due_debates_once_however_often_it_runs(
    django_capture_on_commit_callbacks,
):
    # given two debates, one ending a week before the other
    start = dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        due = open_debate()
    with time_machine.travel(start + timedelta(days=7), tick=False):
        later = open_debate()
        for debate in (due, later):
            services.stance_set(debate=debate, user=UserFactory(), position="against")
    mail.outbox.clear()

    # when the sweep runs twice just after the first one's end
    with time_machine.travel(due.ends_at + timedelta(minutes=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = services.close_due_debates()
            second = services.close_due_debates()

    # then the first is closed once, the other still runs, and notices went once
    assert (first, second) == (1, 0)
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (DebateStatus.CLOSED, DebateStatus.OPEN)
    assert due.proposal.events.filter(kind=EventKind.DEBATE_CLOSED).count() == 1
    # the proposer and the one member who took a stance; there is no operator here
    assert len(notices("debate_closed")) == 2
    # the proposer's e-mail at once; the participant's waits for the daily digest
    assert len(mail.outbox) == 1

    # and a week later the other one closes
    with time_machine.travel(later.ends_at, tick=False):
        assert services.close_due_debates() == 1
    later.refresh_from_db()
    assert later.status == DebateStatus.CLOSED


def test_the_beat_task_closes_due_debates(django_capture_on_commit_callbacks):
    from debates.tasks import close_due_debates

    debate = open_debate()
    with time_machine.travel(debate.ends_at + timedelta(hours=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert close_due_debates.delay().get() == 1
            assert close_due_debates.delay().get() == 0
    debate.refresh_from_db()
    assert debate.status == DebateStatus.CLOSED
    assert len(notices("debate_closed")) == 1
    assert close_due_debates.name == "debates.tasks.close_due_debates"
