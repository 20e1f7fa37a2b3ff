"""The privacy suite's world: seeded once per module (tests/worlds.py), so
the walkers read one world through hundreds of requests and files."""

import pytest

from tests.privacy.world import build_secret_world
from tests.worlds import seeded_world


@pytest.fixture(scope="module")
def secret_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with seeded_world(django_db_blocker, tmp_path_factory.mktemp("privacy-media")) as seeding:
        with seeding():
            world = build_secret_world()
        yield world
