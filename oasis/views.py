"""Project-wide pages that belong to no app: the health check, the favicon
and the rate-limit refusal."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _

from .celery import app


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool | None:
    """None when there is no broker to reach (tasks run inline)."""
    if settings.CELERY_TASK_ALWAYS_EAGER or str(app.conf.broker_url).startswith("memory://"):
        return None

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def healthz(request):
    """Database and broker reachability, for load balancers and compose."""
    database, broker = _database_ok(), _broker_ok()
    healthy = database and broker is not False
    return JsonResponse(
        {
            "status": "ok" if healthy else "fail",
            "database": "ok" if database else "fail",
            "broker": {None: "inline", True: "ok", False: "fail"}[broker],
        },
        status=200 if healthy else 503,
    )


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
