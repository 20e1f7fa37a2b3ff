"""Assignments and answers in each state, made through the services."""

from zoneinfo import ZoneInfo

from answers import services
from answers.models import Answer, Assignment
from notifications.models import Notification
from proposals.models import ProposalStatus
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory, official

SEOUL = ZoneInfo("Asia/Seoul")

COMPLETE = {
    "summary": "보행로를 넓히겠습니다. 내년 상반기에 설계를 시작합니다.",
    "necessity": "한강 다리를 걸어서 건너는 시민이 늘고 있습니다.",
    "effectiveness": "보행 안전과 관광 효과가 큽니다.",
    "feasibility": "교량 구조 검토 결과 보행로 확장이 가능합니다.",
    "estimated_budget": 120_000_000,
    "decision": "accept",
}
REFUSAL = {
    **COMPLETE,
    "summary": "지금은 수용하기 어렵습니다.",
    "decision": "not_accept",
    "refusal_basis_kind": "law",
    "refusal_basis": "도로법상 교량의 차로를 줄이려면 국토교통부 승인이 필요합니다.",
}


def assigned(department=None, **proposal_fields) -> Assignment:
    """A proposal that crossed the answer bar and was given to `department`
    (its category's default), as the pipeline does it."""
    department = department or DepartmentFactory()
    proposal_fields.setdefault("category", CategoryFactory(default_department=department))
    proposal_fields.setdefault("endorsement_count", 50)
    proposal = ProposalFactory(status=ProposalStatus.OPEN, **proposal_fields)
    return services.assignment_open(proposal=proposal, actor=None, reason="50명이 추천했습니다.")


def clerk_of(assignment: Assignment):
    """An official of the assignment's department (made once per department)."""
    existing = assignment.department.members.filter(groups__name="official").first()
    return existing or official(department=assignment.department)


def drafted(assignment: Assignment, values=None, by=None) -> Answer:
    return services.answer_save(
        assignment=assignment, user=by or clerk_of(assignment), **(values or COMPLETE)
    )


def submitted(assignment: Assignment, values=None, by=None) -> Answer:
    by = by or clerk_of(assignment)
    answer = drafted(assignment, values, by=by)
    return services.answer_submit(answer=answer, user=by)


def published(assignment: Assignment, values=None, by=None) -> Answer:
    from tests.factories import operator

    answer = submitted(assignment, values)
    return services.answer_publish(answer=answer, user=by or operator())


def notices(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("recipient_id"))


def recipients(kind: str) -> set[int]:
    return {n.recipient_id for n in notices(kind)}
