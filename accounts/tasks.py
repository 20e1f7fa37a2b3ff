"""Periodic upkeep for members and their personal data (scheduled in
CELERY_BEAT_SCHEDULE). Thin: each calls one service and may run any number of
times."""

from celery import shared_task

from . import once, services


@shared_task(acks_late=True)
def purge_submitted_forms() -> int:
    """Delete create-form tokens older than a day; idempotent."""
    return once.submitted_forms_purge()


@shared_task(acks_late=True)
def purge_withdrawn_residue() -> int:
    """Erase what withdrawn members left behind, past its retention period."""
    return services.withdrawn_residue_purge()


@shared_task(acks_late=True)
def purge_access_records() -> int:
    """Delete personal-data access records past their retention period."""
    return services.access_records_purge()
