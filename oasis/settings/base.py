"""Django core: apps, middleware, templates, language, static and media files."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("OASIS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", default=not env_str("DJANGO_SECRET_KEY"))
# The embedded default gets a fixed development key; production must set one
# (security.py refuses to start without it when DEBUG is off).
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or "dev-only-insecure-key-change-me"
# Production answers only its own host names. The container's health check,
# which asks by address, is answered before host validation
# (oasis.middleware.HealthCheckMiddleware). Development adds loopback.
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "testserver" if DEBUG else "")
if DEBUG:
    ALLOWED_HOSTS += ["localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = [
    # Django's admin, with a site that lets staff in only after the second
    # factor and sends its login to allauth's rate-limited one.
    "accounts.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "django_filters",
    "import_export",
    "rangefilter",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "accounts",
    "notifications",
    "proposals",
    "answers",
    "debates",
    "meetings",
    "tracking",
    "panel",
    "awards",
    "themes",
    "polls",
    "mileage",
    # The conductor sits above every stage app it moves proposals between.
    "pipeline",
    # Issue 15, open by default: the statistics and reports read every stage
    # app; the bulk files and the read API read the statistics.
    "stats",
    # Issue 16: partner institutions' own spaces (/org/<slug>/) read every
    # stage app and the statistics; the bulk files and the API sit above.
    "institutions",
    "opendata",
    "api",
    "demo",
    # The top floor: the benchmark world and harness, imported by none.
    "bench",
]

MIDDLEWARE = [
    # First: /healthz answers before host validation and the HTTPS redirect.
    "oasis.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "oasis.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for readers who are not logged in, answered before the
    # session, user, locale and CSRF work below (after the CSP middleware,
    # which gives each answer its own nonce).
    "oasis.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside the messages: its note reaches the member's next page.
    "oasis.middleware.tell_when_follow_up_is_delayed",
    # After the session, user and messages: its 400 page is the site's own.
    "oasis.middleware.refuse_malformed_admin_input",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After login: members agree again to a materially changed legal document.
    "accounts.middleware.ConsentRequiredMiddleware",
    # Then: staff give their second factor before any page, not only the admin's.
    "accounts.second_factor.SecondFactorRequiredMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "oasis.urls"
WSGI_APPLICATION = "oasis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.site",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Korean first, English second.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Seoul"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
# Uploads are never served from a public URL: views check that their proposal
# is visible, then stream the file or, behind nginx, hand it to an internal
# location with X-Accel-Redirect (OASIS_MEDIA_ACCEL_PREFIX, e.g. /protected-media/).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
OASIS_MEDIA_ACCEL_PREFIX = env_str("OASIS_MEDIA_ACCEL_PREFIX")
# The nightly open-data files (opendata/build.py), served by opendata.views
# (a public download with caching headers), and how many days of them are
# kept besides the latest build.
OPEN_DATA_DIR = Path(env_str("OASIS_OPEN_DATA_DIR", str(VAR_DIR / "open-data")))
OPEN_DATA_KEEP_DAYS = env_int("OASIS_OPEN_DATA_KEEP_DAYS", 7)
STORAGES = {
    # The file system, leaving no partial file when the disk refuses a write.
    "default": {"BACKEND": "oasis.files.MediaStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Absolute links in e-mails sent by Celery, which has no request to ask.
OASIS_SITE_URL = env_str("OASIS_SITE_URL", "http://127.0.0.1:8000")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

# Uploads: the request body cap is above the per-file limits in proposals so
# that an oversized file gets our friendly message rather than a bare 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Messages ("You endorsed this proposal.") ride in a signed cookie to the next
# page, and only one too large for a cookie goes to the session: showing a
# message no longer costs a session write (an UPDATE on every endorsement).
# A page cache must not serve a response to a request carrying the
# `messages` cookie (the message belongs to that member's next page).
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"
