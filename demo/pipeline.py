"""Demo data for the pipeline: proposals at every stage. The endorsement bar
is applied (promotions and closed windows), departments answer, debates run
(each with its own stances and arguments, demo/data/debates.json) and close,
realization meetings decide (demo/meetings.py) and the adopted items' cards
tell their stories (demo/cards.py).

Everything goes through the apps' services, as staff would do it; the
services stamp "now", so afterwards every date is moved to the moment the
story tells of, keeping each history in order. Run by `seed_demo` after the
free proposals; does nothing if a realization meeting already exists."""

import zlib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import AuditRecord, User
from answers.models import Answer, Assignment, DeadlineExtension
from answers.notices import AnswerNotice
from answers.services import (
    answer_publish,
    answer_rate,
    answer_save,
    answer_submit,
    deadlines_sweep,
    extension_decide,
    extension_request,
)
from debates.models import Debate
from debates.services import argument_create, debate_close, debate_publish_summary, stance_set
from meetings.models import RealizationMeeting
from notifications.models import Notification
from pipeline import services as conductor
from pipeline.notices import PipelineNotice
from proposals.models import (
    Endorsement,
    EventKind,
    PipelineSettings,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)

from . import history, live
from .amendments import seed_amendments
from .awards import seed_awards
from .cards import seed_cards, seed_rotations, story_of
from .clock import at
from .datafiles import read
from .meetings import seed_meetings
from .members import DEMO_EMAIL_DOMAIN, generated_members
from .polls import seed_polls
from .staff import Staff, colleague_moved_on, colleague_who_moves_on, staff_gather

# How many proposals each step of the pipeline shows. The meeting ones are
# the oldest of the MEETING_POOL most endorsed; they go to the meetings named
# in meetings.json, the rest to the upcoming one. Every other proposal past
# the answer bar has its answer, but for the newest ones, still waiting.
PLAN_SIZES = {"meeting": 13, "review": 1, "debate": 2, "waiting": 6}
MEETING_POOL = 20
# The demo's debate bar (PipelineSettings): passed by all but one or two of
# the proposals it debates, by none of those it leaves answered (views keep
# the recent, less read ones below it). test_seed_demo checks both.
DEBATE_BAR = {"debate_threshold": 59, "debate_min_views": 250}
# Meeting proposals whose department accepted them before they reached the
# debate bar (demo/data/meetings.json): one adopted (its promise card carries
# on as the adopted item), one not adopted (the promise stands).
PROMISED_BEFORE_THE_DEBATE = (
    "관광지 안내판에 다국어 QR 안내를 붙여 주세요",
    "한강 위에 떠다니는 섬을 만들어 주세요",
)


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
        # Answered while still below the debate bar: the department's
        # acceptance opens a promise card, which the meeting's adoption
        # later takes over (or which stands when the meeting says no).
        promised_first = [p for p in plan["meeting"] if p.title in PROMISED_BEFORE_THE_DEBATE]
        for proposal in promised_first:
            _answer(proposal, staff)
        _set_the_debate_bar()
        for proposal in plan["answered"]:
            _answer(proposal, staff)
            _rate(proposal)
        for proposal in plan["debate"] + plan["review"] + plan["meeting"]:
            if proposal not in promised_first:
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
        # One answer falls due while the demo runs (demo/live.py).
        for proposal in plan["waiting"][:1]:
            live.answer_due_soon(Assignment.objects.get(proposal=proposal, is_current=True), now)
        for name in ("answered", "debate", "review", "meeting"):
            for proposal in plan[name]:
                moments = times.get(proposal.pk, {})
                history.spread_history(
                    proposal,
                    until=moments.get("reviewed") or now - timedelta(hours=1),
                    reviewed_at=moments.get("reviewed"),
                    decided_at=moments.get("decided"),
                )
        _a_head_for_the_longest_overdue(plan["waiting"], staff)
        _answer_deadlines_beat(now)
        _ask_for_more_time(plan["waiting"], staff, now)
        seed_cards(staff, now)
        seed_rotations(staff, now)
        history.officials_speak_when_assigned(now)
        history.date_the_rest(now)
        # After the answers' dates are set: amendments come after publication.
        if plan["answered"]:
            seed_amendments(plan["answered"][0], staff, now)
        # After the answers, comments and cards are dated: awards count them.
        seed_awards(staff, now)
        # City polls, open and closed, with their votes (issue 14).
        seed_polls(staff, now)
        # What the clock of `make run` will do minutes from now.
        live.arm(now)
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
    AnswerNotice.ASSIGNED_NOBODY,
    PipelineNotice.NOT_REACHED,
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
                assigned_at=moment, deadline=bar.answer_due(moment)
            )
        ProposalEvent.objects.filter(pk=event.pk).update(created_at=moment)
        Notification.objects.filter(proposal=proposal, kind__in=BAR_NOTICES).update(
            created_at=moment, emailed_at=moment
        )
        history.notices_name_the_deadline(proposal)


