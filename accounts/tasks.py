"""Periodic upkeep for members (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import once


@shared_task(acks_late=True)
def purge_submitted_forms() -> int:
    """Delete create-form tokens older than a day; idempotent."""
    return once.submitted_forms_purge()
