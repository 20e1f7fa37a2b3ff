"""The reports' pages as a reader uses them: /stats/reports/ lists every
report newest first with its frozen headline figures; a report's page shows
its frozen figures, the comparison with the previous period, the period's
adopted proposals (only while public) and links each figure to the list it
counts; unknown or unmade periods are 404; English reads English; query
counts do not grow with the reports or their rows."""

import datetime as dt

import pytest
from django.test import Client

from proposals import services as proposal_services
from stats.models import Report
from stats.reports import report_make
from tests.answers.helpers import assigned, published
from tests.clock import at
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory, operator
from tests.pages import english_client, page_html, page_text
from tests.tracking.helpers import adopted_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def october():
    """October 2026: two proposals on transport (one answered in October),
    one on the environment in 강남구, one adopted; its report, made on
    1 November; September's (empty) and the year 2025's (empty) as well."""
    roads = DepartmentFactory(code="roads", name="도로과", name_en="Roads Division")
    transport = CategoryFactory(code="transport", name="교통", name_en="Transport")
    environment = CategoryFactory(code="environment", name="환경", name_en="Environment")
    with at(2026, 10, 5, 10):
        answered = assigned(roads, category=transport, title="버스 정류장 그늘막")
        ProposalFactory(category=transport)
        ProposalFactory(category=environment, district="gangnam")
        card = adopted_card(roads, title="보행로 넓히기", category=transport)
    with at(2026, 10, 20, 10):
        published(answered)
    with at(2026, 11, 1, 1):
        report = report_make("monthly", dt.date(2026, 10, 1))
        report_make("monthly", dt.date(2026, 9, 1))
        report_make("yearly", dt.date(2025, 1, 1))
    return {"report": report, "card": card, "answered": answered}


def test_the_list_shows_yearly_and_monthly_reports_newest_first(october):
    response = Client().get("/stats/reports/")
    assert response.status_code == 200
    html = page_html(response)
    assert html.index("/stats/reports/yearly/2025/") < html.index("/stats/reports/monthly/2026-10/")
    assert html.index("/stats/reports/monthly/2026-10/") < html.index(
        "/stats/reports/monthly/2026-09/"
    )
    text = page_text(response)
    assert "2025년 연간 보고서" in text
    assert "2026-10 월간 보고서" in text
    assert "접수 4건 · 채택 1건" in text


def test_a_monthly_report_shows_its_frozen_figures_and_links_them(october):
    response = english_client().get("/stats/reports/monthly/2026-10/")
    assert response.status_code == 200
    text = page_text(response)
    html = page_html(response)
    assert "Monthly report 2026-10" in text
    assert "This report is frozen" in text
    assert "Compared with 2026-09" in text
    # Categories and departments in English; the figures link to the list of
    # the proposals they count, with the report's period.
    assert "Transport" in text and "Roads Division" in text
    assert "/stats/proposals/?year=2026&month=10&category=transport" in html
    assert "/stats/proposals/?stage=adopted&year=2026&month=10" in html
    assert "/stats/proposals/?year=2026&month=10&district=citywide" in html
    # The adopted proposal by its live title, linked.
    assert "보행로 넓히기" in text
    assert f'href="/proposals/{october["card"].proposal_id}/"' in html
    # The department's answer published in October.
    assert "Department answers published in the period" in text


def test_the_report_reads_korean_by_default():
    with at(2026, 11, 1, 1):
        report_make("monthly", dt.date(2026, 10, 1))
    text = page_text(Client().get("/stats/reports/monthly/2026-10/"))
    assert "2026-10 월간 보고서" in text
    assert "이 보고서의 수치는" in text
    assert "2026-09와 비교" in text


def test_an_empty_month_says_so(october):
    text = page_text(english_client().get("/stats/reports/monthly/2026-09/"))
    assert "Nothing happened in this period" in text
    assert "No proposal was adopted by a realization meeting in this period." in text


def test_a_yearly_report_shows_its_months():
    with at(2025, 3, 5, 10):
        ProposalFactory()
    with at(2026, 1, 2, 1):
        report_make("yearly", dt.date(2025, 1, 1))
    response = english_client().get("/stats/reports/yearly/2025/")
    assert response.status_code == 200
    text = page_text(response)
    assert "Yearly report 2025" in text
    assert "Month by month" in text
    assert "Compared with 2024" in text
    assert "/stats/proposals/?year=2025&month=3" in page_html(response)


@pytest.mark.parametrize(
    "path",
    [
        "/stats/reports/monthly/2026-11/",  # not made (not over)
        "/stats/reports/monthly/2026-13/",
        "/stats/reports/monthly/2026-1/",
        "/stats/reports/monthly/2026/",
        "/stats/reports/yearly/2026-10/",
        "/stats/reports/yearly/2024/",  # no report
        "/stats/reports/weekly/2026-10/",
        "/stats/reports/monthly/0000-00/",
        "/stats/reports/monthly/%EF%BC%92026-10/",  # a full-width digit
    ],
)
def test_unknown_or_unmade_periods_are_404(october, path):
    assert Client().get(path).status_code == 404


def test_a_proposal_hidden_since_is_no_longer_listed_while_the_figures_stay(october):
    proposal_services.proposal_hide(
        proposal=october["card"].proposal, user=operator(), reason="개인정보가 담겼습니다."
    )
    response = english_client().get("/stats/reports/monthly/2026-10/")
    text = page_text(response)
    assert "보행로 넓히기" not in text
    assert "1 proposal adopted in the period is no longer public" in text
    assert Report.objects.get(pk=october["report"].pk).figures["totals"]["adopted"] == 1


def test_the_list_pages_on(october):
    # 24 more: with October's and September's, 26 monthly reports.
    for index in range(24):
        start = dt.date(2023 + index // 12, index % 12 + 1, 1)
        Report.objects.create(
            kind="monthly",
            period_start=start,
            period_end=start.replace(day=28),
            as_of=october["report"].as_of,
            figures={},
        )
    first = page_html(Client().get("/stats/reports/"))
    assert "/stats/reports/monthly/2023-01/" not in first
    assert 'rel="next"' in first
    second = Client().get("/stats/reports/?page=2")
    assert "/stats/reports/monthly/2023-01/" in page_html(second)
    # The yearly ones are on the first page only.
    assert "/stats/reports/yearly/2025/" not in page_html(second)
    assert Client().get("/stats/reports/?page=abc").status_code == 200


def test_query_counts_do_not_grow_with_reports_or_rows(october, django_assert_max_num_queries):
    with django_assert_max_num_queries(4) as one:
        Client().get("/stats/reports/")
    with django_assert_max_num_queries(4) as detail:
        Client().get("/stats/reports/monthly/2026-10/")
    # More reports, more rows in one report.
    with at(2026, 10, 9, 10):
        for _ in range(5):
            ProposalFactory(category=CategoryFactory())
    with at(2026, 12, 1, 1):
        report_make("monthly", dt.date(2026, 11, 1))
    Report.objects.filter(pk=october["report"].pk).delete()
    with at(2026, 12, 1, 1):
        report_make("monthly", dt.date(2026, 10, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        Client().get("/stats/reports/")
    with django_assert_max_num_queries(len(detail.captured_queries)):
        Client().get("/stats/reports/monthly/2026-10/")
