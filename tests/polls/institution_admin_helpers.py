"""The city and two partner institutions (A, B), each with a department and
a draft poll of its own, and the staff of each: the role × institution
matrix of the tests of institution administrators running their polls
(issue 16). Polls are made through the editing services, as the editor
makes them."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import Department, Institution, User
from accounts.permissions import sync_role_groups
from polls.models import Poll, PollKind
from tests.factories import DepartmentFactory, institution_admin, official, operator

from .editor_helpers import a_poll

OWNERS = ("city", "A", "B")


@dataclass
class Owner:
    """One owner of polls: the city (institution None) or an institution."""

    key: str
    institution: Institution | None
    department: Department
    poll: Poll


@dataclass
class World:
    owners: dict[str, Owner] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, key) -> Owner:
        return self.owners[key]


def build_world() -> World:
    """Draft polls of the city, A and B (a choice poll each, complete, so
    each may be published), and the operator, A's and B's administrators,
    an official of A and an official of the city."""
    sync_role_groups()
    world = World()
    for key in OWNERS:
        of = (
            None
            if key == "city"
            else Institution.objects.create(name=f"기관 {key}", slug=f"org-{key.lower()}")
        )
        department = DepartmentFactory(
            code=f"dept-{key.lower()}", name=f"부서 {key}", institution=of
        )
        poll = a_poll(
            PollKind.CHOICE,
            title=f"설문 {key}: 무엇이 필요할까요?",
            department=department,
            institution=of,
        )
        world.owners[key] = Owner(key, of, department, poll)
    world.users = {
        "operator": operator(),
        "a_admin": institution_admin(world["A"].institution),
        "b_admin": institution_admin(world["B"].institution),
        "a_official": official(department=world["A"].department),
        "city_official": official(department=world["city"].department),
    }
    return world


def when(moment) -> tuple[str, str]:
    """A moment as the admin's split date and time fields take it."""
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def period_fields(*, starts_in_days=1, days=14) -> dict:
    start = timezone.now() + dt.timedelta(days=starts_in_days)
    end = start + dt.timedelta(days=days)
    return {
        "starts_at_0": when(start)[0],
        "starts_at_1": when(start)[1],
        "ends_at_0": when(end)[0],
        "ends_at_1": when(end)[1],
    }
