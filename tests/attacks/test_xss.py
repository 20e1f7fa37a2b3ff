"""Stored and reflected XSS, from the attacker's side.

Stored: the world of this module (tests/attacks/world.py) is written with
PAYLOAD in every field a member, official or operator writes: proposal
titles and bodies and tags, comments, report details, a nickname, the
category and department names, the department's answer, arguments, a card's
progress report, a meeting's notes and attendees, a hiding reason. Every
public page and every admin list and change page that shows them must show
the escaped text and never the raw tag.

Reflected: every query parameter of the lists and the admin's lists, and
`next`, carry the payload back onto the page escaped."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory
from tests.pages import english_client, logged_in

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
WORLD_TEXT = f"{SCRIPT}{IMG} {JS_URL}"  # written into every field of the world

RAW = ["<script>alert", "<img src=x", "onerror=alert(1)>", 'href="javascript:', 'src="javascript:']
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def assert_escaped(response, *, shows_payload=True):
    assert response.status_code == 200, response.status_code
    content = response.content.decode()
    raw = [needle for needle in RAW if needle in content]
    assert raw == [], f"raw markup on {response.request['PATH_INFO']}: {raw}"
    if shows_payload:
        assert ESCAPED in content, f"the payload is not on {response.request['PATH_INFO']}"


# --- stored ---------------------------------------------------------------------------------

PUBLIC_PAGES = {
    "home": lambda w: "/",
    "proposal list": lambda w: "/proposals/",
    "proposal with comments and report form": lambda w: w.proposal_b.get_absolute_url(),
    "proposal with a notice for A": lambda w: w.proposal_a.get_absolute_url(),
    "proposal with the answer": lambda w: w.assignment_x.proposal.get_absolute_url(),
    "proposal with the debate": lambda w: w.debate.proposal.get_absolute_url(),
    "proposal with the card": lambda w: w.card_x.proposal.get_absolute_url(),
    "debate list": lambda w: "/debates/",
    "meeting list": lambda w: "/meetings/",
    "meeting": lambda w: f"/meetings/{w.meeting.pk}/",
    "printable agenda": lambda w: f"/meetings/{w.meeting.pk}/agenda/",
    "adopted list": lambda w: "/adopted/",
    "adopted item with its report": lambda w: f"/adopted/{w.card_x.pk}/",
    "poll list": lambda w: "/polls/",
    "poll": lambda w: w.poll.get_absolute_url(),
}
# Citizen A's own pages (A's nickname, proposal and comment carry the payload).
OWN_PAGES = {
    "my activity": lambda w: "/me/",
    "notices": lambda w: "/notifications/",
    "profile": lambda w: "/accounts/profile/",
    "edit my proposal": lambda w: f"/proposals/{w.proposal_a.pk}/edit/",
    "edit my comment": lambda w: f"/proposals/comments/{w.comment_a.pk}/edit/",
}


@pytest.mark.parametrize("page", PUBLIC_PAGES, ids=list(PUBLIC_PAGES))
@pytest.mark.parametrize("role", ["citizen_a", "operator"])
def test_stored_payloads_are_escaped_on_public_pages(world, page, role):
    browser = logged_in(world.user(role))
    assert_escaped(browser.get(PUBLIC_PAGES[page](world)))


@pytest.mark.parametrize("page", OWN_PAGES, ids=list(OWN_PAGES))
def test_stored_payloads_are_escaped_on_a_members_own_pages(world, page):
    assert_escaped(logged_in(world.people.citizen_a).get(OWN_PAGES[page](world)))


def test_stored_payloads_are_escaped_for_a_visitor(world):
    visitor = english_client()
    for page in (
        "home",
        "proposal list",
        "proposal with the debate",
        "adopted item with its report",
    ):
        assert_escaped(visitor.get(PUBLIC_PAGES[page](world)))


@pytest.fixture
def superuser_client():
    return logged_in(UserFactory(is_superuser=True, is_staff=True, email="root@example.com"))


def _changelists():
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


@pytest.mark.parametrize("url", _changelists())
def test_stored_payloads_are_escaped_on_every_admin_list(world, superuser_client, url):
    operator = logged_in(world.people.operator)
    for browser in (operator, superuser_client):
        response = browser.get(url, follow=True)  # a one-object list opens the object
        if response.status_code == 403:
            continue  # not the operator's screen
        assert_escaped(response, shows_payload=False)


CHANGE_PAGES = {
    "proposal": lambda w: ("proposals_proposal", w.proposal_b.pk),
    "hidden proposal": lambda w: ("proposals_proposal", w.proposal_hidden.pk),
    "comment": lambda w: ("proposals_comment", w.comment_a.pk),
    "category": lambda w: ("proposals_category", w.category_x.pk),
    "assignment": lambda w: ("answers_assignment", w.assignment_x.pk),
    "answer": lambda w: ("answers_answer", w.answer_x.pk),
    "debate": lambda w: ("debates_debate", w.debate.pk),
    "argument": lambda w: ("debates_argument", w.argument_a.pk),
    "meeting": lambda w: ("meetings_realizationmeeting", w.meeting.pk),
    "agenda item": lambda w: ("meetings_agendaitem", w.card_x.agenda_item_id),
    "card": lambda w: ("tracking_managementcard", w.card_x.pk),
    "progress report": lambda w: ("tracking_progressreport", w.report_x.pk),
    "member": lambda w: ("accounts_user", w.people.citizen_a.pk),
    "department": lambda w: ("accounts_department", w.dept_x.pk),
}


@pytest.mark.parametrize("page", CHANGE_PAGES, ids=list(CHANGE_PAGES))
def test_stored_payloads_are_escaped_on_admin_change_pages(world, superuser_client, page):
    name, pk = CHANGE_PAGES[page](world)
    url = reverse(f"admin:{name}_change", args=[pk])
    # (an answer opens in its assignment's workroom)
    assert_escaped(superuser_client.get(url, follow=True))
    operator = logged_in(world.people.operator).get(url, follow=True)
    if operator.status_code == 200:
        assert_escaped(operator)


def test_stored_payloads_are_escaped_on_the_staff_screens(world):
    official = logged_in(world.people.official_x)
    # the answer workroom of the official's department
    assert_escaped(
        official.get(reverse("admin:answers_assignment_change", args=[world.assignment_x.pk]))
    )
    assert_escaped(
        official.get(reverse("admin:tracking_managementcard_change", args=[world.card_x.pk]))
    )
    operator = logged_in(world.people.operator)
    assert_escaped(
        operator.get(reverse("admin:tracking_managementcard_dashboard")), shows_payload=False
    )
    decide = reverse(
        "admin:meetings_realizationmeeting_decide",
        args=[world.meeting.pk, world.card_x.agenda_item_id],
    )
    response = operator.get(decide)
    if response.status_code == 200:  # the item is decided already: the page may send back
        assert_escaped(response, shows_payload=False)


# --- reflected ------------------------------------------------------------------------------

QUOTED = "%3Cscript%3Ealert(1)%3C/script%3E%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"
REFLECTING = [
    f"/proposals/?q={QUOTED}",
    f"/proposals/?tag={QUOTED}",
    f"/proposals/?sort={QUOTED}&status={QUOTED}&category={QUOTED}&district={QUOTED}",
    f"/proposals/?page={QUOTED}&q={QUOTED}",
    f"/debates/?status={QUOTED}&page={QUOTED}",
    f"/meetings/?page={QUOTED}",
    f"/adopted/?stage={QUOTED}&year={QUOTED}&category={QUOTED}&page={QUOTED}",
    f"/notifications/?page={QUOTED}",
    f"/accounts/login/?next={QUOTED}",
    f"/accounts/signup/?next={QUOTED}",
    "/accounts/login/?next=javascript:alert(1)",
    f"/?{QUOTED}={QUOTED}",
    f"/admin/proposals/proposal/?q={QUOTED}",
    f"/admin/proposals/proposal/?o={QUOTED}&status__exact={QUOTED}",
    f"/admin/debates/argument/?q={QUOTED}",
    f"/admin/tracking/managementcard/?q={QUOTED}&stage__exact={QUOTED}",
    f"/admin/accounts/user/?q={QUOTED}",
    f"/admin/login/?next={QUOTED}",
]


@pytest.mark.parametrize("url", REFLECTING)
def test_query_parameters_are_escaped_when_shown_back(world, url):
    browser = logged_in(world.people.operator) if "/login/" not in url else english_client()
    response = browser.get(url, follow=True)
    content = response.content.decode()
    assert response.status_code < 500
    assert [needle for needle in RAW if needle in content] == []


def test_a_hidden_proposal_reason_and_a_report_are_escaped_for_operators(world):
    operator = logged_in(world.people.operator)
    assert_escaped(operator.get(world.proposal_hidden.get_absolute_url()))
    assert_escaped(operator.get(reverse("admin:proposals_report_changelist")))


def test_stored_payloads_are_escaped_in_notice_emails(world):
    """A notice's e-mail carries the proposal's title and the names in it;
    its HTML part shows them escaped."""
    from django.core import mail

    from notifications.models import Notification
    from notifications.tasks import send_notification_email

    for notice in Notification.objects.filter(emailed_at__isnull=True):
        send_notification_email(notice.pk)
    htmls = [
        content
        for message in mail.outbox
        for content, mimetype in getattr(message, "alternatives", [])
        if mimetype == "text/html"
    ]
    assert htmls, "no notice e-mail was sent"
    assert any(ESCAPED in html for html in htmls)
    assert [needle for html in htmls for needle in RAW if needle in html] == []
