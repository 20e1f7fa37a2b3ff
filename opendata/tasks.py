from celery import shared_task
from django.db import OperationalError

from stats.refresh import refresh

from .build import build_exports


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def build_open_data(now=None) -> int:
    """The nightly open-data build (opendata/build.py). The statistics are
    counted first so that the files' figures agree with /stats/. Idempotent:
    a second run the same day replaces that day's files. Returns the number
    of files written."""
    refresh()
    return len(build_exports(now=now))
