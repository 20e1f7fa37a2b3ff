"""Production hardening, switched on whenever DEBUG is off, and the Content
Security Policy, which is on everywhere (so development and the browser tests
see what production serves)."""

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .auth import SOCIALACCOUNT_PROVIDERS
from .base import DEBUG, SECRET_KEY
from .env import env_bool, env_int, env_list, env_str

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Cookies go with top-level navigations from other sites (a link in an e-mail,
# the social login's return) but not with their forms, images or scripts.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# No script of ours reads the language; only the server does.
LANGUAGE_COOKIE_HTTPONLY = True

if not DEBUG:
    if SECRET_KEY.startswith("dev-only"):
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG is off.")
    # DJANGO_SECURE_COOKIES=0 only for a plain-HTTP trial (see README).
    _secure = env_bool("DJANGO_SECURE_COOKIES", True)
    SESSION_COOKIE_SECURE = _secure
    CSRF_COOKIE_SECURE = _secure
    LANGUAGE_COOKIE_SECURE = _secure
    # TLS ends at a proxy in front (nginx, or a load balancer before it), which
    # says in X-Forwarded-Proto whether the visitor used HTTPS. deploy/nginx.conf
    # passes on what a trusted proxy before it said and sets it otherwise.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Plain HTTP is answered with a redirect to HTTPS...
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", _secure)
    # ...except the health check, which container engines and load balancers
    # send over plain HTTP from inside (oasis.middleware.HealthCheckMiddleware
    # answers it before this redirect; this keeps it so if that one moves).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # Browsers that once saw the site over HTTPS keep to it for a year. Not
    # preloaded (a preload is hard to undo); subdomains only when asked, as the
    # city's other hosts under the same name may not all speak HTTPS.
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 365 * 24 * 3600 if _secure else 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)

# Content Security Policy (django-csp). Scripts and stylesheets come from our
# own origin; the few inline <script>/<style> elements that remain (the answer
# workroom's styles, django-admin-rangefilter's filters) carry the request's
# nonce, `{{ request.csp_nonce }}`. There is no 'unsafe-inline' for scripts,
# and no inline event handlers (onclick=…): behaviour lives in static/js/.
# Forms post to our own origin only, and to the social login providers that
# are configured (allauth's login form redirects the browser to them).
_SOCIAL_LOGIN_ORIGINS = {
    "kakao": "https://kauth.kakao.com",
    "naver": "https://nid.naver.com",
    "google": "https://accounts.google.com",
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [
            SELF,
            *(_SOCIAL_LOGIN_ORIGINS[name] for name in SOCIALACCOUNT_PROVIDERS),
        ],
    },
}
# The admin alone also allows style="…" attributes: django-import-export's
# templates and a few of our admin columns use them, and a style attribute can
# neither run script nor, with img-src 'self', load from elsewhere. Public
# pages have none (oasis.middleware.ContentSecurityPolicyMiddleware).

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
