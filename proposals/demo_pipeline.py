"""Demo data for the pipeline: proposals at every stage, two past
realization meetings with decisions (about nine and three months ago), an
upcoming one with an agenda, and the adopted items' management cards at
every stage (review, planning, in progress, completed with photos,
suspended; one stalled, one without an owner, overdue reports escalated).
Everything goes through the apps' services, as staff would do it in the
admin; only dates are moved afterwards, so that each history lies in the
past and reads in order. Run by `seed_demo` after the free proposals; does
nothing if a realization meeting already exists."""

import calendar
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Department, User
from accounts.roles import Role
from accounts.services import user_set_roles
from pipeline import services as conductor
from tracking.models import REPORT_EVERY_MONTHS, REPORT_REMIND_DAYS

from .models import Proposal, ProposalStatus

DEMO_PASSWORD_USER = "citizen@demo.oasis.kr"  # whose password hash the helpers reuse


@dataclass
class PipelineCreated:
    stages: dict[str, int] = field(default_factory=dict)

    def any(self) -> bool:
        return any(self.stages.values())


ANSWERS = {
    "accept": {
        "summary": "제안하신 내용을 받아들여 내년 사업에 반영하겠습니다.",
        "necessity": "시민 이용이 많은 곳이라 개선이 필요하다는 데 공감합니다.",
        "effectiveness": "보행 안전과 편의가 크게 나아질 것으로 봅니다.",
        "feasibility": "현재 예산과 인력으로 단계적으로 추진할 수 있습니다.",
        "estimated_budget": 350_000_000,
        "decision": "accept",
    },
    "partial": {
        "summary": "일부 구간부터 시범 운영하고 결과를 보고 넓히겠습니다.",
        "necessity": "필요성은 충분합니다.",
        "effectiveness": "효과를 확인하려면 시범 운영이 먼저 필요합니다.",
        "feasibility": "관계 기관 협의가 필요한 구간은 제외하고 시작합니다.",
        "estimated_budget": 120_000_000,
        "decision": "partially_accept",
    },
    "refuse": {
        "summary": "좋은 뜻은 공감하지만 지금은 추진하기 어렵습니다.",
        "necessity": "취지에는 공감합니다.",
        "effectiveness": "이용 수요에 비해 효과가 크지 않을 것으로 봅니다.",
        "feasibility": "현행 도로법상 차도에 구조물을 둘 수 없습니다.",
        "estimated_budget": None,
        "decision": "not_accept",
        "refusal_basis_kind": "law",
        "refusal_basis": "도로법 제61조에 따라 도로 위 시설물은 허가 대상이 아니어서 설치할 수 없습니다. 대신 인근 공원에 비슷한 시설을 검토하겠습니다.",
    },
}


def seed_pipeline(*, now=None) -> PipelineCreated:
    """Move demo proposals through the pipeline. Requires the free-proposal
    demo data; idempotent (skips when a realization meeting exists)."""
    from meetings.models import RealizationMeeting

    created = PipelineCreated()
    if RealizationMeeting.objects.exists():
        return created
    now = now or timezone.now()
    with transaction.atomic():
        conductor.sweep(now=now)  # promotions past the answer bar; closed windows
        staff = _staff()
        assigned = list(
            Proposal.objects.filter(status=ProposalStatus.ASSIGNED).order_by(
                "-endorsement_count", "pk"
            )
        )
        plan = _plan(assigned)
        refused = plan["answered"][-1:]  # one answer says no, with its basis
        for proposal in plan["answered"] + plan["debate"] + plan["review"] + plan["meeting"]:
            _answer(proposal, staff, kind="refuse" if proposal in refused else "accept")
        for proposal in plan["debate"] + plan["review"] + plan["meeting"]:
            _debate(proposal, staff, close=proposal not in plan["debate"])
        _draft_and_overdue(plan["waiting"], staff, now)
        decided = _meetings(plan["meeting"], staff, now)
        for name in ("answered", "debate", "review", "meeting"):
            for proposal in plan[name]:
                when = decided.get(proposal.pk)
                _spread_history(proposal, until=(when or now) - timedelta(hours=1), decided_at=when)
        _cards(staff, now)
        created.stages = {key: len(value) for key, value in plan.items()}
    return created


# How many proposals each step of the pipeline shows. The meeting ones go,
# oldest first, to the first realization meeting (about nine months ago),
# the second one (about three months ago) and the upcoming one.
PLAN_SIZES = {"meeting": 13, "review": 1, "debate": 2, "answered": 2, "waiting": 2}
MEETING_SIZES = (5, 5)  # the agenda of meeting #1 and #2; the rest go to the upcoming one


def _plan(assigned):
    """Who goes where: the most endorsed (the realized examples among them)
    travel furthest. Of the most endorsed, the oldest reach the meetings,
    which took a while; the others wait at the earlier steps."""
    top = assigned[: sum(PLAN_SIZES.values())]
    meeting = sorted(top, key=lambda p: (p.created_at, p.pk))[: PLAN_SIZES["meeting"]]
    plan, rest = {"meeting": meeting}, [p for p in assigned if p not in meeting]
    for name in ("review", "debate", "answered", "waiting"):
        plan[name], rest = rest[: PLAN_SIZES[name]], rest[PLAN_SIZES[name] :]
    return plan


