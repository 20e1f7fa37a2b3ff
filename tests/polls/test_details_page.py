"""The page a targeted poll sends a member to when it needs a profile item
they have not given (polls:details_needed), used as a member does: load it,
fill the form as rendered, send it."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ConsentRecord, ConsentVia
from accounts.services import consent_record
from polls.models import PollStatus
from polls.targeting import eligibility
from tests.factories import UserFactory
from tests.pages import flash, form_posting_to, logged_in, page_text
from tests.polls.target_helpers import targeted_poll

pytestmark = pytest.mark.django_db


def details_url(poll):
    return reverse("polls:details_needed", args=[poll.pk])


def poll_page(poll):
    """Where the poll's page is; `next` brings the member back to it."""
    return f"/polls/{poll.pk}/"


def open_page(client, poll):
    return client.get(details_url(poll), {"next": poll_page(poll)})


def send(client, page, poll, **typed):
    form = form_posting_to(page, details_url(poll))
    return client.post(details_url(poll), form["fields"] | typed)


def test_the_page_asks_only_for_the_items_the_poll_needs_each_with_its_purpose():
    client = logged_in(UserFactory(gender="female"), csrf_checks=True)
    poll = targeted_poll(districts=["mapo"], ages=["30s"], genders=["female"])
    page = open_page(client, poll)
    assert page.status_code == 200
    form = form_posting_to(page, details_url(poll))
    assert set(form["fields"]) == {
        "csrfmiddlewaretoken",
        "next",
        "district",
        "birth_year",
    }
    assert set(form["options"]) == {"district", "birth_year"}
    text = page_text(page)
    assert "This poll asks residents of Mapo-gu aged 30s of gender Female." in text
    assert "News and polls for your district" in text
    assert "Inviting you to polls for your age group" in text
    # Gender is given already: not asked, its purpose not shown.
    assert "Polls aimed at a group" not in text
    assert "optional" in text and "withdraw your consent at any time on your profile page" in text
    assert "I agree to the collection and use of my district (optional)" in text


def test_giving_the_item_records_it_with_a_new_consent_and_returns_to_the_poll():
    someone = UserFactory()
    client = logged_in(someone, csrf_checks=True)
    poll = targeted_poll(districts=["mapo", "eunpyeong"])
    earlier = list(ConsentRecord.objects.filter(user=someone).values())
    page = open_page(client, poll)

    response = send(client, page, poll, district="mapo", consent_district="on")

    assert response.status_code == 302 and response.url == poll_page(poll)
    someone.refresh_from_db()
    assert someone.district == "mapo"
    records = ConsentRecord.objects.filter(user=someone).order_by("created_at", "id")
    assert list(records.values())[: len(earlier)] == earlier  # the old rows unchanged
    newest = records.last()
    assert records.count() == len(earlier) + 1
    assert (newest.via, newest.district, newest.birth_year, newest.gender) == (
        ConsentVia.POLL,
        True,
        False,
        False,
    )
    assert eligibility(someone, poll).allowed
    assert flash(client.get("/")) == ["Thank you. Your details are saved: you can vote now."]


def test_items_not_on_the_page_keep_their_consent_and_value():
    someone = UserFactory(birth_year=1990, gender="male")
    client = logged_in(someone, csrf_checks=True)
    poll = targeted_poll(districts=["mapo"])
    page = open_page(client, poll)
    send(client, page, poll, district="mapo", consent_district="on")
    someone.refresh_from_db()
    newest = ConsentRecord.objects.filter(user=someone).first()
    assert newest.optional_items == {"district", "birth_year", "gender"}
    assert (someone.district, someone.birth_year, someone.gender) == ("mapo", 1990, "male")


def test_a_member_who_turns_out_outside_the_target_goes_back_to_the_poll_told_it_is_saved():
    someone = UserFactory()
    client = logged_in(someone, csrf_checks=True)
    poll = targeted_poll(districts=["mapo"])
    page = open_page(client, poll)
    response = send(client, page, poll, district="gangnam", consent_district="on")
    assert response.url == poll_page(poll)
    someone.refresh_from_db()
    assert eligibility(someone, poll).reason
    assert flash(client.get("/")) == ["Your details are saved."]


