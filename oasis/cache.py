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

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Seconds to leave Redis alone after it failed, before trying it again.
RETRY_AFTER = 5.0
# One state for the whole process (Django makes a cache object per thread).
_down_until = 0.0
# The local stores in use, one per cache (by key prefix): the page cache's
# copies must not push the rate-limit counters out of theirs.
_FALLBACKS: set[str] = set()


def reset() -> None:
    """Try Redis again at once and forget what local memory held (tests start
    each case from here, so one case's outage does not leak into the next)."""
    global _down_until
    _down_until = 0.0
    for name in _FALLBACKS:
        LocMemCache(name, {}).clear()


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
        name = f"oasis-redis-fallback:{params.get('KEY_PREFIX', '')}"
        _FALLBACKS.add(name)
        self._fallback = LocMemCache(name, {**params, "OPTIONS": {}})


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


# --- a once-a-key work queue in Redis -----------------------------------------------------
#
# The page cache answers a proposal's page without running its view, and so
# without counting the view (oasis/page_cache.py). The answer notes the
# visitor here instead, at the cost of one round trip to Redis; a periodic
# task then counts what was noted. Plain cache calls cannot append to a list,
# so these few use the cache's Redis client directly, and answer None when
# there is no Redis to use (local memory in development and tests, or Redis
# down): the caller then does the work at once.

# SET once_key NX EX ttl; if it was set, RPUSH item onto the queue. One round
# trip, atomic: a visitor is queued at most once per once_key's lifetime.
_ADD_AND_ENQUEUE = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  redis.call('RPUSH', KEYS[2], ARGV[2])
  return 1
end
return 0
"""


# Lua scripts registered with Redis, by their text.
_scripts = {}


def _redis():
    """The default cache and its Redis client, or (cache, None) when it is not
    a FailSafeRedisCache or Redis is resting after a failure."""
    cache = caches["default"]
    if not isinstance(cache, FailSafeRedisCache) or _redis_is_resting():
        return cache, None
    return cache, cache._cache.get_client(write=True)


def add_and_enqueue(*, once_key: str, timeout: int, queue: str, item: str) -> bool | None:
    """Append `item` to the Redis list `queue` unless `once_key` was set in the
    last `timeout` seconds. True if queued, False if it was a repeat, None if
    Redis cannot hold the queue now (the caller does the work itself)."""
    cache, client = _redis()
    if client is None:
        return None
    try:
        keys = [cache.make_and_validate_key(once_key), cache.make_and_validate_key(queue)]
        script = _scripts.get(_ADD_AND_ENQUEUE) or _scripts.setdefault(
            _ADD_AND_ENQUEUE, client.register_script(_ADD_AND_ENQUEUE)
        )
        # EVALSHA: the script's text is sent once, not on every call.
        return bool(script(keys=keys, args=[timeout, item], client=client))
    except RedisError as error:
        _note_failure(error)
        return None


def queue_peek(queue: str, count: int) -> list[str]:
    """The first `count` items of `queue`, left in place (see queue_drop)."""
    cache, client = _redis()
    if client is None:
        return []
    try:
        items = client.lrange(cache.make_and_validate_key(queue), 0, count - 1)
    except RedisError as error:
        _note_failure(error)
        return []
    return [item.decode() if isinstance(item, bytes) else item for item in items]


def queue_drop(queue: str, count: int) -> None:
    """Remove the first `count` items of `queue`, once they are handled: an
    item is only removed after its work is done, so a crash in between hands
    it to the next run again (the work must be idempotent)."""
    cache, client = _redis()
    if client is None:
        return
    try:
        client.ltrim(cache.make_and_validate_key(queue), count, -1)
    except RedisError as error:
        _note_failure(error)
