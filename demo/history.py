"""The demo's pipeline history put in order: after the services have run
(today), every step, notice and stamp of a proposal's story is moved back to
its own moment, in office hours for staff, so each timeline reads true."""

import random
from datetime import datetime, time, timedelta

from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone

from accounts import legal
from accounts.models import ConsentRecord, User
from answers.models import Answer, AnswerRating, Assignment
from answers.notices import AnswerNotice, due_date
from debates.models import Argument, Debate, Stance
from debates.notices import DebateNotice
from meetings.models import AgendaItem
from notifications.models import Notification
from proposals.models import (
    Comment,
    EventKind,
    PipelineSettings,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from tracking.models import CardEvent, CardEventKind, ManagementCard

from .clock import Warp
from .members import DEMO_EMAIL_DOMAIN

# How many proposals each step of the pipeline shows. The meeting ones are
# the oldest of the MEETING_POOL most endorsed; they go to the meetings named
# in meetings.json, the rest to the upcoming one. Every other proposal past
# the answer bar has its answer, but for the newest ones, still waiting.


def officials_speak_when_assigned(now: datetime) -> None:
    """An official comments on a proposal once it is assigned to their
    department, while the department works on its answer, in office hours
    (the plan's moment knows nothing of the assignment)."""
    comments = Comment.objects.filter(
        author__email__endswith="@" + DEMO_EMAIL_DOMAIN, author__department__isnull=False
    ).select_related("author")
    for comment in comments:
        assignment = (
            Assignment.objects.filter(
                proposal=comment.proposal_id, department=comment.author.department_id
            )
            .order_by("assigned_at")
            .first()
        )
        if assignment is None:
            continue
        answer = Answer.objects.filter(assignment=assignment).first()
        end = min((answer and answer.submitted_at) or assignment.deadline, now - timedelta(hours=1))
        rng = random.Random(comment.pk)  # nosec B311  # seeded demo timing, not a secret
        day = assignment.assigned_at + (end - assignment.assigned_at) * rng.uniform(0.2, 0.6)
        minute = rng.randint(9 * 60 + 30, 17 * 60 + 30)
        moment = timezone.localtime(day).replace(
            hour=minute // 60, minute=minute % 60, second=0, microsecond=0
        )
        if not assignment.assigned_at < moment < end:
            moment = assignment.assigned_at + (end - assignment.assigned_at) / 2
        Comment.objects.filter(pk=comment.pk).update(created_at=moment, updated_at=moment)


# A department's answer: submitted and published within this time.
ANSWER_TAKES = timedelta(days=14)

# The notices that name the assignment's deadline.
ASSIGNMENT_NOTICES = (
    AnswerNotice.ASSIGNED,
    AnswerNotice.ASSIGNED_DEPARTMENT,
    AnswerNotice.ASSIGNED_OPERATOR,
)


def date_the_rest(now: datetime) -> None:
    """What is left stamped "now" that the story dates otherwise: a draft
    answer a few days after its assignment, a member joined before their
    first step on the site, a proposal last changed at its latest step."""
    for answer in Answer.objects.filter(published_at=None).select_related("assignment"):
        begun = min(answer.assignment.assigned_at + timedelta(days=4), now - timedelta(hours=1))
        Answer.objects.filter(pk=answer.pk).update(created_at=begun, updated_at=begun)
    demo_members = User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN)
    first_day = (
        Proposal.objects.filter(author__in=demo_members).aggregate(first=Min("created_at"))["first"]
        or now
    )
    members = list(demo_members.order_by("pk"))
    for n, member in enumerate(members):
        # Staff and early members first, the rest over the weeks before.
        member.date_joined = first_day - timedelta(days=90 - n % 60, hours=n % 24)
    User.objects.bulk_update(members, ["date_joined"], batch_size=500)
    # Each agreed to the legal documents when they joined, or when the
    # version they agreed to took effect, if that came later.
    agreed_from = [
        timezone.make_aware(datetime.combine(legal.current(kind).effective, time(9)))
        for kind in legal.KINDS
    ]
    for member in members:
        moment = min(max(member.date_joined, *agreed_from), now - timedelta(hours=1))
        ConsentRecord.objects.filter(user=member).update(created_at=moment)
    latest_step = ProposalEvent.objects.filter(proposal=OuterRef("pk")).order_by("-created_at")
    Proposal.objects.filter(author__in=demo_members).update(
        updated_at=Subquery(latest_step.values("created_at")[:1])
    )


