"""The permissions the tracking admin asks (tracking/rules.py), role by role:
who sees and changes a card, who sees every department, the dashboard, the
import, and a progress report's submission while it is requested."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tests.pages import logged_in
from tracking import services

from .helpers import adopted_card, clerk_of, requested_report

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "official", "other_official", "mayor_office", "operator"]


def user_for(role, card):
    return {
        "anonymous": AnonymousUser,
        "citizen": UserFactory,
        "official": lambda: clerk_of(card),
        "other_official": lambda: official(DepartmentFactory()),
        "mayor_office": lambda: UserFactory(roles=[Role.MAYOR_OFFICE], is_staff=True),
        "operator": operator,
    }[role]()


# permission → the roles it holds for (on the card, where it takes one)
EXPECTED = {
    "tracking.see_card": {"official", "mayor_office", "operator"},
    "tracking.change_card": {"official", "operator"},
    "tracking.see_all_cards": {"mayor_office", "operator"},
    "tracking.see_dashboard": {"operator"},
    "tracking.import_cards": {"official", "other_official", "operator"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_what_the_table_says(role):
    card = adopted_card()
    user = user_for(role, card)
    for permission, allowed in EXPECTED.items():
        assert rules.has_perm(permission, user, card) == (role in allowed), permission


@pytest.mark.parametrize("role", ROLES)
def test_a_requested_report_is_submitted_by_its_department_or_the_operator_once(role):
    card = adopted_card()
    report = requested_report(card)
    user = user_for(role, card)

    assert rules.has_perm("tracking.submit_report", user, report) == (
        role in {"official", "operator"}
    )

    services.report_submit(report=report, user=clerk_of(card), done="설계 완료", percent=20)
    report.refresh_from_db()
    assert not rules.has_perm("tracking.submit_report", user, report)


@pytest.mark.parametrize("model", ["managementcard", "progressreport"])
@pytest.mark.parametrize("object_id", ["abc", "1.5", "%27"])
def test_a_card_or_report_page_with_an_id_that_is_not_a_number_is_not_found(model, object_id):
    client = logged_in(operator())
    client.raise_request_exception = False
    response = client.get(f"/admin/tracking/{model}/{object_id}/change/")
    assert response.status_code == 404


@pytest.mark.parametrize("model", ["managementcard", "progressreport"])
def test_a_card_or_report_number_too_large_to_exist_is_missing_as_any_other(model):
    client = logged_in(operator())
    response = client.get(f"/admin/tracking/{model}/99999999999999999999999/change/")
    assert response.status_code == 302  # the admin's "doesn't exist" message, as for 999
