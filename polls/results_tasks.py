"""Tasks of the results part (imported by PollsConfig.ready() so that the
worker knows them: Celery discovers only `tasks` modules by itself). Thin:
the notices' function does the work and is idempotent."""

from celery import shared_task
from django.db import OperationalError

from .models import Poll
from .results_notices import tell_voters_of_response as tell


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def tell_voters_of_response(poll_id: int) -> int:
    """The voters of a poll whose response was published, each once."""
    poll = Poll.objects.filter(pk=poll_id, response_published_at__isnull=False).first()
    return tell(poll=poll) if poll is not None else 0