def spread_history(
    proposal: Proposal,
    *,
    until: datetime,
    reviewed_at: datetime | None = None,
    decided_at: datetime | None = None,
) -> None:
    """The services stamped every step "now"; spread them in order between
    the proposal's promotion and `until` (its working review, or today)
    (_pace), then move everything written meanwhile with the steps around it
    (_move_with_the_steps)."""
    events = list(proposal.events.exclude(kind=EventKind.CREATED).order_by("pk"))
    assigned = next((e for e in events if e.to_status == ProposalStatus.ASSIGNED), None)
    if assigned is None:
        return
    stamped = {event.pk: event.created_at for event in events}
    # The promotion was dated already (_date_the_bar); keep it, but for a
    # story that needs more room before its working review.
    start = min(assigned.created_at, until - timedelta(days=14))
    _pace(
        events, assigned, start=start, until=until, reviewed_at=reviewed_at, decided_at=decided_at
    )
    ProposalEvent.objects.bulk_update(events, ["created_at"])
    anchors = [(stamped[e.pk], e.created_at) for e in events]
    # An open debate's stances and arguments, written after its last step,
    # lie between that step and `until`, evenly in the order they were
    # written: proportional to the seed run's own pace they would bunch
    # wherever the run happened to be slow, a few hours apart or less.
    last_step = max(stamped.values())
    taking_part = sorted(
        moment
        for rows in (
            Stance.objects.filter(debate__proposal=proposal),
            Argument.objects.filter(debate__proposal=proposal),
        )
        for moment in rows.values_list("created_at", flat=True)
        if moment > last_step
    )
    if taking_part:
        told_from = max(told for _stamped, told in anchors)
        gap = (until - told_from) / (len(taking_part) + 1)
        anchors += [(moment, told_from + gap * (n + 1)) for n, moment in enumerate(taking_part)]
        anchors.append((taking_part[-1] + timedelta(microseconds=1), until))
    warp = Warp(anchors)
    told = {e.to_status or e.kind: e.created_at for e in events}
    _move_with_the_steps(proposal, warp, told, start=start, decided_at=decided_at)


def _pace(events, assigned, *, start, until, reviewed_at, decided_at) -> None:
    """Give each step its moment, in order: the answer submitted and published
    within its deadline; a debate past the bar opened minutes later (the
    conductor), one promoted by hand some days later; the proposer's rating
    a few days after the answer; the debate closed at its end (the schedule)
    or, by the operators, some days early; the results published between the
    close and `until`; the working review's choice on the review's day, the
    decision (and the card it opens) at the meeting. Staff work in office
    hours, at times of day of the proposal's own (seeded by its pk)."""
    rng = random.Random(assigned.proposal_id)  # nosec B311  # seeded demo timing, not a secret
    length = timedelta(days=PipelineSettings.load().debate_length_days)
    decision = next((e.pk for e in events if decided_at and _is_decision(e)), None)
    by_hand = any(e.kind == EventKind.PROMOTED_BY_HAND for e in events)
    answer_span = min(ANSWER_TAKES, (until - start) * 0.4)

    def office(moment: datetime) -> datetime:
        minute = rng.randint(9 * 60 + 30, 17 * 60 + 30)
        return timezone.localtime(moment).replace(
            hour=minute // 60, minute=minute % 60, second=0, microsecond=0
        )

    def citizen(moment: datetime) -> datetime:
        minute = rng.randint(7 * 60, 23 * 60)
        return timezone.localtime(moment).replace(
            hour=minute // 60, minute=minute % 60, second=0, microsecond=0
        )

    def told(event, previous: datetime, opened: datetime | None) -> datetime:
        if decision is not None and event.pk >= decision:
            return decided_at
        if reviewed_at and event.to_status in (
            ProposalStatus.ON_AGENDA,
            ProposalStatus.NOT_SELECTED,
        ):
            return reviewed_at
        if event.kind == EventKind.ANSWER_SUBMITTED:
            return office(start + answer_span * rng.uniform(0.4, 0.7))
        if event.to_status == ProposalStatus.ANSWERED:
            return office(start + answer_span)
        if event.to_status == ProposalStatus.DEBATE:
            if by_hand:
                return office(previous + timedelta(days=rng.randint(5, 12)))
            return previous + timedelta(minutes=rng.randint(2, 12))
        if event.kind == EventKind.PROMOTED_BY_HAND:
            return previous  # the note comes with the opening
        if event.kind == EventKind.ANSWER_RATED:
            return citizen(previous + timedelta(days=rng.randint(1, 4)))
        if event.kind == EventKind.DEBATE_CLOSED and opened:
            if event.actor_id is None:
                return opened + length  # the schedule, at the debate's end
            return office(opened + length * rng.uniform(0.6, 0.8))
        if event.kind == EventKind.DEBATE_SUMMARY:
            return office(previous + max(timedelta(days=1), (until - previous) * 0.3))
        return previous + timedelta(minutes=1)

    assigned.created_at = previous = start
    opened = None
    for event in events:
        if event.pk == assigned.pk:
            continue
        moment = told(event, previous, opened)
        if moment not in (decided_at, reviewed_at):  # the meetings' moments are fixed
            moment = max(
                min(moment, until - timedelta(minutes=30)), previous + timedelta(minutes=1)
            )
        event.created_at = previous = moment
        if event.to_status == ProposalStatus.DEBATE:
            opened = event.created_at
        if event.kind == EventKind.PROMOTED_BY_HAND:
            event.created_at = previous = opened or previous


