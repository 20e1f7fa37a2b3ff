"""Kakao, Naver and Google appear on the login page exactly when their keys
are in the environment. Settings are read at start-up, so each case starts a
fresh Django process with its own environment."""

import os
import subprocess
import sys

from django.conf import settings

SCRIPT = """
from django.test import Client
html = Client().get("/accounts/login/", HTTP_HOST="127.0.0.1").content.decode()
for name in ("kakao", "naver", "google"):
    print(name, f"/accounts/{name}/login/" in html)
"""


def _login_page_providers(env_extra: dict, var_dir) -> dict[str, bool]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAKAO_", "NAVER_", "GOOGLE_"))}
    env.update(env_extra)
    env.pop("DATABASE_URL", None)  # the login page needs no tables beyond SQLite's
    env["OASIS_VAR_DIR"] = str(var_dir)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=settings.BASE_DIR, env=env, check=True
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = [line.split() for line in out.splitlines()]
    return {
        row[0]: row[1] == "True" for row in rows if len(row) == 2 and row[1] in ("True", "False")
    }


def test_no_social_login_without_keys(tmp_path):
    assert _login_page_providers({}, tmp_path) == {"kakao": False, "naver": False, "google": False}


def test_kakao_and_google_appear_when_their_keys_are_set(tmp_path):
    shown = _login_page_providers(
        {
            "KAKAO_CLIENT_ID": "kakao-id",
            "KAKAO_CLIENT_SECRET": "kakao-secret",
            "GOOGLE_CLIENT_ID": "google-id",
            "GOOGLE_CLIENT_SECRET": "google-secret",
            "NAVER_CLIENT_ID": "naver-id-without-secret",
        },
        tmp_path,
    )
    assert shown == {"kakao": True, "naver": False, "google": True}
