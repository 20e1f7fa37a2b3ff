"""Shared fixtures. Tests that need a real server carry a marker:

- `postgres`: runs only when DATABASE_URL points at PostgreSQL;
- `redis`: runs only when REDIS_URL is set;
- `browser`: needs Debian's Chromium at /usr/bin/chromium.

Without the server such a test is skipped with the reason printed in the
summary (`-ra`). In CI (`OASIS_REQUIRE_SERVERS=1`, set by .ci/run) a missing
server is an error instead: no test is skipped there for want of a server."""

import os
import shutil
import uuid

import pytest
from celery.signals import after_task_publish
from django.conf import settings
from django.core.cache import cache, caches

from oasis import cache as fail_safe_cache
from oasis import tasks as queueing
from oasis.celery import app
from tests.brokers import TEST_QUEUE_PREFIX, cache_shares_broker_database, remove_test_queue

REQUIRE_SERVERS = os.environ.get("OASIS_REQUIRE_SERVERS") == "1"
CHROMIUM = "/usr/bin/chromium"


def _missing(marker: str) -> str | None:
    if (
        marker == "postgres"
        and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        return "needs PostgreSQL: set DATABASE_URL (as .ci/run does)"
    if marker == "redis" and not os.environ.get("REDIS_URL"):
        return "needs Redis: set REDIS_URL (as .ci/run does)"
    if marker == "browser" and not shutil.which(CHROMIUM):
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    missing: set[str] = set()
    for item in items:
        for marker in ("postgres", "redis", "browser"):
            if item.get_closest_marker(marker) and (reason := _missing(marker)):
                missing.add(reason)
                item.add_marker(pytest.mark.skip(reason=reason))
    if missing and REQUIRE_SERVERS:
        raise pytest.UsageError(
            "OASIS_REQUIRE_SERVERS=1 but servers are missing: " + "; ".join(sorted(missing))
        )


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    """Each test writes uploads to its own folder and sends mail to the outbox."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; start every test from zero.
    On Redis, clearing the cache empties its whole database (FLUSHDB), so the
    run stops at once if the cache shares the broker's database: it would
    drop the queued tasks 2,400 times over (give it REDIS_CACHE_DB, as
    .ci/run does)."""
    location = settings.CACHES["default"].get("LOCATION")
    if cache_shares_broker_database(location, settings.CELERY_BROKER_URL):
        pytest.exit(
            f"The cache ({location}) is on the Celery broker's Redis database "
            f"({settings.CELERY_BROKER_URL}); the tests clear the cache and would "
            "drop the broker's tasks. Set REDIS_CACHE_DB to a database of its own.",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
    fail_safe_cache.reset()
    cache.clear()
    for alias in ("pages", "shared"):
        if alias in settings.CACHES:
            caches[alias].clear()
    yield
    fail_safe_cache.reset()
    cache.clear()
    for alias in ("pages", "shared"):
        if alias in settings.CACHES:
            caches[alias].clear()


@pytest.fixture(autouse=True)
def _page_cache_only_where_tested(request, settings):
    """The anonymous page cache (oasis/page_cache.py) shows a page up to
    PAGE_CACHE_SECONDS old by design; a test that changes something and
    reads the page again at once would read the copy. It is on in the tests
    marked `page_cache` (tests/oasis/test_page_cache.py and the browser's
    CSP test), which test it, and off elsewhere."""
    if not request.node.get_closest_marker("page_cache"):
        settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called outside a request (services, tasks) speaks English in
    tests, whatever ran before: a request's LocaleMiddleware leaves its
    language active in the thread, so without this a test's messages would
    depend on the tests before it. Pages still follow their cookie or
    Accept-Language, and timeline rows are written in the reader's language when read."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories hash a password for every member; PBKDF2 takes a quarter of a
    second each, MD5 nothing. Hashing itself is Django's concern, not ours."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_inline(settings):
    """Tasks run inline in tests, also when REDIS_URL is set (CI): what a task
    does is asserted right after the request. The one test with a real worker
    (`celery_worker_process`) switches this off for itself."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # One test's unreachable broker must not rest the next test's.
    queueing.reset()
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def task_queue(request):
    """The queue this test's tasks go to, if any is really sent to a broker:
    one of its own (never the portal's `celery` queue, which a developer's
    worker may read on the same Redis), removed from the broker when the test
    ends with whatever is left in it. So no test leaves a task behind for
    the next worker. A real worker started by a test takes this name
    (CELERY_TASK_DEFAULT_QUEUE) so the tasks it queues itself land here too.
    Inline tasks are never sent, so for nearly every test this costs nothing."""
    name = f"{TEST_QUEUE_PREFIX}{uuid.uuid4().hex[:12]}"
    sent_to: set[str] = set()

    def record(sender=None, routing_key=None, **kwargs):
        sent_to.add(routing_key)

    previous = app.conf.task_default_queue
    app.conf.task_default_queue = name
    after_task_publish.connect(record, weak=False)
    try:
        yield name
    finally:
        after_task_publish.disconnect(record)
        app.conf.task_default_queue = previous
    if request.node.get_closest_marker("redis") or sent_to:
        remove_test_queue(name)
    if stray := sent_to - {name}:
        pytest.fail(f"The test sent tasks to {sorted(stray)}, not to its own queue {name}.")


@pytest.fixture(scope="session", autouse=True)
def _drop_stray_connections_at_the_end(django_db_setup, django_db_blocker):
    """Live-server and worker threads can leave a PostgreSQL connection open
    after their test; end them before the test database is dropped, so its
    teardown never fails with "being accessed by other users"."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


# --- browser tests: Debian's Chromium through Playwright ----------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls are safe because they do not overlap with it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def role_groups(transactional_db):
    """The roles' groups and permissions, as the data migrations made them.
    A transactional test before this one (any live-server test) flushes the
    database when it ends, migration data included, so put them back."""
    from accounts.permissions import sync_role_groups

    sync_role_groups()


@pytest.fixture
def operator_user():
    """An operator (the admin's everyday user)."""
    from tests.factories import operator

    return operator(email="operator@example.com")


@pytest.fixture
def operator_client(operator_user):
    """The operator's browser, logged in, reading English."""
    from tests.pages import logged_in

    return logged_in(operator_user)


@pytest.fixture
def calendar_days(db):
    """Answer deadlines counted in calendar days, the pipeline setting's other
    choice (working days are the default): for tests whose dates count
    calendar days (tests/answers/test_workdays.py tests working days)."""
    from proposals.models import PipelineSettings

    row = PipelineSettings.load()
    row.answer_days_unit = "calendar"
    row.save()
    return row
