"""What must hold at the end of every simulated day (issue 12), each checked
from the data as staff and the public would find it, independently of the
parts that are meant to keep it true. Each check returns the objects that
break it, described in words, so a failure names the day and the object.

1. No open piece of work without a usable owner or a named fallback
   (`unowned`): an open management card (its official usable, else listed as
   without owner with a head or operators to fall to), a pending progress
   report request (sent, and reminded, to someone who can act on it), an
   answer a department still owes (someone in the department); and, once
   the ownership part is merged, its own count (accounts.ownership) is 0.
2. Every open card has a report no older than two months, or a request out
   that is not yet overdue, or an overdue one escalated (`stale_cards`).
3. Every proposal past the answer bar was given to a department, and every
   answer whose deadline passed was published on time, extended, or shown
   overdue on the public timeline (`answer_gaps`); every extension granted
   and every amendment approved is on the public timeline.
4. Every change of a proposal's status is on its public timeline, in an
   unbroken chain from its creation to its status now (`timeline_gaps`).
5. Mileage (issue 13, `mileage_gaps`): what the services told mileage nets,
   for every (action, member, source), to one award for what stands now
   (an endorsement row, a comment or argument neither deleted nor hidden,
   a proposal neither hidden, trashed nor withdrawn) and to nothing for
   what was taken back, never below nothing nor above one; and, once the
   ledger is merged, every member's balance, grade and month totals equal
   their entries, no source is credited twice and no claim is left after
   the beat (mileage.checks)."""

import datetime as dt
import importlib.util
from collections import Counter, defaultdict

from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import Department, User
from accounts.roles import Role
from answers.models import AnswerStatus, Assignment
from notifications.models import Notification
from proposals.models import EventKind, PipelineSettings, Proposal, ProposalEvent, ProposalStatus
from tracking import selectors as card_selectors
from tracking.models import REPORT_EVERY_MONTHS, CardStage, ManagementCard, ProgressReport
from tracking.services import reports as report_services

# Parts that land during issue 12; each check uses them when they are there.
HAS_OWNERSHIP = importlib.util.find_spec("accounts.ownership") is not None
# The mileage ledger's own check (issue 13's ledger part), when merged.
HAS_LEDGER_CHECK = importlib.util.find_spec("mileage.checks") is not None

# The beat asks for reports once a day: a card is "fresh" until two months
# after its last report (or its opening), plus the day the beat may need.
BEAT_GRACE = dt.timedelta(days=1)


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    local = timezone.localtime(moment)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return local.replace(
        year=year, month=month, day=min(local.day, (following - dt.timedelta(days=1)).day)
    )


class Staff:
    """Who holds the official role where, read once per check."""

    def __init__(self):
        officials = User.objects.filter(groups__name=str(Role.OFFICIAL)).values_list(
            "pk", "is_active", "department_id"
        )
        self.department_of = {pk: dept for pk, active, dept in officials if active}
        self.heads = dict(Department.objects.values_list("pk", "head_id"))
        self.operator_ids = set(
            User.objects.filter(groups__name=str(Role.OPERATOR), is_active=True).values_list(
                "pk", flat=True
            )
        )
        self.operators = len(self.operator_ids)

    def usable(self, user_id, department_id) -> bool:
        """Active, holds the official role, in the item's department."""
        return user_id is not None and self.department_of.get(user_id) == department_id

    def has_official(self, department_id) -> bool:
        return department_id in self.department_of.values()


def unowned(now) -> list[str]:
    staff = Staff()
    problems = []
    flagged = set(card_selectors.cards_without_owner().values_list("pk", flat=True))
    open_cards = ManagementCard.objects.exclude(stage=CardStage.COMPLETED).select_related(
        "proposal", "responsible_official"
    )
    for card in open_cards:
        if staff.usable(card.responsible_official_id, card.department_id):
            continue
        # Not carried by anyone who can: it must be flagged (listed as
        # without owner, which is what the operators and the head are shown),
        # and someone must be there to fall to.
        head_usable = staff.usable(staff.heads.get(card.department_id), card.department_id)
        if card.pk in flagged and (head_usable or staff.operators):
            continue
        owner = card.responsible_official
        problems.append(
            f"card {card.pk} ({card.proposal.title}) of department {card.department_id} "
            f"names {owner.email if owner else 'nobody'} "
            f"(active={getattr(owner, 'is_active', None)}, "
            f"department={getattr(owner, 'department_id', None)}) and is not flagged"
        )
    pending = (
        ProgressReport.objects.filter(status="requested")
        .exclude(card__stage=CardStage.COMPLETED)
        .select_related("card__proposal", "card__responsible_official", "card__department")
    )
    delivered = defaultdict(set)
    notices = Notification.objects.filter(
        kind="report_requested", key__startswith="report_requested:"
    )
    for key, recipient_id in notices.values_list("key", "recipient_id"):
        delivered[int(key.rpartition(":")[2])].add(recipient_id)
    for report in pending:
        card = report.card
        # Who was sent the request, and whom its reminder will go to now:
        # at least one of each must be able to act on it (an active official
        # of the card's department, or an active operator as the fallback).
        sent = delivered.get(report.pk, set())
        reminded = {user.pk for user in report_services._report_officials(card)}
        reach = [
            any(staff.usable(pk, card.department_id) or pk in staff.operator_ids for pk in people)
            for people in (sent, reminded)
        ]
        if all(reach):
            continue
        # Before issue 12's ownership part, a departure is handled by the card
        # being listed as without owner for the operators to hand over.
        if not HAS_OWNERSHIP and card.pk in flagged and staff.operators:
            continue
        names = dict(User.objects.filter(pk__in=sent | reminded).values_list("pk", "email"))
        problems.append(
            f"report {report.pk} (period {report.period}) of card {card.pk}: sent to "
            f"{sorted(names[pk] for pk in sent)}, reminders to "
            f"{sorted(names[pk] for pk in reminded)}; "
            f"{'nobody' if not reach[0] else 'no reminder reaches anyone'} who can act "
            f"(an active official of department {card.department_id} or an operator)"
        )
    waiting = Assignment.objects.awaiting_answer().select_related("proposal")
    for assignment in waiting:
        if not staff.has_official(assignment.department_id) and not HAS_OWNERSHIP:
            problems.append(
                f"assignment {assignment.pk} ({assignment.proposal.title}) waits in "
                f"department {assignment.department_id}, which has no active official"
            )
    if HAS_OWNERSHIP:
        from accounts.ownership import unowned_total

        for key, count in unowned_total().items():
            if count:
                problems.append(f"the ownership check counts {count} unowned in {key}")
    return problems


