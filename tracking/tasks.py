"""Periodic work for management cards (to be scheduled daily in
CELERY_BEAT_SCHEDULE). Thin: the services do the work and are idempotent."""

from celery import shared_task
from django.db import OperationalError

from .services import report_request_due, reports_remind_and_escalate


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def request_progress_reports() -> int:
    """Request the next bimonthly progress report of every card due one."""
    return report_request_due()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def remind_progress_reports() -> dict:
    """Remind officials before a report's due date; escalate overdue ones."""
    return reports_remind_and_escalate()
