"""Periodic upkeep for the proposal room (scheduled in CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task
from celery.signals import worker_init
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from . import merging, services, similarity

logger = logging.getLogger(__name__)


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


# --- similar proposals (issue 16): Kiwi reads here, never in a web process ------


@shared_task(acks_late=True)
def write_similarity_terms(proposal_id: int) -> bool:
    """Write a proposal's similarity terms from its current title and body
    (queued by the propose and edit services); idempotent, never stale."""
    return similarity.terms_refresh(proposal_id)


@shared_task(acks_late=True)
def fill_missing_similarity_terms() -> int:
    """The beat's sweep: terms for rows left without (a task never queued
    while the broker was down); a small batch a run, idempotent."""
    return similarity.terms_fill_missing()


@shared_task(acks_late=True)
def similar_query(key: str, title: str, body: str, language: str) -> int:
    """A member's "similar while typing" query: the rows kept under `key`,
    which the fragment view reads when the script asks again; idempotent."""
    return len(similarity.typing_search(key, title, body, language))


@worker_init.connect
def preload_kiwi(sender=None, **kwargs) -> None:
    """Load Kiwi in the worker's parent process before the prefork pool
    forks its children: they share its ~320 MB copy-on-write (each keeps
    about 2 MB of its own) instead of loading a copy each on first use.
    Other pools (solo, threads) run tasks in this process, which loads it
    on first use as before."""
    from celery import concurrency

    pool = concurrency.get_implementation(getattr(sender, "pool_cls", None) or "prefork")
    if pool is not concurrency.get_implementation("prefork"):
        return
    try:
        similarity.kiwi()
    except Exception:  # noqa: BLE001 - a worker without Kiwi still runs every other task
        logger.exception("Could not preload Kiwi; each child will load it on first use.")
