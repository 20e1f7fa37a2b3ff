"""The city and two partner institutions (A, B), each with an open debate
(a citizen's argument in it) and a closed one whose results are due, and
the staff who may or may not run them: the role × institution matrix of
the institution administrators' debate tests (issue 16)."""

from dataclasses import dataclass, field

from accounts.models import Institution, User
from accounts.permissions import sync_role_groups
from debates import services
from debates.models import Argument, Debate
from proposals.models import Proposal, ProposalStatus
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    institution_admin,
    official,
    operator,
)

from .helpers import closed_debate, open_debate

SIDES = ["city", "A", "B"]


@dataclass
class Side:
    key: str
    institution: Institution | None
    category: object
    running: Debate
    argument: Argument
    closed: Debate

    def answered(self, title: str = "") -> Proposal:
        """A new answered proposal of this side, ready for its debate."""
        return ProposalFactory(
            title=title or f"토론을 기다리는 제안 {self.key}",
            category=self.category,
            institution=self.institution,
            status=ProposalStatus.ANSWERED,
        )


@dataclass
class World:
    sides: dict[str, Side] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, key) -> Side:
        return self.sides[key]


def _side(key: str, of: Institution | None) -> Side:
    department = DepartmentFactory(code=f"dept-{key.lower()}", name=f"부서 {key}", institution=of)
    category = CategoryFactory(
        code=f"cat-{key.lower()}", name=f"분야 {key}", default_department=department, institution=of
    )
    running = open_debate(title=f"진행 중 토론 {key}", category=category, institution=of)
    argument = services.argument_create(
        debate=running, author=UserFactory(), side="against", body=f"광고가 담긴 논거 {key}"
    )
    closed = closed_debate(title=f"결과를 기다리는 토론 {key}", category=category, institution=of)
    return Side(key, of, category, running, argument, closed)


def build_world() -> World:
    """Every side's debates, made through the services, and the staff."""
    sync_role_groups()
    a = Institution.objects.create(name="기관 A", slug="org-a")
    b = Institution.objects.create(name="기관 B", slug="org-b")
    world = World()
    world.sides = {"city": _side("city", None), "A": _side("A", a), "B": _side("B", b)}
    world.users = {
        "operator": operator(),
        "a_admin": institution_admin(a),
        "b_admin": institution_admin(b),
        "a_official": official(department=DepartmentFactory(code="dept-a2", institution=a)),
        "city_official": official(),
        "citizen": UserFactory(),
    }
    return world


# Which sides' debates each role runs (opens, closes, moderates, publishes).
RUNS = {
    "operator": {"city", "A", "B"},
    "a_admin": {"A"},
    "b_admin": {"B"},
    "a_official": set(),
    "city_official": set(),
    "citizen": set(),
}
