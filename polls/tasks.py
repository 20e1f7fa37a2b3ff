"""Periodic work for polls (CELERY_BEAT_SCHEDULE). Thin: the service does
the work and is idempotent."""

from celery import shared_task
from django.db import OperationalError

from .services import editing


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def close_due_polls() -> int:
    """Close every published poll whose period is over and tell its
    department, each once. Safe to run every few minutes, twice, or while
    an operator closes one by hand."""
    return editing.close_due_polls()
