"""Production hardening, switched on whenever DEBUG is off."""

from django.core.exceptions import ImproperlyConfigured

from .base import DEBUG, SECRET_KEY
from .env import env_bool, env_list, env_str

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    if SECRET_KEY.startswith("dev-only"):
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG is off.")
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Rate limits use the default cache; locmem is fine for the single-process
# embedded default, Redis is used as soon as REDIS_URL is set.
RATELIMIT_VIEW = "oasis.views.ratelimited"
# Behind a proxy every request comes from the proxy's address; the proxy passes
# the visitor's own in a header it sets itself (nginx: X-Real-IP). Only set
# this when such a proxy is in front, or visitors could choose their address.
_client_ip_header = env_str("OASIS_CLIENT_IP_HEADER")  # e.g. "X-Real-IP"
RATELIMIT_IP_META_KEY = (
    "HTTP_" + _client_ip_header.upper().replace("-", "_") if _client_ip_header else None
)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = _client_ip_header or None
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
