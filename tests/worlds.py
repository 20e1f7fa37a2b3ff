"""A world seeded once for many tests: built inside a transaction that is
rolled back when the fixture ends, with the test suite's settings (photos
in a temporary folder, mail to the outbox, fast password hashing). Each
test still runs in its own savepoint on top of it (pytest-django's `db`)."""

from contextlib import contextmanager

from django.db import transaction
from django.test import TestCase, override_settings


@contextmanager
def seeded_world(django_db_blocker, media_root):
    """Inside: the database is open and a transaction is begun; what the
    block seeds is rolled back when it leaves. `seeding()` (the yielded
    callable) captures the tasks queued after commit, which would never run
    inside this transaction, and returns the callbacks."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media_root,
            OPEN_DATA_DIR=media_root / "open-data",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield TestCase.captureOnCommitCallbacks
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
