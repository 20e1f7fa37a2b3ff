"""Periodic work for department answers (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.db import OperationalError

from .services import deadlines_sweep


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def sweep_answer_deadlines() -> dict:
    """Remind departments before their answer deadline and escalate overdue
    answers to the operators. Idempotent: safe to run any number of times."""
    return deadlines_sweep()
