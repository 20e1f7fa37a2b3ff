"""The clock under `make run`: `manage.py run_embedded` starts the web server,
a Celery worker and beat on the embedded default (SQLite, the filesystem
broker), and beat's sweep closes an endorsement window that ends while it
runs. Nothing is mocked: real processes, a real SQLite file, real queue
files. Ctrl-C stops all of them."""

import os
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

from django.conf import settings

from tests.servers import free_port, wait_for

# The settings that would take the processes off the embedded default (CI
# runs the tests against PostgreSQL and Redis).
NOT_EMBEDDED = (
    "DATABASE_URL",
    "REDIS_URL",
    "REDIS_CACHE_DB",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "CELERY_TASK_DEFAULT_QUEUE",
    "OASIS_EMBEDDED_CLOCK",
)

# Made by a member through the service, with a window that closes two
# seconds later, while the clock runs.
CREATE_PROPOSAL = """
from datetime import timedelta
from django.utils import timezone
from proposals import services
from proposals.models import Proposal
from tests.factories import CategoryFactory, UserFactory

proposal = services.proposal_create(
    author=UserFactory(), title="한강 공원 그늘막 늘리기",
    body="여름에 쉴 그늘이 부족합니다.", category=CategoryFactory(),
)
Proposal.objects.filter(pk=proposal.pk).update(
    endorsement_deadline=timezone.now() + timedelta(seconds=2)
)
print(proposal.pk)
"""


def _children(pid: int) -> list[int]:
    """The process ids whose parent is `pid` (ps works on Linux and macOS)."""
    rows = subprocess.run(
        ["ps", "-eo", "pid=,ppid="], capture_output=True, text=True, check=True
    ).stdout
    pairs = [line.split() for line in rows.splitlines() if line.strip()]
    return [int(child) for child, parent in pairs if int(parent) == pid]


def _healthz(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            return answer.status
    except OSError:
        return None


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_run_closes_an_endorsement_window_on_the_beat(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in NOT_EMBEDDED}
    env.update(OASIS_VAR_DIR=str(tmp_path), OASIS_BEAT_INTERVAL="2", PYTHONUNBUFFERED="1")
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run(
        [*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=settings.BASE_DIR
    )
    port = free_port()
    terminal = open(tmp_path / "terminal.log", "w")  # noqa: SIM115 - closed below
    # As `make run` runs it (the Makefile's run target, --noreload to keep
    # the test's process tree small).
    launcher = subprocess.Popen(
        [*manage, "run_embedded", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=terminal,
        stderr=subprocess.STDOUT,
    )
    worker_log, beat_log = tmp_path / "log" / "worker.log", tmp_path / "log" / "beat.log"
    try:
        wait_for(
            lambda: worker_log.exists() and "ready" in worker_log.read_text(),
            60,
            "the worker to start",
        )
        children = _children(launcher.pid)
        assert len(children) == 3  # web server, worker, beat

        # The web server answers, and finds its broker (the queue's folder).
        # It may start listening a moment after the worker is ready (on a
        # busy machine, seconds after): wait for it as for the worker.
        wait_for(lambda: _healthz(port) == 200, 60, "the web server to answer")

        # A proposal whose endorsement window closes now, below the bar
        created = subprocess.run(
            [*manage, "shell", "-c", CREATE_PROPOSAL],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        pk = int(created.stdout.strip().splitlines()[-1])

        # ...is closed by beat's sweep, within seconds
        def status() -> str:
            with sqlite3.connect(tmp_path / "oasis.sqlite3", timeout=10) as db:
                return db.execute(
                    "SELECT status FROM proposals_proposal WHERE id = ?", [pk]
                ).fetchone()[0]

        wait_for(lambda: status() == "not_reached", 30, "beat to close the window")
        assert "Sending due task sweep-pipeline" in beat_log.read_text()
        assert "pipeline.tasks.sweep_pipeline" in worker_log.read_text()
        with sqlite3.connect(tmp_path / "oasis.sqlite3") as db:
            (closed_events,) = db.execute(
                "SELECT count(*) FROM proposals_proposalevent "
                "WHERE proposal_id = ? AND to_status = 'not_reached'",
                [pk],
            ).fetchone()
        assert closed_events == 1

        # Ctrl-C stops everything: the launcher and every process it started
        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=30) == 0
        assert not [pid for pid in children if _group_alive(pid)]
        assert "Warm shutdown" in worker_log.read_text()
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()
        terminal.close()
