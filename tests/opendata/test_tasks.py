"""The nightly build from the beat: scheduled at 03:30 Seoul, idempotent
within a day, one set of files per day, old days pruned."""

from pathlib import Path

import pytest
from celery.schedules import crontab
from django.conf import settings

from opendata.models import Export
from opendata.tasks import build_open_data
from proposals.models import Proposal
from tests.clock import at
from tests.factories import ProposalFactory
from tests.opendata.world import build_world

pytestmark = pytest.mark.django_db


def files() -> list[str]:
    return sorted(p.name for p in Path(settings.OPEN_DATA_DIR).iterdir())


def test_the_beat_builds_the_files_nightly_at_half_past_three_seoul_time():
    entry = settings.CELERY_BEAT_SCHEDULE["build-open-data"]
    assert entry["task"] == "opendata.tasks.build_open_data"
    assert entry["schedule"] == crontab(hour=3, minute=30)
    assert settings.CELERY_TIMEZONE == "Asia/Seoul"


def test_a_second_run_the_same_day_replaces_that_days_files_and_rows(settings):
    settings.OPEN_DATA_KEEP_DAYS = 2
    with at(2026, 3, 1, 3, 30):
        build_world()
        written = build_open_data()
        first = {e.file_name: e.sha256 for e in Export.objects.all()}
    assert written == len(first) == 22
    assert all(name.endswith("-20260301.csv") or name.endswith("-20260301.json") for name in first)
    with at(2026, 3, 1, 9, 0):
        # A proposal made meanwhile: the rebuilt day's files count it, in place.
        ProposalFactory(category=Proposal.objects.first().category)
        build_open_data()
        build_open_data()
    assert files() == sorted(first)
    assert Export.objects.count() == 22
    proposals = Export.objects.get(dataset="proposals", format="csv")
    assert proposals.rows == 4
    assert proposals.sha256 != first[proposals.file_name]


def test_each_day_has_its_files_and_days_past_the_kept_ones_are_pruned(settings):
    settings.OPEN_DATA_KEEP_DAYS = 2
    for day in (1, 2, 3):
        with at(2026, 3, day, 3, 30):
            build_open_data()
    days = sorted({e.day.day for e in Export.objects.all()})
    assert days == [2, 3]
    assert len(files()) == 2 * 22
    assert not [name for name in files() if "20260301" in name]
