from celery import shared_task
from django.db import OperationalError

from . import refresh as counting
from . import reports


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def refresh_statistics(full: bool = False) -> int:
    """The beat's refresh of the figures (stats/refresh.py); idempotent."""
    return counting.refresh(full=full).facts_written


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def make_due_reports(now=None) -> int:
    """The beat's reports (stats/reports.py): last month's on and after the
    1st, last year's on and after 1 January, any missed period caught up;
    idempotent (a period is reported once). Returns how many were made."""
    return len(reports.reports_make_due(now=now))
