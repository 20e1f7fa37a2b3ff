"""The conductor's tasks: the promotion check queued after an endorsement or
a published answer, and the periodic catch-up (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def promote_if_due(proposal_id: int) -> str | None:
    """Re-read a proposal's counts and promote it once if a bar is passed.
    Idempotent (services.promote_if_due locks the row and checks the status).
    Queued by name from proposals.timeline.queue_promotion_check."""
    return services.promote_if_due(proposal_id=proposal_id)


@shared_task(acks_late=True)
def sweep_pipeline() -> dict:
    """Periodic catch-up of promotions and closing of endorsement windows."""
    return services.sweep()


@shared_task(acks_late=True)
def check_unowned_work() -> int:
    """Count open work with neither an owner nor a fallback; tell the
    operators (once a day) when it is not 0."""
    return services.unowned_work_check()
