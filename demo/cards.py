"""The adopted items' management cards, worked on as staff would: handed to
an official, moved through their stages, bimonthly reports requested,
reminded, escalated and submitted, photos attached.

Each adopted item's card tells one story (named per agenda item in
demo/data/meetings.json); the stories are code, their texts are data
(demo/data/cards.json: texts per story, and texts of their own per title).
"""

from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from tracking.models import (
    REPORT_EVERY_MONTHS,
    REPORT_REMIND_DAYS,
    CardKind,
    CardStage,
    ManagementCard,
    ProgressReport,
    ReportStatus,
)
from tracking.services import (
    card_attach,
    card_change_stage,
    card_handoff,
    card_update,
    report_next_request_at,
    report_request_due,
    report_submit,
    reports_remind_and_escalate,
)

from .clock import at, months_later
from .datafiles import read
from .members import OFFICIAL2_EMAIL, OFFICIAL_EMAIL
from .photos import demo_photo
from .staff import Staff


def _step(action: str, *, days: int = 0, period: int = 0, **values) -> tuple:
    """One thing staff do on a card: `days` after the meeting adopted it, or
    after its progress report `period` was requested."""
    return (action, period, days, values)


def _report(period, days, done, percent, *, stage="", spent=None, next_steps=""):
    return _step(
        "report",
        period=period,
        days=days,
        done=done,
        stage=stage,
        percent=percent,
        spent=spent,
        next_steps=next_steps,
    )


