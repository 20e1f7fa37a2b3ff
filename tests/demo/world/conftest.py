"""The full demo world, seeded once for the test modules of this folder.

Loading it takes most of a minute, so a package-scoped fixture seeds it in a
transaction that is rolled back when the last test here ends; each test runs
inside its own savepoint on top of it (pytest-django's `db`) and sees it
unchanged. Tests that need an empty database (tests/demo/test_seed_runs.py)
live outside this folder, so they never run while the world is loaded."""

import pytest
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone

from tests.demo.helpers import World, seed


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The full demo, seeded once (the test suite's settings: photos in a
    temporary folder, mail to the outbox, fast password hashing)."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            result = World()
            result.started = timezone.now()
            with TestCase.captureOnCommitCallbacks() as callbacks:
                result.output = seed()
            result.on_commit = callbacks
            yield result
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
