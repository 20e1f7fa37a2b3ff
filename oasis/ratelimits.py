"""Rate limits on views, per member and per address, read from
settings.OASIS_RATE_LIMITS (oasis/settings/limits.py) at request time.

Counters live in the default cache (Redis, failing safe to local memory:
oasis/cache.py). Each counter is one cache add/incr per request."""

from django.conf import settings
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit

# Checked in this order: the member's own limit first, so a member over it
# does not use up their address's allowance.
SCOPES = ("user", "ip")


def rate_of(action: str, scope: str) -> str | None:
    """The configured rate, or None when that limit is off."""
    return settings.OASIS_RATE_LIMITS.get(action, {}).get(scope)


def _rate_reader(action: str, scope: str):
    # django-ratelimit calls it per request with (group, request).
    return lambda _group, _request: rate_of(action, scope)


def _key(scope: str) -> str:
    # Signed-in views: the member; user_or_ip only guards a view that forgot
    # login_required from counting every visitor as one.
    return "user_or_ip" if scope == "user" else scope


def rate_limited(action: str):
    """Decorate a POST view with the action's limits: over one, the request
    gets the friendly 429 page (RATELIMIT_VIEW) and the view is not run.
    Put it under @login_required, so the member is known."""

    def decorator(view):
        for scope in reversed(SCOPES):  # the last applied runs first
            view = ratelimit(
                group=f"{action}.{scope}",
                key=_key(scope),
                rate=_rate_reader(action, scope),
                method="POST",
                block=True,
            )(view)
        return view

    return decorator


def count_and_check(request, action: str, times: int = 1) -> bool:
    """Count `times` uses of `action` against each of its limits (all of
    them, so requests arriving together cannot all pass a check made before
    any counted) and return whether any is now over."""
    over = False
    for scope in SCOPES:
        for _use in range(times):
            usage = get_usage(
                request,
                group=f"{action}.{scope}",
                key=_key(scope),
                rate=_rate_reader(action, scope),
                increment=True,
            )
            over = over or (usage is not None and usage["count"] > usage["limit"])
    return over
