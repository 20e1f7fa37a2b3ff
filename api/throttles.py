"""Rate limits of the API: per address without a key, per key with one.

Shared ground: DRF's anonymous throttle. The api-core part adds the
partner's own rate."""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    scope = "anonymous"


class PartnerThrottle(SimpleRateThrottle):
    scope = "partner"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
