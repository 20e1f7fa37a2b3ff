"""Members choose per topic whether a notice shows in the site and how its
e-mail comes (now, in a daily or weekly digest, not at all); notify honours
each recipient's choice with one query per call; the settings page's form,
as rendered, stores the choice."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import EmailMode, NoticeTopic, Notification, NotificationPreference
from notifications.preferences import DEFAULTS, preference_for
from notifications.services import notify, preferences_update
from notifications.tasks import send_pending_emails
from tests.factories import ProposalFactory, UserFactory, official
from tests.pages import form_fields, logged_in

pytestmark = pytest.mark.django_db


def told(member, topic, key="event:1", **kwargs):
    (notice,) = notify(recipients=[member], kind="test", key=key, topic=topic, **kwargs)
    notice.refresh_from_db()
    return notice


def test_defaults_are_stated_for_every_topic():
    assert {str(t) for t in DEFAULTS} == set(NoticeTopic.values)
    assert DEFAULTS[NoticeTopic.MY_PROPOSALS].email == EmailMode.IMMEDIATE
    assert DEFAULTS[NoticeTopic.DEBATES].email == EmailMode.DAILY
    assert DEFAULTS[NoticeTopic.DISTRICT_POLLS].email == EmailMode.WEEKLY
    assert all(p.in_site for p in DEFAULTS.values())


def test_each_choice_is_honoured_per_topic_and_channel(django_capture_on_commit_callbacks):
    member = UserFactory(email="reader@example.com")
    preferences_update(
        user=member,
        changes={
            NoticeTopic.FOLLOWED: {"in_site": False, "email": EmailMode.OFF},
            NoticeTopic.MY_PROPOSALS: {"in_site": True, "email": EmailMode.DAILY},
            NoticeTopic.DEBATES: {"in_site": True, "email": EmailMode.IMMEDIATE},
            NoticeTopic.ADOPTED: {"in_site": False, "email": EmailMode.WEEKLY},
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        hidden = told(member, NoticeTopic.FOLLOWED, key="a")
        daily = told(member, NoticeTopic.MY_PROPOSALS, key="b")
        now = told(member, NoticeTopic.DEBATES, key="c")
        weekly = told(member, NoticeTopic.ADOPTED, key="d")
        default = told(member, NoticeTopic.PERSONAL, key="e")

    # Not in the site, no e-mail: written, and handled at once.
    assert (hidden.in_site, hidden.digest) == (False, "")
    assert hidden.emailed_at is not None
    # Digests: waiting, no e-mail now.
    assert (daily.in_site, daily.digest, daily.emailed_at) == (True, "daily", None)
    assert (weekly.in_site, weekly.digest, weekly.emailed_at) == (False, "weekly", None)
    # Right away: e-mailed (the two immediate ones, nothing else).
    assert len(mail.outbox) == 2
    now.refresh_from_db()
    default.refresh_from_db()
    assert now.emailed_at is not None and default.emailed_at is not None
    # The minute's sweep leaves the digest rows to the digest.
    assert send_pending_emails() == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(digest__in=["daily", "weekly"], emailed_at=None).count() == 2


def test_one_preferences_query_per_call_however_many_recipients():
    members = UserFactory.create_batch(25)
    preferences_update(
        user=members[3], changes={NoticeTopic.FOLLOWED: {"in_site": False, "email": "off"}}
    )
    with CaptureQueriesContext(connection) as queries:
        notify(recipients=members, kind="test", key="crowd:1", topic=NoticeTopic.FOLLOWED)
    reads = [q for q in queries if "notificationpreference" in q["sql"].lower()]
    assert len(reads) == 1
    assert Notification.objects.filter(key="crowd:1").count() == 25
    assert Notification.objects.filter(key="crowd:1", in_site=False).count() == 1


def test_an_untagged_notice_reads_as_work_when_it_opens_a_staff_screen_else_personal():
    clerk = official()
    member = UserFactory()
    work = told(clerk, "", url="/admin/answers/assignment/1/change/")
    personal = told(member, "", key="event:2", proposal=ProposalFactory())
    assert work.topic == NoticeTopic.WORK
    assert personal.topic == NoticeTopic.PERSONAL
    # An older row with no topic reads the same way.
    assert preference_for(member, "").topic == NoticeTopic.PERSONAL


def test_work_always_shows_in_the_site():
    clerk = official()
    preferences_update(
        user=clerk, changes={NoticeTopic.WORK: {"in_site": False, "email": EmailMode.DAILY}}
    )
    stored = NotificationPreference.objects.get(user=clerk, topic=NoticeTopic.WORK)
    assert (stored.in_site, stored.email) == (True, EmailMode.DAILY)
    notice = told(clerk, NoticeTopic.WORK, url="/admin/")
    assert notice.in_site is True and notice.digest == "daily"


def test_a_citizen_cannot_set_the_staff_topic():
    member = UserFactory()
    assert (
        preferences_update(
            user=member, changes={NoticeTopic.WORK: {"in_site": True, "email": EmailMode.OFF}}
        )
        == []
    )
    assert not NotificationPreference.objects.filter(user=member).exists()


def test_hidden_notices_leave_the_list_and_the_unread_count(django_assert_max_num_queries):
    member = UserFactory()
    preferences_update(
        user=member, changes={NoticeTopic.FOLLOWED: {"in_site": False, "email": "immediate"}}
    )
    for n in range(3):
        notify(
            recipients=[member],
            kind="test",
            key=f"f:{n}",
            topic=NoticeTopic.FOLLOWED,
            params={"title": f"숨김 {n}"},
            email=False,
        )
    for n in range(2):
        notify(
            recipients=[member],
            kind="test",
            key=f"m:{n}",
            topic=NoticeTopic.MY_PROPOSALS,
            params={"title": f"보임 {n}"},
            email=False,
        )
    browser = logged_in(member)
    with django_assert_max_num_queries(12):
        page = browser.get("/notifications/")
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 2
    assert page.context["nav_unread"] == 2


def test_the_settings_form_as_rendered_stores_the_choice():
    member = UserFactory()
    browser = logged_in(member, csrf_checks=True)
    page = browser.get("/notifications/settings/")
    assert page.status_code == 200
    fields = form_fields(page, "notice-settings")
    # The defaults, as the member sees them; no staff row for a citizen.
    assert fields["my_proposals-email"] == "immediate"
    assert fields["debates-email"] == "daily"
    assert fields["followed-in_site"] == "on"
    assert "work-email" not in fields
    # The member hides followed proposals and takes debates weekly.
    del fields["followed-in_site"]
    fields["debates-email"] = "weekly"
    response = browser.post("/notifications/settings/", fields)
    assert response.status_code == 302
    stored = {p.topic: p for p in NotificationPreference.objects.filter(user=member)}
    assert set(stored) == {NoticeTopic.FOLLOWED, NoticeTopic.DEBATES}
    assert (stored["followed"].in_site, stored["followed"].email) == (False, "immediate")
    assert (stored["debates"].email, stored["debates"].version) == ("weekly", 2)
    # The page shows what was stored; saving it unchanged moves no version.
    again = browser.get("/notifications/settings/")
    fields = form_fields(again, "notice-settings")
    assert "followed-in_site" not in fields and fields["debates-email"] == "weekly"
    browser.post("/notifications/settings/", fields)
    assert NotificationPreference.objects.get(user=member, topic="debates").version == 2


def test_a_bad_choice_is_refused_with_a_message_and_nothing_stored():
    member = UserFactory()
    browser = logged_in(member, csrf_checks=True)
    fields = form_fields(browser.get("/notifications/settings/"), "notice-settings")
    fields["debates-email"] = "hourly"
    response = browser.post("/notifications/settings/", fields)
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=member).exists()


def test_staff_see_the_work_row_with_the_site_fixed_on():
    clerk = official()
    browser = logged_in(clerk, csrf_checks=True)
    page = browser.get("/notifications/settings/")
    html = page.content.decode()
    assert 'name="work-in_site" checked disabled' in html
    fields = form_fields(page, "notice-settings")
    assert "work-in_site" not in fields  # a disabled box is not sent
    fields["work-email"] = "off"
    assert browser.post("/notifications/settings/", fields).status_code == 302
    stored = NotificationPreference.objects.get(user=clerk, topic=NoticeTopic.WORK)
    assert (stored.in_site, stored.email) == (True, "off")


def test_the_settings_page_is_linked_and_needs_a_login():
    member = UserFactory()
    browser = logged_in(member)
    assert 'href="/notifications/settings/"' in browser.get("/notifications/").content.decode()
    assert 'href="/notifications/settings/"' in browser.get("/accounts/profile/").content.decode()
    anonymous = logged_in(member)
    anonymous.logout()
    assert anonymous.get("/notifications/settings/").status_code == 302


def test_turning_a_topic_off_drops_its_notices_waiting_for_a_digest():
    member = UserFactory()
    waiting = told(member, NoticeTopic.DEBATES)
    other = told(member, NoticeTopic.DISTRICT_POLLS, key="poll:1")
    preferences_update(user=member, changes={NoticeTopic.DEBATES: {"email": EmailMode.OFF}})
    waiting.refresh_from_db()
    other.refresh_from_db()
    assert waiting.emailed_at is not None
    assert other.emailed_at is None and other.digest == "weekly"


def test_the_members_data_export_holds_their_choices():
    member = UserFactory()
    preferences_update(user=member, changes={NoticeTopic.DEBATES: {"email": EmailMode.OFF}})
    data = logged_in(member).get("/accounts/profile/export/").json()
    assert data["notice_preferences"] == [{"topic": "debates", "in_site": True, "email": "off"}]
