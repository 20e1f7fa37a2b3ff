"""Periodic work for polls (CELERY_BEAT_SCHEDULE). Thin: the service does
the work and is idempotent."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from oasis.tasks import enqueue_on_commit

from . import notices
from .services import editing


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def close_due_polls() -> int:
    """Close every published poll whose period is over and tell its
    department, each once. Safe to run every few minutes, twice, or while
    an operator closes one by hand."""
    return editing.close_due_polls()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def tell_district_poll_opened(poll_id: int, after: int = 0) -> int:
    """Tell one batch of the members of an open poll's districts ("polls in
    my district"), then queue the next batch. Idempotent by the notice's
    key: run twice, nobody is told twice."""
    told, next_after = notices.tell_district_of_poll(poll_id=poll_id, after=after)
    if next_after is not None:
        enqueue_on_commit(tell_district_poll_opened, poll_id, next_after)
    return told


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def announce_opened_polls() -> int:
    """Queue the district fan-out of every poll that opened recently: polls
    published ahead of their start, and fan-outs lost with the broker. Those
    already told are skipped by key."""
    polls = notices.polls_opened_recently(timezone.now())
    for poll_id in polls:
        enqueue_on_commit(tell_district_poll_opened, poll_id)
    return len(polls)
