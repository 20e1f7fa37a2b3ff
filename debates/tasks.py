"""Periodic work for debates (scheduled by the lead in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from oasis.tasks import enqueue_on_commit

from . import notices, services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def close_due_debates() -> int:
    """Close every debate whose period is over (or whose proposal was
    withdrawn) and send its notices, each once. Idempotent: safe to run every
    few minutes, twice, or at the same time as an operator's hand."""
    return services.close_due_debates()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def tell_debate_participants(debate_id: int, kind: str, after: int = 0) -> int:
    """Tell one batch of the debate's participants of its close or its
    published results ("debates I joined"), then queue the next batch.
    Idempotent by the notice's key: run twice, nobody is told twice."""
    told, next_after = notices.tell_participants(debate_id=debate_id, kind=kind, after=after)
    if next_after is not None:
        enqueue_on_commit(tell_debate_participants, debate_id, kind, next_after)
    return told


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def catch_up_debate_participants() -> int:
    """The participants of debates closed or summarised in the last day who
    were not told yet (their fan-out lost while the broker was away): each
    such event's fan-out queued again; those already told are skipped by key."""
    pairs = notices.debates_to_catch_up(timezone.now())
    for debate_id, kind in pairs:
        enqueue_on_commit(tell_debate_participants, debate_id, kind)
    return len(pairs)
