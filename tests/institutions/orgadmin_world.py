"""A world of the city and two partner institutions (A, B), each with a
department, a category, a proposal that was answered (its assignment,
answer and promise card) and a poll; and the staff of each: the matrix of
the institution scoping tests (issue 16)."""

from dataclasses import dataclass, field

from accounts.models import Department, Institution, User
from accounts.roles import Role
from answers.models import Answer, Assignment
from polls.models import Poll
from proposals.models import Category, Proposal
from tests.answers.helpers import published
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    UserFactory,
    institution_admin,
    official,
    operator,
)
from tests.polls.editor_helpers import a_poll
from tracking.models import ManagementCard


@dataclass
class Side:
    """One owner of work: the city (institution None) or an institution."""

    key: str
    institution: Institution | None
    department: Department
    category: Category
    proposal: Proposal
    assignment: Assignment
    answer: Answer
    card: ManagementCard
    poll: Poll


@dataclass
class World:
    sides: dict[str, Side] = field(default_factory=dict)
    users: dict[str, User | None] = field(default_factory=dict)

    def __getitem__(self, key) -> Side:
        return self.sides[key]


def institution(key: str, **fields) -> Institution:
    fields.setdefault("name", f"기관 {key}")
    fields.setdefault("slug", f"org-{key.lower()}")
    return Institution.objects.create(**fields)


def side(key: str, of: Institution | None) -> Side:
    department = DepartmentFactory(code=f"dept-{key.lower()}", name=f"부서 {key}", institution=of)
    category = CategoryFactory(
        code=f"cat-{key.lower()}", name=f"분야 {key}", default_department=department, institution=of
    )
    answer = published_for(key, department, category, of)
    assignment = answer.assignment
    proposal = Proposal.objects.get(pk=assignment.proposal_id)
    card = ManagementCard.objects.get(proposal=proposal)
    # The poll editor refuses an institution's department without its
    # institution, so the poll is made as the institution's from the start.
    poll = a_poll(title=f"설문 {key}: 무엇이 필요할까요?", department=department, institution=of)
    return Side(key, of, department, category, proposal, assignment, answer, card, poll)


def published_for(key, department, category, of) -> Answer:
    from tests.answers.helpers import assigned

    assignment = assigned(
        department, category=category, institution=of, title=f"제안 {key}: 보행로를 넓혀 주세요"
    )
    return published(assignment)


def build_world() -> World:
    a = institution("A")
    b = institution("B")
    world = World()
    world.sides = {"city": side("city", None), "A": side("A", a), "B": side("B", b)}
    world.users = {
        "operator": operator(),
        "city_official": official(department=world["city"].department),
        "a_admin": institution_admin(a),
        "a_official": official(department=world["A"].department),
        "b_admin": institution_admin(b),
        "mayor_office": UserFactory(roles=[Role.MAYOR_OFFICE], is_staff=True),
        "citizen": UserFactory(),
    }
    return world
