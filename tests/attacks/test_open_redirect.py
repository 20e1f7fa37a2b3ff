"""Open redirects, from the attacker's side: a link to the portal whose
`next` (or Referer, or a stored notice's link) points elsewhere must never
send the member off the site after they log in, log out, switch language,
sign up or open a notice; the portal goes to one of its own pages instead.

The views that redirect to a place they are given: allauth's login, logout
and sign-up (`next`), Django's set_language (`next`, else Referer), the
admin's login (`next`), and notifications:open (the notice's stored link).
Every other redirect in the portal goes to a URL it builds itself."""

from urllib.parse import urlsplit

import pytest

from notifications.models import Notification
from tests.pages import english_client, form_posting_to, logged_in

pytestmark = pytest.mark.django_db

ELSEWHERE = [
    "//evil.example",
    "//evil.example/accounts/login/",
    "https://evil.example",
    "http://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " //evil.example",
    "\t//evil.example",
    "///evil.example",
    "https://testserver@evil.example",
    "https://evil.example\\@testserver",
    "data:text/html,<script>alert(1)</script>",
]


def assert_stays_home(response):
    """The redirect, if any, goes to a page of the portal."""
    assert response.status_code in (200, 302, 303), response.status_code
    if response.status_code in (302, 303):
        location = response["Location"]
        parts = urlsplit(location.replace("\\", "/").strip())
        assert parts.scheme in ("", "http", "https"), location
        assert parts.netloc in ("", "testserver"), location
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location


@pytest.mark.parametrize("target", ELSEWHERE)
def test_login_does_not_send_the_member_elsewhere(world, target):
    # given the login page reached through the attacker's link
    browser = english_client(csrf_checks=True)
    page = browser.get("/accounts/login/", {"next": target})
    form = form_posting_to(page, "/accounts/login/")
    # when the member logs in with the form as it is shown (next included)
    fields = {**form["fields"], "login": "a@example.com", "password": "pass-word-123"}
    fields.setdefault("next", target)
    response = browser.post("/accounts/login/", fields)
    # then they land on the portal
    assert "_auth_user_id" in browser.session
    assert_stays_home(response)


@pytest.mark.parametrize("target", ELSEWHERE)
def test_logout_does_not_send_the_member_elsewhere(world, target):
    browser = logged_in(world.people.citizen_a)
    response = browser.post("/accounts/logout/", {"next": target})
    assert "_auth_user_id" not in browser.session
    assert_stays_home(response)


@pytest.mark.parametrize("target", ELSEWHERE)
def test_language_switch_does_not_send_the_visitor_elsewhere(world, target):
    browser = english_client()
    assert_stays_home(browser.post("/i18n/setlang/", {"language": "ko", "next": target}))
    # nor does a Referer from elsewhere, when no next is given
    assert_stays_home(browser.post("/i18n/setlang/", {"language": "ko"}, HTTP_REFERER=target))


@pytest.mark.parametrize("target", ELSEWHERE[:6])
def test_signup_does_not_send_the_newcomer_elsewhere(world, target):
    browser = english_client()
    response = browser.post(
        f"/accounts/signup/?next={target}",
        {
            "email": "newcomer@example.com",
            "password1": "long-pass-word-456",
            "password2": "long-pass-word-456",
            "display_name": "새시민",
            "agree_terms": "on",
            "agree_privacy": "on",
            "next": target,
        },
    )
    from accounts.models import User

    assert User.objects.filter(email="newcomer@example.com").exists()
    assert_stays_home(response)


@pytest.mark.parametrize("target", ELSEWHERE[:6])
def test_admin_login_does_not_send_staff_elsewhere(world, target):
    browser = english_client()
    response = browser.post(
        f"/admin/login/?next={target}",
        {"username": "operator@example.com", "password": "pass-word-123", "next": target},
    )
    assert_stays_home(response)
    assert response.status_code == 302  # signed in (or sent on to the second factor)


@pytest.mark.parametrize("target", ELSEWHERE)
def test_a_notice_whose_link_points_elsewhere_opens_the_notice_list(world, target):
    # given a notice whose stored link was made to point elsewhere
    notice = Notification.objects.filter(recipient=world.people.citizen_a).first()
    Notification.objects.filter(pk=notice.pk).update(url=target)
    # when the member opens it
    response = logged_in(world.people.citizen_a).get(f"/notifications/{notice.pk}/")
    # then they stay on the portal
    assert_stays_home(response)


def test_a_next_on_the_portal_is_followed(world):
    """The control: the same views do follow a `next` that stays home."""
    browser = english_client()
    response = browser.post(
        "/accounts/login/?next=/me/",
        {"login": "a@example.com", "password": "pass-word-123", "next": "/me/"},
    )
    assert response["Location"] == "/me/"
    response = browser.post("/i18n/setlang/", {"language": "ko", "next": "/proposals/"})
    assert response["Location"] == "/proposals/"
