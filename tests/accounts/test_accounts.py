"""Accounts as a member meets them: sign up with e-mail verification, log in
and out, reset the password, edit the profile, public names masked, take one's
data along, and leave."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db.models.signals import post_save
from django.test import Client

from accounts.models import User
from accounts.names import mask_name, public_name_for
from proposals import services
from tests.factories import CommentFactory, ProposalFactory, UserFactory
from tests.pages import english, english_client, flash, form_fields, page_html, page_text

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # what UserFactory sets
NEW_PASSWORD = "Seongsu-bridge-2025"
# The two consents sign-up requires, ticked (tests/accounts/test_consent.py
# fills the rendered form instead).
AGREED = {"agree_terms": "on", "agree_privacy": "on"}


@pytest.fixture
def client(client):
    return english(client)


def link_in(message) -> str:
    """The path of the link in an e-mail."""
    url = re.search(r"https?://testserver(/\S+/)", message.body).group(1)
    return url


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def log_in(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password}, follow=True)


# --- sign up, verification, log in and out -----------------------------------------------------


def test_sign_up_sends_a_verification_mail_whose_link_verifies_and_logs_in(client):
    # Given the sign-up form with the profile fields
    form = client.get("/accounts/signup/").content.decode()
    for name in ("email", "password1", "password2", "display_name", "nickname", "district"):
        assert f'name="{name}"' in form
    # When a citizen signs up
    response = client.post(
        "/accounts/signup/",
        {
            "email": "Hong@Example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "display_name": "홍길동",
            "district": "mapo",
            "consent_district": "on",
            **AGREED,
        },
    )
    # Then they are told to check their mail, and are not logged in yet
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert not is_logged_in(client)
    user = User.objects.get()
    assert (user.email.lower(), user.display_name, user.district) == (
        "hong@example.com",
        "홍길동",
        "mapo",
    )
    assert not EmailAddress.objects.get(user=user).verified
    # And one mail with a confirmation link went to them
    assert len(mail.outbox) == 1
    assert [address.lower() for address in mail.outbox[0].to] == ["hong@example.com"]
    assert mail.outbox[0].subject.startswith("[오아시스]")
    confirm = link_in(mail.outbox[0])
    # When they open the link, the page asks them to confirm (a GET changes nothing)
    assert client.get(confirm).status_code == 200
    assert not EmailAddress.objects.get(user=user).verified
    # And when they confirm, the address is verified and they are logged in
    response = client.post(confirm)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert is_logged_in(client)


def test_an_unverified_member_cannot_log_in_yet(client):
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "display_name": "김새봄",
            **AGREED,
        },
    )
    other = Client()
    response = log_in(other, "new@example.com", NEW_PASSWORD)
    assert not is_logged_in(other)
    assert response.redirect_chain[-1][0] == "/accounts/confirm-email/"


def test_sign_up_refuses_a_taken_email_or_nickname(client):
    UserFactory(email="taken@example.com", nickname="한강러버")
    response = client.post(
        "/accounts/signup/",
        {
            "email": "someone@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "display_name": "김새봄",
            "nickname": "한강러버",
            **AGREED,
        },
    )
    assert response.status_code == 200
    assert "This nickname is already taken." in page_html(response)
    client.post(
        "/accounts/signup/",
        {
            "email": "taken@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "display_name": "김새봄",
            **AGREED,
        },
    )
    assert User.objects.count() == 1


def test_two_people_taking_one_nickname_at_once_get_one_account_and_a_form_error(client):
    # Given the sign-up form, filled in by a citizen as it is rendered
    page = client.get("/accounts/signup/")
    fields = form_fields(page)
    fields.update(
        email="second@example.com",
        password1=NEW_PASSWORD,
        password2=NEW_PASSWORD,
        display_name="김새봄",
        nickname="한강러버",
        **AGREED,
    )

    # and someone else who takes the same nickname between the form's check
    # and its write (two sign-ups at the same moment)
    def another_sign_up_lands(sender, instance, created, **kwargs):
        if created and instance.email == "second@example.com":
            post_save.disconnect(another_sign_up_lands, sender=User)
            UserFactory(email="first@example.com", nickname="한강러버")

    post_save.connect(another_sign_up_lands, sender=User)
    try:
        # When the citizen sends the form
        response = client.post("/accounts/signup/", fields)
    finally:
        post_save.disconnect(another_sign_up_lands, sender=User)

    # Then the form comes back saying the nickname is taken, with the rest kept
    assert response.status_code == 200
    assert "This nickname is already taken." in page_html(response)
    assert form_fields(response)["email"] == "second@example.com"
    # and no half-made account is left behind: no user, no address, no mail
    # (the other sign-up, run here inside this request, is rolled back with it;
    # on a real server it commits on its own)
    assert not User.objects.filter(email="second@example.com").exists()
    assert not EmailAddress.objects.filter(email="second@example.com").exists()
    assert mail.outbox == []


def test_a_member_logs_in_with_their_email_and_logs_out(client):
    UserFactory(email="member@example.com")
    # wrong password
    response = log_in(client, "member@example.com", "wrong-password")
    assert not is_logged_in(client)
    assert "not correct" in page_html(response)
    # right password
    response = log_in(client, "member@example.com", PASSWORD)
    assert is_logged_in(client)
    assert response.redirect_chain[-1][0] == "/"
    assert "My activity" in page_html(response)
    # log out (a POST, from the button in the header)
    response = client.post("/accounts/logout/", follow=True)
    assert not is_logged_in(client)
    assert "Log in" in page_html(response)


def test_a_forgotten_password_is_reset_by_mail(client):
    UserFactory(email="forgot@example.com")
    response = client.post("/accounts/password/reset/", {"email": "forgot@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset = link_in(mail.outbox[0])
    # The link leads to a form (allauth moves the key into the session first)
    response = client.get(reset, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset
    response = client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    other = Client()
    assert not is_logged_in(other)
    log_in(other, "forgot@example.com", NEW_PASSWORD)
    assert is_logged_in(other)


def test_a_reset_request_does_not_tell_whether_the_address_is_a_member(client):
    UserFactory(email="member@example.com")
    known = client.post("/accounts/password/reset/", {"email": "member@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_social_login_buttons_are_absent_without_keys(client, path):
    page = client.get(path).content.decode().lower()
    for provider in ("kakao", "naver", "google"):
        assert provider not in page


# --- profile and public names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("홍", "*"),
        ("홍길", "홍*"),
        ("홍길동", "홍*동"),
        ("남궁민수", "남**수"),
        ("  홍길동 ", "홍*동"),
        ("", ""),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_the_public_name_is_the_nickname_or_the_masked_name():
    assert public_name_for(UserFactory.build(display_name="홍길동", nickname="")) == "홍*동"
    assert (
        public_name_for(UserFactory.build(display_name="홍길동", nickname="한강러버")) == "한강러버"
    )
    assert (
        public_name_for(UserFactory.build(display_name="", email="abcdef@example.com")) == "a****f"
    )
    assert (
        public_name_for(UserFactory.build(display_name="   ", email="abcdef@example.com"))
        == "a****f"
    )


def test_a_member_edits_their_profile(client):
    member = UserFactory(display_name="홍길동")
    client.force_login(member)
    page = page_html(client.get("/accounts/profile/"))
    assert "Others see you as <strong>홍*동</strong>." in page
    for name in ("display_name", "nickname", "district", "birth_year", "gender"):
        assert f'name="{name}"' in page
    response = client.post(
        "/accounts/profile/",
        {
            "display_name": "홍길순",
            "nickname": "",
            "district": "gangnam",
            "birth_year": "1990",
            "gender": "female",
            # Optional items are stored with their consent (test_consent.py)
            "consent_district": "on",
            "consent_birth_year": "on",
            "consent_gender": "on",
        },
        follow=True,
    )
    assert flash(response) == ["Your profile is saved."]
    assert "Others see you as <strong>홍*순</strong>." in page_html(response)
    member.refresh_from_db()
    assert (member.display_name, member.district, member.birth_year, member.gender) == (
        "홍길순",
        "gangnam",
        1990,
        "female",
    )
    # Birth year and gender are optional and can be taken back
    client.post("/accounts/profile/", {"display_name": "홍길순", "birth_year": "", "gender": ""})
    member.refresh_from_db()
    assert (member.birth_year, member.gender) == (None, "")


def test_a_chosen_nickname_replaces_the_masked_name_everywhere(client):
    member = UserFactory(display_name="홍길동")
    proposal = ProposalFactory(author=member, title="내 제안")
    CommentFactory(proposal=proposal, author=member, body="제가 쓴 댓글")
    assert "Proposed by 홍*동" in page_text(client.get(f"/proposals/{proposal.pk}/"))
    assert "홍길동" not in page_html(client.get(f"/proposals/{proposal.pk}/"))
    client.force_login(member)
    client.post("/accounts/profile/", {"display_name": "홍길동", "nickname": "한강러버"})
    anonymous = english_client()
    page = page_text(anonymous.get(f"/proposals/{proposal.pk}/"))
    assert "Proposed by 한강러버" in page and "홍*동" not in page
    assert "한강러버" in page_html(anonymous.get("/proposals/"))


def test_a_taken_nickname_is_refused_and_the_page_still_shows_the_saved_name(client):
    UserFactory(nickname="HanRiver")
    member = UserFactory(display_name="홍길동", nickname="")
    client.force_login(member)
    response = client.post("/accounts/profile/", {"display_name": "홍길동", "nickname": "hanriver"})
    assert response.status_code == 200
    assert "This nickname is already taken." in page_html(response)
    assert "Others see you as <strong>홍*동</strong>." in page_html(response)
    # the same when another field is wrong: what others see is what is saved
    response = client.post("/accounts/profile/", {"display_name": "김철수", "birth_year": "1800"})
    assert "Select a valid choice." in page_html(response)
    assert "Others see you as <strong>홍*동</strong>." in page_html(response)
    member.refresh_from_db()
    assert (member.nickname, member.display_name) == ("", "홍길동")


def test_the_profile_needs_a_login(client):
    assert (
        client.get("/accounts/profile/")["Location"] == "/accounts/login/?next=/accounts/profile/"
    )


# --- taking one's data ------------------------------------------------------------------------


def test_a_member_downloads_their_own_data_and_nothing_of_others(client):
    # Given a member who proposed, endorsed and commented, and another member
    member = UserFactory(email="me@example.com", display_name="홍길동", nickname="한강러버")
    other = UserFactory(email="other@example.com", display_name="김철수")
    mine = ProposalFactory(author=member, title="내 제안")
    theirs = ProposalFactory(
        author=other, title="남의 제안", body="남이 쓴 본문입니다. 비밀은 아니에요."
    )
    services.proposal_endorse(proposal=theirs, user=member)
    services.comment_create(proposal=theirs, author=member, body="내 댓글")
    services.comment_create(proposal=mine, author=other, body="남의 댓글")
    services.report_create(reporter=member, reason="spam", proposal=theirs)
    # When they download their data
    client.force_login(member)
    response = client.get("/accounts/profile/export/")
    # Then it is a JSON attachment with their profile and activity
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="oasis-my-data-')
    data = json.loads(response.content)
    assert data["profile"]["email"] == "me@example.com"
    assert data["profile"]["name"] == "홍길동" and data["profile"]["nickname"] == "한강러버"
    assert [p["title"] for p in data["proposals"]] == ["내 제안"]
    assert [e["proposal"] for e in data["endorsements"]] == [theirs.pk]
    assert [c["body"] for c in data["comments"]] == ["내 댓글"]
    assert len(data["reports"]) == 1
    # And nothing that belongs to the other member
    raw = response.content.decode()
    for foreign in ("other@example.com", "김철수", "남의 댓글", "남이 쓴 본문"):
        assert foreign not in raw


def test_the_download_needs_a_login(client):
    assert client.get("/accounts/profile/export/").status_code == 302


# --- leaving ---------------------------------------------------------------------------------


def test_closing_the_account_needs_the_password(client):
    member = UserFactory(email="stay@example.com")
    client.force_login(member)
    for data in ({"confirm": "on"}, {"password": "wrong", "confirm": "on"}, {"password": PASSWORD}):
        response = client.post("/accounts/profile/delete/", data)
        assert response.status_code == 200
    assert "The password is not correct." in page_html(
        client.post("/accounts/profile/delete/", {"password": "x", "confirm": "on"})
    )
    member.refresh_from_db()
    assert member.is_active and member.email == "stay@example.com"
    assert is_logged_in(client)


def test_a_member_leaves_their_words_stay_their_identity_goes(client):
    # Given a member with a proposal, a comment and an endorsement
    member = UserFactory(
        email="leaver@example.com",
        display_name="홍길동",
        nickname="떠나는사람",
        district="mapo",
        birth_year=1980,
    )
    proposal = ProposalFactory(author=member, title="남길 제안")
    other = ProposalFactory(title="다른 제안")
    services.comment_create(proposal=other, author=member, body="남길 댓글")
    services.proposal_endorse(proposal=other, user=member)
    client.force_login(member)
    phone = Client()
    phone.force_login(member)
    assert phone.get("/me/").status_code == 200
    assert "Download my data first (JSON)" in page_html(client.get("/accounts/profile/delete/"))
    # When they close their account with their password
    response = client.post(
        "/accounts/profile/delete/", {"password": PASSWORD, "confirm": "on"}, follow=True
    )
    # Then they are logged out and told so
    assert response.redirect_chain[-1][0] == "/"
    assert flash(response) == ["Your account is closed. Thank you for taking part in Oasis."]
    assert not is_logged_in(client)
    # And what identifies them is erased
    member.refresh_from_db()
    assert member.email != "leaver@example.com" and "leaver" not in member.email
    assert (member.display_name, member.nickname, member.district, member.birth_year) == (
        "",
        "",
        "",
        None,
    )
    assert not member.is_active and member.withdrawn_at is not None
    assert not member.has_usable_password()
    assert not EmailAddress.objects.filter(email__iexact="leaver@example.com").exists()
    # And they cannot log in any more, and their other sessions are over
    log_in(client, "leaver@example.com", PASSWORD)
    assert not is_logged_in(client)
    assert phone.get("/me/").status_code == 302
    # And their proposal, comment and endorsement stay, by a withdrawn member
    page = page_text(client.get(f"/proposals/{proposal.pk}/"))
    assert "남길 제안" in page and "Proposed by Withdrawn member" in page
    page = page_html(client.get(f"/proposals/{other.pk}/"))
    comment = page.split('class="comment"', 1)[1]
    assert (
        '<strong><span class="member-name">Withdrawn member</span></strong>'
        in comment.split("남길 댓글")[0]
    )
    assert "떠나는사람" not in page
    other.refresh_from_db()
    assert other.endorsement_count == 1
    # And in Korean the page says 탈퇴한 회원
    korean = Client()
    assert "탈퇴한 회원" in page_html(korean.get(f"/proposals/{proposal.pk}/"))


def test_the_address_of_a_member_who_left_can_sign_up_again(client):
    member = UserFactory(email="again@example.com")
    client.force_login(member)
    client.post("/accounts/profile/delete/", {"password": PASSWORD, "confirm": "on"})
    response = client.post(
        "/accounts/signup/",
        {
            "email": "again@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "display_name": "홍길동",
            **AGREED,
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="again@example.com").exclude(pk=member.pk).exists()


def test_a_member_without_a_password_leaves_by_confirming(client):
    # Members who only ever used Kakao, Naver or Google have no password to give
    member = UserFactory(email="social@example.com")
    member.set_unusable_password()
    member.save()
    client.force_login(member)
    assert 'name="password"' not in client.get("/accounts/profile/delete/").content.decode()
    assert client.post("/accounts/profile/delete/", {}).status_code == 200
    client.post("/accounts/profile/delete/", {"confirm": "on"})
    member.refresh_from_db()
    assert not member.is_active and member.withdrawn_at is not None


@pytest.mark.parametrize(
    "nickname", ["탈퇴한 회원", "Withdrawn member", "홍*동", "운영자", "관리자"]
)
def test_a_nickname_that_passes_for_someone_else_is_refused(client, nickname):
    member = UserFactory()
    client.force_login(member)
    response = client.post("/accounts/profile/", {"display_name": "홍길동", "nickname": nickname})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    member.refresh_from_db()
    assert member.nickname == ""
