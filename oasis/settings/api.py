"""The read API (/api/v1/, issue 15): Django REST framework and its OpenAPI
schema (drf-spectacular). Read-only and public; partner institutions send an
API key for a higher limit (api/authentication.py, api/throttles.py)."""

from .env import env_str

REST_FRAMEWORK = {
    # No session or password: the API is read-only public data. A partner's
    # key only raises its limit; an unknown or revoked key is refused (401).
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.PartnerKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOnly"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # JSON only; the browsable documentation is the OpenAPI UI at /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttles.AnonymousThrottle",
        "api.throttles.PartnerThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # Per address, for anyone without a key.
        "anonymous": env_str("OASIS_API_RATE_ANONYMOUS", "60/min"),
        # Per key, unless the key carries its own rate.
        "partner": env_str("OASIS_API_RATE_PARTNER", "600/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Oasis open API",
    "DESCRIPTION": (
        "Read-only public data of Oasis, Seoul's civic proposal portal: proposals, "
        "their timelines, department answers, debates, meetings and decisions, adopted "
        "items and their reports, city polls and the statistics. Hidden content and "
        "personal data are never included."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from our own static files (the CSP allows no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge image from swagger.io's validator (the CSP allows no other origin).
    # No deep links: Swagger UI puts them as links inside each operation's
    # button (nested controls a screen reader cannot reach; axe).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "validatorUrl": None},
    # ReDoc's search runs in a worker made from a blob: URL, which the CSP
    # refuses; the side menu still lists every operation.
    "REDOC_UI_SETTINGS": {"disableSearch": True},
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}
