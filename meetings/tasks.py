"""Periodic work for realization meetings (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.db import OperationalError

from .services import meeting_schedule_next, opinion_requests_remind


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def schedule_next_meeting() -> int:
    """Make sure the next realization meeting is scheduled; idempotent.
    Returns the upcoming meeting's id."""
    return meeting_schedule_next().pk


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def remind_opinion_requests() -> dict:
    """Remind experts before an opinion request's due date; tell the expert
    and the operators once it is overdue. Idempotent."""
    return opinion_requests_remind()