def test_a_consent_already_given_for_an_empty_item_is_not_recorded_again():
    """As on the profile page, a new consent row marks a change of consent."""
    someone = UserFactory()
    consent_record(user=someone, optional_items={"district"}, via=ConsentVia.PROFILE)
    client = logged_in(someone, csrf_checks=True)
    poll = targeted_poll(districts=["mapo"])
    page = open_page(client, poll)
    form = form_posting_to(page, details_url(poll))
    assert form["fields"]["consent_district"] == "on"  # ticked, as it stands
    rows = ConsentRecord.objects.filter(user=someone).count()
    client.post(details_url(poll), form["fields"] | {"district": "mapo"})
    someone.refresh_from_db()
    assert someone.district == "mapo"
    assert ConsentRecord.objects.filter(user=someone).count() == rows


def test_after_withdrawing_consent_on_the_profile_the_poll_asks_again():
    someone = UserFactory(district="mapo")
    poll = targeted_poll(districts=["mapo"])
    client = logged_in(someone, csrf_checks=True)
    profile = client.get(reverse("accounts:profile"))
    fields = form_posting_to(profile, None)["fields"]
    fields.pop("consent_district")
    client.post(reverse("accounts:profile"), fields)
    someone.refresh_from_db()
    assert someone.district == ""
    assert eligibility(someone, poll).missing == ["district"]
    assert open_page(client, poll).status_code == 200


# --- bad input: a message in Korean, nothing saved ---------------------------------------------


def korean(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"district": "atlantis", "consent_district": "on"}, "자치구", "올바르게 선택해 주세요"),
        ({"birth_year": "1850", "consent_birth_year": "on"}, "태어난 해", "올바르게 선택해 주세요"),
        (
            {"birth_year": "", "consent_birth_year": "on"},
            "태어난 해",
            "태어난 해 항목을 알려 주시거나",
        ),
        ({"district": "mapo"}, "자치구", "수집에 동의하지 않았어요"),
    ],
)
def test_bad_input_is_refused_in_korean_and_nothing_is_saved(typed, field, message):
    someone = UserFactory()
    poll = targeted_poll(districts=["mapo"], ages=["30s"])
    client = korean(someone)
    page = client.get(details_url(poll), {"next": poll_page(poll)})
    rows = ConsentRecord.objects.filter(user=someone).count()

    response = send(client, page, poll, **typed)

    assert response.status_code == 200
    text = page_text(response)
    assert field in text and message in text
    someone.refresh_from_db()
    assert (someone.district, someone.birth_year) == ("", None)
    assert ConsentRecord.objects.filter(user=someone).count() == rows


def test_sending_nothing_is_refused_with_a_way_back():
    someone = UserFactory()
    poll = targeted_poll(districts=["mapo"])
    client = korean(someone)
    page = client.get(details_url(poll), {"next": poll_page(poll)})
    response = send(client, page, poll)
    assert response.status_code == 200
    assert "저장할 내용이 없습니다" in page_text(response)
    assert ConsentRecord.objects.filter(user=someone, via=ConsentVia.POLL).count() == 0


# --- who gets the page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "target"),
    [
        ({"district": "mapo"}, {"districts": ["mapo"]}),  # may vote already
        ({"district": "gangnam"}, {"districts": ["mapo"]}),  # outside: the poll says why
        ({}, {}),  # a poll for everyone
    ],
)
def test_a_member_with_nothing_to_give_goes_straight_back(profile, target):
    client = logged_in(UserFactory(**profile))
    poll = targeted_poll(**target)
    response = open_page(client, poll)
    assert response.status_code == 302 and response.url == poll_page(poll)


def test_a_closed_poll_asks_for_nothing():
    client = logged_in(UserFactory())
    poll = targeted_poll(districts=["mapo"], status=PollStatus.CLOSED)
    assert open_page(client, poll).status_code == 302


def test_a_draft_poll_is_not_found():
    client = logged_in(UserFactory())
    poll = targeted_poll(districts=["mapo"], status=PollStatus.DRAFT)
    assert open_page(client, poll).status_code == 404


def test_a_visitor_is_asked_to_log_in_first():
    poll = targeted_poll(districts=["mapo"])
    response = Client().get(details_url(poll))
    assert response.status_code == 302 and "login" in response.url


def test_next_leading_off_the_site_is_ignored():
    client = logged_in(UserFactory(district="mapo"))
    poll = targeted_poll(districts=["mapo"])
    response = client.get(details_url(poll), {"next": "https://evil.example/"})
    assert response.url == reverse("polls:detail", args=[poll.pk])
