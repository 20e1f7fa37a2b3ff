"""The attack suite's world: one seeded per module, shared by its tests.

Each module asks for `world` (its own copy, module-scoped): the people in
every role and their objects at the stages an attacker aims at, built once
through the factories and services in a transaction that is rolled back when
the module ends. Each test runs in its own savepoint on top of it
(pytest-django's `db`), so what one test stores never reaches the next, and
a parametrised table of a hundred cases seeds once instead of a hundred
times (tests/worlds.py, as the demo world uses it, at module scope so the
other attack modules, some of which need a transactional database, never
run inside it)."""

import pytest

from tests.attacks.world import build_world
from tests.worlds import seeded_world


@pytest.fixture(scope="module")
def world(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The module's world. A module sets WORLD_TEXT to put its own words
    (an XSS payload, a formula) into every field a member or official writes."""
    text = getattr(request.module, "WORLD_TEXT", "한강 다리를 걷고 싶게")
    with seeded_world(django_db_blocker, tmp_path_factory.mktemp("attack-media")) as seeding:
        with seeding():
            result = build_world(text)
        yield result
