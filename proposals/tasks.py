"""Periodic upkeep for the proposal room (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from . import merging, services


@shared_task(acks_late=True)
def purge_view_marks() -> int:
    """Delete per-visitor view marks older than OASIS_VIEW_MARK_RETENTION_DAYS
    (two by default); idempotent."""
    return services.view_marks_purge(older_than_days=settings.OASIS_VIEW_MARK_RETENTION_DAYS)


@shared_task(acks_late=True)
def clear_expired_sessions() -> int:
    """Delete expired sessions (anonymous visitors' included); idempotent."""
    deleted, _rows = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(acks_late=True)
def reconcile_endorsement_count(proposal_id: int) -> int | None:
    """Fold one proposal's pending endorsements into its count (queued when a
    request's reconcile kept finding new rows); idempotent, single-flight."""
    return services.endorsement_count_reconcile(proposal_id=proposal_id)


@shared_task(acks_late=True)
def reconcile_endorsement_counts() -> int:
    """The minute's sweep: count endorsements left pending by a process that
    stopped between storing one and counting it; idempotent."""
    return services.endorsement_counts_reconcile_all()


@shared_task(acks_late=True)
def count_noted_views() -> int:
    """Count the views of proposal pages answered from the page cache
    (services.proposal_note_view); idempotent."""
    return services.views_count_noted()


@shared_task(acks_late=True)
def tell_carry_requests(source_id: int) -> int:
    """Ask the endorsers of a merged proposal to carry their endorsement
    over (queued by the merge after commit); idempotent, in batches."""
    return merging.carry_requests_tell(source_id)


@shared_task(acks_late=True)
def catch_up_carry_requests() -> int:
    """The merges of the last day whose endorsers were not all told (the
    merge's task lost with the broker): told now, each once."""
    return merging.carry_requests_catch_up()
