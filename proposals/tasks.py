"""Periodic upkeep for the proposal room (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.contrib.sessions.models import Session
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
