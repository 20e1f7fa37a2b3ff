"""Operators manage members in the admin but can never take over staff
accounts, hand out roles or delete anyone."""

import pytest

from accounts.models import User
from tests.factories import UserFactory, official, operator
from tests.pages import log_in_with_second_factor, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client():
    return logged_in(operator())


def test_an_operator_cannot_change_a_superuser_or_another_staff_account(operator_client):
    boss = UserFactory(is_superuser=True, is_staff=True)
    colleague = official()
    for target in (boss, colleague):
        page = operator_client.get(f"/admin/accounts/user/{target.pk}/change/")
        # view-only: no save button, no password form link
        assert page.status_code == 200
        assert b'name="_save"' not in page.content
        response = operator_client.post(
            f"/admin/accounts/user/{target.pk}/password/",
            {
                "password1": "taken-over-123",
                "password2": "taken-over-123",
                "usable_password": "true",
            },
        )
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.check_password("pass-word-123")


def test_an_operator_edits_a_citizen_profile_but_not_roles_password_or_staff_flags(operator_client):
    citizen = UserFactory(display_name="김시민")
    page = operator_client.get(f"/admin/accounts/user/{citizen.pk}/change/")
    html = page.content.decode()
    assert 'name="display_name"' in html
    assert 'name="groups"' not in html and 'name="is_superuser"' not in html
    assert "/password/" not in html
    assert operator_client.get(f"/admin/accounts/user/{citizen.pk}/password/").status_code == 403


def test_nobody_deletes_members_in_the_admin(operator_client, client):
    citizen = UserFactory()
    response = operator_client.get(f"/admin/accounts/user/{citizen.pk}/delete/")
    assert response.status_code == 403
    superuser = UserFactory(is_superuser=True, is_staff=True)
    log_in_with_second_factor(client, superuser)
    assert client.get(f"/admin/accounts/user/{citizen.pk}/delete/").status_code == 403
    assert User.objects.filter(pk=citizen.pk).exists()


def test_an_operator_closes_a_report_from_the_admin_with_a_reason(operator_client):
    from proposals import services
    from proposals.models import Report
    from tests.factories import ProposalFactory

    report = services.report_create(
        reporter=UserFactory(), reason="spam", proposal=ProposalFactory()
    )
    url = "/admin/proposals/report/"
    data = {"action": "dismiss_reports", "_selected_action": [report.pk]}
    page = operator_client.post(url, data)
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    operator_client.post(url, {**data, "apply": "1", "reason": "광고 아님"})
    report = Report.objects.get(pk=report.pk)
    assert report.resolved_at is not None and report.resolution == "광고 아님"
