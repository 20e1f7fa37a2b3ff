"""What the demo leaves for the clock (demo/live.py): minutes after loading,
an endorsement window closes, an answer deadline passes, a progress report
falls due and a debate ends. Each is still ahead when the demo is loaded,
and the beat's own tasks, run at its moment, do it, once, with the notice to
the login the README names."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from answers.models import Assignment
from answers.tasks import sweep_answer_deadlines
from debates.models import Debate
from debates.tasks import close_due_debates
from demo import live, members
from notifications.models import Notification
from pipeline.tasks import sweep_pipeline
from proposals.models import EventKind, Proposal, ProposalEvent, ProposalStatus
from tracking.models import ProgressReport, ReportStatus
from tracking.tasks import request_progress_reports

pytestmark = pytest.mark.django_db


def _after(world, due: live.Due) -> timezone.datetime:
    return world.started + timedelta(minutes=due.minutes, seconds=90)


def _run_beat_at(moment, task):
    """The beat's task as the worker runs it, at `moment`, twice (a sweep
    may run twice; nothing may happen twice)."""
    with time_machine.travel(moment, tick=False):
        first = task.apply().get()
        task.apply().get()
    return first


def test_an_endorsement_window_closes_minutes_after_loading(world):
    soon = world.started + timedelta(minutes=live.WINDOW_CLOSES.minutes + 2)
    closing = Proposal.objects.get(status=ProposalStatus.OPEN, endorsement_deadline__lt=soon)
    assert closing.author.email == members.CITIZEN_EMAIL
    assert closing.endorsement_deadline > timezone.now()

    assert _run_beat_at(_after(world, live.WINDOW_CLOSES), sweep_pipeline)["closed"] == 1

    closing.refresh_from_db()
    assert closing.status == ProposalStatus.NOT_REACHED
    assert Notification.objects.filter(
        proposal=closing, recipient=closing.author, kind="not_reached"
    ).exists()


def test_an_answer_falls_overdue_minutes_after_loading(world):
    soon = world.started + timedelta(minutes=live.ANSWER_OVERDUE.minutes + 2)
    due = Assignment.objects.awaiting_answer().get(deadline__gt=timezone.now(), deadline__lt=soon)
    # Reminded days before, as the beat of its day did; not yet escalated.
    assert due.reminded_at is not None and due.escalated_at is None

    escalated = _run_beat_at(_after(world, live.ANSWER_OVERDUE), sweep_answer_deadlines)
    assert escalated["escalated"] == 1

    assert (
        ProposalEvent.objects.filter(proposal=due.proposal, kind=EventKind.ANSWER_OVERDUE).count()
        == 1
    )
    assert Notification.objects.filter(
        proposal=due.proposal, recipient__email=members.OPERATOR_EMAIL, kind="answer_overdue"
    ).exists()


def test_a_progress_report_falls_due_minutes_after_loading(world):
    before = set(ProgressReport.objects.values_list("pk", flat=True))
    assert _run_beat_at(world.started + timedelta(minutes=2), request_progress_reports) == 0

    assert _run_beat_at(_after(world, live.REPORT_DUE), request_progress_reports) == 1

    report = ProgressReport.objects.exclude(pk__in=before).get()
    assert report.status == ReportStatus.REQUESTED
    assert report.card.responsible_official.email == members.OFFICIAL2_EMAIL
    assert Notification.objects.filter(
        key=f"report_requested:{report.pk}", recipient__email=members.OFFICIAL2_EMAIL
    ).exists()


def test_a_debate_ends_minutes_after_loading(world):
    soon = world.started + timedelta(minutes=live.DEBATE_ENDS.minutes + 2)
    ending = Debate.objects.open().get(ends_at__lt=soon)
    assert ending.ends_at > timezone.now()

    assert _run_beat_at(_after(world, live.DEBATE_ENDS), close_due_debates) == 1

    ending.refresh_from_db()
    # Closed by the beat that came after its end (not dated back to it).
    assert ending.ends_at < ending.closed_at == _after(world, live.DEBATE_ENDS)
    assert ending.closed_by is None
    assert Debate.objects.open().exists()  # the other one runs on
