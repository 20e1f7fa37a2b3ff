"""The sign-in pages as staff and members read them, in Korean: the code step
says what code and where from, its cancel looks like a way out, allauth
greets the member by their own name (not the mask others see), and the
admin's log out says it signed out."""

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.test import Client

from tests.factories import UserFactory, operator
from tests.pages import (
    TEST_TOTP_SECRET,
    flash,
    form_fields,
    log_in_with_second_factor,
    page_html,
    page_text,
    totp_code,
)

pytestmark = pytest.mark.django_db


def korean_client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="ko", enforce_csrf_checks=True)


@pytest.fixture
def staff():
    user = operator(email="operator@example.com", display_name="오창의")
    log_in_with_second_factor(Client(), user)  # sets their authenticator app up
    return user


def test_the_code_step_says_what_to_type_and_its_cancel_looks_like_one(staff):
    client = korean_client()
    page = client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        {**form_fields(page), "login": staff.email, "password": "pass-word-123"},
        follow=True,
    )
    text = page_text(response)
    assert "로그인 코드를 입력해 주세요" in text
    assert "6자리 숫자" in text and "복구 코드" in text
    html = page_html(response)
    assert 'class=" secondary"' in html and "취소하고 로그아웃" in text
    response = client.post(
        "/accounts/2fa/authenticate/",
        {**form_fields(response), "code": totp_code(TEST_TOTP_SECRET)},
        follow=True,
    )
    # Staff land on their home in the admin, which shows the greeting in
    # its own message list.
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "오창의 님, 로그인했어요." in page_text(response)
    assert "오*의" not in page_text(response)


def test_the_email_confirmation_names_the_member_in_full():
    client = korean_client()
    page = client.get("/accounts/signup/")
    fields = form_fields(page)
    assert "email" in fields
    member = UserFactory(display_name="김하늘")

    address = EmailAddress.objects.create(user=member, email="new@example.com", verified=False)
    key = EmailConfirmationHMAC(address).key
    text = page_text(client.get(f"/accounts/confirm-email/{key}/"))
    assert "김하늘" in text and "김*늘" not in text


def test_the_admin_log_out_says_so(staff):
    client = log_in_with_second_factor(korean_client(), staff)
    page = client.get("/admin/")
    response = client.post("/admin/logout/", form_fields(page, "logout-form"), follow=True)
    assert "로그아웃했어요." in flash(response)


def test_cancelling_the_code_step_signs_out_with_the_pages_token(staff):
    client = korean_client()
    page = client.get("/accounts/login/")
    step = client.post(
        "/accounts/login/",
        {**form_fields(page), "login": staff.email, "password": "pass-word-123"},
        follow=True,
    )
    assert client.post("/accounts/logout/", {"next": "/accounts/login/"}).status_code == 403
    response = client.post("/accounts/logout/", form_fields(step, "logout-from-stage"))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session
