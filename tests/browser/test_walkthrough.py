"""A new citizen signs up, proposes with a photo; a second member endorses and
sees the count. Debian's Chromium driven by Playwright against the live server."""

import re

import pytest
from django.core import mail

from tests.factories import CategoryFactory, UserFactory, image_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_propose_with_photo_and_be_endorsed(browser, live_server, tmp_path, settings):
    settings.LANGUAGE_CODE = "ko"
    CategoryFactory(code="transport", name="교통", name_en="Transport")
    photo = tmp_path / "bridge.jpg"
    photo.write_bytes(image_file().read())

    # A new citizen signs up with e-mail and verifies the address.
    page = browser.new_page(locale="ko-KR")
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("이메일:", exact=True).fill("newcitizen@example.com")
    page.get_by_label("비밀번호:", exact=True).fill("hangang-bridge-2026")
    page.get_by_label("비밀번호 (확인):").fill("hangang-bridge-2026")
    page.get_by_label("이름:", exact=True).fill("한강걷기")
    # The two required consents; the optional items are left alone.
    page.get_by_label("이메일 주소와 이름 수집·이용에 동의합니다 (필수)").check()
    page.get_by_label("이용약관에 동의합니다 (필수)").check()
    page.get_by_role("button", name="회원가입").click()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link.replace(re.match(r"https?://[^/]+", link).group(0), live_server.url))
    page.get_by_role("button", name="확인").click()

    # Logged in, they propose an idea with a photo.
    page.goto(f"{live_server.url}/proposals/new/")
    page.get_by_label("제목").fill("걷고 싶은 한강다리")
    page.get_by_label("제안 내용").fill(
        "한강 다리의 보행로를 넓히고 쉼터를 만들어 걷고 싶은 다리로 바꿔 주세요."
    )
    page.get_by_label("정책 분야").select_option(label="교통")
    page.get_by_label("사진").set_input_files(str(photo))
    page.get_by_role("button", name="제안 올리기").click()
    page.get_by_role("heading", name="걷고 싶은 한강다리").wait_for()
    proposal_url = page.url
    assert page.locator("ul.photos img").count() == 1
    assert page.get_by_test_id("endorsement-count").inner_text() == "0"

    # A second member logs in and endorses.
    UserFactory(email="second@example.com")
    other = browser.new_page(locale="ko-KR")
    other.goto(f"{live_server.url}/accounts/login/")
    other.get_by_label("이메일").fill("second@example.com")
    other.get_by_label("비밀번호:", exact=True).fill("pass-word-123")
    other.get_by_role("button", name="로그인").click()
    other.goto(proposal_url)
    other.get_by_role("button", name="추천하기").click()
    other.get_by_text("이 제안을 추천했어요.").first.wait_for()
    assert other.get_by_test_id("endorsement-count").inner_text() == "1"

    # The proposer sees the count too.
    page.reload()
    assert page.get_by_test_id("endorsement-count").inner_text() == "1"

    # Let the last requests (thumbnails, icon) finish before the live server and
    # the test database are torn down.
    for tab in (page, other):
        tab.wait_for_load_state("networkidle")
        tab.close()
