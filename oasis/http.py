"""Request helpers shared by the apps."""

from django.conf import settings


def client_ip(request) -> str:
    """The visitor's address: from the header the trusted proxy sets
    (OASIS_CLIENT_IP_HEADER, e.g. HTTP_X_REAL_IP behind nginx), else the peer."""
    return request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR") or request.META.get(
        "REMOTE_ADDR", ""
    )