@dataclass
class Staff:
    operator: User
    mayor: User
    expert: User
    expert2: User
    officials: dict


def _staff() -> Staff:
    by_email = {u.email: u for u in User.objects.filter(email__endswith="@demo.oasis.kr")}
    officials = {}
    password = by_email[DEMO_PASSWORD_USER].password
    from allauth.account.models import EmailAddress

    for department in Department.objects.order_by("pk"):
        official = (
            User.objects.filter(department=department, groups__name=Role.OFFICIAL, is_active=True)
            .order_by("pk")
            .first()
        )
        # Every department has a demo official of its own, also one with a
        # named demo login, so its head has someone to hand a card to.
        email = f"official.{department.code}@demo.oasis.kr"
        colleague, _created = User.objects.get_or_create(
            email=email,
            defaults={"display_name": f"{department.name} 담당", "password": password},
        )
        EmailAddress.objects.get_or_create(
            user=colleague, email=email, defaults={"verified": True, "primary": True}
        )
        user_set_roles(user=colleague, roles={Role.OFFICIAL}, department=department)
        officials[department.pk] = official or colleague
    return Staff(
        operator=by_email["operator@demo.oasis.kr"],
        mayor=by_email["mayor@demo.oasis.kr"],
        expert=by_email["expert@demo.oasis.kr"],
        expert2=by_email["expert2@demo.oasis.kr"],
        officials=officials,
    )


def _answer(proposal, staff: Staff, *, kind: str):
    from answers.models import Assignment
    from answers.services import answer_publish, answer_rate, answer_save, answer_submit

    assignment = Assignment.objects.get(proposal=proposal, is_current=True)
    official = staff.officials[assignment.department_id]
    answer = answer_save(assignment=assignment, user=official, **ANSWERS[kind])
    answer_submit(answer=answer, user=official)
    answer_publish(answer=answer, user=staff.operator)
    proposal.refresh_from_db()
    if proposal.author_id and kind == "refuse":
        answer_rate(
            answer=answer,
            user=proposal.author,
            score=3,
            comment="이유를 알기 쉽게 설명해 주셔서 고맙습니다.",
        )
    elif proposal.author_id:
        answer_rate(
            answer=answer, user=proposal.author, score=5, comment="빠르고 친절한 답변이었어요!"
        )


def _debate(proposal, staff: Staff, *, close: bool):
    from debates.models import Debate
    from debates.services import argument_create, debate_close, debate_publish_summary, stance_set


    proposal.refresh_from_db()
    conductor.proposal_promote_by_hand(
        proposal=proposal,
        user=staff.operator,
        reason="시민 공감이 크고 창의적이어서 토론에 부칩니다.",
    )
    debate = Debate.objects.get(proposal=proposal)
    members = list(
        User.objects.filter(email__startswith="member0", is_active=True).order_by("pk")[:30]
    )
    for n, member in enumerate(members):
        stance_set(
            debate=debate,
            user=member,
            position=["for", "for", "against", "undecided", "for"][n % 5],
        )
    argument_create(
        debate=debate,
        author=members[0],
        side="for",
        body="많은 시민이 매일 겪는 불편을 줄여 줍니다. 꼭 필요합니다.",
    )
    argument_create(
        debate=debate,
        author=members[2],
        side="against",
        body="예산을 다른 급한 곳에 먼저 써야 하지 않을까요?",
    )
    argument_create(
        debate=debate,
        author=staff.expert,
        side="for",
        body="해외 도시 사례를 보면 적은 비용으로 큰 효과를 냈습니다.",
    )
    official = staff.officials.get(proposal.department_id)
    if official:
        argument_create(
            debate=debate,
            author=official,
            side="for",
            body="부서에서도 단계적으로 추진할 수 있는지 검토하고 있습니다.",
        )
    if close:
        debate_close(
            debate=debate,
            actor=staff.operator,
            reason="찬반 의견이 충분히 모여 실무회의 일정에 맞춰 마감합니다.",
        )
        debate.refresh_from_db()
        debate_publish_summary(
            debate=debate,
            operator=staff.operator,
            summary="찬성 의견이 많았고, 예산 부담을 줄이려면 시범 구간부터 시작하자는 의견이 모였습니다.",
        )


def _draft_and_overdue(waiting, staff: Staff, now):
    from answers.models import Assignment
    from answers.services import answer_save, deadlines_sweep

    for n, proposal in enumerate(waiting):
        assignment = Assignment.objects.get(proposal=proposal, is_current=True)
        if n == 0:
            official = staff.officials[assignment.department_id]
            answer_save(
                assignment=assignment,
                user=official,
                summary="검토 중입니다.",
                necessity="현장 조사를 하고 있습니다.",
            )
        else:
            # This one ran past its deadline: the operators were told.
            Assignment.objects.filter(pk=assignment.pk).update(
                assigned_at=now - timedelta(days=25), deadline=now - timedelta(days=5)
            )
    deadlines_sweep(now=now)


