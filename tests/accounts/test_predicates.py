"""The role predicates every app's rules are built on: each role answers
exactly its own predicate, and the pages' `{% has_perm %}` asks the rule set
itself (a superuser is not shown someone else's delete button)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from accounts import predicates
from accounts.models import Department
from accounts.roles import Role
from debates import services as debate_services
from tests.debates.helpers import open_debate
from tests.factories import DepartmentFactory, UserFactory, official, operator

pytestmark = pytest.mark.django_db

PREDICATES = [
    "is_active_member",
    "is_panel",
    "is_operator",
    "is_official",
    "is_expert",
    "is_internal_expert",
    "is_mayor_office",
    "heads_own_department",
]


def make_user(role):
    def head():
        user = official()
        Department.objects.filter(pk=user.department_id).update(head=user)
        return user

    return {
        "anonymous": AnonymousUser,
        "citizen": UserFactory,
        "panel": lambda: UserFactory(roles=[Role.PANEL]),
        "inactive": lambda: UserFactory(is_active=False),
        "operator": operator,
        "superuser": lambda: UserFactory(is_superuser=True),
        "official": official,
        "official_without_department": lambda: UserFactory(roles=[Role.OFFICIAL]),
        "department_head": head,
        "internal_expert": lambda: UserFactory(roles=[Role.EXPERT_INTERNAL]),
        "external_expert": lambda: UserFactory(roles=[Role.EXPERT_EXTERNAL]),
        "mayor_office": lambda: UserFactory(roles=[Role.MAYOR_OFFICE]),
    }[role]()


MEMBER = {"is_active_member"}
EXPECTED = {
    "anonymous": set(),
    "citizen": MEMBER,
    "panel": MEMBER | {"is_panel"},
    "inactive": set(),
    "operator": MEMBER | {"is_operator"},
    "superuser": MEMBER | {"is_operator"},
    "official": MEMBER | {"is_official"},
    "official_without_department": MEMBER,
    "department_head": MEMBER | {"is_official", "heads_own_department"},
    "internal_expert": MEMBER | {"is_expert", "is_internal_expert"},
    "external_expert": MEMBER | {"is_expert"},
    "mayor_office": MEMBER | {"is_mayor_office"},
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_answers_exactly_its_predicates(role):
    user = make_user(role)
    for name in PREDICATES:
        assert getattr(predicates, name)(user) is (name in EXPECTED[role]), name
    assert predicates.is_operator(None) is False


def test_a_head_heads_only_their_own_department_while_an_official_of_it():
    head = make_user("department_head")
    department_id = head.department_id
    assert predicates.heads_department(head, department_id)
    assert not predicates.heads_department(head, DepartmentFactory().pk)
    assert not predicates.heads_department(official(), department_id)
    # moved to another department, the head loses the power
    head.department = DepartmentFactory()
    head.save(update_fields=["department"])
    assert not predicates.heads_department(head, department_id)


@pytest.mark.parametrize(
    ("role", "may_delete"), [("author", True), ("superuser", False), ("operator", False)]
)
def test_the_template_tag_asks_the_rule_set_without_the_superuser_shortcut(role, may_delete):
    author = UserFactory()
    argument = debate_services.argument_create(
        debate=open_debate(), author=author, side="for", body="찬성하는 이유입니다."
    )
    user = author if role == "author" else make_user(role)
    template = Template(
        "{% load who_may %}"
        "{% has_perm 'debates.delete_own_argument' user argument as can_delete %}"
        "{{ can_delete }}"
    )
    rendered = template.render(Context({"user": user, "argument": argument}))
    assert rendered == str(may_delete)
