"""The full demo world, seeded once for the test modules of this folder.

Loading it takes most of a minute, so a package-scoped fixture seeds it in a
transaction that is rolled back when the last test here ends; each test runs
inside its own savepoint on top of it (pytest-django's `db`) and sees it
unchanged. Tests that need an empty database (tests/demo/test_seed_runs.py)
live outside this folder, so they never run while the world is loaded."""

import pytest
from django.utils import timezone

from tests.demo.helpers import World, seed
from tests.worlds import seeded_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The full demo, seeded once."""
    with seeded_world(django_db_blocker, tmp_path_factory.mktemp("demo-media")) as seeding:
        result = World()
        result.started = timezone.now()
        with seeding() as callbacks:
            result.output = seed()
        result.on_commit = callbacks
        yield result