def _story_completed(t: dict) -> list[tuple]:
    """Planned, built and finished within about half a year; its photos show
    what was realised."""
    return [
        _step("handoff", days=3, note=t["handoff"]),
        _step("update", days=12, planned_budget=t["budget"], target_days=200),
        _step("stage", days=14, stage="planning", note=t["planning"]),
        _step("stage", days=45, stage="in_progress", note=t["start"]),
        _report(1, 5, t["report1"], 30, spent=t["budget"] * 3 // 10, next_steps=t["next1"]),
        _report(2, 6, t["report2"], 70, spent=t["budget"] * 7 // 10, next_steps=t["next2"]),
        _report(3, 4, t["report3"], 100, stage="completed", spent=t["budget"] * 96 // 100),
        *(
            _step("photo", period=3, days=8 + n // 2, title=title, scene=t["scene"], variant=n)
            for n, title in enumerate(t["photos"])
        ),
    ]


def _story_under_way(t: dict) -> list[tuple]:
    """A longer job: planned for a season, now well under way."""
    return [
        _step("handoff", days=5, note=t["handoff"]),
        _step("stage", days=20, stage="planning", note=t["planning"]),
        _step("update", days=22, planned_budget=t["budget"], target_days=420),
        _report(1, 6, t["report1"], 10, spent=t["budget"] // 20, next_steps=t["next1"]),
        _report(2, 3, t["report2"], 35, stage="in_progress", spent=t["budget"] // 4),
        _report(3, 8, t["report3"], 55, spent=t["budget"] * 45 // 100, next_steps=t["next3"]),
        _report(4, 4, t["report4"], 70, spent=t["budget"] * 6 // 10, next_steps=t["next4"]),
        _step("photo", period=4, days=5, title=t["photo"], scene=t["scene"]),
    ]


def _story_stalled(t: dict) -> list[tuple]:
    """Stuck in planning for more than six months (the dashboard's
    "stalled"), and its latest report is overdue."""
    return [
        _step("handoff", days=9, note=t["handoff"]),
        _step("stage", days=25, stage="planning", note=t["planning"]),
        _report(1, 10, t["report1"], 10, next_steps=t["next1"]),
        _report(2, 12, t["report2"], 15, spent=t["budget"] // 50, next_steps=t["next2"]),
        _report(3, 13, t["report3"], 15, next_steps=t["next3"]),
    ]


def _story_suspended(t: dict) -> list[tuple]:
    """Planned, then suspended for a reason the public can read; the
    reports carry on while it waits."""
    return [
        _step("handoff", days=4, note=t["handoff"]),
        _step("stage", days=18, stage="planning", note=t["planning"]),
        _step("update", days=30, planned_budget=t["budget"], target_days=330),
        _report(1, 7, t["report1"], 20, spent=t["budget"] // 25, next_steps=t["next1"]),
        _report(2, 5, t["report2"], 30, spent=t["budget"] // 12),
        _step("stage", period=2, days=20, stage="suspended", note=t["reason"]),
        _report(3, 6, t["report3"], 30, next_steps=t["next3"]),
        _report(4, 9, t["report4"], 30, next_steps=t["next4"]),
    ]


def _story_started(t: dict) -> list[tuple]:
    """Adopted three months ago; planning done, work has just begun."""
    return [
        _step("handoff", days=4, note=t["handoff"]),
        _step("stage", days=12, stage="planning", note=t["planning"]),
        _step("update", days=13, planned_budget=t["budget"], target_days=240),
        _report(
            1,
            7,
            t["report1"],
            35,
            stage="in_progress",
            spent=t["budget"] // 8,
            next_steps=t["next1"],
        ),
    ]


def _story_ownerless(t: dict) -> list[tuple]:
    """Nobody took it on: the colleague who wrote the answer had moved to
    another department before the meeting (demo/pipeline.py), so the card
    opened without owner; the department was asked for its first report,
    reminded, and the operators were told when it ran late."""
    return []


def _story_review(t: dict) -> list[tuple]:
    """Handed over late and still being looked into."""
    return [
        _step("handoff", days=20, note=t["handoff"]),
        _report(1, 12, t["report1"], 5, next_steps=t["next1"]),
    ]


# Per meeting number, the stories of its adopted items in agenda order.
STORIES = {
    "completed": _story_completed,
    "under_way": _story_under_way,
    "stalled": _story_stalled,
    "suspended": _story_suspended,
    "started": _story_started,
    "ownerless": _story_ownerless,
    "review": _story_review,
}


def story_of(title: str) -> str:
    """The story named for this adopted item in meetings.json, if any."""
    for meeting in read("meetings")["held"]:
        for item in meeting["agenda"]:
            if item["title"] == title:
                return item.get("story", "")
    return ""


def _texts(story: str, title: str) -> dict:
    """What staff wrote on the card: the title's own texts, the rest from
    its story's."""
    texts = read("cards")
    return {**texts["stories"][story], **texts["by_title"].get(title, {})}


# The stories of the oldest department promises (cards opened by an
# accepting answer below the debate bar), oldest first: kept like adopted
# items, with their reports; the other promises wait in review and are asked
# for reports by the beat like any card.
PROMISE_STORIES = ("under_way", "started", "review")


def _promise_stories() -> dict[int, str]:
    """Card id → story for the oldest promise cards (PROMISE_STORIES)."""
    # Of the proposals that stayed answered: one that went on to a meeting
    # has timeline rows written before the card's steps run here.
    promises = ManagementCard.objects.filter(
        kind=CardKind.PROMISE, proposal__status="answered"
    ).order_by("created_at", "pk")
    return dict(zip(promises.values_list("pk", flat=True), PROMISE_STORIES, strict=False))


def seed_cards(staff: Staff, now: datetime) -> None:
    """Every adopted item's management card, and the oldest department
    promises', worked on as staff would. The
    steps run in order of their (past) time, each through the services, with
    the daily beat's report requests, reminders and escalations between
    them; the dates the services wrote are then moved to that time (`at`).
    Requires the meetings' adopted items and their cards, and the promise
    cards dated at their answers (demo/history.py)."""
    cards = ManagementCard.objects.select_related("agenda_item__meeting", "proposal").order_by(
        "created_at", "pk"
    )
    promise_stories = _promise_stories()
    steps = []
    for card in cards:
        story = story_of(card.proposal.title) or promise_stories.get(card.pk, "")
        if not story:
            continue  # a partial run's extra card: it waits in review
        for n, step in enumerate(STORIES[story](_texts(story, card.proposal.title))):
            moment = _step_time(card, step)
            if moment < now - timedelta(hours=1) and not _before_adoption(card, moment):
                steps.append((moment, card.pk, n, card, step))
    steps.sort(key=lambda row: row[:3])
    for moment, _pk, _n, card, step in steps:
        _beat_until(moment)
        with at(moment):
            _do(card, step, staff)
    _beat_until(now)


def _step_time(card, step):
    _action, period, days, _values = step
    # A report follows its request, two months on from the card's opening;
    # anything else is counted from the meeting's adoption (also of a
    # promise it took over), else from the promise's answer.
    if period:
        moment = card.created_at
    else:
        moment = card.agenda_item.decided_at if card.agenda_item_id else card.created_at
    for _ in range(period):
        moment = months_later(moment, REPORT_EVERY_MONTHS)
    return moment + timedelta(days=days, hours=2 if period else 0)


def _before_adoption(card, moment) -> bool:
    """A step of a taken-over promise's story that would come before the
    meeting adopted it: left out, so the proposal's timeline reads in order
    (its report request then waits, overdue, like any other)."""
    return card.agenda_item_id is not None and moment < card.agenda_item.decided_at


def _do(card, step, staff: Staff):

    action, period, _days, values = step
    card.refresh_from_db()
    official = staff.officials.get(card.department_id)
    if official is None:
        return
    if action == "handoff":
        # A card opens with its department's head (or the answer's author)
        # responsible: the hand-off is only needed if that is someone else.
        if card.responsible_official_id != official.pk:
            card_handoff(card=card, user=staff.operator, to_official=official, note=values["note"])
    elif action == "stage":
        card_change_stage(card=card, user=official, to_stage=values["stage"], note=values["note"])
    elif action == "update":
        meeting_day = timezone.localdate(
            card.agenda_item.decided_at if card.agenda_item_id else card.created_at
        )
        card_update(
            card=card,
            user=official,
            planned_budget=values["planned_budget"],
            spent_budget=card.spent_budget,
            target_date=meeting_day + timedelta(days=values["target_days"]),
        )
    elif action == "report":
        report = ProgressReport.objects.filter(card=card, period=period, status="requested").first()
        if report is not None:
            report_submit(
                report=report,
                user=official,
                done=values["done"],
                stage=values["stage"] or None,
                percent=values["percent"],
                spent_budget=values["spent"],
                next_steps=values["next_steps"],
            )
    elif action == "photo":
        card_attach(
            card=card,
            user=official,
            title=values["title"],
            photo=demo_photo(values["scene"], seed=card.pk * 10 + values.get("variant", 0)),
        )


def _beat_until(until):
    """What the daily beat would have done up to `until`: request the
    bimonthly reports, remind officials three days before the due date and
    tell the operators the day after it, each at its time (09:00 in Seoul
    for reminders and escalations)."""

    last = None
    while (moment := _next_beat()) is not None:
        if last is not None and moment <= last:
            moment = last + timedelta(days=1)  # nothing happened: try the next day
        if moment > until:
            return
        with at(moment):
            report_request_due(now=moment)
            reports_remind_and_escalate(now=moment)
        last = moment


def _next_beat():

    moments = [
        report_next_request_at(card)
        for card in ManagementCard.objects.exclude(stage=CardStage.COMPLETED)
    ]
    waiting = ProgressReport.objects.filter(
        status=ReportStatus.REQUESTED, escalated_at__isnull=True
    ).exclude(card__stage=CardStage.COMPLETED)
    for report in waiting:
        day = report.due_date + timedelta(days=1)
        if report.reminded_at is None:
            day = report.due_date - timedelta(days=REPORT_REMIND_DAYS)
        moments.append(
            timezone.make_aware(datetime.combine(day, time(9, 0)), timezone.get_default_timezone())
        )
    return min(moments, default=None)


# --- personnel rotation (issue 12): work that follows people -----------------------


def seed_rotations(staff: Staff, now: datetime) -> None:
    """Two personnel changes made on the 직원 관리 screen's services, a few
    days ago, so the operator's home and the card pages show what happens
    to the work people leave: an official who retired (deactivated) with a
    card they carried, which now falls to their department's head or the
    operators; and a department head who moved to another department,
    leaving the department headless and their card to the operators. The
    unowned count stays 0 (the operators are there to fall back on).
    Requires the cards; idempotent (a second run finds both already gone)."""
    from accounts.models import Department
    from accounts.services import official_department_set, staff_deactivate

    from .staff import demo_colleague

    moment = now - timedelta(days=3)
    open_cards = (
        ManagementCard.objects.open()
        .exclude(department__isnull=True)
        .select_related("department", "proposal")
        # The adopted items first, in meeting order; the department
        # promises (no meeting) after them.
        .order_by(
            F("agenda_item__meeting__number").asc(nulls_last=True),
            "agenda_item__position",
            "pk",
        )
    )
    # The demo's own logins keep their cards: the README's walks (and the
    # live report of demo/live.py) follow official@ and official2@.
    logins = {OFFICIAL_EMAIL, OFFICIAL2_EMAIL}
    carried = [
        card
        for card in open_cards.select_related("responsible_official")
        if story_of(card.proposal.title) != "ownerless"
        and getattr(card.responsible_official, "email", None) not in logins
    ]
    if len(carried) < 2:
        return
    retiring_card = carried[0]
    retiree = demo_colleague(retiring_card.department, "retired", "최정년")
    if retiree.is_active:
        with at(moment - timedelta(days=30)):
            if retiring_card.responsible_official_id != retiree.pk:
                card_handoff(
                    card=retiring_card,
                    user=staff.operator,
                    to_official=retiree,
                    note="현장 경험이 많은 최정년 주무관이 맡습니다.",
                )
        with at(moment):
            staff_deactivate(actor=staff.operator, member=retiree)
    moving_card = next(
        (card for card in carried[1:] if card.department_id != retiring_card.department_id),
        None,
    )
    if moving_card is None:
        return
    department = moving_card.department
    head = demo_colleague(department, "head", "한부서장")
    if head.department_id != department.pk:
        return  # moved already (a second run)
    with at(moment - timedelta(days=30)):
        Department.objects.filter(pk=department.pk).update(head=head)
        if moving_card.responsible_official_id != head.pk:
            card_handoff(
                card=moving_card,
                user=staff.operator,
                to_official=head,
                note="부서장이 직접 챙깁니다.",
            )
    elsewhere = (
        Department.objects.filter(is_active=True).exclude(pk=department.pk).order_by("pk").first()
    )
    with at(moment + timedelta(hours=2)):
        official_department_set(actor=staff.operator, member=head, department=elsewhere)
