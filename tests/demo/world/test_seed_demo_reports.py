"""The demo shows the monthly and yearly reports (issue 15): every month
since the demo's first proposal up to last month, and last year, listed at
/stats/reports/ and readable, figures as of the loading."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from stats.models import Report
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_the_demos_past_months_and_last_year_have_reports(world):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    monthly = list(Report.objects.filter(kind="monthly").order_by("period_start"))
    assert len(monthly) >= 12
    assert monthly[-1].period_start == last_month
    assert Report.objects.filter(kind="yearly", period_start=dt.date(today.year - 1, 1, 1)).exists()
    assert any(report.figures["adopted"] for report in monthly), "a month with adoptions"
    assert sum(report.figures["totals"]["received"] for report in monthly) > 100

    listing = page_text(Client().get("/stats/reports/"))
    assert f"{last_month:%Y-%m} 월간 보고서" in listing
    assert f"{today.year - 1}년 연간 보고서" in listing
    page = Client().get(monthly[-1].get_absolute_url())
    assert page.status_code == 200
    assert "이 보고서의 수치는" in page_text(page)
