"""Account takeover from the admin: an operator (not a superuser) tries to
point a member's login e-mail, password or sign-in addresses at themselves,
then would ask a password reset and log in as the member. Every door is
shut; the member changes their own address only through allauth's verified
flow."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.core import mail

from accounts.models import User
from tests.factories import UserFactory, operator
from tests.pages import (
    english_client,
    form_fields,
    forms_on,
    forms_posting_to,
    logged_in,
)

pytestmark = pytest.mark.django_db

ATTACKER_EMAIL = "attacker@evil.example"


@pytest.fixture
def victim():
    return UserFactory(email="victim@example.com", display_name="김피해")


@pytest.fixture
def attacker():
    return logged_in(operator(), csrf_checks=True)


def test_the_rendered_change_form_cannot_change_a_members_login_email(attacker, victim):
    url = f"/admin/accounts/user/{victim.pk}/change/"
    page = attacker.get(url)
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()  # shown, not editable
    fields = form_fields(page)
    # The attacker adds the field the page left out, as a crafted request can.
    response = attacker.post(url, {**fields, "email": ATTACKER_EMAIL, "display_name": "김피해"})
    assert response.status_code == 302  # the rest of the profile still saves
    victim.refresh_from_db()
    assert victim.email == "victim@example.com"
    assert not EmailAddress.objects.filter(email=ATTACKER_EMAIL).exists()
    # And a reset asked for the attacker's address sends no reset link.
    english_client().post("/accounts/password/reset/", {"email": ATTACKER_EMAIL})
    assert not any("/password/reset/key/" in m.body for m in mail.outbox)


def test_an_operator_cannot_set_a_members_password(attacker, victim):
    url = f"/admin/accounts/user/{victim.pk}/password/"
    assert attacker.get(url).status_code == 403
    response = attacker.post(url, {"password1": "taken-over-123", "password2": "taken-over-123"})
    assert response.status_code == 403
    victim.refresh_from_db()
    assert victim.check_password("pass-word-123")


def test_an_operator_cannot_create_accounts_with_a_password(attacker):
    assert attacker.get("/admin/accounts/user/add/").status_code == 403
    attacker.post(
        "/admin/accounts/user/add/",
        {"email": ATTACKER_EMAIL, "password1": "x-Strong-pass-1", "password2": "x-Strong-pass-1"},
    )
    assert not User.objects.filter(email=ATTACKER_EMAIL).exists()


@pytest.fixture
def operator_with_granted_email_rights():
    """An operator whose group was given the allauth models' permissions by
    hand (or by a future table change): the admin still refuses the writes."""
    user = operator()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["account", "mfa", "socialaccount"])
    )
    return logged_in(user, csrf_checks=True)


def test_the_email_address_admin_is_closed_to_operators(attacker, victim):
    assert attacker.get("/admin/account/emailaddress/").status_code == 403
    address = EmailAddress.objects.get(user=victim)
    assert attacker.get(f"/admin/account/emailaddress/{address.pk}/change/").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/admin/account/emailaddress/add/",
        "/admin/mfa/authenticator/add/",
        "/admin/socialaccount/socialaccount/add/",
        "/admin/socialaccount/socialapp/add/",
    ],
)
def test_even_granted_permissions_do_not_let_an_operator_add_sign_in_rows(
    operator_with_granted_email_rights, path
):
    assert operator_with_granted_email_rights.get(path).status_code == 403


def test_even_granted_permissions_do_not_let_an_operator_swap_or_verify_an_address(
    operator_with_granted_email_rights, victim
):
    client = operator_with_granted_email_rights
    address = EmailAddress.objects.get(user=victim)
    url = f"/admin/account/emailaddress/{address.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200  # view only
    assert b'name="_save"' not in page.content
    response = client.post(
        url,
        {
            **form_fields(page),
            "email": ATTACKER_EMAIL,
            "user": victim.pk,
            "verified": "on",
            "primary": "on",
        },
    )
    assert response.status_code == 403
    spare = EmailAddress.objects.create(user=victim, email="second@example.com", verified=False)
    changelist = client.get("/admin/account/emailaddress/")
    assert 'value="make_verified"' not in changelist.content.decode()
    client.post(
        "/admin/account/emailaddress/",
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "action": "make_verified",
            "_selected_action": [spare.pk],
        },
    )
    spare.refresh_from_db()
    address.refresh_from_db()
    assert address.email == "victim@example.com" and not spare.verified


def test_an_operator_cannot_remove_a_members_second_factor(operator_with_granted_email_rights):
    from tests.pages import log_in_with_second_factor

    member = UserFactory()
    log_in_with_second_factor(english_client(), member)  # gives them a TOTP device
    totp = Authenticator.objects.get(user=member)
    response = operator_with_granted_email_rights.get(f"/admin/mfa/authenticator/{totp.pk}/delete/")
    assert response.status_code == 403
    assert Authenticator.objects.filter(pk=totp.pk).exists()


# --- the member's own way: allauth's verified flow at /accounts/email/ --------------------------


def test_a_member_changes_their_email_only_by_verifying_the_new_address(victim):
    client = logged_in(victim, csrf_checks=True)

    def send(form_index: int, **changes):
        page = client.get("/accounts/email/")
        assert page.status_code == 200
        form = forms_posting_to(page, "/accounts/email/")[form_index]
        return client.post("/accounts/email/", {**form["fields"], **changes})

    LIST, ADD = 0, 1  # the page's two forms: the addresses, and "add an address"
    # Adding the new address sends a confirmation to it and changes nothing yet.
    assert send(ADD, email="new@example.com", action_add="").status_code == 302
    new = EmailAddress.objects.get(email="new@example.com")
    assert not new.verified and not new.primary
    assert [m.to for m in mail.outbox] == [["new@example.com"]]
    # An unverified address cannot be made the login address.
    send(LIST, email="new@example.com", action_primary="")
    victim.refresh_from_db()
    assert victim.email == "victim@example.com"
    # Once confirmed from the mail, it can.
    link = re.search(r"https?://testserver(/\S+/)", mail.outbox[0].body).group(1)
    confirm = client.get(link)
    assert confirm.status_code == 200
    # The page signs the address again when drawn, so its form's key carries
    # the second the page was drawn in, which may be a second after the
    # mail's (a flaky failure until the form was taken as the page has it).
    [form] = [f for f in forms_on(confirm) if f["action"].startswith("/accounts/confirm-email/")]
    client.post(form["action"], form["fields"])
    assert EmailAddress.objects.get(email="new@example.com").verified
    send(LIST, email="new@example.com", action_primary="")
    victim.refresh_from_db()
    assert victim.email == "new@example.com"


@pytest.fixture
def superuser():
    return logged_in(UserFactory(is_superuser=True, is_staff=True), csrf_checks=True)


def test_not_even_a_superuser_points_a_members_sign_in_elsewhere(superuser, victim):
    # The demo's operator once was a superuser and took a citizen's account
    # over through the address admin in two clicks.
    address, _ = EmailAddress.objects.get_or_create(
        user=victim, email=victim.email, defaults={"verified": True, "primary": True}
    )
    page = superuser.get(f"/admin/accounts/user/{victim.pk}/change/")
    assert 'name="email"' not in page.content.decode()
    superuser.post(
        f"/admin/accounts/user/{victim.pk}/change/", {**form_fields(page), "email": ATTACKER_EMAIL}
    )
    assert superuser.get(f"/admin/accounts/user/{victim.pk}/password/").status_code == 403
    url = f"/admin/account/emailaddress/{address.pk}/change/"
    page = superuser.get(url)
    assert page.status_code == 200  # readable, not writable
    assert 'name="email"' not in page.content.decode()
    superuser.post(
        url, {"user": victim.pk, "email": ATTACKER_EMAIL, "verified": "on", "primary": "on"}
    )
    assert superuser.get("/admin/account/emailaddress/add/").status_code == 403
    victim.refresh_from_db()
    address.refresh_from_db()
    assert (victim.email, address.email) == ("victim@example.com", "victim@example.com")
    assert victim.check_password("pass-word-123")


def test_making_the_member_staff_for_a_moment_opens_nothing(superuser, victim):
    # A rule of "staff accounts only" would fall to a superuser ticking
    # is_staff, setting the password or address, and unticking it.
    victim.is_staff = True
    victim.save(update_fields=["is_staff"])
    page = superuser.get(f"/admin/accounts/user/{victim.pk}/change/")
    assert 'name="email"' not in page.content.decode()
    assert superuser.get(f"/admin/accounts/user/{victim.pk}/password/").status_code == 403


def test_an_address_row_cannot_be_moved_to_another_account(superuser, victim):
    # The row of a staff account, its owner changed to the member and its
    # address to the attacker's, would send the member's reset to them.
    staff_address = EmailAddress.objects.get(user=operator(email="staff@seoul.example"))
    url = f"/admin/account/emailaddress/{staff_address.pk}/change/"
    superuser.post(
        url, {"user": victim.pk, "email": ATTACKER_EMAIL, "verified": "on", "primary": "on"}
    )
    staff_address.refresh_from_db()
    assert (staff_address.user_id, staff_address.email) != (victim.pk, ATTACKER_EMAIL)
    assert not EmailAddress.objects.filter(email=ATTACKER_EMAIL).exists()
