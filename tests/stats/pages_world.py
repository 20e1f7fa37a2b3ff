"""A small world counted by hand for the statistics pages' tests.

Six public proposals (and a hidden and a trashed one that are never
counted), over two years, two categories, three districts and two
departments; stages set by status, which the refresh takes as the stage
reached at least (stats.refresh.STATUS_FLOOR):

    id  received    category   district   department  status     stage
    p1  2024-03-10  transport  gangnam    traffic     answered   answered
    p2  2024-03-20  transport  (city)     traffic     debate     debated
    p3  2024-05-02  transport  gangnam    traffic     adopted    adopted
    p4  2024-05-15  climate    jongno     environment open       received
    p5  2025-01-05  climate    (city)     environment on_agenda  on agenda
    p6  2025-02-01  transport  jongno     traffic     open       received
    --  2024-03-11  transport  gangnam    traffic     adopted    hidden
    --  2024-03-12  transport  gangnam    traffic     adopted    trashed

All years: received 6, answered 4, debated 3, to a meeting 2, adopted 1,
completed 0; adoption rate 16.67%. 2024: 4, 3, 2, 1, 1, 0 (25.00%). 2025:
2, 1, 1, 1, 0, 0 (0.00%). Transport in 2024: 3 received, 2 debated."""

from dataclasses import dataclass

from django.utils import timezone

from proposals.models import Proposal
from stats.refresh import refresh
from tests.clock import seoul
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory


@dataclass
class World:
    traffic: object
    environment: object
    transport: object
    climate: object
    p: dict


def proposal_at(key, when, category, district, department, status, **extra):
    proposal = ProposalFactory(
        title=f"{key}: 세어 본 제안",
        category=category,
        district=district,
        department=department,
        status=status,
        **extra,
    )
    # created_at is set on insert; the month received is what is counted.
    Proposal.objects.filter(pk=proposal.pk).update(created_at=seoul(*when))
    return proposal


def counted_world(*, counted: bool = True) -> World:
    traffic = DepartmentFactory(code="traffic", name="도시교통실", name_en="Urban Transport Office")
    environment = DepartmentFactory(
        code="environment", name="기후환경본부", name_en="Climate and Environment HQ"
    )
    transport = CategoryFactory(
        code="transport", name="교통", name_en="Transport", default_department=traffic
    )
    climate = CategoryFactory(
        code="climate", name="환경", name_en="Environment", default_department=environment
    )
    p = {
        "p1": proposal_at("p1", (2024, 3, 10, 9), transport, "gangnam", traffic, "answered"),
        "p2": proposal_at("p2", (2024, 3, 20, 9), transport, "", traffic, "debate"),
        "p3": proposal_at("p3", (2024, 5, 2, 9), transport, "gangnam", traffic, "adopted"),
        "p4": proposal_at("p4", (2024, 5, 15, 9), climate, "jongno", environment, "open"),
        "p5": proposal_at("p5", (2025, 1, 5, 9), climate, "", environment, "on_agenda"),
        "p6": proposal_at("p6", (2025, 2, 1, 9), transport, "jongno", traffic, "open"),
        "hidden": proposal_at(
            "hidden", (2024, 3, 11, 9), transport, "gangnam", traffic, "adopted", is_hidden=True
        ),
        "trashed": proposal_at(
            "trashed",
            (2024, 3, 12, 9),
            transport,
            "gangnam",
            traffic,
            "adopted",
            deleted_at=timezone.now(),
        ),
    }
    if counted:
        refresh(full=True)
    return World(traffic, environment, transport, climate, p)
