"""Running service calls at the same moment, for the concurrency tests on
PostgreSQL: each in its own thread with its own database connection."""

import threading
from contextlib import nullcontext

from django.db import connection
from django.utils import translation


def run_at_once(callables, *, language: str | None = "en", timeout: float = 60) -> list:
    """Start every callable in its own thread at the same moment (a barrier);
    return what each returned or raised, in order. Messages are read in
    `language` (None: the thread's default), so assertions can match them."""
    barrier = threading.Barrier(len(callables))
    results = [None] * len(callables)

    def worker(i, fn):
        try:
            barrier.wait()
            with translation.override(language) if language else nullcontext():
                results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - recorded for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
