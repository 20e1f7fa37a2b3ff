"""PostgreSQL down: the portal, as production serves it (gunicorn, DEBUG
off), answers every page with the calm 503 page and Retry-After instead of
a 500, and /healthz says the database failed. The database here is a real
address where nothing listens, as after `pg_ctlcluster … stop`."""

import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.production import BASE_DIR, PRODUCTION_HOST, production_env
from tests.servers import free_port, wait_for


@pytest.fixture(scope="module")
def portal_without_database(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("no-database")
    port = free_port()
    env = production_env(
        tmp_path, DATABASE_URL=f"postgres://oasis:oasis@127.0.0.1:{free_port()}/oasis"
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "oasis.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],  # fmt: skip
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "gunicorn.log", "w"),  # noqa: SIM115 - lives as long as the server
    )
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True

    try:
        wait_for(up, 60, "gunicorn")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def fetch(base, path, data=None, cookie=""):
    request = urllib.request.Request(
        base + path,
        data=data,
        headers={
            "Host": PRODUCTION_HOST,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "ko",
            "Cookie": cookie,
            "Referer": f"https://{PRODUCTION_HOST}{path}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.parametrize(
    ("path", "data", "cookie"),
    [
        ("/", None, ""),
        ("/proposals/", None, ""),
        ("/proposals/1/", None, "sessionid=abc123"),  # a member with a session
        # A member logging in, as a browser posts the form (CSRF token and all)
        (
            "/accounts/login/",
            b"login=a%40example.com&password=x&csrfmiddlewaretoken=" + b"a" * 32,
            "csrftoken=" + "a" * 32,
        ),
    ],
)
def test_pages_answer_a_calm_503_while_the_database_is_down(
    portal_without_database, path, data, cookie
):
    status, headers, body = fetch(portal_without_database, path, data, cookie)
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "잠시 후 다시 열려요" in body and "Back in a moment" in body


def test_healthz_says_the_database_failed(portal_without_database):
    status, _, body = fetch(portal_without_database, "/healthz")
    assert status == 503
    assert '"database": "fail"' in body
