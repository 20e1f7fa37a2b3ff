"""More time to answer: an official of the assigned department asks from the
workroom (days and a reason); an operator grants as many days or fewer, or
refuses with a reason. The proposal's page says the deadline was extended
and why; the timeline shows the grant and the refusal (the request itself
stays internal). Dates here count calendar days, so they read plainly."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditRecord
from answers import services
from answers.models import Assignment, DeadlineExtension, ExtensionStatus
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind
from tests.clock import at
from tests.factories import DepartmentFactory, official, operator
from tests.pages import english, forms_on, logged_in, messages_sent, page_text

from .helpers import assigned, clerk_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_days")]


def workroom(assignment) -> str:
    return reverse("admin:answers_assignment_change", args=[assignment.pk])


def form_with(response, field: str) -> dict:
    """What the workroom's form holding `field` sends untouched."""
    found = [form["fields"] for form in forms_on(response) if field in form["fields"]]
    assert len(found) == 1, f"{len(found)} forms hold {field}"
    return dict(found[0])


def due(assignment) -> dt.date:
    return timezone.localtime(Assignment.objects.get(pk=assignment.pk).deadline).date()


@pytest.fixture
def waiting():
    """Due on 21 March 2025 (calendar days), with an official and an operator."""
    with at(2025, 3, 1, 10, 0):
        assignment = assigned(DepartmentFactory(name="도로계획과", name_en="Road Planning"))
    return {"assignment": assignment, "clerk": clerk_of(assignment), "operator": operator()}


def ask(browser, assignment, *, days, reason):
    page = browser.get(workroom(assignment))
    form = form_with(page, "extension-reason")
    form.update({"extension-days": str(days), "extension-reason": reason})
    return browser.post(workroom(assignment), {**form, "_request_extension": "1"})


def decide(browser, assignment, *, grant, days="", reason=""):
    page = browser.get(workroom(assignment))
    form = form_with(page, "extension_decide-reason")
    if days != "":
        form["extension_decide-days"] = str(days)
    form["extension_decide-reason"] = reason
    button = "_grant_extension" if grant else "_refuse_extension"
    return browser.post(workroom(assignment), {**form, button: "1"})


def test_an_official_asks_and_the_operator_grants_fewer_days(
    waiting, django_capture_on_commit_callbacks
):
    assignment = waiting["assignment"]
    official_browser = logged_in(waiting["clerk"], csrf_checks=True)
    with at(2025, 3, 18, 10, 0), django_capture_on_commit_callbacks(execute=True):
        response = ask(official_browser, assignment, days=10, reason="현장 조사가 더 필요합니다.")
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get()
    assert extension.status == ExtensionStatus.PENDING and extension.days_requested == 10
    assert set(
        Notification.objects.filter(kind="extension_requested").values_list(
            "recipient_id", flat=True
        )
    ) == {waiting["operator"].pk}
    # the request is internal: not on the public timeline
    row = assignment.proposal.events.get(kind=EventKind.EXTENSION_REQUESTED)
    assert not row.is_public
    # the operator sees it on their home and in the workroom, suggested at 10 days
    operator_browser = logged_in(waiting["operator"], csrf_checks=True)
    home = page_text(operator_browser.get(reverse("admin:index")))
    assert "Requests for more time" in home and "현장 조사가 더 필요합니다." in home
    page = operator_browser.get(workroom(assignment))
    assert form_with(page, "extension_decide-reason")["extension_decide-days"] == "10"
    # asking more than asked is refused with a clear message
    with at(2025, 3, 19, 10, 0):
        response = decide(operator_browser, assignment, grant=True, days=12)
    assert response.status_code == 400
    assert "The department asked for 10 days; grant at most that many." in page_text(response)
    # granting 5 moves the deadline 5 days from the 21st
    with at(2025, 3, 19, 10, 0), django_capture_on_commit_callbacks(execute=True):
        response = decide(operator_browser, assignment, grant=True, days=5)
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.GRANTED and extension.days_granted == 5
    assert due(assignment) == dt.date(2025, 3, 26)
    event = assignment.proposal.events.get(kind=EventKind.DEADLINE_EXTENDED)
    assert event.is_public and event.reason == "현장 조사가 더 필요합니다."
    assert event.params == {"text": "deadline_extended", "days": 5, "deadline": "2025-03-26"}
    # the workroom keeps the history of the requests
    with at(2025, 3, 19, 11, 0):
        room = page_text(official_browser.get(workroom(assignment)))
    assert "5 of 10 days asked, due by 2025-03-26" in room
    assert "Answer due by 2025-03-26" in room
    record = AuditRecord.objects.get(action="answers.extension_granted")
    assert record.params == {"asked": 10, "days": 5, "deadline": "2025-03-26"}
    assert waiting["clerk"].pk in set(
        Notification.objects.filter(kind="extension_granted").values_list("recipient_id", flat=True)
    )
    # the public page says so, with the reason, in Korean and in English
    with at(2025, 3, 20, 10, 0):
        korean = page_text(Client().get(assignment.proposal.get_absolute_url()))
        english_page = page_text(english(Client()).get(assignment.proposal.get_absolute_url()))
    assert "기한 연장됨: 3월 26일까지 (현장 조사가 더 필요합니다.)" in korean
    assert "Deadline extended: until March 26" in english_page
    assert "5 more days were granted: the answer is now due by March 26, 2025." in english_page


