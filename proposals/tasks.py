"""Periodic upkeep for the proposal room (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(acks_late=True)
def purge_view_marks() -> int:
    """Delete per-visitor view marks older than two days; idempotent."""
    return services.view_marks_purge(older_than_days=2)


@shared_task(acks_late=True)
def clear_expired_sessions() -> int:
    """Delete expired sessions (anonymous visitors' included); idempotent."""
    deleted, _rows = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def promote_if_due(proposal_id: int) -> str | None:
    """Re-read a proposal's counts and promote it once if a bar is passed."""
    from .pipeline import promote_if_due as promote

    return promote(proposal_id=proposal_id)


@shared_task(acks_late=True)
def sweep_pipeline() -> dict:
    """Periodic catch-up of promotions and closing of endorsement windows."""
    from .pipeline import sweep

    return sweep()