def _move_with_the_steps(proposal, warp: Warp, told: dict, *, start, decided_at) -> None:
    """The rows the services wrote while the proposal took its steps (the
    assignment, answer, rating, debate, stances, arguments, notices, the
    card) take the moments of the steps around them."""
    bar = PipelineSettings.load()
    notices = list(Notification.objects.filter(proposal=proposal))
    for notice in notices:
        notice.created_at = warp.snap(notice.created_at)
        if notice.emailed_at:
            notice.emailed_at = notice.created_at
    Notification.objects.bulk_update(notices, ["created_at", "emailed_at"], batch_size=500)
    if decided_at:
        AgendaItem.objects.filter(proposal=proposal).exclude(decision="pending").update(
            decided_at=decided_at
        )
        ManagementCard.objects.filter(proposal=proposal, answer__isnull=True).update(
            created_at=decided_at, stage_changed_at=decided_at, updated_at=decided_at
        )
        CardEvent.objects.filter(card__proposal=proposal, card__answer__isnull=True).update(
            created_at=decided_at
        )
    # A department promise (its accepting answer opened the card) opened
    # with the answer; a meeting that adopted it later took it over then.
    promised = told.get(EventKind.PROMISE_OPENED)
    if promised:
        ManagementCard.objects.filter(proposal=proposal, answer__isnull=False).update(
            created_at=promised, stage_changed_at=promised, updated_at=decided_at or promised
        )
        events = CardEvent.objects.filter(card__proposal=proposal)
        events.exclude(kind=CardEventKind.ADOPTED).update(created_at=promised)
        events.filter(kind=CardEventKind.ADOPTED).update(created_at=decided_at or promised)
    # The answer was submitted, published (closing the assignment) and rated
    # at the timeline's own steps, so the page and the timeline agree.
    submitted = told.get(EventKind.ANSWER_SUBMITTED)
    published = told.get(ProposalStatus.ANSWERED)
    for assignment in Assignment.objects.filter(proposal=proposal, is_current=True):
        Assignment.objects.filter(pk=assignment.pk).update(
            assigned_at=start,
            deadline=bar.answer_due(start),
            closed_at=published if assignment.closed_at else None,
        )
    notices_name_the_deadline(proposal)
    for answer in Answer.objects.filter(assignment__proposal=proposal):
        Answer.objects.filter(pk=answer.pk).update(
            created_at=min(warp(answer.created_at), submitted or published or start),
            updated_at=published or submitted or warp(answer.updated_at),
            submitted_at=submitted if answer.submitted_at else None,
            published_at=published if answer.published_at else None,
        )
    rated = told.get(EventKind.ANSWER_RATED)
    for rating in AnswerRating.objects.filter(answer__assignment__proposal=proposal):
        AnswerRating.objects.filter(pk=rating.pk).update(
            created_at=rated or warp(rating.created_at)
        )
    if (opened := told.get(ProposalStatus.DEBATE)) is None:
        return
    ends = opened + timedelta(days=bar.debate_length_days)
    debate = Debate.objects.get(proposal=proposal)
    Debate.objects.filter(pk=debate.pk).update(
        created_at=opened,
        starts_at=opened,
        ends_at=ends,
        closed_at=told.get(EventKind.DEBATE_CLOSED),
        summary_published_at=told.get(ProposalStatus.REVIEW),
        updated_at=warp(debate.updated_at),
    )
    for model in (Stance, Argument):
        rows = list(model.objects.filter(debate=debate))
        for row in rows:
            row.created_at, row.updated_at = warp(row.created_at), warp(row.updated_at)
        model.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=500)
    # The "open for debate until …" notice names the debate's own end.
    for notice in Notification.objects.filter(proposal=proposal, kind=DebateNotice.DEBATE_OPENED):
        notice.params["ends"] = timezone.localtime(ends).strftime("%Y-%m-%d %H:%M")
        notice.save(update_fields=["params"])


def notices_name_the_deadline(proposal: Proposal) -> None:
    """The assignment notices were written with the deadline of the day the
    demo was loaded; they name the deadline of the assignment as dated."""
    assignment = Assignment.objects.filter(proposal=proposal, is_current=True).first()
    if assignment is None:
        return
    due = due_date(assignment.deadline)
    for notice in Notification.objects.filter(proposal=proposal, kind__in=ASSIGNMENT_NOTICES):
        if notice.params.get("deadline") != due:
            notice.params["deadline"] = due
            notice.save(update_fields=["params"])


def _is_decision(event: ProposalEvent) -> bool:
    return event.kind == EventKind.HELD_OVER or event.to_status in (
        ProposalStatus.ADOPTED,
        ProposalStatus.NOT_ADOPTED,
    )
