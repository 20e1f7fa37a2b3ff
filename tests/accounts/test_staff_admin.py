"""The operators' staff screen (직원 관리): without superuser rights an
operator grants and withdraws staff roles, moves an official to another
department and deactivates or reactivates a staff account, each with an
audit row; never the operator role, superusers, other operators or
themselves, and never a login e-mail or password."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.audit import describe
from accounts.models import AccessAction, AccessRecord, AuditRecord, User
from accounts.roles import Role
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tests.pages import form_fields, forms_posting_to, logged_in, messages_sent, page_text

pytestmark = pytest.mark.django_db

LIST = reverse("admin:accounts_staffmember_changelist")


def _page(member):
    return reverse("admin:accounts_staffmember_change", args=[member.pk])


@pytest.fixture
def departments():
    return (
        DepartmentFactory(name="교통정책과", name_en="Transport Policy"),
        DepartmentFactory(name="공원조성과", name_en="Parks"),
    )


def _step_form(page, step, role=None):
    """The page's form that posts `step` (for `role`), as a browser sends it
    when its button is pressed."""
    for form in forms_posting_to(page, None):
        fields = form["fields"]
        if role is None or fields.get("role") == role:
            return {**fields, "step": step}
    raise AssertionError(f"no form for {step} {role}")


def _do(client, member, step, role=None, **changes):
    page = client.get(_page(member))
    assert page.status_code == 200
    fields = {**_step_form(page, step, role), **{k: str(v) for k, v in changes.items()}}
    return client.post(_page(member), fields)


def test_an_operator_finds_a_citizen_and_makes_them_an_official(departments):
    transport, _parks = departments
    staff = operator()
    citizen = UserFactory(email="kim@example.com", display_name="김공무")
    client = logged_in(staff, csrf_checks=True)
    listing = client.get(LIST)
    assert listing.status_code == 200
    found = client.get(reverse("admin:accounts_staffmember_find"), {"email": "KIM@example.com"})
    assert found.url == _page(citizen)
    done = _do(client, citizen, "grant", Role.OFFICIAL, department=transport.pk)
    assert "The role “Department official” was granted." in messages_sent(done)
    citizen.refresh_from_db()
    citizen.__dict__.pop("role_names", None)
    assert citizen.has_role(Role.OFFICIAL) and citizen.is_staff
    assert citizen.department == transport
    record = AuditRecord.objects.get()
    assert (record.actor, record.action, record.target_id) == (
        staff,
        "accounts.role_granted",
        str(citizen.pk),
    )
    assert record.params == {"role": "official", "department": transport.pk}
    assert describe(record) == "Granted the role “Department official” in Transport Policy."
    # The list, the look-up and the page each left a personal-data access record
    actions = set(AccessRecord.objects.values_list("action", flat=True))
    assert {AccessAction.LIST, AccessAction.SEARCH, AccessAction.VIEW} <= actions
    # and the new official is on the staff list
    assert "김공무" in page_text(client.get(LIST))


def test_an_official_without_a_department_is_refused(departments):
    citizen = UserFactory()
    client = logged_in(operator(), csrf_checks=True)
    done = _do(client, citizen, "grant", Role.OFFICIAL, department="")
    assert "An official must belong to a department." in messages_sent(done)
    citizen.refresh_from_db()
    assert not citizen.groups.exists() and not citizen.is_staff
    assert not AuditRecord.objects.exists()


def test_an_official_is_moved_deactivated_reactivated_and_the_role_withdrawn(departments):
    transport, parks = departments
    clerk = official(department=transport)
    transport.head = clerk
    transport.save()
    client = logged_in(operator(), csrf_checks=True)
    # moved: the headship of the old department ends
    done = _do(client, clerk, "department", department=parks.pk)
    assert "Moved to Parks." in messages_sent(done)
    clerk.refresh_from_db()
    transport.refresh_from_db()
    assert clerk.department == parks and transport.head is None
    # deactivated: the official's own session ends and they cannot come back
    clerk_client = logged_in(clerk)
    assert clerk_client.get("/admin/").status_code == 200
    _do(client, clerk, "deactivate")
    clerk.refresh_from_db()
    assert clerk.is_active is False
    assert clerk_client.get("/admin/").status_code == 302
    # reactivated: as it was
    _do(client, clerk, "reactivate")
    clerk.refresh_from_db()
    assert clerk.is_active and clerk.department == parks
    # the role withdrawn: no department, no admin
    _do(client, clerk, "withdraw", Role.OFFICIAL)
    clerk = User.objects.get(pk=clerk.pk)
    assert not clerk.has_role(Role.OFFICIAL)
    assert (clerk.department, clerk.is_staff) == (None, False)
    assert list(AuditRecord.objects.order_by("id").values_list("action", flat=True)) == [
        "accounts.department_set",
        "accounts.staff_deactivated",
        "accounts.staff_reactivated",
        "accounts.role_withdrawn",
    ]
    moved = AuditRecord.objects.get(action="accounts.department_set")
    assert describe(moved) == "Moved from Transport Policy to Parks."
    # the member's page shows these changes
    assert "Moved from Transport Policy to Parks." in page_text(client.get(_page(clerk)))


@pytest.mark.parametrize("role", [Role.EXPERT_INTERNAL, Role.EXPERT_EXTERNAL, Role.MAYOR_OFFICE])
def test_the_other_staff_roles_are_granted_and_withdrawn(role):
    member = UserFactory()
    client = logged_in(operator(), csrf_checks=True)
    _do(client, member, "grant", role)
    assert User.objects.get(pk=member.pk).has_role(role)
    _do(client, member, "withdraw", role)
    member = User.objects.get(pk=member.pk)
    assert not member.has_role(role) and not member.is_staff
    assert AuditRecord.objects.count() == 2


def test_the_operator_role_is_not_offered_and_a_forged_grant_is_refused():
    member = UserFactory()
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(_page(member))
    assert {form["fields"].get("role") for form in forms_posting_to(page, None)} == {
        Role.OFFICIAL,
        Role.EXPERT_INTERNAL,
        Role.EXPERT_EXTERNAL,
        Role.MAYOR_OFFICE,
    }
    assert "The operator role and superuser rights are granted by a superuser." in page_text(page)
    forged = {**_step_form(page, "grant", Role.MAYOR_OFFICE), "role": Role.OPERATOR}
    done = client.post(_page(member), forged)
    assert "Only a superuser may grant or withdraw the operator role." in messages_sent(done)
    assert not User.objects.get(pk=member.pk).groups.exists()


def test_a_superuser_grants_the_operator_role_on_the_same_screen():
    member = UserFactory()
    boss = UserFactory(is_superuser=True, is_staff=True)
    client = logged_in(boss, csrf_checks=True)
    _do(client, member, "grant", Role.OPERATOR)
    assert User.objects.get(pk=member.pk).has_role(Role.OPERATOR)


@pytest.mark.parametrize("who", ["superuser", "another operator", "themselves"])
def test_an_operator_cannot_touch_superusers_other_operators_or_themselves(who, departments):
    staff = operator()
    target = {
        "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
        "another operator": operator,
        "themselves": lambda: staff,
    }[who]()
    client = logged_in(staff, csrf_checks=True)
    page = client.get(_page(target))
    assert page.status_code == 200
    assert not forms_posting_to(page, None)  # nothing to change here
    for step in (
        {"step": "grant", "role": Role.MAYOR_OFFICE},
        {"step": "withdraw", "role": Role.OPERATOR},
        {"step": "deactivate"},
        {"step": "department", "department": departments[0].pk},
    ):
        done = client.post(_page(target), {**step, "csrfmiddlewaretoken": _token(client)})
        assert done.status_code == 302
        assert messages_sent(done)
    target = User.objects.get(pk=target.pk)
    assert target.is_active and target.department is None
    assert not target.has_role(Role.MAYOR_OFFICE)
    assert not AuditRecord.objects.exists()


def _token(client):
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def test_officials_cannot_open_the_staff_screen(departments):
    transport, parks = departments
    colleague = official(department=transport)
    for department in (transport, parks):
        client = logged_in(official(department=department))
        assert client.get(LIST).status_code == 403
        assert client.get(_page(colleague)).status_code == 403
        assert client.post(_page(colleague), {"step": "deactivate"}).status_code == 403
        assert b"staffmember" not in client.get("/admin/").content
    colleague.refresh_from_db()
    assert colleague.is_active


def test_an_operator_still_cannot_change_a_login_e_mail_or_password(departments):
    """Neither on the staff screen (it has no such field, and a posted one is
    ignored) nor through the admin's own member forms."""
    citizen = UserFactory(email="citizen@example.com")
    clerk = official(department=departments[0], email="clerk@example.com")
    client = logged_in(operator(), csrf_checks=True)
    for member in (citizen, clerk):
        page = client.get(_page(member))
        assert 'name="email"' not in page.content.decode()
        assert 'name="password' not in page.content.decode()
        client.post(
            _page(member),
            {
                **_step_form(page, "grant", Role.MAYOR_OFFICE),
                "email": "taken@example.com",
                "password": "taken-over-123",
            },
        )
    # The admin's own member form: the e-mail is read-only, a posted one ignored
    change = reverse("admin:accounts_user_change", args=[citizen.pk])
    page = client.get(change)
    fields = {**form_fields(page), "email": "taken@example.com"}
    client.post(change, fields)
    # and the password form is refused for everyone
    for member in (citizen, clerk):
        response = client.post(
            f"/admin/accounts/user/{member.pk}/password/",
            {
                "password1": "taken-over-123",
                "password2": "taken-over-123",
                "csrfmiddlewaretoken": _token(client),
            },
        )
        assert response.status_code == 403
    for member, email in ((citizen, "citizen@example.com"), (clerk, "clerk@example.com")):
        member.refresh_from_db()
        assert member.email == email
        assert member.check_password("pass-word-123")


def test_the_staff_list_costs_the_same_queries_for_many_members(
    departments, django_assert_max_num_queries
):
    client = logged_in(operator())
    for department in departments:
        for _ in range(3):
            official(department=department)
    client.get(LIST)
    with django_assert_max_num_queries(14):
        small = client.get(LIST)
    for department in departments:
        for _ in range(20):
            official(department=department)
    with django_assert_max_num_queries(14):
        large = client.get(LIST)
    assert page_text(small).count("Department official") < page_text(large).count(
        "Department official"
    )


def test_the_staff_screen_reads_in_korean(departments):
    clerk = official(department=departments[0])
    client = logged_in(operator())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    listing = page_text(client.get(LIST))
    assert "직원 관리" in listing
    text = page_text(client.get(_page(clerk)))
    for words in (
        "직원 역할",
        "다른 부서로 옮기기",
        "계정 비활성화",
        "로그인 이메일과 비밀번호는 본인만 바꿀 수 있어요.",
    ):
        assert words in text
