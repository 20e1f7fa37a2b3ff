"""The portal as it runs in production: DEBUG off, a real secret key, a host
name, on a throwaway SQLite database and an empty static root (no
collectstatic yet), in a subprocess so the settings modules are read afresh
from that environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION_HOST = "oasis.staging.example"

# The settings that decide what production answers; the tests read them from
# a subprocess (the settings modules are evaluated once per process, and the
# test process runs with DEBUG on).
PRODUCTION_SETTINGS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "MIDDLEWARE",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_TRUSTED_ORIGINS",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_HTTPONLY",
]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production process: the test run's own servers
    (DATABASE_URL, REDIS_URL) are dropped so it gets its own SQLite file."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "OASIS_", "CELERY_"))
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="production-test-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS=PRODUCTION_HOST,
        OASIS_SITE_URL=f"https://{PRODUCTION_HOST}",
        OASIS_VAR_DIR=str(tmp_path / "var"),
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
    )
    env.update(extra)
    return env


def manage(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    """Run manage.py with production settings."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=production_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )


def production_settings(tmp_path: Path, **extra: str) -> dict:
    """The PRODUCTION_SETTINGS values as a production process computes them."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {PRODUCTION_SETTINGS!r}}}, "
        "default=str))"
    )
    env = production_env(tmp_path, **extra)
    env["DJANGO_SETTINGS_MODULE"] = "oasis.settings"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