def test_the_operator_refuses_with_a_reason(waiting, django_capture_on_commit_callbacks):
    assignment = waiting["assignment"]
    with at(2025, 3, 18, 10, 0):
        ask(logged_in(waiting["clerk"]), assignment, days=3, reason="인력이 부족합니다.")
    operator_browser = logged_in(waiting["operator"], csrf_checks=True)
    # without a reason: the form says so, nothing changes
    response = decide(operator_browser, assignment, grant=False)
    assert response.status_code == 400
    assert DeadlineExtension.objects.get().status == ExtensionStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(operator_browser, assignment, grant=False, reason="기한 안에 가능합니다.")
    assert response.status_code == 302
    assert DeadlineExtension.objects.get().status == ExtensionStatus.REFUSED
    assert due(assignment) == dt.date(2025, 3, 21)
    event = assignment.proposal.events.get(kind=EventKind.EXTENSION_REFUSED)
    assert event.is_public and event.reason == "기한 안에 가능합니다."
    assert AuditRecord.objects.filter(action="answers.extension_refused").count() == 1
    assert Notification.objects.filter(
        kind="extension_refused", recipient=waiting["clerk"]
    ).exists()
    # the department may ask again once the first is decided
    assert (
        ask(logged_in(waiting["clerk"]), assignment, days=2, reason="다시 요청").status_code == 302
    )


def test_an_official_of_another_department_cannot_ask(waiting):
    assignment = waiting["assignment"]
    stranger = logged_in(official(DepartmentFactory()))
    assert stranger.get(workroom(assignment)).status_code == 404
    response = stranger.post(
        workroom(assignment),
        {"extension-days": "5", "extension-reason": "남의 일", "_request_extension": "1"},
    )
    assert response.status_code == 404
    assert not DeadlineExtension.objects.exists()
    # nor can the operators ask in the department's name
    with pytest.raises(PermissionDenied):
        services.extension_request(
            assignment=assignment, user=waiting["operator"], reason="대신", days=3
        )


def test_a_second_open_request_is_refused(waiting):
    assignment = waiting["assignment"]
    browser = logged_in(waiting["clerk"], csrf_checks=True)
    old_tab = form_with(browser.get(workroom(assignment)), "extension-reason")
    assert ask(browser, assignment, days=5, reason="첫 요청").status_code == 302
    # the form is gone while one waits; a second post (an old tab) is refused
    page = browser.get(workroom(assignment))
    assert not [form for form in forms_on(page) if "extension-reason" in form["fields"]]
    assert "The operators will decide." in page_text(page)
    old_tab.update({"extension-days": "3", "extension-reason": "둘째 요청"})
    response = browser.post(workroom(assignment), {**old_tab, "_request_extension": "1"})
    assert response.status_code == 302
    assert messages_sent(response) == ["A request for more time is already waiting for a decision."]
    assert DeadlineExtension.objects.count() == 1


