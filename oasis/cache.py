"""The cache, failing safe: Redis when it answers, this process's memory when
it does not.

Everything that counts requests (django-ratelimit, allauth's limits) and the
short caches keep their state in the cache. With Django's RedisCache a Redis
outage raises on every call, so every login, endorsement and comment answered
500 while Redis was down. Here a Redis error is logged and the same call is
made on a local in-memory cache instead, and Redis is left alone for a few
seconds (so a dead or frozen server costs one short timeout, not one per
call). Rate limits then count per process until Redis is back: looser, never
a 500. Sessions live in the database and never depend on Redis."""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Seconds to leave Redis alone after it failed, before trying it again.
RETRY_AFTER = 5.0
# One state for the whole process (Django makes a cache object per thread).
_down_until = 0.0


def reset() -> None:
    """Try Redis again at once and forget what local memory held (tests start
    each case from here, so one case's outage does not leak into the next)."""
    global _down_until
    _down_until = 0.0
    LocMemCache("oasis-redis-fallback", {}).clear()


def _redis_is_resting() -> bool:
    return time.monotonic() < _down_until


def _note_failure(error: Exception) -> None:
    global _down_until
    if not _redis_is_resting():
        logger.warning(
            "Redis cache unreachable, using local memory for %ss: %s", RETRY_AFTER, error
        )
    _down_until = time.monotonic() + RETRY_AFTER


def _fail_safe(name):
    def method(self, *args, **kwargs):
        if not _redis_is_resting():
            try:
                return getattr(super(FailSafeRedisCache, self), name)(*args, **kwargs)
            except RedisError as error:
                _note_failure(error)
        return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class _ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis object around its pool for
    every cache call, and building one fills a table of ~200 reply parsers:
    about a tenth of a millisecond of CPU per call, four calls per
    rate-limited request. One client per pool serves every call instead
    (redis-py clients are thread-safe; the connections stay in the pool)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params}
        options = params.setdefault("OPTIONS", {})
        # A frozen Redis must not hold a request for long; a busy one (a slow
        # answer under load) must not be mistaken for a dead one.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        super().__init__(server, params)
        self._class = _ReusedClientRedisCacheClient
        # Named, so every thread's cache object shares one local store.
        self._fallback = LocMemCache("oasis-redis-fallback", {**params, "OPTIONS": {}})


# Every call the cache API makes on Redis (decr, get_or_set and the rest go
# through these) answers from local memory when Redis fails.
for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(FailSafeRedisCache, _name, _fail_safe(_name))
