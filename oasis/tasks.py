"""Queueing Celery tasks from services.

Tasks are queued only after the surrounding transaction commits (a worker
must never read data from before the commit), and a broker that cannot be
reached never undoes or fails what was already saved: the periodic sweeps
catch up on anything that could not be queued (promotions every five
minutes, notice e-mails every minute, and both as soon as a worker starts).

After a failure the broker is left alone for a few seconds, as the cache
does (oasis/cache.py): with Redis down or frozen, each request would
otherwise wait for its own connection timeout before answering. A request
whose task could not be queued is told so (`work_was_delayed`), so the page
can say plainly that notices about it may arrive late."""

import logging
import time
from contextvars import ContextVar

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

# Seconds to leave the broker alone after it failed: nothing queued meanwhile
# is lost (the sweeps catch up), while every attempt on a frozen Redis holds
# a web worker for the broker's socket timeout.
BROKER_RETRY_AFTER = 15.0
_broker_down_until = 0.0
# Whether a task of the current request (or task, or command) was left to
# the sweeps; a new value per request (see `watch_for_delays`).
_delayed: ContextVar[bool] = ContextVar("oasis_work_delayed", default=False)


def reset() -> None:
    """Try the broker again at once (tests start each case from here)."""
    global _broker_down_until
    _broker_down_until = 0.0


def broker_is_resting() -> bool:
    return time.monotonic() < _broker_down_until


def watch_for_delays():
    """Start counting delayed work afresh; returns the token to `reset` with."""
    return _delayed.set(False)


def stop_watching(token) -> None:
    _delayed.reset(token)


def work_was_delayed() -> bool:
    """Whether a task queued since `watch_for_delays` was left to the sweeps."""
    return _delayed.get()


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task.delay(*args, **kwargs)` once the current transaction commits.

    `task` is a task or a registered task's name: a lower floor wakes a task
    of a higher one by name (the pipeline core queues the conductor's
    promotion check) so that it never imports it. The name is looked up when
    the task is sent, so it must be registered by then (every app's tasks
    module is imported at start-up, see oasis/celery.py)."""
    transaction.on_commit(lambda: _send(task, args, kwargs, delays_follow_up=True))


def enqueue_now(task, *args, **kwargs) -> None:
    """Queue `task` at once, with the same care for a broker that is down,
    for work that follows from nothing saved (the similar proposals while
    typing: the worker reads text the request carries): there is no commit
    to wait for, and if it cannot be queued, nothing the member did waits on
    it, so they are not told of a delay."""
    _send(task, args, kwargs, delays_follow_up=False)


def _send(task, args, kwargs, *, delays_follow_up: bool) -> None:
    global _broker_down_until
    name = task if isinstance(task, str) else task.name
    if broker_is_resting():
        if delays_follow_up:
            _delayed.set(True)
        logger.info("Broker resting: %s%r left to the periodic sweep.", name, args)
        return
    try:
        found = current_app.tasks[task] if isinstance(task, str) else task
        found.delay(*args, **kwargs)
    except Exception:  # noqa: BLE001 - any broker failure; the sweep retries
        if delays_follow_up:
            _delayed.set(True)
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
        logger.warning(
            "Could not queue %s%r; the periodic sweep will catch up. The broker is left "
            "alone for %ss.",
            name,
            args,
            BROKER_RETRY_AFTER,
            exc_info=True,
        )
