from celery import shared_task
from django.db import OperationalError

from . import refresh as counting


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def refresh_statistics(full: bool = False) -> int:
    """The beat's refresh of the figures (stats/refresh.py); idempotent."""
    return counting.refresh(full=full).facts_written
