"""Consent item by item (PIPA art. 15, 22): sign-up asks for each item with
its purpose and retention, records what was agreed with the documents'
versions and the time, and stores an optional item only with its consent;
the profile page gives or withdraws an optional item later; a member whose
consent is to an older material version agrees again before going on."""

import datetime

import pytest
from django.utils import timezone

from accounts import legal
from accounts.models import ConsentRecord, ConsentVia, User
from tests.factories import UserFactory
from tests.pages import english_client, flash, form_fields, form_posting_to, logged_in, page_text

pytestmark = pytest.mark.django_db

PASSWORD = "Seongsu-bridge-2025"


def _signup_form(client):
    page = client.get("/accounts/signup/")
    return page, form_posting_to(page, "/accounts/signup/")["fields"]


def _fill(fields, **values):
    fields.update(
        email="hong@example.com",
        password1=PASSWORD,
        password2=PASSWORD,
        display_name="홍길동",
        # A browser sends a ticked box as "on"; an unticked one not at all.
        agree_terms="on",
        agree_privacy="on",
    )
    fields.update(values)
    return fields


# --- sign-up ---------------------------------------------------------------------------


def test_the_sign_up_page_lists_each_item_with_its_purpose_and_retention():
    client = english_client()
    page, fields = _signup_form(client)
    text = page_text(page)
    for item in legal.DATA_ITEMS:
        assert str(item.label) in text and str(item.purpose) in text
    assert "Until you withdraw this consent or close your account" in text
    assert "You may refuse, but without these items you cannot sign up." in text
    # And it links to both documents
    assert 'href="/legal/privacy/"' in page.content.decode()
    assert 'href="/legal/terms/"' in page.content.decode()
    # No box is ticked for the member
    assert not {"agree_terms", "agree_privacy", "consent_district"} & set(fields)


def test_sign_up_records_the_consent_with_the_versions_and_the_time():
    client = english_client()
    _page, fields = _signup_form(client)
    before = timezone.now()
    response = client.post(
        "/accounts/signup/",
        _fill(fields, district="mapo", consent_district="on", gender="female", consent_gender="on"),
    )
    assert response.status_code == 302
    user = User.objects.get(email="hong@example.com")
    record = ConsentRecord.objects.get(user=user)
    assert (record.terms_version, record.privacy_version) == (
        legal.current(legal.Kind.TERMS).version,
        legal.current(legal.Kind.PRIVACY).version,
    )
    assert record.via == ConsentVia.SIGNUP
    assert before <= record.created_at <= timezone.now()
    assert record.optional_items == {"district", "gender"}
    assert (user.district, user.gender, user.birth_year) == ("mapo", "female", None)


def test_sign_up_without_the_required_consents_is_refused_and_creates_nobody():
    client = english_client()
    _page, fields = _signup_form(client)
    fields = _fill(fields)
    del fields["agree_terms"], fields["agree_privacy"]
    response = client.post("/accounts/signup/", fields)
    assert response.status_code == 200
    text = page_text(response)
    assert "Please agree to the terms of use to continue." in text
    assert "Please agree to the collection of your e-mail address and name to continue." in text
    assert not User.objects.exists() and not ConsentRecord.objects.exists()


def test_an_optional_item_left_unticked_is_not_collected():
    client = english_client()
    _page, fields = _signup_form(client)
    # The member consents to nothing optional and gives nothing optional
    response = client.post("/accounts/signup/", _fill(fields))
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.district, user.birth_year, user.gender) == ("", None, "")
    assert ConsentRecord.objects.get(user=user).optional_items == set()


def test_an_optional_item_given_without_its_consent_is_refused_with_a_message():
    client = english_client()
    _page, fields = _signup_form(client)
    response = client.post("/accounts/signup/", _fill(fields, birth_year="1990"))
    assert response.status_code == 200
    assert (
        "You gave your birth year but did not agree to its collection. Tick the box to agree, "
        "or leave it empty." in page_text(response)
    )
    assert not User.objects.exists()


# --- the profile page ------------------------------------------------------------------


def test_a_member_gives_an_optional_item_later_and_withdraws_it():
    member = UserFactory()
    client = logged_in(member)
    form = _profile_form(client)
    # Giving the district with its consent stores both
    form.update(district="jongno", consent_district="on")
    response = client.post("/accounts/profile/", form, follow=True)
    assert flash(response) == ["Your profile is saved."]
    member.refresh_from_db()
    assert member.district == "jongno"
    latest = ConsentRecord.objects.filter(user=member).first()
    assert latest.district and latest.via == ConsentVia.PROFILE
    # Unticking the box (the district still selected) withdraws and erases it
    form = _profile_form(client)
    assert form["consent_district"] == "on" and form["district"] == "jongno"
    del form["consent_district"]
    client.post("/accounts/profile/", form)
    member.refresh_from_db()
    assert member.district == ""
    assert not ConsentRecord.objects.filter(user=member).first().district
    # The history keeps all three decisions
    assert ConsentRecord.objects.filter(user=member).count() == 3


def test_the_profile_refuses_a_new_optional_item_without_its_consent():
    member = UserFactory()
    client = logged_in(member)
    form = _profile_form(client)
    form.update(gender="other")
    response = client.post("/accounts/profile/", form)
    assert response.status_code == 200
    assert "You gave your gender but did not agree to its collection." in page_text(response)
    member.refresh_from_db()
    assert member.gender == ""


def _profile_form(client) -> dict:
    """The profile page's form as a browser would send it untouched."""
    return form_fields(client.get("/accounts/profile/"))


