"""Builders for tracking tests: an adopted proposal's card, made the way the
pipeline makes it (a meeting adopts it), and cards moved to a given stage
through the services."""

from meetings import services as meeting_services
from tests.factories import DepartmentFactory, official, operator
from tests.meetings.helpers import meeting, on_agenda
from tracking import services
from tracking.models import CardStage, ManagementCard

# The path from review to each stage, as the services allow it.
PATH_TO = {
    CardStage.REVIEW: [],
    CardStage.PLANNING: [CardStage.PLANNING],
    CardStage.IN_PROGRESS: [CardStage.PLANNING, CardStage.IN_PROGRESS],
    CardStage.COMPLETED: [CardStage.PLANNING, CardStage.IN_PROGRESS, CardStage.COMPLETED],
    CardStage.SUSPENDED: [CardStage.SUSPENDED],
}


def adopted_card(department=None, **proposal_kwargs) -> ManagementCard:
    department = department or DepartmentFactory()
    (item,) = on_agenda(meeting(days=-0.01), department=department, **proposal_kwargs)
    meeting_services.agenda_item_decide(
        item=item,
        decision="adopted",
        reason="효과가 큽니다.",
        conditions="2027년 예산 반영",
        user=operator(),
    )
    return ManagementCard.objects.get(proposal=item.proposal)


def clerk_of(card: ManagementCard):
    """An official of the card's department (made once per department)."""
    existing = card.department.members.filter(groups__name="official", is_active=True).first()
    return existing or official(department=card.department)


def at_stage(stage, department=None, **proposal_kwargs) -> ManagementCard:
    card = adopted_card(department, **proposal_kwargs)
    for step in PATH_TO[stage]:
        card = services.card_change_stage(
            card=card, user=operator(), to_stage=step, note=f"{step} 단계로 변경"
        )
    return card


def requested_report(card):
    """Ask for the card's next report as the schedule would, two months on."""
    services.report_request_due(now=services.report_next_request_at(card))
    return card.progress_reports.order_by("-period").first()
