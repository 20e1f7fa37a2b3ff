"""Project-wide pages that belong to no app: the health check, the favicon,
the rate-limit refusal and the server-error page (a calm 503 while the
database is down)."""

import logging
import sys
from concurrent.futures import ThreadPoolExecutor

import redis
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults

from .celery import app

logger = logging.getLogger(__name__)


# /healthz answers within a second whatever the servers do: each check has
# this long, and the broker and cache are asked at the same time.
CHECK_TIMEOUT = 0.5


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.warning("healthz: the database is unreachable", exc_info=True)
        return False


def _redis_ping(url: str) -> bool:
    """Ask a Redis at `url` for PONG, waiting at most CHECK_TIMEOUT for the
    connection and for the answer: a frozen server (SIGSTOP, a silent
    network) accepts the connection and then never answers."""
    client = redis.Redis.from_url(
        url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT
    )
    try:
        return bool(client.ping())
    finally:
        client.close()


def _broker_ping() -> bool:
    url = str(app.conf.broker_url)
    if url.startswith(("redis://", "rediss://")):
        return _redis_ping(url)
    with app.connection_for_write(connect_timeout=CHECK_TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT)
    return True


def _cache_ping() -> bool:
    location = settings.CACHES["default"]["LOCATION"]
    # A list (or a comma-separated string) of servers: the first one writes.
    first = location.split(",")[0] if isinstance(location, str) else location[0]
    return _redis_ping(first)


def _broker_inline() -> bool:
    """No broker to reach: tasks run inline."""
    return settings.CELERY_TASK_ALWAYS_EAGER or str(app.conf.broker_url).startswith("memory://")


def _cache_on_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"] == "oasis.cache.FailSafeRedisCache"


def _answers_in_time(checks: dict) -> dict[str, bool]:
    """Run `checks` (name → function) at once; a check that raises or has not
    answered by CHECK_TIMEOUT (and a little) counts as failed."""
    pool = ThreadPoolExecutor(max_workers=len(checks))
    futures = {name: pool.submit(check) for name, check in checks.items()}
    pool.shutdown(wait=False)
    results = {}
    for name, future in futures.items():
        try:
            results[name] = bool(future.result(timeout=CHECK_TIMEOUT + 0.2))
        except Exception as error:  # noqa: BLE001 - any failure is "fail"
            logger.warning("healthz: %s unreachable: %r", name, error)
            results[name] = False
    return results


def healthz(request):
    """Database, broker and cache reachability, for load balancers and
    compose, within a second. Only the database down is a failure (503):
    without it no page can be served. With Redis down the portal keeps
    answering (the cache falls back to memory, sessions are in the database),
    so the answer is 200 "degraded", naming what is delayed meanwhile (e-mails
    and promotions, caught up by the sweeps once the broker is back): a load
    balancer that took every web process out of rotation for a Redis outage
    would turn a delay into an outage."""
    checks = {}
    if not _broker_inline():
        checks["broker"] = _broker_ping
    if _cache_on_redis():
        checks["cache"] = _cache_ping
    remote = _answers_in_time(checks) if checks else {}
    database = _database_ok()
    broker = None if _broker_inline() else remote["broker"]
    degraded = broker is False or remote.get("cache") is False
    body = {
        "status": "fail" if not database else "degraded" if degraded else "ok",
        "database": "ok" if database else "fail",
        "broker": {None: "inline", True: "ok", False: "fail"}[broker],
    }
    if "cache" in remote:
        # A Redis cache that does not answer is served from each process's
        # memory (oasis/cache.py): looser rate limits, not an outage.
        body["cache"] = "ok" if remote["cache"] else "local memory"
    if broker is False:
        body["delayed"] = (
            "e-mails and promotions: queued by the periodic sweeps once the broker is back"
        )
    return JsonResponse(body, status=200 if database else 503)


# Seconds a visitor (or a crawler) is asked to wait while the database is down.
DATABASE_DOWN_RETRY_AFTER = 30


def server_error(request):
    """handler500: an error the database raised because it cannot be reached
    (stopped, restarting, out of connections) is an outage, not a bug: the
    calm 503 page with Retry-After, rendered without touching the database.
    Anything else is the ordinary 500 page. Django calls this inside its
    exception handler, so the error is sys.exc_info()'s, and it is logged
    (django.request) either way."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(DATABASE_DOWN_RETRY_AFTER)
        return response
    return defaults.server_error(request)


def favicon(request):
    """/favicon.ico, which browsers and the admin ask for whatever the page says.
    The static URL is looked up per request, not when the URLconf is imported:
    with DEBUG off it comes from collectstatic's manifest, which does not exist
    yet when `migrate` (and its system checks) first load the URLs."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def ratelimited(request, exception=None):
    """The friendly 429 page: django-ratelimit's RATELIMIT_VIEW, and allauth's
    for its own limits on sign-up, log-in and password reset (it looks for
    `handler429` in the root URLconf and calls it with the request only)."""
    response = render(
        request,
        "errors/429.html",
        {"message": _("Too many requests. Please wait a little and try again.")},
        status=429,
    )
    return response
