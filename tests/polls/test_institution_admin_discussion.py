"""A partner institution's administrators moderate the discussion of their
institution's polls (issue 16): the admin's argument list shows their
polls' arguments only, and hiding works on those alone, whatever ids the
bulk action is sent; the city's operator still moderates every poll's."""

import pytest

from accounts.models import AuditRecord, Institution
from accounts.permissions import sync_role_groups
from polls.models import PollArgument
from polls.services import discussion as services
from tests.factories import DepartmentFactory, UserFactory, operator
from tests.pages import form_fields, logged_in, messages_sent, page_text

from .discussion_helpers import discussion_poll
from .institution_admin_helpers import institution_admin

pytestmark = pytest.mark.django_db

ARGUMENTS = "/admin/polls/pollargument/"
OWNERS = ("city", "A", "B")


@pytest.fixture
def world():
    """A discussion poll of the city, A and B, each with one argument; A's
    and B's administrators."""
    sync_role_groups()
    institutions = {
        key: Institution.objects.create(name=f"기관 {key}", slug=f"org-{key.lower()}")
        for key in ("A", "B")
    }
    arguments = {}
    for key in OWNERS:
        of = institutions.get(key)
        poll = discussion_poll(
            title=f"토론 {key}",
            department=DepartmentFactory(institution=of),
            institution=of,
        )
        arguments[key] = services.argument_post(
            poll=poll,
            author=UserFactory(),
            side="against",
            body=f"의견 {key}: 전화번호 010-0000-0000 으로 연락 주세요.",
        )
    users = {
        "a_admin": institution_admin(institutions["A"]),
        "b_admin": institution_admin(institutions["B"]),
        "operator": operator(),
    }
    return arguments, users


def _hidden():
    return set(PollArgument.objects.filter(is_hidden=True).values_list("poll__title", flat=True))


def test_the_list_shows_only_their_institutions_arguments(world):
    arguments, users = world
    client = logged_in(users["a_admin"])
    text = page_text(client.get(ARGUMENTS + "?q=의견"))
    assert "의견 A" in text and "의견 B" not in text and "의견 city" not in text
    assert client.get(f"{ARGUMENTS}{arguments['A'].pk}/change/").status_code == 200
    for key in ("city", "B"):
        response = client.get(f"{ARGUMENTS}{arguments[key].pk}/change/")
        assert response.status_code == 302  # the admin's "doesn't exist"
        assert f"의견 {key}".encode() not in response.content


def test_the_institution_admin_hides_their_polls_argument_and_no_other(world):
    arguments, users = world
    client = logged_in(users["a_admin"], csrf_checks=True)
    listing = client.get(ARGUMENTS)
    fields = form_fields(listing, "changelist-form")
    # The action offered on the list, sent with every owner's argument id
    # (the city's and B's as a tampered request would add them)
    selected = [str(arguments[key].pk) for key in OWNERS]
    asked = client.post(
        ARGUMENTS,
        {
            "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
            "action": "hide_poll_arguments",
            "_selected_action": selected,
        },
    )
    assert asked.status_code == 200
    reason_form = form_fields(asked)
    reason_form["reason"] = "개인정보가 담겨 있습니다."
    done = client.post(ARGUMENTS, reason_form)
    assert "1 argument was hidden." in messages_sent(done)
    assert _hidden() == {"토론 A"}
    (record,) = AuditRecord.objects.all()
    assert (record.actor, record.action) == (users["a_admin"], "polls.argument_hidden")

    # The reason page's own form, sent straight with the others' ids only
    reason_form["_selected_action"] = [str(arguments[key].pk) for key in ("city", "B")]
    response = client.post(ARGUMENTS, reason_form)
    assert response.status_code in (200, 302)
    assert _hidden() == {"토론 A"} and AuditRecord.objects.count() == 1


@pytest.mark.parametrize("owner", ["city", "B"])
def test_the_service_refuses_another_owners_argument(world, owner):
    arguments, users = world
    with pytest.raises(services.PermissionDenied):
        services.argument_hide(argument=arguments[owner], actor=users["a_admin"], reason="숨김")
    assert _hidden() == set() and not AuditRecord.objects.exists()


def test_the_city_operator_still_moderates_every_polls_arguments(world):
    arguments, users = world
    for key in OWNERS:
        services.argument_hide(argument=arguments[key], actor=users["operator"], reason="숨김")
    assert _hidden() == {"토론 city", "토론 A", "토론 B"}
