"""Rate limits of the API: per address without a key, per key with one (at
the key's own rate). The address is the site's (oasis.http.client_ip: the
trusted proxy's header, OASIS_CLIENT_IP_HEADER, else the peer).

Counters are fixed windows, one cache add/incr per request like the site's
limits (oasis.ratelimits): DRF's own throttles keep every request's time in
a list that is read and written whole, 6,000 entries per request at a
partner's 6000/h. A fixed window lets a client send up to twice the rate
across a window's edge; for a read API that is harmless."""

import math
import re
import time

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from oasis.http import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# "60/min", "6000/h", "500/5m": a count, then an optional multiplier and a
# unit named by its first letter (DRF's "min", "hour", "day" read too).
RATE = re.compile(r"^\s*(\d{1,9})\s*/\s*(\d{0,6})\s*([smhd])[a-z]*\s*$", re.IGNORECASE)


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """(requests, seconds), or None for no limit (an empty rate)."""
    if not rate:
        return None
    match = RATE.match(rate)
    if not match:
        raise ValueError(f"Not a rate: {rate!r}")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * PERIODS[unit.lower()]


class _WindowThrottle(BaseThrottle):
    scope = ""

    def rate_for(self, request) -> str | None:
        from django.conf import settings

        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(self.scope)

    def ident(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view):
        ident = self.ident(request)
        parsed = parse_rate(self.rate_for(request)) if ident is not None else None
        if parsed is None:
            return True
        limit, seconds = parsed
        now = time.time()
        window = int(now // seconds)
        key = f"api:throttle:{self.scope}:{seconds}:{ident}:{window}"
        # add() starts the window's counter; incr() counts atomically in Redis.
        cache.add(key, 0, timeout=seconds + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, timeout=seconds + 5)
            count = 1
        self._wait = (window + 1) * seconds - now
        return count <= limit

    def wait(self):
        return max(1, math.ceil(getattr(self, "_wait", 1)))


class AnonymousThrottle(_WindowThrottle):
    """Per client address, for requests without a key."""

    scope = "anonymous"

    def ident(self, request):
        if request.auth is not None:
            return None
        return client_ip(request) or "unknown"


class PartnerThrottle(_WindowThrottle):
    """Per key, at the key's own rate (the setting's when it has none)."""

    scope = "partner"

    def ident(self, request):
        return None if request.auth is None else str(request.auth.pk)

    def rate_for(self, request):
        return request.auth.rate or super().rate_for(request)
