import os
import time
from contextlib import ExitStack

import pytest

from tests.brokers import broker_at, cache_shares_broker_database
from tests.servers import PrivateRedis, needs_redis_server


@pytest.fixture
def broker(settings):
    """Point Celery at a broker for one test and put the old one back. The
    health check only connects to it: it queues nothing, so leaves nothing."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with ExitStack() as stack:
        yield lambda url: stack.enter_context(broker_at(url))


@pytest.mark.django_db
def test_healthz_reports_database_and_inline_broker(client, settings):
    # Given the embedded default (tasks inline)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # When a load balancer asks
    response = client.get("/healthz")
    # Then the database is reachable and there is no broker to reach
    assert response.status_code == 200
    assert response.json() | {"cache": "-"} == {
        "status": "ok",
        "database": "ok",
        "broker": "inline",
        "cache": "-",
    }


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reaches_the_real_redis_broker(client, broker):
    broker(os.environ["REDIS_URL"])
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker_as_degraded(client, broker):
    # The pages still answer with the broker down, so a load balancer must
    # keep the process; the answer says what waits meanwhile.
    broker("redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("status", "database", "broker")} == {
        "status": "degraded",
        "database": "ok",
        "broker": "fail",
    }
    assert "e-mails" in body["delayed"]


@pytest.mark.redis
def test_cache_and_broker_use_separate_redis_databases(settings):
    # Clearing the cache (as tests and operators do) must never drop queued tasks.
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert not cache_shares_broker_database(
        settings.CACHES["default"]["LOCATION"], settings.CELERY_BROKER_URL
    )


@pytest.mark.parametrize(
    ("cache", "broker", "shared"),
    [
        ("redis://127.0.0.1:6379/13", "redis://127.0.0.1:6379/12", False),
        ("redis://127.0.0.1:6379/12", "redis://127.0.0.1:6379/12", True),
        ("redis://localhost/0", "redis://localhost:6379", True),  # no number is database 0
        ("redis://127.0.0.1:6380/12", "redis://127.0.0.1:6379/12", False),
        (["redis://a/1", "redis://b/12"], "redis://b:6379/12", True),  # a replica list
        ("redis://a/1,redis://b/12", "redis://b:6379/12", True),
        (None, "memory://", False),  # the embedded default
        ("", "redis://127.0.0.1:6379/12", False),  # local memory has no LOCATION
    ],
)
def test_a_cache_on_the_brokers_database_is_recognised(cache, broker, shared):
    assert cache_shares_broker_database(cache, broker) is shared


# --- a frozen and a dead Redis: an answer within a second either way ---------


@pytest.fixture
def private_redis():
    server = PrivateRedis().start()
    yield server
    server.stop()


def _timed_healthz(client):
    started = time.monotonic()
    response = client.get("/healthz")
    return response, time.monotonic() - started


@needs_redis_server
@pytest.mark.django_db
def test_healthz_answers_within_a_second_on_a_frozen_redis(client, broker, settings, private_redis):
    # Given Redis as broker and cache, answering
    broker(private_redis.url)
    settings.CACHES = {
        "default": {"BACKEND": "oasis.cache.FailSafeRedisCache", "LOCATION": private_redis.url}
    }
    response, _ = _timed_healthz(client)
    assert response.status_code == 200
    assert response.json()["cache"] == "ok"

    # When the Redis process is frozen (SIGSTOP: connections open, no answer)
    private_redis.freeze()
    try:
        response, took = _timed_healthz(client)
    finally:
        private_redis.thaw()

    # Then the health check answers within a second, saying what failed
    assert took < 1.0
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["broker"] == "fail"
    assert response.json()["cache"] == "local memory"

    # And the same when it is dead
    private_redis.stop()
    response, took = _timed_healthz(client)
    assert took < 1.0
    assert response.status_code == 200
    assert response.json()["broker"] == "fail"
