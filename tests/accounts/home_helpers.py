"""A world with work for every staff role in two departments, made through
the services, for the tests of the staff home (accounts/staff_home.py and
each app's staff_home.py)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from answers import services as answer_services
from answers.models import Assignment
from meetings import services as meeting_services
from panel import services as panel_services
from proposals.models import PipelineSettings, ProposalStatus
from tests.answers.helpers import COMPLETE, assigned, submitted
from tests.debates.helpers import closed_debate
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    official,
    operator,
)
from tests.meetings.helpers import external_expert, mayor_office, meeting, on_agenda
from tests.tracking.helpers import adopted_card, requested_report
from tracking import services as card_services
from tracking.models import ProgressReport


@dataclass
class HomeWorld:
    """Who works, and one piece of each kind of work, named by who must do it."""

    dept_a: object
    dept_b: object
    official_a: object  # carries a card of A
    head_a: object  # heads A
    official_b: object
    operator: object
    mayor: object
    expert: object
    # answers
    to_answer_a: object
    to_answer_b: object
    returned_a: object
    submitted_b: object
    overdue_b: object
    request_b: object
    amended_b: object  # a published answer whose amendment waits for approval
    blocked: object
    debate: object
    # cards and reports
    card_a: object
    report_a: object
    ownerless_a: object
    card_b: object
    overdue_report_b: object
    # meetings
    next_meeting: object
    next_items: list
    opinion_request: object
    past_item: object
    # the citizen panel (issue 13)
    panel_application: object = None


def overdue(assignment: Assignment, days: int = 3) -> Assignment:
    """Move the assignment's dates back so its deadline passed `days` ago."""
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(
        assigned_at=now - dt.timedelta(days=30 + days), deadline=now - dt.timedelta(days=days)
    )
    assignment.refresh_from_db()
    return assignment


def home_world() -> HomeWorld:
    dept_a = DepartmentFactory(code="traffic", name="도시교통실", name_en="Urban Transport")
    dept_b = DepartmentFactory(code="welfare", name="복지정책실", name_en="Welfare Policy")
    official_a = official(dept_a, email="kim@seoul.go.kr", display_name="김교통")
    head_a = official(dept_a, email="head-a@seoul.go.kr", display_name="박실장")
    official_b = official(dept_b, email="lee@seoul.go.kr", display_name="이복지")
    the_operator = operator(email="operator@seoul.go.kr", display_name="최운영")
    mayor = mayor_office(email="mayor@seoul.go.kr", display_name="정비서")
    expert = external_expert(email="expert@example.com", display_name="한전문")

    # Answers: each department's queue, one answer returned to A, one of B's
    # waiting for approval, one of B's overdue, one B asks to hand on.
    to_answer_a = assigned(dept_a, title="A가 답할 제안: 버스 정류장 그늘막")
    to_answer_b = assigned(dept_b, title="B가 답할 제안: 경로당 냉방")
    returned_a = assigned(dept_a, title="A의 되돌려진 답변: 자전거 도로")
    answer_services.answer_return(
        answer=submitted(returned_a, by=official_a),
        user=the_operator,
        reason="근거를 조금 더 보완해 주세요.",
    )
    submitted_b = assigned(dept_b, title="B의 승인 대기 답변: 무료 급식")
    submitted(submitted_b, by=official_b)
    overdue_b = overdue(assigned(dept_b, title="B의 기한 지난 제안: 장애인 콜택시"))
    request_b = assigned(dept_b, title="B가 넘기려는 제안: 지하철 엘리베이터")
    answer_services.reassignment_request(
        assignment=request_b,
        user=official_b,
        reason="교통 소관입니다.",
        suggested_department=dept_a,
    )
    # B asks for more time on another (the operators' 연장 요청).
    answer_services.extension_request(
        assignment=to_answer_b, user=official_b, reason="현장 조사가 필요합니다.", days=5
    )
    amended_b = assigned(dept_b, title="B의 수정 승인 대기 답변: 노인 무료 급식 확대")
    answer = answer_services.answer_publish(
        answer=submitted(amended_b, by=official_b), user=the_operator
    )
    answer_services.amendment_submit(
        amendment=answer_services.amendment_save(
            answer=answer,
            user=official_b,
            reason="예산 변경",
            **{**COMPLETE, "estimated_budget": 90_000_000},
        ),
        user=official_b,
    )
    # Past the answer bar, but its category names no department.
    blocked = ProposalFactory(
        status=ProposalStatus.OPEN,
        title="부서 없는 분야의 제안: 반려견 놀이터",
        category=CategoryFactory(code="no-dept", default_department=None),
        endorsement_count=PipelineSettings.load().answer_threshold,
    )

    # A debate closed, its results still to write.
    debate = closed_debate(title="결과를 기다리는 토론: 심야 버스")

    # Cards: A's carried by official_a with a report requested, one of A's
    # nobody carries, B's carried by official_b with its report overdue.
    card_a = adopted_card(dept_a, title="A의 카드: 횡단보도 조명")
    card_a = card_services.card_handoff(
        card=card_a, user=the_operator, to_official=official_a, note="담당 지정"
    )
    report_a = requested_report(card_a)
    ownerless_a = adopted_card(dept_a, title="A의 주인 없는 카드: 공영 주차장")
    card_b = adopted_card(dept_b, title="B의 카드: 어르신 일자리")
    card_b = card_services.card_handoff(
        card=card_b, user=the_operator, to_official=official_b, note="담당 지정"
    )
    overdue_report_b = requested_report(card_b)
    ProgressReport.objects.filter(pk=overdue_report_b.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=2)
    )
    # A's head is named once its cards are open: a card opened under a head
    # starts with the head responsible (tracking.services.initial_owner),
    # and ownerless_a is to be one nobody carries.
    dept_a.head = head_a
    dept_a.save()

    # Meetings: the next one with three items (the expert has given an
    # opinion on the first, and the operator asked them by name for one on
    # the third), and one of today still without a decision.
    next_meeting = meeting(days=14)
    next_items = on_agenda(next_meeting, 3)
    meeting_services.expert_opinion_save(
        proposal=next_items[0].proposal,
        expert=expert,
        text="예산 범위 안에서 충분히 실현할 수 있습니다.",
        recommendation="adopt",
    )
    (opinion_request,) = meeting_services.expert_opinion_request(
        item=next_items[2],
        experts=[expert],
        due_date=timezone.localdate() + dt.timedelta(days=7),
        user=the_operator,
    )
    (past_item,) = on_agenda(meeting(days=-0.01), title="결정을 기다리는 안건: 한강 야시장")

    # The citizen panel: one application waiting for the operators.
    panel_application = panel_services.panel_apply(
        member=UserFactory(display_name="상상누리단 신청자"), motivation="함께 평가하고 싶어요."
    )

    return HomeWorld(
        dept_a=dept_a,
        dept_b=dept_b,
        official_a=official_a,
        head_a=head_a,
        official_b=official_b,
        operator=the_operator,
        mayor=mayor,
        expert=expert,
        to_answer_a=to_answer_a,
        to_answer_b=to_answer_b,
        returned_a=returned_a,
        submitted_b=submitted_b,
        overdue_b=overdue_b,
        request_b=request_b,
        amended_b=amended_b,
        blocked=blocked,
        debate=debate,
        card_a=card_a,
        report_a=report_a,
        ownerless_a=ownerless_a,
        card_b=card_b,
        overdue_report_b=overdue_report_b,
        panel_application=panel_application,
        next_meeting=next_meeting,
        next_items=next_items,
        opinion_request=opinion_request,
        past_item=past_item,
    )
