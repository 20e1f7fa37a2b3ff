"""Queueing Celery tasks from services.

Tasks are queued only after the surrounding transaction commits (a worker
must never read data from before the commit), and a broker that cannot be
reached never undoes or fails what was already saved: the periodic sweeps
catch up on anything that could not be queued."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task.delay(*args, **kwargs)` once the current transaction commits."""

    def send():
        try:
            task.delay(*args, **kwargs)
        except Exception:  # noqa: BLE001 - any broker failure; the sweep retries
            logger.warning("Could not queue %s%r; the periodic sweep will catch up.", task.name, args, exc_info=True)

    transaction.on_commit(send)
