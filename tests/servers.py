"""Private servers for fault tests: a redis-server of the test's own, which
the test may stop, freeze (SIGSTOP) and bring back without touching anyone
else's Redis, and a real Celery worker on the test database and that Redis."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

REDIS_SERVER = shutil.which("redis-server")

needs_redis_server = pytest.mark.skipif(
    REDIS_SERVER is None, reason="needs the redis-server program (apt-get install redis-server)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class PrivateRedis:
    """A redis-server on a spare loopback port, nothing saved to disk."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                sock.settimeout(0.2)
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, 10, f"redis-server on {self.port}")
        return self

    def stop(self) -> None:
        """Kill it: every connection drops, queued tasks are gone with it."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        """SIGSTOP: connections stay open and nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


def worker_env(tmp_path: Path, redis_url: str, **extra: str) -> dict[str, str]:
    """A worker's environment: the test database, this Redis for broker and
    cache, mail to `extra`'s backend."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "REDIS_CACHE_DB": "1",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_CONN_MAX_AGE": "0",
        "OASIS_VAR_DIR": str(tmp_path),
        **extra,
    }


def start_worker(tmp_path: Path, env: dict[str, str], queue: str) -> subprocess.Popen:
    """A `celery worker` (prefork, as production runs it) reading `queue`;
    returns once it says it is ready. Its log is tmp_path/worker.log."""
    log = tmp_path / "worker.log"
    with open(log, "w") as out:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "oasis",
                "worker",
                "-Q",
                queue,
                "-c",
                "2",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],  # fmt: skip
            cwd=settings.BASE_DIR,
            env={**env, "CELERY_TASK_DEFAULT_QUEUE": queue},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_for(lambda: "ready" in log.read_text() or worker.poll() is not None, 60, "worker start")
    assert worker.poll() is None, log.read_text()[-3000:]
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