def stale_cards(now) -> list[str]:
    """Open cards with no report for two months and nobody asked, or asked
    past the due date with no escalation."""
    today = timezone.localdate(now)
    problems = []
    cards = (
        ManagementCard.objects.exclude(stage=CardStage.COMPLETED)
        .annotate(
            last_report=Max(
                "progress_reports__submitted_at", filter=Q(progress_reports__status="submitted")
            )
        )
        .select_related("proposal")
    )
    pending = defaultdict(list)
    for report in ProgressReport.objects.filter(status="requested"):
        pending[report.card_id].append(report)
    for card in cards:
        last = card.last_report or card.created_at
        if now <= _add_months(last, REPORT_EVERY_MONTHS) + BEAT_GRACE:
            continue
        requests = pending.get(card.pk, [])
        if any(r.due_date >= today or r.escalated_at is not None for r in requests):
            continue
        problems.append(
            f"card {card.pk} ({card.proposal.title}): last report {timezone.localtime(last):%Y-%m-%d}, "
            + (
                f"request {[(r.period, str(r.due_date)) for r in requests]} overdue and not escalated"
                if requests
                else "no request out"
            )
        )
    return problems


def answer_gaps(now) -> list[str]:
    problems = []
    bar = PipelineSettings.load().answer_threshold
    for proposal in Proposal.objects.public().filter(
        status=ProposalStatus.OPEN, endorsement_count__gte=bar
    ):
        problems.append(
            f"proposal {proposal.pk} has {proposal.endorsement_count} endorsements and is still open"
        )
    overdue_rows = set(
        ProposalEvent.objects.filter(kind=EventKind.ANSWER_OVERDUE, is_public=True).values_list(
            "proposal_id", flat=True
        )
    )
    due = Assignment.objects.filter(is_current=True, deadline__lt=now).select_related(
        "proposal", "answer"
    )
    for assignment in due:
        answer = getattr(assignment, "answer", None)
        on_time = (
            answer is not None
            and answer.status == AnswerStatus.PUBLISHED
            and answer.published_at <= assignment.deadline
        )
        if on_time or assignment.proposal.status == ProposalStatus.WITHDRAWN:
            continue
        # Shown overdue: the public timeline says so and the step that tells
        # (the operators on main; the department first, with issue 12's
        # stepped escalation) was taken for this deadline.
        told = assignment.escalated_at or getattr(assignment, "overdue_told_at", None)
        if told is not None and assignment.proposal_id in overdue_rows:
            continue
        problems.append(
            f"assignment {assignment.pk} ({assignment.proposal.title}) was due "
            f"{timezone.localtime(assignment.deadline):%Y-%m-%d %H:%M} and is neither answered "
            "on time nor shown overdue"
        )
    if hasattr(EventKind, "ANSWER_AMENDED"):
        problems += _amendments_shown()
    if hasattr(EventKind, "DEADLINE_EXTENDED"):
        problems += _extensions_shown()
    return problems


def _amendments_shown() -> list[str]:
    """Every approved amendment is on the public timeline."""
    from answers.models import AnswerAmendment

    approved = Counter(
        AnswerAmendment.objects.filter(status="approved").values_list(
            "answer__assignment__proposal_id", flat=True
        )
    )
    shown = Counter(
        ProposalEvent.objects.filter(kind=EventKind.ANSWER_AMENDED, is_public=True).values_list(
            "proposal_id", flat=True
        )
    )
    return [
        f"proposal {pk}: {n} amendments approved, {shown[pk]} on the public timeline"
        for pk, n in approved.items()
        if shown[pk] != n
    ]


