"""Institution scoping in the admin (issue 16), role × institution: every
admin list, change page by id, related look-up, list filter, export and the
staff home shows a member only what their institution (or, for the city's
staff, the city; for operators, everything) owns. Another institution's id
in a URL finds nothing."""

import pytest
from django.urls import reverse

from tests.pages import logged_in, page_text
from tests.proposals.helpers import export

from .orgadmin_world import build_world

pytestmark = pytest.mark.django_db

ROLES = ["operator", "city_official", "a_admin", "a_official", "b_admin", "mayor_office", "citizen"]
ALL = {"city", "A", "B"}

# What each role sees of the proposals, assignments, answers, polls and
# cards; None: the list is not theirs at all (refused).
SEES = {
    "proposal": {
        "operator": ALL,
        "city_official": {"city"},
        "a_admin": {"A"},
        "a_official": {"A"},
        "b_admin": {"B"},
        "mayor_office": {"city"},
        "citizen": None,
    },
    "assignment": {
        "operator": ALL,
        "city_official": {"city"},
        "a_admin": {"A"},
        "a_official": {"A"},
        "b_admin": {"B"},
        "mayor_office": None,
        "citizen": None,
    },
    "answer": {
        "operator": ALL,
        "city_official": {"city"},
        "a_admin": {"A"},
        "a_official": {"A"},
        "b_admin": {"B"},
        "mayor_office": None,
        "citizen": None,
    },
    "poll": {
        "operator": ALL,
        "city_official": {"city"},
        "a_admin": {"A"},
        "a_official": {"A"},
        "b_admin": {"B"},
        "mayor_office": None,
        "citizen": None,
    },
    "card": {
        "operator": ALL,
        "city_official": {"city"},
        "a_admin": {"A"},
        "a_official": {"A"},
        "b_admin": {"B"},
        "mayor_office": {"city"},
        "citizen": None,
    },
    "category": {
        "operator": ALL,
        "city_official": None,
        "a_admin": {"A"},
        "a_official": None,
        "b_admin": {"B"},
        "mayor_office": None,
        "citizen": None,
    },
    "department": {
        "operator": ALL,
        "city_official": None,
        "a_admin": {"A"},
        "a_official": None,
        "b_admin": {"B"},
        "mayor_office": None,
        "citizen": None,
    },
}

ADMIN_NAMES = {
    "proposal": "proposals_proposal",
    "assignment": "answers_assignment",
    "answer": "answers_answer",
    "poll": "polls_poll",
    "card": "tracking_managementcard",
    "category": "proposals_category",
    "department": "accounts_department",
}


def _object(side, kind):
    return {
        "proposal": side.proposal,
        "assignment": side.assignment,
        "answer": side.answer,
        "poll": side.poll,
        "card": side.card,
        "category": side.category,
        "department": side.department,
    }[kind]


def _marker(side, kind) -> str:
    # What names the row on a page: the proposal's title for the proposal's
    # work, the poll's, the category's and the department's own names.
    if kind == "poll":
        return side.poll.title
    if kind == "category":
        return side.category.name
    if kind == "department":
        return side.department.name
    return side.proposal.title


@pytest.fixture(scope="module")
def world(django_db_blocker, django_db_setup):
    # One world for the module (it takes a while to build through the
    # services); the tests only read it.
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            built = build_world()
            yield built
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    with django_db_blocker.unblock():
        return {role: logged_in(world.users[role]) for role in ROLES}


def _changelist_url(kind, query=""):
    return reverse(f"admin:{ADMIN_NAMES[kind]}_changelist") + query


@pytest.mark.parametrize("kind", list(SEES))
@pytest.mark.parametrize("role", ROLES)
def test_each_list_shows_only_the_roles_rows(world, clients, role, kind):
    # The lists open on the work waiting; ask for every row.
    query = {"assignment": "?queue=all", "answer": "?status=all"}.get(kind, "")
    response = clients[role].get(_changelist_url(kind, query))
    expected = SEES[kind][role]
    if expected is None:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/login" in response["Location"] or "/accounts/" in response["Location"]
        shown = set()
    else:
        assert response.status_code == 200, response.status_code
        text = page_text(response)
        shown = {key for key in ALL if _marker(world[key], kind) in text}
    assert shown == (expected or set())


@pytest.mark.parametrize("kind", list(SEES))
@pytest.mark.parametrize("role", ROLES)
def test_each_object_opens_by_id_only_for_those_who_see_it(world, clients, role, kind):
    for key in ALL:
        target = _object(world[key], kind)
        url = reverse(f"admin:{ADMIN_NAMES[kind]}_change", args=[target.pk])
        # An answer's page is its assignment's workroom: follow there.
        response = clients[role].get(url, follow=kind == "answer")
        visible = key in (SEES[kind][role] or set())
        if visible:
            assert response.status_code == 200, (role, kind, key)
            assert _marker(world[key], kind) in page_text(response)
        else:
            # Another institution's id: the admin's "doesn't exist" redirect
            # (or no door at all), never the data.
            assert response.status_code in (302, 403, 404), (role, kind, key)
            assert _marker(world[key], kind).encode() not in response.content


@pytest.mark.parametrize("role", ["operator", "a_admin", "b_admin"])
def test_related_lookup_popups_list_only_the_roles_departments(world, clients, role):
    # The raw-id / related look-up window (?_to_field=id&_popup=1) is the
    # same list, scoped the same way.
    response = clients[role].get(_changelist_url("department", "?_to_field=id&_popup=1"))
    assert response.status_code == 200
    text = page_text(response)
    assert {key for key in ALL if world[key].department.name in text} == SEES["department"][role]


@pytest.mark.parametrize("role", ["a_admin", "a_official", "city_official", "mayor_office"])
def test_list_filters_name_only_the_roles_categories_and_departments(world, clients, role):
    # The filter sidebar of the proposals list would otherwise list every
    # institution's categories and departments by name.
    response = clients[role].get(_changelist_url("proposal"))
    text = page_text(response)
    own = SEES["proposal"][role]
    for key in ALL - own:
        assert world[key].category.name not in text
        assert world[key].department.name not in text


@pytest.mark.parametrize("role", ["operator", "a_admin", "city_official", "mayor_office"])
def test_exports_carry_only_the_roles_proposals(world, clients, role):
    response = export(clients[role], "0")
    if response.status_code != 200:
        assert response.status_code in (302, 403)
        return
    content = response.content.decode("utf-8-sig")
    shown = {key for key in ALL if world[key].proposal.title in content}
    # Nothing beyond what the list shows (an export may be refused or empty).
    assert shown <= SEES["proposal"][role]
    if role == "operator":
        assert shown == ALL


def test_the_institution_admins_home_counts_only_their_institution(world, clients):
    response = clients["a_admin"].get(reverse("admin:index"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Your institution's work" in text
    assert "Proposals waiting for your institution's answer" in text
    assert world["B"].proposal.title not in text
    assert world["city"].proposal.title not in text


@pytest.mark.parametrize("role", ["city_official", "a_official", "mayor_office", "b_admin"])
def test_no_staff_home_shows_another_owners_proposals(world, clients, role):
    response = clients[role].get(reverse("admin:index"))
    assert response.status_code == 200
    text = page_text(response)
    own = SEES["proposal"][role]
    for key in ALL - own:
        assert world[key].proposal.title not in text
