"""What the demo leaves for the clock (demo/live.py): minutes after loading,
an endorsement window closes, an answer deadline passes, a progress report
falls due and a debate ends. Each is left undone by the load, falls due
within its minutes, and the beat's own task does it at its moment (not a
second before), once, with the notice to the login the README names."""

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
from tracking.models import ManagementCard, ProgressReport, ReportStatus
from tracking.services import report_next_request_at
from tracking.tasks import request_progress_reports

pytestmark = pytest.mark.django_db

# The beat of `make run` (OASIS_BEAT_INTERVAL) comes within this of a moment.
BEAT = timedelta(seconds=60)


def _window(world, due: live.Due) -> dict:
    """Due minutes after the pipeline's part of the load began: after the
    load started, and at most `due.minutes` from now."""
    return {"gt": world.started, "lte": timezone.now() + timedelta(minutes=due.minutes)}


def _run_beat_at(moment, task):
    """The beat's task as the worker runs it, at `moment`, twice (a sweep
    may run twice; nothing may happen twice). Returns the first result."""
    with time_machine.travel(moment, tick=False):
        first = task.apply().get()
        task.apply().get()
    return first


def test_an_endorsement_window_closes_minutes_after_loading(world):
    span = _window(world, live.WINDOW_CLOSES)
    closing = Proposal.objects.get(
        status=ProposalStatus.OPEN,
        endorsement_deadline__gt=span["gt"],
        endorsement_deadline__lte=span["lte"],
    )
    assert closing.author.email == members.CITIZEN_EMAIL
    deadline = closing.endorsement_deadline

    assert _run_beat_at(deadline - timedelta(seconds=1), sweep_pipeline)["closed"] == 0
    assert _run_beat_at(deadline + BEAT, sweep_pipeline)["closed"] == 1

    closing.refresh_from_db()
    assert closing.status == ProposalStatus.NOT_REACHED
    assert Notification.objects.filter(
        proposal=closing, recipient=closing.author, kind="not_reached"
    ).exists()


def test_an_answer_falls_overdue_minutes_after_loading(world):
    span = _window(world, live.ANSWER_OVERDUE)
    due = Assignment.objects.awaiting_answer().get(
        deadline__gt=span["gt"], deadline__lte=span["lte"]
    )
    # Reminded days before, as the beat of its day did; not yet escalated.
    assert due.reminded_at is not None and due.escalated_at is None

    assert _run_beat_at(due.deadline - timedelta(seconds=1), sweep_answer_deadlines) == {
        "reminded": 0,
        "overdue": 0,
        "to_head": 0,
        "escalated": 0,
    }
    # At the deadline the department is told and the timeline shows it; the
    # head and the operators come working days later (answers/services/deadlines.py).
    assert _run_beat_at(due.deadline + BEAT, sweep_answer_deadlines)["overdue"] == 1

    overdue = ProposalEvent.objects.filter(proposal=due.proposal, kind=EventKind.ANSWER_OVERDUE)
    assert overdue.count() == 1
    assert Notification.objects.filter(
        proposal=due.proposal, kind="answer_overdue_department"
    ).exists()


def test_a_progress_report_falls_due_minutes_after_loading(world):
    span = _window(world, live.REPORT_DUE)
    falling_due = [
        (card, moment)
        for card in ManagementCard.objects.exclude(stage="completed")
        if span["gt"] < (moment := report_next_request_at(card)) <= span["lte"]
    ]
    assert len(falling_due) == 1
    card, moment = falling_due[0]
    assert card.responsible_official.email == members.OFFICIAL2_EMAIL
    before = set(ProgressReport.objects.values_list("pk", flat=True))

    assert _run_beat_at(moment - timedelta(seconds=1), request_progress_reports) == 0
    assert _run_beat_at(moment + BEAT, request_progress_reports) == 1

    report = ProgressReport.objects.exclude(pk__in=before).get()
    assert report.card == card and report.status == ReportStatus.REQUESTED
    assert Notification.objects.filter(
        key=f"report_requested:{report.pk}", recipient__email=members.OFFICIAL2_EMAIL
    ).exists()


def test_a_debate_ends_minutes_after_loading(world):
    span = _window(world, live.DEBATE_ENDS)
    ending = Debate.objects.open().get(ends_at__gt=span["gt"], ends_at__lte=span["lte"])

    assert _run_beat_at(ending.ends_at - timedelta(seconds=1), close_due_debates) == 0
    assert _run_beat_at(ending.ends_at + BEAT, close_due_debates) == 1

    ending.refresh_from_db()
    # Closed by the beat that came after its end (not dated back to it).
    assert ending.closed_at == ending.ends_at + BEAT
    assert ending.closed_by is None
    assert Debate.objects.open().exists()  # the other one runs on
