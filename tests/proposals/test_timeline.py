"""The pipeline core's timeline writer: who a row names, and which
department it records."""

import pytest
from django.db import transaction

from accounts.roles import Role
from proposals.models import EventKind
from proposals.timeline import event_record
from tests.factories import DepartmentFactory, ProposalFactory, UserFactory, official

pytestmark = pytest.mark.django_db


def _row(actor):
    with transaction.atomic():
        return event_record(proposal=ProposalFactory(), kind=EventKind.EDITED, actor=actor)


@pytest.mark.parametrize(
    ("roles", "named"),
    [
        ([], Role.CITIZEN),
        ([Role.PANEL], Role.PANEL),
        ([Role.EXPERT_EXTERNAL], Role.EXPERT_EXTERNAL),
        ([Role.EXPERT_INTERNAL], Role.EXPERT_INTERNAL),
        ([Role.MAYOR_OFFICE, Role.PANEL], Role.MAYOR_OFFICE),
        ([Role.OPERATOR, Role.PANEL], Role.OPERATOR),
    ],
)
def test_a_row_names_the_actors_first_role(roles, named):
    assert _row(UserFactory(roles=roles)).actor_role == named


def test_the_schedule_is_named_system():
    assert _row(None).actor_role == "system"


def test_an_official_records_their_department_even_when_also_an_operator():
    roads = DepartmentFactory(code="roads")
    clerk = official(roads)
    clerk.groups.add(*UserFactory(roles=[Role.OPERATOR]).groups.all())
    clerk = type(clerk).objects.get(pk=clerk.pk)  # forget the cached roles

    row = _row(clerk)

    assert (row.actor_role, row.actor_department) == (Role.OPERATOR, roads)


def test_an_official_without_a_department_records_none():
    row = _row(UserFactory(roles=[Role.OFFICIAL], department=None))
    assert (row.actor_role, row.actor_department) == (Role.CITIZEN, None)