@pytest.mark.parametrize("days", ["0", "21", "abc", ""])
def test_bad_days_get_a_clear_message_and_nothing_is_saved(waiting, days):
    assignment = waiting["assignment"]
    browser = logged_in(waiting["clerk"], csrf_checks=True)
    response = ask(browser, assignment, days=days, reason="사유")
    assert response.status_code == 400
    text = page_text(response)
    expected = "How many days?" if days == "" else "Enter a whole number of days from 1 to 20."
    assert expected in text
    assert not DeadlineExtension.objects.exists()


def test_a_granted_extension_resets_the_steps_for_the_new_deadline(
    waiting, django_capture_on_commit_callbacks
):
    assignment = waiting["assignment"]

    def sweep(*moment):
        with at(*moment), django_capture_on_commit_callbacks(execute=True):
            return services.deadlines_sweep()

    assert sweep(2025, 3, 22, 9, 0)["overdue"] == 1  # the 21st passed
    with at(2025, 3, 22, 10, 0):
        extension = services.extension_request(
            assignment=assignment, user=waiting["clerk"], reason="자료 대기", days=4
        )
        services.extension_decide(extension=extension, user=waiting["operator"], grant=True, days=4)
    # counted from today when the deadline already passed: 22 + 4
    assert due(assignment) == dt.date(2025, 3, 26)
    refreshed = Assignment.objects.get(pk=assignment.pk)
    assert refreshed.overdue_told_at is None and refreshed.extensions_granted == 1
    assert sweep(2025, 3, 26, 9, 0)["overdue"] == 0
    assert sweep(2025, 3, 27, 0, 5)["overdue"] == 1
    assert sweep(2025, 3, 27, 0, 6)["overdue"] == 0
    # each deadline told the department once
    assert (
        Notification.objects.filter(
            kind="answer_overdue_department", recipient=waiting["clerk"]
        ).count()
        == 2
    )
    assert assignment.proposal.events.filter(kind=EventKind.ANSWER_OVERDUE).count() == 2


def test_an_official_who_is_also_operator_cannot_grant_their_own_request(waiting):
    """Roles combine; the member who asked for more time does not decide it."""
    from accounts.roles import Role
    from tests.factories import UserFactory

    assignment = waiting["assignment"]
    both = UserFactory(
        roles=[Role.OFFICIAL, Role.OPERATOR], department=assignment.department, is_staff=True
    )
    browser = logged_in(both, csrf_checks=True)
    with at(2025, 3, 3, 10, 0):
        ask(browser, assignment, days=5, reason="현장 조사가 필요합니다")
        extension = DeadlineExtension.objects.get()
        page = browser.get(workroom(assignment))
        assert "_grant_extension" not in page.content.decode()
        with pytest.raises(ServiceError):
            services.extension_decide(extension=extension, user=both, grant=True, days=5)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING
    assert due(assignment) == dt.date(2025, 3, 21)


def test_a_request_left_behind_by_a_reassignment_does_not_wait_on_the_home_for_ever(waiting):
    """Once the proposal is reassigned the old request can be neither granted
    nor refused (the old assignment is closed); the operator's home no longer
    lists it as waiting for a decision."""
    assignment = waiting["assignment"]
    with at(2025, 3, 3, 10, 0):
        ask(logged_in(waiting["clerk"], csrf_checks=True), assignment, days=5, reason="조사 필요")
        services.assignment_reassign(
            assignment=assignment,
            user=waiting["operator"],
            department=DepartmentFactory(name="교통정책과", name_en="Transport Policy"),
            reason="소관 부서가 아닙니다",
        )
        home = page_text(logged_in(waiting["operator"]).get(reverse("admin:index")))
    assert "조사 필요" not in home
    assert "No department asks for more time." in home
