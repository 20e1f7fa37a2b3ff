"""The city and two partner institutions (A, B), each owning answers' work
in every state an operator acts on: an open proposal to assign by hand, a
submitted answer, a pending reassignment request, a pending request for more
time and a submitted amendment of a published answer; and the staff who act
(issue 16: an institution's administrators run their institution's
answers). Made through the services, as the pipeline and departments do."""

from dataclasses import dataclass, field

from accounts.models import Department, Institution, User
from answers import services
from answers.models import (
    Answer,
    AnswerAmendment,
    Assignment,
    DeadlineExtension,
    ReassignmentRequest,
)
from proposals.models import Category, Proposal, ProposalStatus
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory, official, operator
from tests.institutions.orgadmin_world import institution, institution_admin

from .helpers import COMPLETE, assigned, published, submitted

KEYS = ["city", "A", "B"]


@dataclass
class Owner:
    """One owner of work: the city (institution None) or an institution."""

    key: str
    institution: Institution | None
    department: Department
    other_department: Department
    category: Category
    clerk: User
    open_proposal: Proposal
    submitted: Answer
    requested: ReassignmentRequest
    extension: DeadlineExtension
    amendment: AnswerAmendment

    def title(self, what: str) -> str:
        return f"{self.key} {what}"


@dataclass
class World:
    owners: dict[str, Owner] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, key) -> Owner:
        return self.owners[key]


def owner(key: str, of: Institution | None) -> Owner:
    low = key.lower()
    department = DepartmentFactory(code=f"dep-{low}", name=f"{key} 도로과", institution=of)
    other = DepartmentFactory(code=f"dep2-{low}", name=f"{key} 공원과", institution=of)
    category = CategoryFactory(
        code=f"c-{low}", name=f"{key} 분야", default_department=department, institution=of
    )
    clerk = official(department=department)

    def work(what: str) -> Assignment:
        return assigned(department, category=category, institution=of, title=f"{key} {what}")

    open_proposal = ProposalFactory(
        status=ProposalStatus.OPEN, category=category, institution=of, title=f"{key} 열린 제안"
    )
    answer = submitted(work("제출된 답변"), by=clerk)
    requested = services.reassignment_request(
        assignment=work("재배정 요청"),
        user=clerk,
        reason="공원 소관입니다.",
        suggested_department=other,
    )
    extension = services.extension_request(
        assignment=work("기한 연장"), user=clerk, reason="현장 조사가 필요합니다.", days=5
    )
    done = published(work("수정 요청"))
    draft = services.amendment_save(
        answer=done, user=clerk, reason="예산 변경", **{**COMPLETE, "estimated_budget": 90_000_000}
    )
    amendment = services.amendment_submit(amendment=draft, user=clerk)
    return Owner(
        key,
        of,
        department,
        other,
        category,
        clerk,
        open_proposal,
        answer,
        requested,
        extension,
        amendment,
    )


def build_world() -> World:
    a, b = institution("A"), institution("B")
    world = World()
    # The staff first: they are told of the work as it comes.
    world.users = {
        "operator": operator(),
        "a_admin": institution_admin(a),
        "b_admin": institution_admin(b),
    }
    world.owners = {"city": owner("city", None), "A": owner("A", a), "B": owner("B", b)}
    world.users["a_official"] = world["A"].clerk
    world.users["city_official"] = world["city"].clerk
    return world
