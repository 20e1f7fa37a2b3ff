"""Periodic and queued work for themes (CELERY_BEAT_SCHEDULE). Thin: the
services do the work and are idempotent."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def close_due_themes() -> int:
    """Close every published theme whose period is over and tell its
    department, each once; open the debates of picked proposals answered
    meanwhile. Safe to run twice, or beside an operator closing by hand."""
    return services.close_due_themes()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def open_picked_debate(proposal_id: int) -> bool:
    """Open the theme debate of a picked proposal whose answer was published."""
    return services.open_picked_debate(proposal_id=proposal_id)
