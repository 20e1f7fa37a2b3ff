"""Progress reports on the pages: the operator's dashboard by department
(counts, and only for operators), officials submitting their own
department's reports in the admin, and the public tracker showing the
submitted reports in order with the percent complete and last report date."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.clock import SEOUL, at
from tests.factories import DepartmentFactory, official, operator
from tests.pages import logged_in
from tracking import selectors, services
from tracking.models import CardStage, ReportStatus

from .helpers import adopted_card, at_stage, clerk_of, requested_report

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("admin:tracking_managementcard_dashboard")
REPORTS = reverse("admin:tracking_progressreport_changelist")


@pytest.fixture
def two_departments():
    """On 1 August 2025: department 가 has a stalled card (review since
    January), a fresh card and a completed one; department 나 has a card in
    planning with an overdue report."""
    first, second = DepartmentFactory(name="가 도로과"), DepartmentFactory(name="나 공원과")
    with at(2025, 1, 10, 10, 0):
        stalled = adopted_card(first)
        at_stage(CardStage.COMPLETED, first)
        late = adopted_card(second)
    with at(2025, 3, 10, 10, 0):
        services.report_request_due()
    with at(2025, 3, 12, 10, 0):
        services.report_submit(
            report=stalled.progress_reports.get(), user=clerk_of(stalled), done="검토", percent=5
        )
    with at(2025, 5, 1, 10, 0):
        services.card_change_stage(card=late, user=operator(), to_stage="planning", note="계획")
    with at(2025, 6, 1, 10, 0):
        adopted_card(first)
    return first, second


def test_the_dashboard_counts_open_overdue_stalled_and_completed_per_department(two_departments):
    first, second = two_departments
    rows = selectors.dashboard_by_department(now=dt.datetime(2025, 8, 1, 9, tzinfo=SEOUL))
    assert [
        (row["department_id"], row["open"], row["overdue"], row["stalled"], row["completed"])
        for row in rows
    ] == [(first.pk, 2, 0, 1, 1), (second.pk, 1, 1, 0, 0)]


def test_the_dashboard_page_is_for_operators_and_linked_from_the_card_list(two_departments):
    first, _second = two_departments
    boss = logged_in(operator())
    response = boss.get(DASHBOARD)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2
    assert "가 도로과" in response.content.decode()
    assert (
        DASHBOARD in boss.get(reverse("admin:tracking_managementcard_changelist")).content.decode()
    )

    clerk = logged_in(official(first))
    assert clerk.get(DASHBOARD).status_code == 403
    listing = clerk.get(reverse("admin:tracking_managementcard_changelist")).content.decode()
    assert DASHBOARD not in listing


def test_the_dashboard_lists_cards_without_owner():
    card = adopted_card()
    response = logged_in(operator()).get(DASHBOARD)
    assert [c.pk for c, _falls_to in response.context["ownerless"]] == [card.pk]


# --- admin ----------------------------------------------------------------------


def report_url(report) -> str:
    return reverse("admin:tracking_progressreport_change", args=[report.pk])


def report_form(**values):
    data = {
        "done": "현장 점검",
        "stage": "",
        "percent_complete": "20",
        "spent_budget": "",
        "next_steps": "",
    }
    data.update(values)
    return data


def test_an_official_submits_their_departments_report_in_the_admin():
    card = at_stage(CardStage.PLANNING)
    other = adopted_card()
    mine, theirs = requested_report(card), requested_report(other)
    browser = logged_in(clerk_of(card))

    listed = browser.get(REPORTS)
    assert [r.pk for r in listed.context["cl"].result_list] == [mine.pk]
    assert browser.get(report_url(theirs)).status_code == 403
    assert browser.post(report_url(theirs), report_form()).status_code == 403

    response = browser.post(
        report_url(mine),
        report_form(stage="in_progress", percent_complete="35", spent_budget="5000"),
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    card.refresh_from_db()
    assert mine.status == ReportStatus.SUBMITTED
    assert (card.stage, card.percent_complete, card.spent_budget) == ("in_progress", 35, 5000)
    theirs.refresh_from_db()
    assert theirs.status == ReportStatus.REQUESTED


@pytest.mark.parametrize(
    "values",
    [{"stage": "completed"}, {"spent_budget": "-5"}, {"percent_complete": "120"}, {"done": ""}],
)
def test_a_bad_report_in_the_admin_shows_errors_and_writes_nothing(values):
    card = adopted_card()
    report = requested_report(card)
    response = logged_in(clerk_of(card)).post(report_url(report), report_form(**values))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    report.refresh_from_db()
    card.refresh_from_db()
    assert report.status == ReportStatus.REQUESTED
    assert (card.stage, card.percent_complete) == ("review", None)


def test_the_operator_sees_every_report_and_a_submitted_one_is_read_only():
    first, second = adopted_card(), adopted_card()
    one, two = requested_report(first), requested_report(second)
    services.report_submit(report=one, user=clerk_of(first), done="검토", percent=5)
    boss = logged_in(operator())
    # the list opens on the reports still to write; "All" shows every one
    assert [r.pk for r in boss.get(REPORTS).context["cl"].result_list] == [two.pk]
    everything = boss.get(REPORTS + "?status=all").context["cl"].result_list
    assert {r.pk for r in everything} == {one.pk, two.pk}
    assert boss.post(report_url(one), report_form(done="고침")).status_code == 403
    one.refresh_from_db()
    assert one.done == "검토"


# --- public ---------------------------------------------------------------------


def test_the_public_card_page_lists_its_reports_in_order_with_the_last_report_date(client):
    with at(2025, 1, 10, 10, 0):
        card = at_stage(CardStage.PLANNING)
        clerk = clerk_of(card)
    with at(2025, 3, 10, 10, 0):
        services.report_request_due()
    with at(2025, 3, 15, 10, 0):
        services.report_submit(
            report=card.progress_reports.get(period=1),
            user=clerk,
            done="설계 용역 발주",
            percent=15,
            next_steps="실시설계",
        )
    with at(2025, 5, 10, 10, 0):
        services.report_request_due()
    with at(2025, 5, 20, 10, 0):
        services.report_submit(
            report=card.progress_reports.get(period=2),
            user=clerk,
            done="공사 착공",
            stage="in_progress",
            percent=45,
            next_steps="포장",
        )
    with at(2025, 7, 10, 10, 0):
        services.report_request_due()  # period 3 requested, not submitted

    page = client.get(f"/adopted/{card.pk}/")
    assert page.status_code == 200
    assert [r.period for r in page.context["reports"]] == [1, 2]
    html = page.content.decode()
    assert html.index("설계 용역 발주") < html.index("공사 착공")
    assert "실시설계" in html and "2025-05-20" in html and "45%" in html

    listing = client.get("/adopted/").content.decode()
    assert "45%" in listing and "2025-05-20" in listing
