"""What happens while the demo runs: a few things fall due minutes after the
demo is loaded, so that a newcomer who starts `make run` watches the clock
(Celery beat, demo/management/commands/run_embedded.py) do its work rather
than finding it done. The rest of the history stays as told (demo/history.py):
everything dated in the past was done by the beat of its day.

Each step names when it falls due (minutes after loading), the login that
sees it, and where; the README's "Watch the clock" table says the same."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Max
from django.utils import timezone

from answers.models import Assignment
from debates.models import Debate
from debates.notices import DebateNotice
from notifications.models import Notification
from proposals.models import PipelineSettings, Proposal, ProposalEvent, ProposalStatus
from tracking.models import (
    CardAttachment,
    CardEvent,
    CardStage,
    ManagementCard,
    ProgressReport,
    ReportStatus,
)

from . import history
from .clock import months_later
from .members import CITIZEN_EMAIL, OFFICIAL2_EMAIL


@dataclass(frozen=True)
class Due:
    minutes: int  # after the demo was loaded
    what: str


# In the order they fall due. The beat of `make run` looks every minute
# (OASIS_BEAT_INTERVAL), so each happens within a minute of its moment.
WINDOW_CLOSES = Due(4, "endorsement window closes below the bar")
ANSWER_OVERDUE = Due(6, "answer deadline passes")
REPORT_DUE = Due(8, "progress report falls due")
DEBATE_ENDS = Due(10, "debate period ends")


def answer_due_soon(assignment: Assignment, now: datetime) -> None:
    """The newest proposal still waiting for its answer is due minutes from
    now (its department drafts the answer; the beat of ANSWER_OVERDUE's
    moment tells the operators it is late). Run before the demo's past beats
    (demo/pipeline.py), which then remind the department days before, as
    the beat did, and do not escalate."""
    Assignment.objects.filter(pk=assignment.pk).update(
        deadline=now + timedelta(minutes=ANSWER_OVERDUE.minutes)
    )
    history.notices_name_the_deadline(assignment.proposal)


def arm(now: datetime) -> None:
    """Bring the rest due minutes from `now`; each step finds nothing to do
    when the demo holds no such item (a partial load)."""
    _window_closes(now + timedelta(minutes=WINDOW_CLOSES.minutes))
    _report_due(now + timedelta(minutes=REPORT_DUE.minutes))
    _debate_ends(now + timedelta(minutes=DEBATE_ENDS.minutes))


def _window_closes(moment: datetime) -> None:
    """The demo citizen's least endorsed open proposal: its window closes at
    `moment` below the bar (투표탈락), and the citizen is told."""
    bar = PipelineSettings.load().answer_threshold
    proposal = (
        Proposal.objects.public()
        .filter(
            status=ProposalStatus.OPEN,
            author__email=CITIZEN_EMAIL,
            endorsement_count__lt=bar,
            endorsement_deadline__gt=moment,
        )
        .order_by("endorsement_count", "pk")
        .first()
    )
    if proposal is not None:
        Proposal.objects.filter(pk=proposal.pk).update(endorsement_deadline=moment)


def _report_due(moment: datetime) -> None:
    """The next bimonthly report of one of the demo's second official's open
    cards falls due at `moment`: its last report was requested two months
    before. That report's story (its request, reminders, submission, the
    card's steps and notices since) moves back with it, by whole days so
    that staff still work in office hours; a card where that would reach
    back past its earlier history is passed over."""
    cards = (
        ManagementCard.objects.exclude(stage=CardStage.COMPLETED)
        .filter(responsible_official__email=OFFICIAL2_EMAIL)
        .exclude(progress_reports__status=ReportStatus.REQUESTED)
        # An early report never moves the schedule (report_next_request_at),
        # so moving one back would not bring the next request forward.
        .exclude(progress_reports__filed_early=True)
        .annotate(last=Max("progress_reports__period"))
        .filter(last__isnull=False)
        .order_by("pk")
    )
    for card in cards:
        if _move_last_request(card, card.progress_reports.get(period=card.last), moment):
            return


def _move_last_request(card, report: ProgressReport, moment: datetime) -> bool:
    old = report.requested_at
    new = months_later(moment, -2)
    days = (timezone.localdate(new) - timezone.localdate(old)).days
    if days >= 0:
        return False
    shift = timedelta(days=days)
    since = {
        CardEvent: CardEvent.objects.filter(card=card, created_at__gt=old),
        CardAttachment: CardAttachment.objects.filter(card=card, created_at__gt=old),
        ProposalEvent: ProposalEvent.objects.filter(proposal=card.proposal, created_at__gt=old),
        Notification: Notification.objects.filter(proposal=card.proposal, created_at__gte=old),
    }
    before = [card.created_at] + [
        when
        for model in (CardEvent, CardAttachment, ProposalEvent)
        for when in model.objects.filter(
            **({"card": card} if model is not ProposalEvent else {"proposal": card.proposal}),
            created_at__lte=old,
        ).values_list("created_at", flat=True)
    ]
    later = [m for query in since.values() for m in query.values_list("created_at", flat=True)]
    if new <= max(before) or any(m + shift <= new for m in later if m > old):
        return False
    for model, query in since.items():
        values = {"created_at": F("created_at") + shift}
        if model is Notification:
            values["emailed_at"] = F("emailed_at") + shift  # none stays none
        query.update(**values)
    moved = {"requested_at": new, "due_date": report.due_date + shift}
    for name in ("submitted_at", "reminded_at", "escalated_at"):
        if getattr(report, name) is not None:
            moved[name] = getattr(report, name) + shift
    ProgressReport.objects.filter(pk=report.pk).update(**moved)
    for name in ("stage_changed_at", "updated_at"):
        if (value := getattr(card, name)) is not None and value > old:
            ManagementCard.objects.filter(pk=card.pk).update(**{name: value + shift})
    return True


def _debate_ends(moment: datetime) -> None:
    """The open debate that ends first ends at `moment`; the beat closes it
    and the participants and operators are told (the operators then write
    its results)."""
    debate = Debate.objects.open().filter(ends_at__gt=moment).order_by("ends_at", "pk").first()
    if debate is not None:
        Debate.objects.filter(pk=debate.pk).update(ends_at=moment)
        # The "open for debate until …" notice names the new end (as
        # demo/history.py writes it).
        for notice in Notification.objects.filter(
            proposal=debate.proposal_id, kind=DebateNotice.DEBATE_OPENED
        ):
            notice.params["ends"] = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
            notice.save(update_fields=["params"])


def next_events(now: datetime | None = None) -> list[tuple[Due, datetime]]:
    """For print_demo_logins: what the clock will do, and when."""
    now = now or timezone.now()
    return [(due, now + timedelta(minutes=due.minutes)) for due in _ALL]


_ALL = (WINDOW_CLOSES, ANSWER_OVERDUE, REPORT_DUE, DEBATE_ENDS)
