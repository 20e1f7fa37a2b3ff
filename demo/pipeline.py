"""Demo data for the pipeline: proposals at every stage. The endorsement bar
is applied (promotions and closed windows), departments answer, debates run
(each with its own stances and arguments, demo/data/debates.json) and close,
realization meetings decide (demo/meetings.py) and the adopted items' cards
tell their stories (demo/cards.py).

Everything goes through the apps' services, as staff would do it; the
services stamp "now", so afterwards every date is moved to the moment the
story tells of, keeping each history in order. Run by `seed_demo` after the
free proposals; does nothing if a realization meeting already exists."""

import random
import zlib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Max, Min, OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from answers.models import Answer, AnswerRating, Assignment, deadline_for
from answers.notices import AnswerNotice, due_date
from answers.services import (
    answer_publish,
    answer_rate,
    answer_save,
    answer_submit,
    deadlines_sweep,
)
from debates.models import Argument, Debate, Stance
from debates.notices import DebateNotice
from debates.services import argument_create, debate_close, debate_publish_summary, stance_set
from meetings.models import AgendaItem, RealizationMeeting
from notifications.models import Notification
from pipeline import services as conductor
from pipeline.notices import PipelineNotice
from proposals.models import (
    Comment,
    Endorsement,
    EventKind,
    PipelineSettings,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from tracking.models import CardEvent, ManagementCard

from .cards import seed_cards
from .clock import Warp, at
from .datafiles import read
from .meetings import seed_meetings
from .members import DEMO_EMAIL_DOMAIN, generated_members
from .staff import Staff, staff_gather

# How many proposals each step of the pipeline shows. The meeting ones are
# the oldest of the MEETING_POOL most endorsed; they go to the meetings named
# in meetings.json, the rest to the upcoming one. Every other proposal past
# the answer bar has its answer, but for the newest ones, still waiting.
PLAN_SIZES = {"meeting": 13, "review": 1, "debate": 2, "waiting": 2}
MEETING_POOL = 20
# A department's answer: submitted and published within this time.
ANSWER_TAKES = timedelta(days=14)
# The demo's debate bar (PipelineSettings): passed by all but one or two of
# the proposals it debates, by none of those it leaves answered (views keep
# the recent, less read ones below it). test_seed_demo checks both.
DEBATE_BAR = {"debate_threshold": 59, "debate_min_views": 250}


@dataclass
class PipelineCreated:
    stages: dict[str, int] = field(default_factory=dict)

    def any(self) -> bool:
        return any(self.stages.values())


def seed_pipeline(*, now: datetime | None = None) -> PipelineCreated:
    """Move demo proposals through the pipeline. Requires the free-proposal
    demo data; idempotent (skips when a realization meeting exists)."""
    created = PipelineCreated()
    if RealizationMeeting.objects.exists():
        return created
    now = now or timezone.now()
    with transaction.atomic():
        conductor.sweep(now=now)  # promotions past the answer bar; closed windows
        staff = staff_gather()
        assigned = list(
            Proposal.objects.filter(status=ProposalStatus.ASSIGNED).order_by(
                "-endorsement_count", "pk"
            )
        )
        plan = _plan(assigned)
        _set_the_debate_bar()
        for proposal in plan["answered"]:
            _answer(proposal, staff)
            _rate(proposal)
        for proposal in plan["debate"] + plan["review"] + plan["meeting"]:
            _answer(proposal, staff)
            # Past the debate bar, the debate opens as soon as the answer is
            # out (the conductor); the proposer rates the answer meanwhile.
            _open_debate(proposal, staff)
            _rate(proposal)
            _debate(proposal, staff, close=proposal not in plan["debate"])
        _draft(plan["waiting"][:1], staff)
        times = seed_meetings(plan["meeting"], staff, now)
        # The services ran "now", with the answer deadlines still ahead (so
        # the answers count as on time); now the dates move to the story's.
        _date_the_bar(now)
        for name in ("answered", "debate", "review", "meeting"):
            for proposal in plan[name]:
                moments = times.get(proposal.pk, {})
                _spread_history(
                    proposal,
                    until=moments.get("reviewed") or now - timedelta(hours=1),
                    reviewed_at=moments.get("reviewed"),
                    decided_at=moments.get("decided"),
                )
        _answer_deadlines_beat(now)
        seed_cards(staff, now)
        _officials_speak_when_assigned(now)
        _date_the_rest(now)
        created.stages = {key: len(value) for key, value in plan.items()}
    return created


def _plan(assigned: list[Proposal]) -> dict[str, list[Proposal]]:
    """Who goes where: the most endorsed (the realized examples among them)
    travel furthest. Of the most endorsed, the oldest reach the meetings,
    which took a while; the others wait at the earlier steps, and the newest
    of the rest wait for their answer."""
    top = assigned[:MEETING_POOL]
    meeting = sorted(top, key=lambda p: (p.created_at, p.pk))[: PLAN_SIZES["meeting"]]
    plan, rest = {"meeting": meeting}, [p for p in assigned if p not in meeting]
    for name in ("review", "debate"):
        plan[name], rest = rest[: PLAN_SIZES[name]], rest[PLAN_SIZES[name] :]
    newest = sorted(rest, key=lambda p: (p.created_at, p.pk), reverse=True)
    plan["waiting"] = newest[: PLAN_SIZES["waiting"]]
    plan["answered"] = [p for p in rest if p not in plan["waiting"]]
    return plan


# --- the endorsement bar ------------------------------------------------------------


# What the promotion and the closed window tell.
BAR_NOTICES = (
    AnswerNotice.ASSIGNED,
    AnswerNotice.ASSIGNED_DEPARTMENT,
    AnswerNotice.ASSIGNED_OPERATOR,
    PipelineNotice.NOT_REACHED,
)


# The notices that name the assignment's deadline.
ASSIGNMENT_NOTICES = (
    AnswerNotice.ASSIGNED,
    AnswerNotice.ASSIGNED_DEPARTMENT,
    AnswerNotice.ASSIGNED_OPERATOR,
)


def _date_the_bar(now: datetime) -> None:
    """The promotion checks and the sweep moved the demo's proposals today;
    date each move when it happened: a promotion when the endorsement that
    crossed the bar came (at the latest when its window closed), a closed
    window at its deadline. The assignment, its deadline and the notices
    move with it."""
    bar = PipelineSettings.load()
    moved = ProposalEvent.objects.filter(
        kind=EventKind.STATUS_CHANGED,
        to_status__in=[ProposalStatus.ASSIGNED, ProposalStatus.NOT_REACHED],
        proposal__author__email__endswith="@" + DEMO_EMAIL_DOMAIN,
    )
    for event in moved.select_related("proposal"):
        proposal = event.proposal
        moment = proposal.endorsement_deadline
        if event.to_status == ProposalStatus.ASSIGNED:
            crossing = (
                Endorsement.objects.filter(proposal=proposal)
                .order_by("created_at", "pk")
                .values_list("created_at", flat=True)[
                    bar.answer_threshold - 1 : bar.answer_threshold
                ]
            )
            moment = min([*crossing, moment])
        moment = min(moment, now - timedelta(hours=1))
        if event.created_at <= moment:
            continue  # dated already
        if event.to_status == ProposalStatus.ASSIGNED:
            Assignment.objects.filter(proposal=proposal).update(
                assigned_at=moment, deadline=deadline_for(moment, bar.answer_deadline_days)
            )
        ProposalEvent.objects.filter(pk=event.pk).update(created_at=moment)
        Notification.objects.filter(proposal=proposal, kind__in=BAR_NOTICES).update(
            created_at=moment, emailed_at=moment
        )
        _notices_name_the_deadline(proposal)


def _answer_deadlines_beat(now: datetime) -> None:
    """What the daily beat did for the answers still awaited: remind the
    department before the deadline and tell the operators the day after,
    each on its day (09:00 in Seoul)."""
    bar = PipelineSettings.load()
    moments = set()
    for deadline in Assignment.objects.awaiting_answer().values_list("deadline", flat=True):
        day = timezone.localdate(deadline)
        for on in (day - timedelta(days=bar.answer_reminder_days), day + timedelta(days=1)):
            moment = timezone.make_aware(datetime.combine(on, time(9, 0)))
            if moment < now:
                moments.add(moment)
    for moment in sorted(moments):
        with at(moment):
            deadlines_sweep(now=moment)


# --- answers and debates ---------------------------------------------------------


def _answer_texts(proposal: Proposal) -> dict:
    texts = read("answers")
    return dict(texts["by_title"].get(proposal.title, texts["fallback"]))


def _answer(proposal: Proposal, staff: Staff) -> None:
    """The department's answer written for this proposal (answers.json),
    submitted and published."""
    values = _answer_texts(proposal)
    values.pop("rating")
    assignment = Assignment.objects.get(proposal=proposal, is_current=True)
    official = staff.officials[assignment.department_id]
    answer = answer_save(assignment=assignment, user=official, **values)
    answer_submit(answer=answer, user=official)
    answer_publish(answer=answer, user=staff.operator)


def _rate(proposal: Proposal) -> None:
    """The proposer rates the published answer (answers.json)."""
    score, comment = _answer_texts(proposal)["rating"]
    proposal.refresh_from_db()
    if proposal.author_id:
        answer = Answer.objects.get(assignment__proposal=proposal, assignment__is_current=True)
        answer_rate(answer=answer, user=proposal.author, score=score, comment=comment)


def _set_the_debate_bar() -> None:
    """The site's default debate bar (500 endorsements) is out of reach of a
    demo of 89 members; the demo sets one its most supported proposals pass."""
    bar = PipelineSettings.load()
    for name, value in DEBATE_BAR.items():
        setattr(bar, name, value)
    bar.save(update_fields=[*DEBATE_BAR, "updated_at"])


def _open_debate(proposal: Proposal, staff: Staff) -> None:
    """The conductor opens the debate of an answered proposal past the debate
    bar; one below it the operators promote by hand (debates.json)."""
    if conductor.promote_if_due(proposal_id=proposal.pk) is None:
        proposal.refresh_from_db()
        conductor.proposal_promote_by_hand(
            proposal=proposal, user=staff.operator, reason=read("debates")["promote_reason"]
        )


def _debate(proposal: Proposal, staff: Staff, *, close: bool) -> None:
    """Members take their stances and post their arguments (debates.json);
    a closed debate closes at its end (the schedule), or early by the
    operators for those in `close_early`, and its results are published."""
    texts = read("debates")
    debate_texts = texts["by_title"].get(proposal.title, texts["fallback"])
    debate = Debate.objects.get(proposal=proposal)
    positions = _stances_in_order(debate_texts["stances"])
    members = dict(enumerate(_crowd(proposal)))
    after_stance = _arguments_in_order(positions, debate_texts["arguments"])
    speakers = {
        "panel": staff.panel,
        "expert": staff.expert,
        "expert2": staff.expert2,
        "official": staff.officials.get(proposal.department_id),
    }
    for n, position in enumerate(positions):
        stance_set(debate=debate, user=members[n], position=position)
        for argument in after_stance.get(n, []):
            author = members[n] if argument["by"] == "member" else speakers[argument["by"]]
            if author is not None:
                argument_create(
                    debate=debate, author=author, side=argument["side"], body=argument["body"]
                )
    if close:
        if proposal.title in texts["close_early"]:
            debate_close(debate=debate, actor=staff.operator, reason=texts["close_reason"])
        else:
            debate_close(debate=debate, now=debate.ends_at)
        debate.refresh_from_db()
        debate_publish_summary(
            debate=debate, operator=staff.operator, summary=debate_texts["summary"]
        )


def _stances_in_order(counts: dict[str, int]) -> list[str]:
    """The positions taken, one per member, mixed as they would come in (not
    all those for first): the dates follow the order they are written in."""
    ranked = sorted(
        (k / count, position) for position, count in counts.items() for k in range(count)
    )
    return [position for _rank, position in ranked]


def _arguments_in_order(positions: list[str], arguments: list[dict]) -> dict[int, list[dict]]:
    """After which stance (its index in `positions`) each argument is posted:
    spread over the debate, a member's right after their own stance on the
    side they argue."""
    after: dict[int, list[dict]] = {}
    for n, argument in enumerate(arguments):
        target = (n + 1) * len(positions) // (len(arguments) + 1)
        if argument["by"] == "member":
            free = [
                k
                for k, position in enumerate(positions)
                if position == argument["side"] and k not in after
            ]
            target = min(free, key=lambda k: (k < target, abs(k - target)))
        after.setdefault(target, []).append(argument)
    return after


def _crowd(proposal: Proposal) -> list:
    """The generated members other than the proposer, in an order of their
    own for each debate, so that every debate has its own crowd."""
    emails = [m.email for m in generated_members()]
    shift = zlib.crc32(proposal.title.encode()) % len(emails)  # the same on every run
    members = {u.email: u for u in User.objects.filter(email__in=emails, is_active=True)}
    ordered = emails[shift:] + emails[:shift]
    return [members[e] for e in ordered if e in members and members[e].pk != proposal.author_id]


def _draft(waiting: list[Proposal], staff: Staff) -> None:
    """A department has started its answer to the newest waiting proposal."""
    for proposal in waiting:
        assignment = Assignment.objects.get(proposal=proposal, is_current=True)
        answer_save(
            assignment=assignment,
            user=staff.officials[assignment.department_id],
            **read("answers")["draft"],
        )


# --- dates ------------------------------------------------------------------------


def _officials_speak_when_assigned(now: datetime) -> None:
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
        rng = random.Random(comment.pk)
        day = assignment.assigned_at + (end - assignment.assigned_at) * rng.uniform(0.2, 0.6)
        minute = rng.randint(9 * 60 + 30, 17 * 60 + 30)
        moment = timezone.localtime(day).replace(
            hour=minute // 60, minute=minute % 60, second=0, microsecond=0
        )
        if not assignment.assigned_at < moment < end:
            moment = assignment.assigned_at + (end - assignment.assigned_at) / 2
        Comment.objects.filter(pk=comment.pk).update(created_at=moment, updated_at=moment)


def _date_the_rest(now: datetime) -> None:
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
    latest_step = ProposalEvent.objects.filter(proposal=OuterRef("pk")).order_by("-created_at")
    Proposal.objects.filter(author__in=demo_members).update(
        updated_at=Subquery(latest_step.values("created_at")[:1])
    )


def _spread_history(
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
    # lie between that step and `until`.
    taking_part = [
        rows.aggregate(last=Max("created_at"))["last"]
        for rows in (
            Stance.objects.filter(debate__proposal=proposal),
            Argument.objects.filter(debate__proposal=proposal),
        )
    ]
    last_part = max([moment for moment in taking_part if moment], default=None)
    if last_part and last_part > max(stamped.values()):
        anchors.append((last_part + timedelta(microseconds=1), until))
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
    rng = random.Random(assigned.proposal_id)
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
        ManagementCard.objects.filter(proposal=proposal).update(
            created_at=decided_at, stage_changed_at=decided_at, updated_at=decided_at
        )
        CardEvent.objects.filter(card__proposal=proposal).update(created_at=decided_at)
    # The answer was submitted, published (closing the assignment) and rated
    # at the timeline's own steps, so the page and the timeline agree.
    submitted = told.get(EventKind.ANSWER_SUBMITTED)
    published = told.get(ProposalStatus.ANSWERED)
    for assignment in Assignment.objects.filter(proposal=proposal, is_current=True):
        Assignment.objects.filter(pk=assignment.pk).update(
            assigned_at=start,
            deadline=deadline_for(start, bar.answer_deadline_days),
            closed_at=published if assignment.closed_at else None,
        )
    _notices_name_the_deadline(proposal)
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


def _notices_name_the_deadline(proposal: Proposal) -> None:
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
