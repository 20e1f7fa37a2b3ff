"""Queueing Celery tasks from services.

Tasks are queued only after the surrounding transaction commits (a worker
must never read data from before the commit), and a broker that cannot be
reached never undoes or fails what was already saved: the periodic sweeps
catch up on anything that could not be queued."""

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task.delay(*args, **kwargs)` once the current transaction commits.

    `task` is a task or a registered task's name: a lower floor wakes a task
    of a higher one by name (the pipeline core queues the conductor's
    promotion check) so that it never imports it. The name is looked up when
    the task is sent, so it must be registered by then (every app's tasks
    module is imported at start-up, see oasis/celery.py)."""

    def send():
        name = task if isinstance(task, str) else task.name
        try:
            found = current_app.tasks[task] if isinstance(task, str) else task
            found.delay(*args, **kwargs)
        except Exception:  # noqa: BLE001 - any broker failure; the sweep retries
            logger.warning(
                "Could not queue %s%r; the periodic sweep will catch up.", name, args, exc_info=True
            )

    transaction.on_commit(send)