# --- agreeing again -------------------------------------------------------------------


def _new_privacy_version(monkeypatch, *, material: bool):
    """A privacy policy version in effect since yesterday, reusing today's text."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    newer = legal.DocumentVersion(
        legal.Kind.PRIVACY,
        "2099-01-01",
        yesterday,
        material=material,
        summary="Birth year now also used for youth panels",
        text=legal.current(legal.Kind.PRIVACY).version,
    )
    # Every consent so far is to an older version.
    older = [v for v in legal.VERSIONS if v.kind != legal.Kind.PRIVACY] + [
        legal.DocumentVersion(
            legal.Kind.PRIVACY,
            "2026-12-01",
            yesterday - datetime.timedelta(days=30),
            material=True,
        )
    ]
    monkeypatch.setattr(legal, "VERSIONS", (*older, newer))
    return newer


def test_after_a_material_change_a_member_agrees_again_before_going_on(monkeypatch):
    member = UserFactory(district="mapo")  # consented to the current versions, district too
    client = logged_in(member)
    assert client.get("/proposals/").status_code == 200
    _new_privacy_version(monkeypatch, material=True)
    # Any page now leads to the consent page, which names what changed
    response = client.get("/proposals/?sort=new")
    assert response.status_code == 302
    assert response["Location"] == "/legal/consent/?next=%2Fproposals%2F%3Fsort%3Dnew"
    page = client.get(response["Location"])
    assert "Birth year now also used for youth panels" in page_text(page)
    # The legal pages themselves, logging out and the health check stay open
    assert client.get("/legal/privacy/").status_code == 200
    assert client.get("/legal/privacy/2026-12-01/").status_code == 200
    assert client.get("/healthz").status_code == 200
    # Agreeing (the district box comes ticked, as it was) leads back where they were going
    form = form_posting_to(page, "/legal/consent/")["fields"]
    assert form["consent_district"] == "on"
    form.update(agree_terms="on", agree_privacy="on")
    response = client.post("/legal/consent/", form)
    assert response.status_code == 302 and response["Location"] == "/proposals/?sort=new"
    record = ConsentRecord.objects.filter(user=member).first()
    assert (record.privacy_version, record.via, record.district) == (
        "2099-01-01",
        "reconsent",
        True,
    )
    assert client.get("/proposals/").status_code == 200
    member.refresh_from_db()
    assert member.district == "mapo"


def test_a_minor_change_asks_nobody_again(monkeypatch):
    client = logged_in(UserFactory())
    _new_privacy_version(monkeypatch, material=False)
    # the member's consent is to the material version before it
    assert client.get("/proposals/").status_code == 200


def test_a_member_with_no_consent_on_record_is_asked_first():
    # An account from before consents were recorded, or a social sign-up
    # that skipped the form
    client = logged_in(UserFactory(consented=False))
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/legal/consent/")
    page = client.get(response["Location"])
    assert "Oasis now records each member's consent." in page_text(page)


def test_the_consent_page_refuses_without_the_required_boxes_and_never_redirects_away():
    member = UserFactory(consented=False)
    client = logged_in(member)
    response = client.post("/legal/consent/", {"next": "https://evil.example/"})
    assert response.status_code == 200
    assert not ConsentRecord.objects.filter(user=member).exists()
    response = client.post(
        "/legal/consent/",
        {"next": "https://evil.example/", "agree_terms": "on", "agree_privacy": "on"},
    )
    assert response["Location"] == "/"


def test_social_sign_up_asks_the_same_consents_and_records_where_they_were_given():
    from allauth.socialaccount.forms import SignupForm as SocialSignupForm
    from allauth.socialaccount.models import SocialAccount, SocialLogin

    def social_form(data=None):
        login = SocialLogin(
            user=User(email="kakao@example.com"),
            account=SocialAccount(provider="kakao", uid="kakao-1"),
        )
        return SocialSignupForm(data, sociallogin=login)

    # The form Kakao, Naver or Google members finish signing up with has the
    # same required consents, optional items and their boxes
    form = social_form()
    for name in ("agree_terms", "agree_privacy", "display_name", "district", "consent_district"):
        assert name in form.fields, name
    refused = social_form({"email": "kakao@example.com", "display_name": "홍길동"})
    assert not refused.is_valid()
    assert {"agree_terms", "agree_privacy"} <= set(refused.errors)
    # Agreed, the consent is recorded as given on the social sign-up
    form = social_form(
        {
            "email": "kakao@example.com",
            "display_name": "홍길동",
            "birth_year": "1990",
            "consent_birth_year": "on",
            "agree_terms": "on",
            "agree_privacy": "on",
        }
    )
    assert form.is_valid(), form.errors
    user = User.objects.create_user(email="kakao@example.com")
    form.custom_signup(None, user)
    record = ConsentRecord.objects.get(user=user)
    assert (record.via, record.optional_items) == (ConsentVia.SOCIAL_SIGNUP, {"birth_year"})
    user.refresh_from_db()
    assert (user.display_name, user.birth_year) == ("홍길동", 1990)


def test_a_members_data_export_includes_what_they_agreed_to():
    member = UserFactory(district="mapo")
    data = logged_in(member).get("/accounts/profile/export/").json()
    [consent] = data["consents"]
    assert consent["privacy_version"] == legal.current(legal.Kind.PRIVACY).version
    assert consent["optional_items"] == ["district"]
    assert consent["via"] == "signup" and consent["given"]
