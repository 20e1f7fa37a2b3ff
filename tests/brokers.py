"""Redis and the Celery broker in tests: which Redis database a URL names,
removing a test's own queue from the broker, and pointing Celery at another
broker for a while."""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

from oasis.celery import app

# The prefix of the queue each test sends its tasks to (tests/conftest.py);
# only queues with this prefix are ever removed by the tests.
TEST_QUEUE_PREFIX = "oasis-test-"


def redis_database(url: str) -> tuple[str, int, int] | None:
    """(host, port, database number) of a redis:// or rediss:// URL; None for
    any other location (local memory, memory://, a socket)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"redis", "rediss"}:
        return None
    number = parts.path.strip("/") or parse_qs(parts.query).get("db", ["0"])[0]
    return (parts.hostname or "localhost", parts.port or 6379, int(number or 0))


def cache_shares_broker_database(cache_location, broker_url: str) -> bool:
    """Whether a Redis cache LOCATION (a URL, a comma-separated string of
    them or a list, as Django's RedisCache takes) names the broker's Redis
    database. Clearing such a cache would drop the queued tasks with it."""
    broker = redis_database(broker_url or "")
    if broker is None or not cache_location:
        return False
    locations = cache_location.split(",") if isinstance(cache_location, str) else cache_location
    return any(redis_database(location) == broker for location in locations)


def remove_test_queue(name: str) -> int:
    """Remove a test's queue from the broker with whatever still waits in it
    (the queue's binding included), and return how many tasks that was.
    Refuses any queue but a test's own, so a slip can never empty the
    portal's real `celery` queue on a shared server."""
    if not name.startswith(TEST_QUEUE_PREFIX):
        raise ValueError(f"{name!r} is not a test's queue")
    with app.connection_for_write() as connection:
        # The queue as Celery routed to it (same exchange and routing key);
        # declaring it first lets the channel know its binding to delete.
        queue = app.amqp.queues[name](connection.default_channel)
        queue.declare()
        left = queue.purge() or 0
        queue.delete()
    return left


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Send tasks to the broker at `url` for a while. Celery keeps the
    producer pool of its first publish whatever `broker_url` says later, so
    the pool is set aside as well (`amqp._producer_pool` has no public
    setter): without that, a test "against an unreachable broker" that runs
    after one that published would publish to the real broker and leave its
    task there."""
    saved_url, saved_pool = app.conf.broker_url, app.amqp._producer_pool
    app.conf.broker_url, app.amqp._producer_pool = url, None
    try:
        yield
    finally:
        # The pool made meanwhile stays in kombu's registry (not closed: a
        # later pool for the same URL is that same object).
        app.conf.broker_url, app.amqp._producer_pool = saved_url, saved_pool
