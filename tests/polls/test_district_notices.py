""" "Polls in my district" (issue 16): when a poll that asks some districts
opens, each member whose district (by the consent in force) is among them
hears of it once, under the topic DISTRICT_POLLS. A poll for the whole city
tells nobody; staff accounts, members who did not consent to their district,
inactive accounts and members another target puts outside are not told. The
fan-out goes in batches and may run any number of times."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import ConsentVia, Institution
from accounts.services import consent_record
from notifications.models import NoticeTopic, Notification
from polls import notices as poll_notices
from polls.tasks import announce_opened_polls, tell_district_poll_opened
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tests.pages import logged_in, page_text

from .editor_helpers import a_poll, published

pytestmark = pytest.mark.django_db

KIND = "poll_opened_in_district"


def told(poll) -> dict[int, list[str]]:
    """recipient id → the topics of their notices of this poll's opening."""
    result: dict[int, list[str]] = {}
    rows = Notification.objects.filter(kind=KIND, key=f"{KIND}:{poll.pk}")
    for recipient_id, topic in rows.values_list("recipient_id", "topic"):
        result.setdefault(recipient_id, []).append(topic)
    return result


def test_publishing_a_poll_for_two_districts_tells_their_consenting_members_once(
    django_capture_on_commit_callbacks,
):
    mapo = UserFactory(district="mapo")
    eunpyeong = UserFactory(district="eunpyeong")
    gangnam = UserFactory(district="gangnam")
    not_consented = UserFactory(district="mapo", consented=False)
    consent_record(user=not_consented, optional_items=set(), via=ConsentVia.PROFILE)
    withdrew_consent = UserFactory(district="mapo")
    consent_record(user=withdrew_consent, optional_items=set(), via=ConsentVia.PROFILE)
    staff = official(district="mapo")
    an_operator = operator(district="mapo")
    inactive = UserFactory(district="mapo", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        poll = published(target_districts=["mapo", "eunpyeong"])

    assert told(poll) == {
        mapo.pk: [NoticeTopic.DISTRICT_POLLS],
        eunpyeong.pk: [NoticeTopic.DISTRICT_POLLS],
    }
    for nobody in (gangnam, not_consented, withdrew_consent, staff, an_operator, inactive):
        assert nobody.pk not in told(poll)
    notice = Notification.objects.get(kind=KIND, recipient=mapo)
    assert notice.url == poll.get_absolute_url() and notice.proposal_id is None
    assert notice.params["title"] == poll.title

    # what the member sees in their notices, in Korean by default and in English
    page = page_text(logged_in(mapo).get(reverse("notifications:list")))
    assert "A city poll for your district is open" in page and poll.title in page


def test_a_poll_for_the_whole_city_is_not_in_anyones_district(django_capture_on_commit_callbacks):
    UserFactory(district="mapo")
    with django_capture_on_commit_callbacks(execute=True):
        poll = published()
    assert told(poll) == {}
    assert tell_district_poll_opened.delay(poll.pk).get() == 0


def test_a_member_another_target_puts_outside_is_not_told(django_capture_on_commit_callbacks):
    in_band = UserFactory(district="mapo", birth_year=timezone.localdate().year - 25)
    out_of_band = UserFactory(district="mapo", birth_year=timezone.localdate().year - 70)
    # no birth year given: the poll's page will ask for it, so they are told
    unknown_age = UserFactory(district="mapo")
    with django_capture_on_commit_callbacks(execute=True):
        poll = published(target_districts=["mapo"], target_age_bands=["20s"])
    assert set(told(poll)) == {in_band.pk, unknown_age.pk}
    assert out_of_band.pk not in told(poll)


def test_the_fan_out_goes_in_batches_and_twice_tells_nobody_twice(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(poll_notices, "DISTRICT_BATCH", 2)
    members = [UserFactory(district="jongno") for _ in range(5)]
    UserFactory(district="jung")

    with django_capture_on_commit_callbacks(execute=True):
        poll = published(target_districts=["jongno"])
    first = told(poll)
    assert first == {member.pk: [NoticeTopic.DISTRICT_POLLS] for member in members}

    # the task again (a retry, the beat): nothing new, and no batch left
    with django_capture_on_commit_callbacks(execute=True):
        assert tell_district_poll_opened.delay(poll.pk).get() == 0
        assert announce_opened_polls.delay().get() == 1
    assert told(poll) == first
    assert poll_notices.tell_district_of_poll(poll_id=poll.pk) == (0, None)


def test_a_poll_published_ahead_of_its_start_is_told_by_the_beat_once_it_opens(
    django_capture_on_commit_callbacks,
):
    member = UserFactory(district="mapo")
    with django_capture_on_commit_callbacks(execute=True):
        poll = published(target_districts=["mapo"], starts=2)
    assert told(poll) == {}
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_opened_polls.delay().get() == 0
    assert told(poll) == {}

    with time_machine.travel(poll.starts_at + dt.timedelta(minutes=10)):
        with django_capture_on_commit_callbacks(execute=True):
            assert announce_opened_polls.delay().get() == 1
    assert told(poll) == {member.pk: [NoticeTopic.DISTRICT_POLLS]}

    # a member who joins days later is not told by the beat any more
    latecomer = UserFactory(district="mapo")
    with time_machine.travel(poll.starts_at + dt.timedelta(days=2)):
        with django_capture_on_commit_callbacks(execute=True):
            assert announce_opened_polls.delay().get() == 0
    assert latecomer.pk not in told(poll)


def test_a_draft_or_closed_poll_tells_nobody(django_capture_on_commit_callbacks):
    UserFactory(district="mapo")
    draft = a_poll(target_districts=["mapo"])
    assert poll_notices.tell_district_of_poll(poll_id=draft.pk) == (0, None)
    poll = published(target_districts=["mapo"])  # its fan-out not run (no commit here)
    later = poll.ends_at + dt.timedelta(minutes=1)
    assert poll_notices.tell_district_of_poll(poll_id=poll.pk, now=later) == (0, None)
    assert poll_notices.tell_district_of_poll(poll_id=10**9) == (0, None)
    assert not Notification.objects.filter(kind=KIND).exists()


def test_an_institutions_poll_tells_the_district_in_the_institutions_name(
    django_capture_on_commit_callbacks,
):
    # Issue 16: a partner institution's poll asks in its own name, not the city's.
    institution = Institution.objects.create(
        name="서울시설공단", name_en="Seoul Facilities Corporation", slug="sisul"
    )
    member = UserFactory(district="mapo")
    with django_capture_on_commit_callbacks(execute=True):
        poll = published(
            target_districts=["mapo"],
            institution=institution,
            department=DepartmentFactory(institution=institution),
        )
    notice = Notification.objects.get(recipient=member)
    assert notice.kind == "institution_poll_opened_in_district"
    assert notice.key == f"{KIND}:{poll.pk}"
    assert notice.topic == NoticeTopic.DISTRICT_POLLS
    # Stored as the institution's code, named in the reader's language.
    assert notice.params["institution"] == "sisul"

    english = page_text(logged_in(member).get(reverse("notifications:list")))
    assert "Seoul Facilities Corporation asks residents of your district" in english
    assert "A city poll" not in english and poll.title in english
    client = logged_in(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    korean = page_text(client.get(reverse("notifications:list")))
    assert "서울시설공단에서 우리 구 주민에게 묻습니다" in korean
    assert "서울시가 우리 구 주민에게" not in korean

    # Told once, whichever kind: the beat and a retry tell nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        assert tell_district_poll_opened.delay(poll.pk).get() == 0
    assert Notification.objects.filter(recipient=member).count() == 1
