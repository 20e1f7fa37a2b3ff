"""Periodic work for debates (scheduled by the lead in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def close_due_debates() -> int:
    """Close every debate whose period is over (or whose proposal was
    withdrawn) and send its notices, each once. Idempotent: safe to run every
    few minutes, twice, or at the same time as an operator's hand."""
    return services.close_due_debates()