def _extensions_shown() -> list[str]:
    """Every extension granted is on the public timeline (the public clock
    shows the new deadline)."""
    from answers.models import DeadlineExtension

    granted = Counter(
        DeadlineExtension.objects.filter(status="granted").values_list(
            "assignment__proposal_id", flat=True
        )
    )
    shown = Counter(
        ProposalEvent.objects.filter(kind=EventKind.DEADLINE_EXTENDED, is_public=True).values_list(
            "proposal_id", flat=True
        )
    )
    return [
        f"proposal {pk}: {n} extensions granted, {shown[pk]} on the public timeline"
        for pk, n in granted.items()
        if shown[pk] != n
    ]


def timeline_gaps(status_writes: dict[int, int]) -> list[str]:
    """Each proposal's public timeline: its status steps chain from its
    creation to its status now, and there are as many as the status writes
    the simulation saw (`status_writes`, counted from the saves)."""
    problems = []
    steps = defaultdict(list)
    rows = (
        ProposalEvent.objects.filter(is_public=True)
        .exclude(to_status="")
        .order_by("created_at", "id")
        .values_list("proposal_id", "kind", "from_status", "to_status")
    )
    for proposal_id, kind, from_status, to_status in rows:
        if kind == EventKind.CREATED or from_status != to_status:
            steps[proposal_id].append((from_status, to_status))
    for proposal_id, status in Proposal.objects.values_list("pk", "status"):
        chain = steps.get(proposal_id, [])
        where = ProposalStatus.OPEN
        for n, (from_status, to_status) in enumerate(chain):
            if n and from_status != where:
                problems.append(
                    f"proposal {proposal_id}: timeline jumps from {where} to {from_status}"
                )
            where = to_status
        if where != status:
            problems.append(
                f"proposal {proposal_id} is {status}, its public timeline ends at {where}"
            )
        moves = len(chain) - 1  # the first row is its creation
        if moves != status_writes.get(proposal_id, 0):
            problems.append(
                f"proposal {proposal_id}: {status_writes.get(proposal_id, 0)} status changes, "
                f"{moves} on the public timeline"
            )
    return problems


def _standing_sources() -> dict[tuple[str, str], set[tuple[int, int]]]:
    """What should stand credited now, per (action, source model): the set
    of (member, source id). Members who withdrew from the portal earn
    nothing (none do in the city, but the rule is the services')."""
    from debates.models import Argument
    from proposals.models import Comment, Endorsement

    gone = set(User.objects.filter(withdrawn_at__isnull=False).values_list("pk", flat=True))
    standing = defaultdict(set)
    for pk, member, author in Endorsement.objects.values_list(
        "pk", "user_id", "proposal__author_id"
    ):
        standing[("endorse", "proposals.Endorsement")].add((member, pk))
        if author is not None:
            standing[("endorsed", "proposals.Endorsement")].add((author, pk))
    for pk, author in (
        Proposal.objects.filter(is_hidden=False, deleted_at__isnull=True)
        .exclude(status=ProposalStatus.WITHDRAWN)
        .values_list("pk", "author_id")
    ):
        standing[("propose", "proposals.Proposal")].add((author, pk))
    for model, action in ((Comment, "comment"), (Argument, "debate_argument")):
        rows = model.objects.filter(is_hidden=False, deleted_at__isnull=True)
        for pk, author in rows.values_list("pk", "author_id"):
            standing[(action, model._meta.label)].add((author, pk))
    return {key: {(m, pk) for m, pk in pairs if m not in gone} for key, pairs in standing.items()}


def mileage_gaps(told) -> list[str]:
    """`told`: the net participation signals, (action, member, source model,
    source id) → awards minus undos, as the simulation recorded them."""
    problems = []
    for (action, member, label, pk), net in told.items():
        if net not in (0, 1):
            problems.append(f"{action} of member {member} for {label} {pk} told {net:+d} times net")
    standing = _standing_sources()
    for (action, label), expected in standing.items():
        credited = {
            (member, pk)
            for (a, member, lab, pk), net in told.items()
            if a == action and lab == label and net == 1
        }
        for member, pk in sorted(expected - credited):
            problems.append(f"{label} {pk} stands but {action} of member {member} is not credited")
        for member, pk in sorted(credited - expected):
            problems.append(f"{label} {pk} is gone or down but {action} of member {member} stands")
    if HAS_LEDGER_CHECK:
        from mileage.checks import claims_waiting, ledger_problems

        problems += [f"ledger: {problem}" for problem in ledger_problems()]
        if waiting := claims_waiting():
            problems.append(f"ledger: {waiting} claims not folded at the end of the day")
    else:
        from django.db.models import Sum

        from mileage.models import MileageEntry

        sums = dict(
            MileageEntry.objects.values_list("member_id").annotate(total=Sum("points")).order_by()
        )
        for member, balance in User.objects.values_list("pk", "mileage_balance"):
            if sums.get(member, 0) != balance:
                problems.append(
                    f"member {member}: balance {balance}, entries sum to {sums.get(member, 0)}"
                )
    return problems