def _past_slots(now):
    """The usual times (last Thursday, 14:00) of the two past meetings:
    #2 the latest one at least 82 days ago, so its adopted items have had
    their first bimonthly report requested and, if unanswered, escalated by
    now; #1 six months (three meetings) before it."""
    from meetings.services import meeting_time_in

    local = timezone.localtime(now)
    index = local.year * 12 + local.month - 1
    while (second := meeting_time_in(index // 12, index % 12 + 1)) > now - timedelta(days=82):
        index -= 1
    index -= 6
    return meeting_time_in(index // 12, index % 12 + 1), second


# The decisions of the past meetings, in agenda order: (decision, reason, conditions).
FIRST_DECISIONS = [
    (
        "adopted",
        "적은 비용으로 시각장애인의 길 찾기를 크게 도울 수 있습니다.",
        "시각장애인 단체의 의견을 들어 점자 위치와 높이를 정할 것",
    ),
    ("adopted", "많은 시민이 오가는 곳이라 효과가 분명합니다.", ""),
    (
        "not_adopted",
        "한강에는 이미 수상 시설이 있어, 새로 만들기보다 있는 시설을 시민에게 더 열어 두는 쪽으로 검토하겠습니다.",
        "",
    ),
    (
        "adopted",
        "외국인 주민과 관광객에게 필요하다는 데 모두 공감했습니다.",
        "민간 영화관과 협력 방안을 먼저 마련할 것",
    ),
    ("adopted", "서울의 새 명소가 될 수 있다는 의견이 많았습니다.", "안전 점검을 거쳐 추진할 것"),
]
SECOND_DECISIONS = [
    (
        "adopted",
        "1인 가구의 안전을 지키는 데 꼭 필요합니다.",
        "지하철역 몇 곳에서 시범 운영 후 확대",
    ),
    ("adopted", "적은 예산으로 시민에게 즐거운 추억을 줄 수 있습니다.", ""),
    ("held_over", "관계 기관 협의 결과를 보고 다음 회의에서 다시 논의합니다.", ""),
    (
        "not_adopted",
        "한강공원 숲 가꾸기 사업이 이미 추진 중이라, 그 사업에 의견을 전하겠습니다.",
        "",
    ),
    ("adopted", "외국인 관광객 안내에 꼭 필요하다는 데 뜻을 모았습니다.", ""),
]


def _meetings(items, staff: Staff, now) -> dict:
    """Two past meetings with decisions (#1 about nine months ago, #2 about
    three), an upcoming one with its agenda. Returns when each decided
    proposal was decided, by its pk."""
    from meetings.models import WorkingReview
    from meetings.services import (
        expert_opinion_save,
        meeting_invite,
        meeting_schedule_next,
        working_review_decide,
        working_review_finalise,
    )

    items = sorted(items, key=lambda p: (p.created_at, p.pk))  # the oldest went first
    if len(items) < 4:
        return {}
    first_at, second_at = _past_slots(now)
    first_items = _agenda_order(items[: MEETING_SIZES[0]])
    second_items = _agenda_order(items[MEETING_SIZES[0] : sum(MEETING_SIZES)])
    next_items = items[sum(MEETING_SIZES) :]
    decided = {}
    for number, (when, agenda, decisions) in enumerate(
        ((first_at, first_items, FIRST_DECISIONS), (second_at, second_items, SECOND_DECISIONS)),
        start=1,
    ):
        if agenda:
            _past_meeting(number, when, agenda, decisions, staff)
            decided.update({proposal.pk: when for proposal in agenda})

    upcoming = meeting_schedule_next(now=now)
    if next_items:
        review2 = WorkingReview.objects.create(
            held_on=(now - timedelta(days=3)).date(),
            place="서소문청사 회의실",
            attendees="창의담당관, 관계 부서, 전문가",
            next_meeting=upcoming,
        )
        for n, proposal in enumerate(next_items):
            selected = n < len(next_items) - 1
            working_review_decide(
                review=review2,
                proposal=proposal,
                selected=selected,
                reason="실현 가능성이 높아 실현회의에 올립니다."
                if selected
                else "이미 부서 사업으로 추진 중이어서 올리지 않습니다.",
                user=staff.operator,
            )
            if selected:
                expert_opinion_save(
                    proposal=proposal,
                    expert=staff.expert2,
                    text="예산 계획을 보완하면 좋겠습니다.",
                    recommendation="adopt_with_conditions",
                )
        working_review_finalise(review=review2, user=staff.operator)
    meeting_invite(meeting=upcoming, user=staff.operator)
    return decided


# The past meetings' agendas, in order, for the decisions and card stories
# to fit each proposal (the realized examples are adopted and carried out).
AGENDA_ORDER = (
    # meeting #1
    "도로명주소 안내판에 점자를 넣어 주세요",
    "지하철역에 미세먼지 농도 전광판을 설치해 주세요",
    "한강 위에 떠다니는 섬을 만들어 주세요",
    "한국 영화를 영어자막으로 볼 수 있는 영화관을 만들어 주세요",
    "걷고 싶은 한강다리를 만들어 주세요",
    # meeting #2
    "지하철역에 여성안심 택배보관함을 설치해 주세요",
    "사랑을 고백하는 '청혼의 벽'을 만들어 주세요",
    "대한문 수문장 교대식을 시민이 직접 체험하게 해 주세요",
    "한강공원에 그늘진 숲길을 만들어 주세요",
)


def _agenda_order(proposals):
    """The order of AGENDA_ORDER; any other proposal after those, oldest first."""
    rank = {title: n for n, title in enumerate(AGENDA_ORDER)}
    return sorted(proposals, key=lambda p: rank.get(p.title, len(rank)))


def _past_meeting(number, when, agenda, decisions, staff: Staff):
    """Realization meeting `number`, held at `when`: its working review two
    weeks before put `agenda` on it, and the mayor decided each item."""
    from meetings.models import AgendaItem, ExpertOpinion, RealizationMeeting, WorkingReview
    from meetings.services import (
        agenda_item_decide,
        expert_opinion_save,
        meeting_mark_held,
        working_review_decide,
        working_review_finalise,
    )

    meeting = RealizationMeeting.objects.create(
        number=number,
        scheduled_at=when,
        place="서울시청 본관 3층 대회의실",
        attendees_mayor="서울특별시장",
        attendees_experts="전문평가단 2명",
        attendees_officials="관계 부서장",
        attendees_citizens=f"상상누리단 {8 + 2 * number}명",
    )
    review_day = when - timedelta(days=14)
    review = WorkingReview.objects.create(
        held_on=review_day.date(),
        place="서소문청사 회의실",
        attendees="창의담당관, 관계 부서, 전문가",
        next_meeting=meeting,
    )
    for proposal in agenda:
        working_review_decide(
            review=review,
            proposal=proposal,
            selected=True,
            reason="시민 공감과 실현 가능성이 높습니다.",
            user=staff.operator,
        )
        expert_opinion_save(
            proposal=proposal,
            expert=staff.expert,
            text="현행 제도 안에서 추진할 수 있습니다.",
            recommendation="adopt",
        )
    working_review_finalise(review=review, user=staff.operator)
    for item, (decision, reason, conditions) in zip(
        AgendaItem.objects.filter(meeting=meeting).order_by("position"), decisions, strict=False
    ):
        agenda_item_decide(
            item=item, decision=decision, reason=reason, conditions=conditions, user=staff.mayor
        )
    meeting_mark_held(meeting=meeting, user=staff.operator)
    # The services stamped "now"; the meeting and its review lie in the past.
    RealizationMeeting.objects.filter(pk=meeting.pk).update(
        created_at=review_day, held_at=when + timedelta(hours=2)
    )
    finalised = review_day + timedelta(hours=4)
    WorkingReview.objects.filter(pk=review.pk).update(created_at=review_day, finalised_at=finalised)
    review.decisions.update(created_at=review_day, updated_at=review_day)
    AgendaItem.objects.filter(meeting=meeting).update(created_at=finalised)
    ExpertOpinion.objects.filter(proposal__in=agenda).update(
        created_at=review_day - timedelta(days=2), updated_at=review_day - timedelta(days=2)
    )


def _spread_history(proposal, *, until, decided_at=None):
    """The services stamped every step "now"; spread them in order between
    the proposal's first days and `until` (its meeting, or today), and move
    the assignment, answer and debate dates with them, so each page reads as
    a history. The decision itself stays at the meeting's time."""
    from answers.models import Answer, Assignment
    from debates.models import Debate

    from .models import EventKind, ProposalEvent

    events = list(proposal.events.exclude(kind=EventKind.CREATED).order_by("created_at", "pk"))
    start = proposal.created_at + timedelta(days=2)
    if not events or until <= start:
        return
    step = (until - start) / len(events)
    stamp = {}
    for n, event in enumerate(events):
        event.created_at = start + step * n
        stamp.setdefault(event.to_status or event.kind, event.created_at)
    for event in events:
        if decided_at and (
            event.to_status in (ProposalStatus.ADOPTED, ProposalStatus.NOT_ADOPTED)
            or event.kind == EventKind.HELD_OVER
        ):
            event.created_at = decided_at
    ProposalEvent.objects.bulk_update(events, ["created_at"])
    if decided_at:
        from meetings.models import AgendaItem
        from tracking.models import CardEvent, ManagementCard

        AgendaItem.objects.filter(proposal=proposal).exclude(decision="pending").update(
            decided_at=decided_at
        )
        ManagementCard.objects.filter(proposal=proposal).update(
            created_at=decided_at, stage_changed_at=decided_at, updated_at=decided_at
        )
        CardEvent.objects.filter(card__proposal=proposal).update(created_at=decided_at)
    if assigned := stamp.get(ProposalStatus.ASSIGNED):
        Assignment.objects.filter(proposal=proposal).update(
            assigned_at=assigned, deadline=assigned + timedelta(days=20)
        )
    if answered := stamp.get(ProposalStatus.ANSWERED):
        Answer.objects.filter(assignment__proposal=proposal).update(
            submitted_at=answered - timedelta(hours=6), published_at=answered
        )
    if opened := stamp.get(ProposalStatus.DEBATE):
        closed = stamp.get(EventKind.DEBATE_CLOSED)
        summary = stamp.get(ProposalStatus.REVIEW)
        Debate.objects.filter(proposal=proposal).update(
            starts_at=opened,
            ends_at=opened + timedelta(days=30),
            closed_at=closed,
            summary_published_at=summary,
        )


# --- the adopted items' management cards ----------------------------------------


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
    """Nobody took it on: the department was asked for its first report,
    reminded, and the operators were told when it ran late."""
    return []


def _story_review(t: dict) -> list[tuple]:
    """Handed over late and still being looked into."""
    return [
        _step("handoff", days=20, note=t["handoff"]),
        _report(1, 12, t["report1"], 5, next_steps=t["next1"]),
    ]


# Per meeting number, the stories of its adopted items in agenda order.
CARD_STORIES = {
    1: (_story_completed, _story_under_way, _story_stalled, _story_suspended),
    2: (_story_started, _story_ownerless, _story_review),
}


def _cards(staff: Staff, now):
    """Every adopted item's management card, worked on as staff would: handed
    to an official, moved through its stages, bimonthly reports requested,
    reminded, escalated and submitted, photos attached. The steps run in
    order of their (past) time, each through the services; the dates the
    services wrote are then moved to that time (_at). Which story a card
    gets follows its meeting and agenda order (see CARD_STORIES)."""
    from tracking.models import ManagementCard

    cards = list(
        ManagementCard.objects.select_related("agenda_item__meeting", "proposal").order_by(
            "agenda_item__meeting__number", "agenda_item__position"
        )
    )
    by_meeting: dict[int, list] = {}
    for card in cards:
        by_meeting.setdefault(card.agenda_item.meeting.number, []).append(card)
    steps = []
    for number, meeting_cards in by_meeting.items():
        for card, story in zip(meeting_cards, CARD_STORIES.get(number, ()), strict=False):
            for n, step in enumerate(story(_texts(story, card.proposal.title))):
                moment = _step_time(card, step)
                if moment < now - timedelta(hours=1):
                    steps.append((moment, card.pk, n, card, step))
    steps.sort(key=lambda row: row[:3])
    for moment, _pk, _n, card, step in steps:
        _beat_until(moment)
        with _at(moment):
            _do(card, step, staff)
    _beat_until(now)


def _months_later(moment, months: int):
    """`moment` plus calendar months in Seoul time, as the report schedule
    counts them (tracking.services)."""
    local = timezone.localtime(moment)
    index = local.year * 12 + local.month - 1 + months
    year, month = index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return local.replace(year=year, month=month, day=min(local.day, last_day))


def _step_time(card, step):
    _action, period, days, _values = step
    moment = card.agenda_item.meeting.scheduled_at
    for _ in range(period):
        moment = _months_later(moment, REPORT_EVERY_MONTHS)
    return moment + timedelta(days=days, hours=2 if period else 0)


def _do(card, step, staff: Staff):
    from tracking.models import ProgressReport
    from tracking.services import (
        card_attach,
        card_change_stage,
        card_handoff,
        card_update,
        report_submit,
    )

    action, period, _days, values = step
    card.refresh_from_db()
    official = staff.officials.get(card.department_id)
    if official is None:
        return
    if action == "handoff":
        card_handoff(card=card, user=staff.operator, to_official=official, note=values["note"])
    elif action == "stage":
        card_change_stage(card=card, user=official, to_stage=values["stage"], note=values["note"])
    elif action == "update":
        meeting_day = timezone.localdate(card.agenda_item.meeting.scheduled_at)
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
            photo=_demo_photo(values["scene"], seed=card.pk * 10 + values.get("variant", 0)),
        )


@contextmanager
def _at(moment):
    """Run services as if at `moment`: the rows they add (card history,
    proposal timeline, notices, attachments) and the stamps they set (stage
    changed, submitted, updated) are moved to `moment` afterwards."""
    from notifications.models import Notification
    from tracking.models import CardAttachment, CardEvent, ManagementCard, ProgressReport

    from .models import ProposalEvent

    added = (CardEvent, ProposalEvent, Notification, CardAttachment)
    marks = {model: model.objects.aggregate(n=Max("pk"))["n"] or 0 for model in added}
    started = timezone.now()
    yield
    for model, mark in marks.items():
        model.objects.filter(pk__gt=mark).update(created_at=moment)
    ManagementCard.objects.filter(stage_changed_at__gte=started).update(stage_changed_at=moment)
    ManagementCard.objects.filter(updated_at__gte=started).update(updated_at=moment)
    ProgressReport.objects.filter(submitted_at__gte=started).update(submitted_at=moment)


def _beat_until(until):
    """What the daily beat would have done up to `until`: request the
    bimonthly reports, remind officials three days before the due date and
    tell the operators the day after it, each at its time (09:00 in Seoul
    for reminders and escalations)."""
    from tracking.services import report_request_due, reports_remind_and_escalate

    last = None
    while (moment := _next_beat()) is not None:
        if last is not None and moment <= last:
            moment = last + timedelta(days=1)  # nothing happened: try the next day
        if moment > until:
            return
        with _at(moment):
            report_request_due(now=moment)
            reports_remind_and_escalate(now=moment)
        last = moment


def _next_beat():
    from tracking.models import CardStage, ManagementCard, ProgressReport, ReportStatus
    from tracking.services import report_next_request_at

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


def _demo_photo(scene: str, *, seed: int) -> ContentFile:
    """A small JPEG of a simple, drawn scene (sky, hills, and the `scene`'s
    subject), different for every seed."""
    import io
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    width, height = 960, 640
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    top, bottom = (rng.randint(70, 120), rng.randint(150, 190), 235), (205, 228, 245)
    horizon = int(height * rng.uniform(0.5, 0.62))
    for y in range(horizon):
        f = y / horizon
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * f) for a, b in zip(top, bottom, strict=True)),
        )
    sun = rng.randint(80, width - 80)
    draw.ellipse([sun - 40, 50, sun + 40, 130], fill=(255, 236, 170))
    for _ in range(3):
        x, y = rng.randint(0, width), rng.randint(30, horizon // 2)
        draw.ellipse([x - 70, y - 18, x + 70, y + 18], fill=(248, 250, 252))
    for _ in range(2):
        x = rng.randint(0, width)
        draw.ellipse([x - 380, horizon - 90, x + 380, horizon + 90], fill=(120, 160, 130))
    ground = (rng.randint(100, 130), rng.randint(150, 175), 95)
    draw.rectangle([0, horizon, width, height], fill=ground)
    if scene == "bridge":
        draw.rectangle([0, horizon + 40, width, height], fill=(80, 130, 190))
        deck = horizon + 10
        draw.rectangle([0, deck, width, deck + 26], fill=(190, 190, 185))
        for x in range(40, width, 120):
            draw.rectangle([x, deck + 26, x + 18, height], fill=(150, 150, 145))
            draw.ellipse([x - 6, deck - 40, x + 24, deck - 10], fill=(255, 220, 120))
            draw.rectangle([x + 6, deck - 12, x + 12, deck], fill=(90, 90, 90))
        for x in range(60, width, 90):
            draw.ellipse([x - 16, deck - 34, x + 16, deck - 2], fill=(70, 150, 80))
    elif scene == "street":
        for x in range(0, width, 150):
            tall = rng.randint(120, 260)
            draw.rectangle(
                [x + 8, horizon - tall, x + 140, horizon],
                fill=(rng.randint(170, 220), rng.randint(160, 210), rng.randint(150, 200)),
            )
            for wy in range(horizon - tall + 15, horizon - 20, 35):
                for wx in range(x + 20, x + 130, 30):
                    draw.rectangle([wx, wy, wx + 14, wy + 18], fill=(120, 150, 180))
        draw.polygon(
            [(width // 2 - 60, horizon), (width // 2 + 60, horizon), (width, height), (0, height)],
            fill=(200, 195, 185),
        )
        for y in range(horizon + 20, height, 40):
            draw.rectangle([width // 2 - 5, y, width // 2 + 5, y + 20], fill=(250, 250, 250))
    else:  # park or square: a path, trees and benches
        draw.polygon(
            [
                (width // 2 - 30, horizon),
                (width // 2 + 30, horizon),
                (width - 200, height),
                (200, height),
            ],
            fill=(215, 200, 170),
        )
        for _ in range(9):
            x = rng.randint(20, width - 20)
            y = rng.randint(horizon + 10, height - 40)
            size = 20 + (y - horizon) // 4
            draw.rectangle([x - 5, y - size, x + 5, y], fill=(110, 80, 50))
            draw.ellipse(
                [x - size, y - 2 * size, x + size, y - size // 2],
                fill=(rng.randint(40, 80), rng.randint(120, 160), rng.randint(50, 80)),
            )
        for x in (width // 2 - 200, width // 2 + 140):
            y = horizon + 120
            draw.rectangle([x, y, x + 70, y + 12], fill=(160, 100, 60))
            draw.rectangle([x + 5, y + 12, x + 10, y + 30], fill=(80, 80, 80))
            draw.rectangle([x + 60, y + 12, x + 65, y + 30], fill=(80, 80, 80))
        if scene == "sign":
            draw.rectangle(
                [width // 2 + 60, horizon - 40, width // 2 + 66, horizon + 90], fill=(90, 90, 90)
            )
            draw.rectangle(
                [width // 2 + 20, horizon - 80, width // 2 + 110, horizon - 20], fill=(40, 90, 160)
            )
            for n in range(3):
                draw.rectangle(
                    [
                        width // 2 + 30,
                        horizon - 70 + 18 * n,
                        width // 2 + 95,
                        horizon - 62 + 18 * n,
                    ],
                    fill=(240, 240, 240),
                )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"demo-{scene}-{seed}.jpg")


# --- what staff wrote on the cards ------------------------------------------------

# For any adopted proposal without texts of its own (CARD_TEXTS), by story.
GENERIC_TEXTS = {
    "_story_completed": {
        "handoff": "담당 부서 실무자에게 맡깁니다. 시범 사업부터 챙겨 주세요.",
        "budget": 180_000_000,
        "planning": "현장을 둘러보고 시범 구간과 예산 계획을 세우고 있습니다.",
        "start": "설계를 마치고 공사를 시작했습니다.",
        "report1": "공사 업체를 정하고 첫 구간 공사를 시작했습니다.",
        "next1": "다음 두 달 동안 나머지 구간 공사를 이어 갑니다.",
        "report2": "공사의 대부분을 마쳤고, 시민 의견을 들어 세부 디자인을 다듬었습니다.",
        "next2": "마무리 공사와 안전 점검을 마치고 문을 엽니다.",
        "report3": "공사와 안전 점검을 모두 마치고 시민에게 공개했습니다. 함께해 주셔서 고맙습니다.",
        "photos": ("완성된 모습", "시민들이 이용하는 모습"),
        "scene": "park",
    },
    "_story_under_way": {
        "handoff": "담당 부서 실무자에게 맡깁니다.",
        "budget": 400_000_000,
        "planning": "관계 부서와 함께 추진 계획을 세우고 있습니다.",
        "report1": "설계 용역을 맡길 업체를 공모하고 있습니다.",
        "next1": "설계를 마치는 대로 공사를 시작합니다.",
        "report2": "설계를 마치고 첫 공사를 시작했습니다.",
        "report3": "공사가 절반을 넘었습니다. 큰 문제 없이 진행되고 있습니다.",
        "next3": "남은 공사를 이어 가고, 중간 점검을 받습니다.",
        "report4": "중간 점검을 통과했고 마무리 공사를 준비하고 있습니다.",
        "next4": "날씨가 좋으면 석 달 안에 마칠 수 있습니다.",
        "photo": "공사 중인 모습",
        "scene": "street",
    },
    "_story_stalled": {
        "handoff": "담당 부서 실무자에게 맡깁니다.",
        "budget": 250_000_000,
        "planning": "알맞은 장소를 찾고 있습니다.",
        "report1": "후보지 세 곳을 둘러보았습니다.",
        "next1": "후보지 주민 의견을 듣겠습니다.",
        "report2": "후보지 주민 설명회를 열었는데 의견이 엇갈렸습니다.",
        "next2": "다른 후보지도 함께 살펴보겠습니다.",
        "report3": "아직 장소를 정하지 못했습니다. 예산 확보도 함께 기다리고 있습니다.",
        "next3": "다음 예산 심의 결과를 보고 다시 계획을 세우겠습니다.",
    },
    "_story_suspended": {
        "handoff": "담당 부서 실무자에게 맡깁니다.",
        "budget": 300_000_000,
        "planning": "관계 기관과 협의하며 계획을 세우고 있습니다.",
        "report1": "관계 기관과 첫 협의를 마쳤습니다.",
        "next1": "세부 설계에 들어가겠습니다.",
        "report2": "세부 설계 중에 현장 안전 점검을 받았습니다.",
        "reason": "안전 점검에서 보강이 필요하다는 결과가 나왔습니다. 보강 방법과 예산이 정해질 때까지 잠시 멈춥니다.",
        "report3": "보강 방법을 전문가와 함께 검토하고 있습니다.",
        "next3": "보강 예산을 내년 예산에 신청하겠습니다.",
        "report4": "보강 예산을 신청했고 결과를 기다리고 있습니다.",
        "next4": "예산이 정해지면 계획을 다시 세워 알려 드리겠습니다.",
    },
    "_story_started": {
        "handoff": "담당 부서 실무자에게 맡깁니다.",
        "budget": 120_000_000,
        "planning": "시범 구간과 예산 계획을 세우고 있습니다.",
        "report1": "현장 조사를 마치고 시범 구간 두 곳을 정했습니다. 첫 공사를 시작했습니다.",
        "next1": "다음 달까지 시범 구간 공사를 마칩니다.",
    },
    "_story_ownerless": {},
    "_story_review": {
        "handoff": "인사 이동으로 늦어졌습니다. 새 담당자에게 맡깁니다.",
        "report1": "관련 법과 다른 도시 사례를 살펴보고 있습니다.",
        "next1": "관계 부서와 협의해 추진 방법을 정하겠습니다.",
    },
}

# Texts of their own for the demo's adopted proposals (see AGENDA_ORDER), by
# title; whatever a title lacks comes from its story's GENERIC_TEXTS.
CARD_TEXTS: dict[str, dict] = {
    "도로명주소 안내판에 점자를 넣어 주세요": {
        "handoff": "주소정보 담당 주무관에게 맡깁니다. 시각장애인 단체와 꼭 함께해 주세요.",
        "budget": 85_000_000,
        "planning": "시각장애인복지관과 함께 점자를 붙일 높이와 위치를 정하고 있습니다.",
        "start": "점자 건물번호판 시안을 확정하고 제작을 맡겼습니다.",
        "report1": "복지관과 지하철역 주변 건물 120곳을 골라 첫 40곳에 점자 번호판을 달았습니다.",
        "next1": "남은 80곳에 달고, 시각장애인 모니터단과 직접 걸어 보며 확인하겠습니다.",
        "report2": "110곳에 달았습니다. 모니터단 의견대로 글자 크기를 키우고 손으로 찾기 쉽게 테두리를 넣었습니다.",
        "next2": "나머지를 마저 달고, 음성 안내 QR도 함께 붙입니다.",
        "report3": "120곳 모두 점자와 음성 안내 QR을 붙인 번호판으로 바꿨습니다. 앞으로 새로 다는 번호판에는 처음부터 점자를 넣습니다. 함께해 주셔서 고맙습니다.",
        "photos": ("점자를 넣은 건물번호판", "복지관 앞 길 안내판", "모니터단과 함께 걸어 본 날"),
        "scene": "sign",
    },
    "지하철역에 미세먼지 농도 전광판을 설치해 주세요": {
        "handoff": "대기질 담당 주무관에게 맡깁니다. 교통공사와 협의가 필요합니다.",
        "budget": 640_000_000,
        "planning": "서울교통공사와 함께 전광판을 달 역과 위치를 고르고 있습니다.",
        "report1": "이용객이 많은 역 30곳을 골랐고, 전광판 설계 용역을 맡길 업체를 공모하고 있습니다.",
        "next1": "설계를 마치는 대로 첫 10개 역부터 설치합니다.",
        "report2": "설계를 마치고 시청역, 강남역 등 첫 10개 역에 설치를 시작했습니다.",
        "report3": "18개 역에 설치를 마쳤습니다. 어르신들이 보기 쉽게 글자를 키우고 색으로 단계를 보여 줍니다.",
        "next3": "나머지 12개 역에 설치하고, 역 안 공기질 수치도 함께 띄우도록 연결합니다.",
        "report4": "24개 역에서 운영 중입니다. 역 안 공기질 수치도 함께 보여 주기 시작했습니다.",
        "next4": "남은 6개 역은 역사 공사가 끝나는 대로 달겠습니다.",
        "photo": "역 출입구에 단 미세먼지 전광판",
        "scene": "street",
    },
    "한국 영화를 영어자막으로 볼 수 있는 영화관을 만들어 주세요": {
        "handoff": "영상문화 담당 주무관에게 맡깁니다.",
        "budget": 150_000_000,
        "planning": "함께할 영화관과 자막 제작 방법을 알아보고 있습니다.",
        "report1": "시내 영화관 네 곳과 만나 영어자막 상영에 대해 이야기를 나눴습니다.",
        "next1": "자막 제작 비용을 누가 낼지 배급사와 협의하겠습니다.",
        "report2": "배급사들은 관심을 보였지만, 자막 비용 부담을 두고 의견이 엇갈리고 있습니다.",
        "next2": "서울영상위원회와 함께 비용을 나누는 방법을 찾아보겠습니다.",
        "report3": "아직 협약을 맺을 영화관을 정하지 못했습니다. 자막 제작 예산이 확보되기를 기다리고 있습니다.",
        "next3": "내년 예산 심의 결과를 보고 계획을 다시 세우겠습니다.",
    },
    "걷고 싶은 한강다리를 만들어 주세요": {
        "handoff": "보행정책 담당 주무관에게 맡깁니다. 시범 다리 선정부터 부탁합니다.",
        "budget": 1_200_000_000,
        "planning": "시범 다리 후보를 두고 보행로를 넓히는 설계를 검토하고 있습니다.",
        "report1": "잠수교와 한강대교를 후보로 현장 조사를 마쳤습니다. 한강대교 전망 쉼터를 먼저 하기로 했습니다.",
        "next1": "다리 구조 안전 진단을 받고 세부 설계를 시작합니다.",
        "report2": "세부 설계 중에 다리 구조 안전 진단을 받았습니다.",
        "reason": "안전 진단에서 전망 쉼터를 얹을 부분을 먼저 보강해야 한다는 결과가 나왔습니다. 보강 방법과 예산이 정해질 때까지 잠시 멈춥니다.",
        "report3": "구조 전문가들과 보강 방법을 검토하고 있습니다. 그동안 보행로 화단과 조명 계획은 다듬어 두었습니다.",
        "next3": "보강 공사 예산을 내년 예산에 신청하겠습니다.",
        "report4": "보강 공사 예산을 신청했고 심의를 기다리고 있습니다.",
        "next4": "예산이 확정되면 계획을 다시 세워 이곳에 알려 드리겠습니다.",
    },
    "지하철역에 여성안심 택배보관함을 설치해 주세요": {
        "handoff": "1인가구 안전 담당 주무관에게 맡깁니다.",
        "budget": 96_000_000,
        "planning": "1인 가구가 많은 지역의 역을 골라 시범 설치 계획을 세우고 있습니다.",
        "report1": "신림역과 화곡역을 시범 역으로 정하고, 보관함과 비상벨, CCTV 설치를 시작했습니다.",
        "next1": "다음 달 시범 운영을 시작하고 이용 안내를 하겠습니다.",
    },
    "관광지 안내판에 다국어 QR 안내를 붙여 주세요": {
        "handoff": "담당자 인사 이동으로 늦어졌습니다. 관광안내 담당 주무관에게 맡깁니다.",
        "report1": "QR 안내를 먼저 붙일 관광지 목록을 만들고, 다른 도시들의 음성 안내 사례를 살펴보고 있습니다.",
        "next1": "번역과 음성 녹음 비용을 뽑아 추진 방법을 정하겠습니다.",
    },
}


def _texts(story, title: str) -> dict:
    return {**GENERIC_TEXTS[story.__name__], **CARD_TEXTS.get(title, {})}