def _a_head_for_the_longest_overdue(waiting: list[Proposal], staff: Staff) -> None:
    """The department that has waited longest to answer has a head (its demo
    official), so the beat's steps show the whole ladder on one answer:
    the department, its head, then the operators. Departments without a head
    go from the department straight to the operators."""
    oldest = (
        Assignment.objects.filter(proposal__in=waiting, is_current=True)
        .select_related("department")
        .order_by("deadline", "pk")
        .first()
    )
    if oldest is not None and oldest.department.head_id is None:
        oldest.department.head = staff.officials[oldest.department_id]
        oldest.department.save(update_fields=["head"])


def _answer_deadlines_beat(now: datetime) -> None:
    """What the daily beat did for the answers still awaited: remind the
    department before the deadline, tell it the day after, then its head and
    then the operators when those steps fell due (answers/services/
    deadlines.py), each on its day (09:00 in Seoul)."""
    bar = PipelineSettings.load()
    steps = (bar.escalate_to_head_days, bar.escalate_to_head_days + bar.escalate_to_operators_days)
    moments = set()
    for deadline in Assignment.objects.awaiting_answer().values_list("deadline", flat=True):
        day = timezone.localdate(deadline)
        days = [day - timedelta(days=bar.answer_reminder_days), day + timedelta(days=1)]
        days += [timezone.localdate(bar.answer_due(deadline, n)) + timedelta(days=1) for n in steps]
        for on in days:
            moment = timezone.make_aware(datetime.combine(on, time(9, 0)))
            if moment < now:
                moments.add(moment)
    for moment in sorted(moments):
        with at(moment):
            deadlines_sweep(now=moment)


def _ask_for_more_time(waiting: list[Proposal], staff: Staff, now: datetime) -> None:
    """Two departments asked for more time: the one with the latest deadline
    was granted fewer days than it asked (in the last days), the one that
    started its draft still waits for the operators' decision (this
    morning). Each after the last step of its proposal's story."""
    open_ones = [
        Assignment.objects.select_related("proposal").get(proposal=p, is_current=True)
        for p in waiting
    ]
    if len(open_ones) < 2:
        return
    drafted_one = open_ones[0]  # _draft started its answer
    granted_one = max(open_ones[1:], key=lambda a: a.deadline)
    texts = read("answers")["extensions"]
    asked_at = _after_its_story(granted_one.proposal, now - timedelta(days=3), now)
    decided_at = min(asked_at + timedelta(hours=20), asked_at + (now - asked_at) / 2)
    with at(asked_at):
        extension = extension_request(
            assignment=granted_one,
            user=staff.officials[granted_one.department_id],
            reason=texts["granted"],
            days=10,
        )
    with at(decided_at):
        extension_decide(extension=extension, user=staff.operator, grant=True, days=7)
    DeadlineExtension.objects.filter(pk=extension.pk).update(
        created_at=asked_at, decided_at=decided_at
    )
    AuditRecord.objects.filter(
        action__startswith="answers.extension_", target_id=str(extension.pk)
    ).update(created_at=decided_at)
    asked_at = _after_its_story(drafted_one.proposal, now - timedelta(hours=5), now)
    with at(asked_at):
        pending = extension_request(
            assignment=drafted_one,
            user=staff.officials[drafted_one.department_id],
            reason=texts["pending"],
            days=5,
        )
    DeadlineExtension.objects.filter(pk=pending.pk).update(created_at=asked_at)


def _after_its_story(proposal: Proposal, wanted: datetime, now: datetime) -> datetime:
    """`wanted`, or a little after the proposal's last timeline row if that
    came later: a step is told after what came before it, and before now."""
    last = proposal.events.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is None or last < wanted:
        return wanted
    return last + min(timedelta(minutes=10), (now - last) / 3)


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
    # The item whose card nobody carries: answered by a colleague who then
    # moved on, so its card opens without owner (demo/cards.py).
    moves_on = story_of(proposal.title) == "ownerless"
    if moves_on:
        official = colleague_who_moves_on(assignment.department)
    else:
        official = staff.officials[assignment.department_id]
    answer = answer_save(assignment=assignment, user=official, **values)
    answer_submit(answer=answer, user=official)
    answer_publish(answer=answer, user=staff.operator)
    if moves_on:
        colleague_moved_on(official)


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
