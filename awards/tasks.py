"""Periodic work for awards (CELERY_BEAT_SCHEDULE). Thin: the service does
the work and is idempotent."""

from celery import shared_task
from django.db import OperationalError

from .services import monthly_award_rank


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def rank_monthly_award() -> str:
    """Rank last month's officials for 이달의 상상지기 (once per month)."""
    return str(monthly_award_rank())
