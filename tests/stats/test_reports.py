"""Monthly and yearly reports (stats/reports.py) with the clock moved: the
beat on the 1st makes exactly last month's report, on 1 January also last
year's; twice makes nothing twice; a missed month is caught up; a report's
figures stay frozen while its proposals move on; an empty month is a report
of zeros; a period not yet over is refused."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from proposals import services as proposal_services
from stats import figures
from stats.models import Report
from stats.refresh import refresh
from stats.reports import (
    CATCH_UP_MONTHS,
    CATCH_UP_YEARS,
    PeriodNotOver,
    due_periods,
    report_make,
)
from stats.tasks import make_due_reports
from tests.answers.helpers import assigned, published
from tests.clock import at, seoul
from tests.factories import DepartmentFactory, ProposalFactory, operator
from tests.tracking.helpers import adopted_card

pytestmark = pytest.mark.django_db


def made() -> list[tuple[str, str]]:
    return sorted(
        (kind, f"{start:%Y-%m}")
        for kind, start in Report.objects.values_list("kind", "period_start")
    )


def proposals_on(*moment, count=1, **fields):
    with at(*moment):
        return [ProposalFactory(**fields) for _ in range(count)]


def test_the_first_of_the_month_makes_exactly_last_months_report():
    proposals_on(2026, 10, 15, 10, count=3)
    with at(2026, 10, 31, 23, 59):
        assert make_due_reports() == 0
    with at(2026, 11, 1, 1, 0):
        assert make_due_reports() == 1
    assert made() == [("monthly", "2026-10")]
    report = Report.objects.get()
    assert (report.period_start, report.period_end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert report.figures["totals"]["received"] == 3
    assert report.figures["empty"] is False


def test_on_the_first_of_january_the_yearly_report_comes_too_and_twice_makes_nothing_twice():
    proposals_on(2026, 11, 20, 9, count=2)
    proposals_on(2026, 12, 5, 9)
    with at(2026, 12, 1, 1, 0):
        make_due_reports()
    assert made() == [("monthly", "2026-11")]
    with at(2027, 1, 1, 1, 0):
        assert make_due_reports() == 2
    assert made() == [("monthly", "2026-11"), ("monthly", "2026-12"), ("yearly", "2026-01")]
    yearly = Report.objects.get(kind="yearly")
    assert yearly.figures["totals"]["received"] == 3
    assert [row["received"] for row in yearly.figures["by_month"]][10:] == [2, 1]
    before = {report.pk: (report.figures, report.generated_at) for report in Report.objects.all()}
    with at(2027, 1, 1, 1, 0):
        assert make_due_reports() == 0
    with at(2027, 1, 2, 1, 0):
        assert make_due_reports() == 0
    assert {r.pk: (r.figures, r.generated_at) for r in Report.objects.all()} == before


def test_a_missed_month_is_caught_up_and_an_empty_one_says_so():
    proposals_on(2026, 8, 10, 14, count=2)
    with at(2026, 9, 1, 1, 0):
        make_due_reports()
    # The beat was down on 1 October and 1 November; it comes back on the 2nd.
    with at(2026, 11, 2, 1, 0):
        assert make_due_reports() == 2
    assert made() == [("monthly", "2026-08"), ("monthly", "2026-09"), ("monthly", "2026-10")]
    september = Report.objects.get(period_start=dt.date(2026, 9, 1))
    assert september.figures["empty"] is True
    assert september.figures["totals"]["received"] == 0
    assert september.figures["previous"]["totals"]["received"] == 2


def test_no_report_before_the_first_proposal_nor_without_any():
    with at(2026, 11, 1, 1, 0):
        assert make_due_reports() == 0
    assert not Report.objects.exists()


def test_the_catch_up_is_bounded():
    proposals_on(2012, 3, 5, 10)
    with at(2026, 11, 1, 1, 0):
        refresh()
        periods = due_periods(seoul(2026, 11, 1, 1, 0))
    monthly = [start for kind, start in periods if kind == "monthly"]
    yearly = [start.year for kind, start in periods if kind == "yearly"]
    assert len(monthly) == CATCH_UP_MONTHS
    assert (monthly[0], monthly[-1]) == (dt.date(2024, 11, 1), dt.date(2026, 10, 1))
    assert yearly == list(range(2026 - CATCH_UP_YEARS, 2026))


def test_the_frozen_figures_do_not_change_when_proposals_move_on():
    department = DepartmentFactory()
    with at(2026, 10, 6, 10):
        assignment = assigned(department)
        ProposalFactory()
    with at(2026, 11, 1, 1, 0):
        report = report_make("monthly", dt.date(2026, 10, 1))
    assert report.figures["totals"]["received"] == 2
    assert report.figures["totals"]["answered"] == 0
    frozen = report.figures
    # In November the department answers, and the figures move on.
    with at(2026, 11, 9, 15):
        published(assignment)
        refresh()
        assert figures.totals(2026, 10).answered == 1
    with at(2026, 11, 10, 1):
        again = report_make("monthly", dt.date(2026, 10, 1))
        november = report_make("monthly", dt.date(2026, 11, 1), now=seoul(2026, 12, 1, 1))
    assert again.pk == report.pk
    assert Report.objects.get(pk=report.pk).figures == frozen
    # The answer is November's work: in November's report, not October's.
    assert [row["department"] for row in november.figures["answers"]] == [department.code]
    assert november.figures["answers"][0]["answered"] == 1
    assert frozen["answers"] == []


def test_a_report_lists_the_periods_adopted_proposals_and_its_timeliness():
    roads = DepartmentFactory(code="roads", name="도로과", name_en="Roads Division")
    with at(2026, 10, 8, 11):
        card = adopted_card(roads, title="보행로 넓히기")
    with at(2026, 11, 1, 1):
        report = report_make("monthly", dt.date(2026, 10, 1))
    assert [item["proposal"] for item in report.figures["adopted"]] == [card.proposal_id]
    assert report.figures["adopted"][0]["decided_at"].endswith("+09:00")
    assert report.figures["labels_en"]["department"] == {"roads": "Roads Division"}
    assert report.figures["by_department"][0]["label"] == "도로과"


def test_a_period_not_over_is_refused_and_nothing_is_written():
    with pytest.raises(PeriodNotOver, match="2026-11"):
        report_make("monthly", dt.date(2026, 11, 1), now=seoul(2026, 11, 30, 23, 59))
    with pytest.raises(PeriodNotOver):
        report_make("yearly", dt.date(2026, 1, 1), now=seoul(2026, 12, 31, 12))
    with pytest.raises(ValueError):
        report_make("weekly", dt.date(2026, 1, 1), now=seoul(2027, 1, 1))
    assert not Report.objects.exists()


def test_an_empty_month_is_a_report_of_zeros():
    with at(2026, 11, 1, 1):
        report = report_make("monthly", dt.date(2026, 5, 17))
    assert report.period_start == dt.date(2026, 5, 1)
    assert report.figures["empty"] is True
    assert set(report.figures["totals"].values()) == {0, None}
    assert report.figures["by_category"] == []


def test_hidden_proposals_are_not_counted_nor_listed():
    with at(2026, 10, 8, 11):
        card = adopted_card(title="숨길 제안")
        hidden = ProposalFactory()
        proposal_services.proposal_hide(proposal=hidden, user=operator(), reason="개인정보")
        proposal_services.proposal_hide(proposal=card.proposal, user=operator(), reason="개인정보")
        ProposalFactory()
    with at(2026, 11, 1, 1):
        report = report_make("monthly", dt.date(2026, 10, 1))
    assert report.figures["totals"]["received"] == 1
    assert report.figures["adopted"] == []


def test_the_command_makes_what_is_due_once():
    proposals_on(2026, 10, 15, 10)
    with at(2026, 11, 3, 9):
        out = StringIO()
        call_command("make_reports", stdout=out)
        assert out.getvalue().strip() == "reports: 1 made (monthly 2026-10)"
        call_command("make_reports", stdout=out)
        assert out.getvalue().strip().endswith("reports: 0 made")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_figures_are_read_in_a_read_only_snapshot_and_then_written():
    # Outside any transaction, as the beat runs it: the snapshot is
    # REPEATABLE READ READ ONLY, and the report is written after it.
    proposals_on(2026, 10, 15, 10, count=2)
    with at(2026, 11, 1, 1):
        assert not connection.in_atomic_block
        assert make_due_reports() == 1
        assert make_due_reports() == 0
    assert Report.objects.get().figures["totals"]["received"] == 2
