"""`manage.py run_embedded` (what `make run` runs): the web server, a Celery
worker and Celery beat side by side on the embedded default, so the portal's
clock runs: endorsement windows close, answer deadlines pass, report requests
fall due and debates close while the demo is open.

Without Redis the three talk through kombu's filesystem transport (a queue of
files under var/celery/, oasis/settings/infrastructure.py) and share the
SQLite database (in WAL mode); with REDIS_URL set they use Redis. The worker
and beat write to var/log/worker.log and var/log/beat.log; the web server
keeps the terminal.

Each process runs in its own process group, so the launcher alone decides
how they stop: Ctrl-C (or SIGTERM, or one of them exiting) stops all three,
the worker warmly (it finishes the task it holds), and whatever has not
stopped after STOP_SECONDS is killed. On Linux the children are also told to
stop if the launcher itself is killed outright (PR_SET_PDEATHSIG).
"""

import ctypes
import os
import signal
import socket
import subprocess  # nosec B404  # starts our own programs (runserver, celery) with fixed argv
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# How long the processes get to stop before they are killed.
STOP_SECONDS = 15
# `make run`'s pace for the periodic tasks (OASIS_BEAT_INTERVAL).
DEMO_BEAT_INTERVAL = "60"


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, receive SIGTERM when the launcher
    dies, so not even a `kill -9` of the launcher leaves orphans."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _port_taken(host: str, port: int) -> bool:
    """Whether something already answers on host:port (a portal left running)."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class Command(BaseCommand):
    help = (
        "Serve the portal with its clock: the web server, a Celery worker and Celery "
        "beat, stopped together by Ctrl-C. Worker and beat log to var/log/."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="Where the web server listens."
        )
        parser.add_argument(
            "--noreload",
            action="store_true",
            help="Do not restart the web server when the code changes.",
        )

    def handle(self, *args, addrport: str, noreload: bool = False, **options):
        host, _, port = addrport.rpartition(":")
        host = host or "127.0.0.1"
        if not port.isdigit():
            raise CommandError(f"Expected ADDRESS:PORT, got {addrport!r}.")
        if _port_taken(host, int(port)):
            raise CommandError(
                f"Something already listens on {host}:{port} (another `make run`?). Stop it, "
                f"or choose another port: make run ADDRPORT={host}:8001"
            )
        env = {**os.environ, "OASIS_EMBEDDED_CLOCK": "1"}
        env.setdefault("OASIS_BEAT_INTERVAL", DEMO_BEAT_INTERVAL)
        log_dir = Path(settings.VAR_DIR) / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        celery = [sys.executable, "-m", "celery", "-A", "oasis"]
        commands = {
            # Threads, not forked processes: forking is unsafe on macOS, and
            # two threads are plenty for one person's demo.
            "worker": [
                *celery,
                "worker",
                "--pool",
                "threads",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            # No pid file (beat's default is ./celerybeat.pid in the
            # repository); the schedule file is var/celerybeat-schedule.
            "beat": [*celery, "beat", "--loglevel", "INFO", "--pidfile="],
            "web": [*manage, "runserver", addrport, *(["--noreload"] if noreload else [])],
        }
        self.children: dict[str, subprocess.Popen] = {}
        self.logs = []
        stop = {"signal": None}

        def request_stop(signum, _frame):
            stop["signal"] = signum

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        try:
            for name, command in commands.items():
                if name == "web":
                    output = None  # the terminal
                else:
                    log = open(log_dir / f"{name}.log", "a", encoding="utf-8")  # noqa: SIM115
                    log.write(f"\n--- {name} started by run_embedded at {time.ctime()} ---\n")
                    log.flush()
                    self.logs.append(log)
                    output = log
                self.children[name] = subprocess.Popen(  # nosec B603  # our own commands
                    command,
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT if output else None,
                    start_new_session=True,
                    preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads here yet
                )
            self.stdout.write(
                f"The clock runs: a Celery worker and beat (periodic tasks every "
                f"{env['OASIS_BEAT_INTERVAL']} s at most); their logs are "
                f"{log_dir / 'worker.log'} and {log_dir / 'beat.log'}. What happens when: the "
                f'README, "Watch the clock". Ctrl-C stops everything.'
            )
            self.stdout.flush()
            exited = None
            while stop["signal"] is None and exited is None:
                exited = next((n for n, p in self.children.items() if p.poll() is not None), None)
                time.sleep(0.3)
            if exited is not None:
                self.stderr.write(
                    f"The {exited} process stopped (exit code {self.children[exited].returncode});"
                    f" stopping the others. See {log_dir} for the worker's and beat's logs."
                )
        finally:
            self._stop_all()
        if exited is not None and self.children[exited].returncode:
            sys.exit(self.children[exited].returncode)

    def _stop_all(self) -> None:
        """SIGTERM to every child's process group (the web server's reloader
        child and the worker's threads with them), then SIGKILL to what is
        left after STOP_SECONDS."""
        for process in self.children.values():
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in self.children.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                pass
        for process in self.children.values():
            # The group, not just the leader: a reloader's child may outlive it.
            _signal_group(process, signal.SIGKILL)
            process.wait()
        for log in self.logs:
            log.close()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass
