"""Staff sign-in from the attacker's side: /admin/login/ takes no password
(it hands over to allauth's rate-limited login), guessing an operator's
password is cut off after allauth's limit whichever door is used, and the
admin opens only to a session that passed the second factor."""

import re

import pytest
from allauth.mfa.models import Authenticator

from tests.factories import UserFactory, official, operator
from tests.pages import (
    TEST_TOTP_SECRET,
    english_client,
    flash,
    form_fields,
    form_posting_to,
    log_in_with_second_factor,
    messages_sent,
    page_text,
    totp_code,
)

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # what UserFactory sets


@pytest.fixture
def staff():
    return operator(email="operator@example.com")


def with_totp(user):
    """`user` with the authenticator app set up (TEST_TOTP_SECRET)."""
    log_in_with_second_factor(english_client(), user)
    return user


def password_step(client, email, password):
    page = client.get("/accounts/login/?next=/admin/")
    return client.post(
        "/accounts/login/?next=/admin/",
        {**form_fields(page), "login": email, "password": password},
    )


def send_form(client, path, action=None, **values):
    """Load `path`, fill the form that posts to `action` (the path by
    default) with `values` and send it as the browser would."""
    page = client.get(path)
    assert page.status_code == 200, path
    action = action or path.partition("?")[0]
    return client.post(path, {**form_posting_to(page, action)["fields"], **values})


# --- /admin/login/ is not a login of its own ---------------------------------------------------


def test_the_admin_login_sends_to_the_sites_login_with_next():
    response = english_client().get("/admin/login/?next=/admin/proposals/proposal/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fproposals%2Fproposal%2F"
    # any admin page sends there too, through the admin login
    page = english_client().get("/admin/proposals/proposal/", follow=True)
    assert page.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert page.status_code == 200


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"]
)
def test_the_admin_login_does_not_pass_on_a_foreign_next(next_url):
    response = english_client().get("/admin/login/", {"next": next_url})
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_a_password_posted_to_the_admin_login_is_never_checked(staff):
    client = english_client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_guessing_an_operators_password_is_cut_off_whichever_login_is_used(staff):
    attacker = english_client()
    for guess in range(5):  # login_failed: 5 per 5 minutes per account
        response = password_step(attacker, staff.email, f"guess-{guess}")
        assert response.status_code == 200 and "_auth_user_id" not in attacker.session
    # The next try is refused even with the right password ...
    response = password_step(english_client(), staff.email, PASSWORD)
    assert "Too many failed login attempts" in page_text(response)
    # ... and the admin's login is no way around it.
    other = english_client()
    other.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert "_auth_user_id" not in other.session
    assert other.get("/admin/").status_code == 302


# --- the second factor ------------------------------------------------------------------------


def test_staff_without_an_authenticator_are_sent_to_set_one_up_then_get_in(
    staff, django_capture_on_commit_callbacks
):
    client = english_client()
    response = password_step(client, staff.email, PASSWORD)
    assert response["Location"] == "/admin/"  # no code asked yet: none is set up
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    assert any("need a second factor" in m for m in messages_sent(response))
    # Nothing in the admin opens meanwhile, whatever the page.
    for path in ("/admin/proposals/proposal/", "/admin/tracking/card/dashboard/"):
        assert client.get(path)["Location"] == "/accounts/2fa/totp/activate/"
    # Setting up a second factor asks for the password once more (allauth).
    response = client.get("/accounts/2fa/totp/activate/")
    assert (
        response["Location"]
        == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    page = client.get(response["Location"])
    assert any("need a second factor" in m for m in flash(page))
    response = send_form(client, response["Location"], password=PASSWORD)
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # The set-up page, as rendered, shows the secret for the app and the message.
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    # The QR code is drawn inline: a data: image would be blocked by the CSP.
    assert "<svg" in page.content.decode() and 'src="data:' not in page.content.decode()
    secret = re.search(r'value="([A-Z2-7]{32})"', page.content.decode()).group(1)
    fields = form_posting_to(page, "/accounts/2fa/totp/activate/")["fields"]
    client.post("/accounts/2fa/totp/activate/", {**fields, "code": "000000"})
    assert not Authenticator.objects.filter(user=staff, type="totp").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/totp/activate/", {**fields, "code": totp_code(secret)})
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    # Typing the app's code proved the second factor: the admin opens.
    assert client.get("/admin/").status_code == 200
    # The first app is set up with the password alone: the staff member is
    # told at once by e-mail, so a set-up by someone else does not go unseen.
    from django.core import mail

    notice = [m for m in mail.outbox if m.to == [staff.email] and "Authenticator" in m.subject]
    assert len(notice) == 1


def test_staff_with_an_authenticator_give_the_code_at_login(staff):
    with_totp(staff)
    client = english_client()
    response = password_step(client, staff.email, PASSWORD)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/admin/").status_code == 302  # the password alone is not a login
    response = send_form(client, "/accounts/2fa/authenticate/", code=totp_code(TEST_TOTP_SECRET))
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_guessing_the_code_is_cut_off(staff):
    with_totp(staff)
    client = english_client()
    response = password_step(client, staff.email, PASSWORD)
    for guess in range(5):
        send_form(client, "/accounts/2fa/authenticate/", code=f"00000{guess}")
    response = send_form(client, "/accounts/2fa/authenticate/", code=totp_code(TEST_TOTP_SECRET))
    assert response.status_code == 200
    assert "Too many failed login attempts" in page_text(response)
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("make_staff", [operator, official])
def test_a_session_that_skipped_the_code_must_give_it_before_the_admin(make_staff):
    # A session logged in some way other than allauth's login stage (an old
    # session from before the app was set up, say) must still give the code.
    user = with_totp(make_staff())
    client = english_client()
    client.force_login(user)
    response = client.get("/admin/proposals/proposal/")
    assert response.status_code == 302
    assert (
        response["Location"]
        == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2Fproposals%2Fproposal%2F"
    )
    response = send_form(
        client,
        response["Location"],
        code=totp_code(TEST_TOTP_SECRET, step=1),
    )
    assert response["Location"] == "/admin/proposals/proposal/"
    assert client.get("/admin/proposals/proposal/").status_code == 200


def test_a_superuser_needs_the_second_factor_too():
    boss = UserFactory(is_superuser=True, is_staff=True)
    client = english_client()
    client.force_login(boss)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


def test_staff_cannot_turn_their_second_factor_off(staff):
    client = log_in_with_second_factor(english_client(), staff)
    response = client.get("/accounts/2fa/totp/deactivate/")
    send_form(client, response["Location"], password=PASSWORD)  # allauth asks again
    response = send_form(client, "/accounts/2fa/totp/deactivate/")
    assert "cannot deactivate" in page_text(response)
    assert Authenticator.objects.filter(user=staff, type="totp").exists()


def test_a_member_who_is_not_staff_is_refused_not_bounced_between_logins():
    client = english_client()
    client.force_login(UserFactory())
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_the_admin_logout_signs_out_as_the_site_does(staff):
    client = log_in_with_second_factor(english_client(csrf_checks=True), staff)
    page = client.get("/admin/")
    assert client.get("/admin/logout/")["Location"] == "/accounts/logout/"
    response = client.post("/admin/logout/", form_fields(page, "logout-form"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


# --- staff powers outside the admin ------------------------------------------------------------


def test_a_session_without_the_code_uses_no_staff_power_on_the_public_site(staff):
    # Hiding a proposal is an operator's power on the public page itself; a
    # session that never gave the code (from before the rule) must give it
    # first, there as in the admin.
    from proposals.models import Proposal
    from tests.factories import ProposalFactory

    proposal = ProposalFactory()
    client = english_client()
    client.force_login(with_totp(staff))
    response = client.post(f"/proposals/{proposal.pk}/moderate/", {"action": "hide", "reason": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    assert Proposal.objects.get(pk=proposal.pk).is_hidden is False
    assert client.get("/")["Location"] == "/accounts/2fa/reauthenticate/?next=%2F"


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/recovery-codes/download/",
    ],
)
def test_the_password_alone_shows_no_recovery_codes(staff, path):
    # Recovery codes open the admin like the app's code: shown to a session
    # that gave only the password, they would be a way past the app.
    client = english_client()
    client.force_login(with_totp(staff))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_staff_without_the_app_set_it_up_before_any_page(staff):
    client = english_client()
    password_step(client, staff.email, PASSWORD)
    response = client.get("/proposals/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # Leaving and reading the legal pages stay open.
    assert client.get("/legal/privacy/").status_code == 200
