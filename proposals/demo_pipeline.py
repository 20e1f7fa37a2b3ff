"""Demo data for the pipeline: proposals at every stage, a past realization
meeting with decisions and an upcoming one with an agenda. Everything goes
through the apps' services, as staff would do it in the admin; only dates are
moved so that the past meeting lies in the past. Run by `seed_demo` after the
free proposals; does nothing if a realization meeting already exists."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from accounts.roles import Role
from accounts.services import user_set_roles

from . import pipeline
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
        pipeline.sweep(now=now)  # promotions past the answer bar; closed windows
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
        plan["meeting"].sort(key=lambda p: p.created_at)  # the oldest went to the past meeting
        _draft_and_overdue(plan["waiting"], staff, now)
        past = _meetings(plan["meeting"], staff, now)
        for name in ("answered", "debate", "review", "meeting"):
            for n, proposal in enumerate(plan[name]):
                decided = past.scheduled_at if (past and name == "meeting" and n < 4) else None
                _spread_history(
                    proposal, until=(decided or now) - timedelta(hours=1), decided_at=decided
                )
        _cards(staff, now)
        created.stages = {key: len(value) for key, value in plan.items()}
    return created


def _plan(assigned):
    """Who goes where: the most endorsed (the realized examples among them)
    travel furthest."""
    names = ["meeting", "review", "debate", "answered", "waiting"]
    sizes = {"meeting": 7, "review": 1, "debate": 2, "answered": 2, "waiting": 2}
    plan, rest = {}, list(assigned)
    for name in names:
        plan[name], rest = rest[: sizes[name]], rest[sizes[name] :]
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
    for department in Department.objects.all():
        official = User.objects.filter(
            department=department, groups__name=Role.OFFICIAL, is_active=True
        ).first()
        if official is None:
            # Every department that may get a proposal has a demo official.
            email = f"official.{department.code}@demo.oasis.kr"
            official, _created = User.objects.get_or_create(
                email=email,
                defaults={"display_name": f"{department.name} 담당", "password": password},
            )
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=official, email=email, defaults={"verified": True, "primary": True}
            )
            user_set_roles(user=official, roles={Role.OFFICIAL}, department=department)
        officials[department.pk] = official
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

    from .services import proposal_promote_by_hand

    proposal.refresh_from_db()
    proposal_promote_by_hand(
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


def _meetings(items, staff: Staff, now):
    """A past meeting with decisions, an upcoming one with its agenda."""
    from meetings.models import AgendaItem, RealizationMeeting, WorkingReview
    from meetings.services import (
        agenda_item_decide,
        expert_opinion_save,
        meeting_invite,
        meeting_mark_held,
        meeting_schedule_next,
        meeting_time_in,
        working_review_decide,
        working_review_finalise,
    )

    if len(items) < 4:
        return None
    past_items, next_items = items[:4], items[4:]
    # The usual slot (last Thursday, 14:00) three months back, so its adopted
    # items have had their first bimonthly progress report requested.
    month, year = now.month - 3, now.year
    if month < 1:
        month, year = month + 12, year - 1
    past = RealizationMeeting.objects.create(
        number=1,
        scheduled_at=meeting_time_in(year, month),
        place="서울시청 본관 3층 대회의실",
        attendees_mayor="서울특별시장",
        attendees_experts="전문평가단 2명",
        attendees_officials="관계 부서장",
        attendees_citizens="상상누리단 10명",
    )
    review = WorkingReview.objects.create(
        held_on=(meeting_time_in(year, month) - timedelta(days=14)).date(),
        place="서소문청사 회의실",
        attendees="창의담당관, 관계 부서, 전문가",
        next_meeting=past,
    )
    for proposal in past_items:
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
    decisions = [
        ("adopted", "시민 공감이 크고 효과가 분명합니다.", "내년 상반기 시범 사업 후 확대"),
        ("adopted", "적은 예산으로 시민 생활을 바꿀 수 있습니다.", ""),
        ("held_over", "관계 기관 협의 결과를 보고 다음 회의에서 다시 논의합니다.", ""),
        ("not_adopted", "비슷한 사업이 이미 추진 중이라 채택하지 않습니다.", ""),
    ]
    for item, (decision, reason, conditions) in zip(
        AgendaItem.objects.filter(meeting=past).order_by("position"), decisions, strict=False
    ):
        agenda_item_decide(
            item=item, decision=decision, reason=reason, conditions=conditions, user=staff.mayor
        )
    meeting_mark_held(meeting=past, user=staff.operator)

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
    return past


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
            created_at=decided_at, stage_changed_at=decided_at
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


def _cards(staff: Staff, now):
    """The adopted items' management cards: one handed to its official and
    under way with a progress report, one still without an owner whose
    requested report is overdue (the operators' dashboard shows both)."""
    from tracking.models import ManagementCard, ProgressReport
    from tracking.services import (
        card_change_stage,
        card_handoff,
        report_request_due,
        report_submit,
        reports_remind_and_escalate,
    )

    cards = list(ManagementCard.objects.order_by("pk"))
    if not cards:
        return
    report_request_due(now=now - timedelta(days=20))
    first = cards[0]
    official = staff.officials.get(first.department_id)
    if official:
        card_handoff(
            card=first,
            user=staff.operator,
            to_official=official,
            note="담당 부서 실무자에게 맡깁니다.",
        )
        card_change_stage(
            card=first,
            user=official,
            to_stage="planning",
            note="시범 구간과 예산 계획을 세우고 있습니다.",
        )
        report = ProgressReport.objects.filter(card=first, status="requested").first()
        if report:
            report_submit(
                report=report,
                user=official,
                done="현장 조사를 마치고 시범 구간 두 곳을 정했습니다.",
                stage="in_progress",
                percent=35,
                spent_budget=45_000_000,
                next_steps="다음 달 설계를 마치고 공사를 시작합니다.",
            )
    reports_remind_and_escalate(now=now)
