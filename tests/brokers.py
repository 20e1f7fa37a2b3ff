"""Redis and the Celery broker in tests: which Redis database a URL names."""

from urllib.parse import parse_qs, urlsplit


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
