"""`make faults`: the portal as production runs it (gunicorn, a Celery worker
and beat, Redis, PostgreSQL, a mail server), a light load of members over
HTTP (log in, read, endorse, comment, propose with a photo), and one fault
after another injected under that load. For each fault it reports the
requests made, the answers by status (a 500 is a failure), told versus
stored (endorsements and comments members were told were saved against the
rows; notices against e-mails sent, doubled and uncertain) and the time
until the portal caught up. Results: var/faults/results.json and
var/faults/results.md.

It brings up its OWN servers and never touches anyone else's: a redis-server
on 6380 and a PostgreSQL cluster "15 faults" on 5433 (created if missing,
as root: pg_createcluster), plus gunicorn, the worker, beat and a mail sink
on spare ports. It kills, freezes and restarts only those.

    python faults/run.py            # the full run, about 8-10 minutes
    python faults/run.py --quick    # shorter faults, for development

Plain Python: not a Django app, nothing imports it; it runs the portal's
processes with the project's virtualenv and reads the database with psycopg.
"""

import argparse
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg
import requests
from PIL import Image

BASE = Path(__file__).resolve().parent.parent
OUT = BASE / "var" / "faults"
PY = sys.executable
PG_VERSION = "15"
PG_CLUSTER = "faults"
PG_PORT = 5433
REDIS_PORT = 6380
WEB_PORT = 8765
MAIL_PORT = 2527
SEED_DB = "oasis_faults_seed"
RUN_DB = "oasis_faults_run"
PASSWORD = "oasis-demo-2026"
DSN = f"postgresql://oasis:oasis@127.0.0.1:{PG_PORT}"
WEB = f"http://127.0.0.1:{WEB_PORT}"
ENDORSED = re.compile("이 제안을 추천했어요|You endorsed this proposal")


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def wait_until(condition, seconds, step=0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Exception:  # noqa: BLE001,S110 - a server still starting
            pass
        time.sleep(step)
    return False


# --- the servers --------------------------------------------------------------


def sh(*args, check=True, **kwargs):
    return subprocess.run(args, check=check, capture_output=True, text=True, **kwargs)


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=0.3) as s:
            s.settimeout(0.3)
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_pid() -> int | None:
    found = sh("pgrep", "-f", f"redis-server 127.0.0.1:{REDIS_PORT}", check=False).stdout.split()
    return int(found[0]) if found else None


def redis_start():
    if not redis_up():
        sh("redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--daemonize",
           "yes", "--save", "", "--appendonly", "no")  # fmt: skip
        wait_until(redis_up, 10)


def redis_stop():
    pid = redis_pid()
    if pid:
        os.kill(pid, signal.SIGCONT)
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not redis_up() and redis_pid() is None, 10)


def pg_ctl(action: str):
    sh("pg_ctlcluster", PG_VERSION, PG_CLUSTER, action, check=False)


def pg_up() -> bool:
    try:
        with psycopg.connect(f"{DSN}/postgres", connect_timeout=2):
            return True
    except psycopg.Error:
        return False


def pg_prepare():
    clusters = sh("pg_lsclusters", "-h").stdout
    if not re.search(rf"^{PG_VERSION}\s+{PG_CLUSTER}\s", clusters, re.M):
        sh("pg_createcluster", PG_VERSION, PG_CLUSTER, "--port", str(PG_PORT))
    pg_ctl("start")
    if not wait_until(pg_up, 5):
        sh("su", "postgres", "-c",
           f"psql -p {PG_PORT} -qc \"CREATE ROLE oasis LOGIN SUPERUSER PASSWORD 'oasis'\"",
           check=False)  # fmt: skip
        if not wait_until(pg_up, 20):
            raise SystemExit("PostgreSQL cluster 15/faults does not answer on 5433")


def sql(query: str, *params, db=RUN_DB):
    with psycopg.connect(f"{DSN}/{db}", autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(query, params)
        return rows.fetchall() if rows.description else None


def database_exists(name: str) -> bool:
    return bool(sql("SELECT 1 FROM pg_database WHERE datname = %s", name, db="postgres"))


def env(**extra) -> dict:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "OASIS_", "CELERY_", "EMAIL_"))
    }
    base.update(
        DATABASE_URL=f"postgres://oasis:oasis@127.0.0.1:{PG_PORT}/{RUN_DB}",
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        REDIS_CACHE_DB="1",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="faults-run-key-" + "f" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        OASIS_VAR_DIR=str(OUT / "var"),
        DJANGO_STATIC_ROOT=str(OUT / "static"),
        DJANGO_MEDIA_ROOT=str(OUT / "media"),
        # Each virtual member comes from an address of their own, as members
        # of a city do (per-address limits would otherwise throttle the load).
        OASIS_CLIENT_IP_HEADER="X-Real-IP",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(MAIL_PORT),
        EMAIL_TIMEOUT="5",
        OASIS_EMAIL_UNCERTAIN_AFTER="20",
        LOG_LEVEL="WARNING",
    )
    base.update(extra)
    return base


def manage(*args, **extra):
    done = subprocess.run([PY, "manage.py", *args], cwd=BASE, env=env(**extra),
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


class Process:
    """One of the portal's processes, its output in var/faults/<name>.log."""

    def __init__(self, name, args, **extra):
        self.name, self.args, self.extra, self.proc = name, args, extra, None

    def start(self):
        out = open(OUT / f"{self.name}.log", "a")  # noqa: SIM115 - the process's log
        self.proc = subprocess.Popen(self.args, cwd=BASE, env=env(**self.extra), stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self, sig=signal.SIGKILL):
        if self.alive():
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def worker():
    return Process("worker", [PY, "-m", "celery", "-A", "oasis", "worker", "-c", "2",
                              "--loglevel", "INFO", "--without-gossip", "--without-mingle"])  # fmt: skip


def worker_ready(since: float) -> bool:
    text = (OUT / "worker.log").read_text(errors="replace")
    return text.count(" ready.") > since


# --- the load -----------------------------------------------------------------


def small_jpeg(seed: int) -> bytes:
    image = Image.new("RGB", (320, 240), (seed * 37 % 255, seed * 91 % 255, 120))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class Load:
    """Virtual members, each a requests session from an address of its own,
    logging in, reading, endorsing, commenting and now and then proposing
    with a photo. Every answer is counted by phase and status; every
    "saved" answer is remembered, to be checked against the rows."""

    def __init__(self, members, proposals, category, clients):
        self.members, self.proposals, self.category = members, proposals, category
        self.clients = clients
        self.phase = "setup"
        self.statuses: dict[str, Counter] = {}
        self.lock = threading.Lock()
        self.told_endorsed: set[tuple[int, int]] = set()
        self.told_commented: set[str] = set()
        self.told_proposed: set[str] = set()
        self.refused_proposals: Counter = Counter()
        self.five_hundreds: list[str] = []
        self.stop = threading.Event()
        self.serial = 0

    def count(self, response_or_error, what):
        status = (
            response_or_error
            if isinstance(response_or_error, str)
            else str(response_or_error.status_code)
        )
        with self.lock:
            self.statuses.setdefault(self.phase, Counter())[status] += 1
            if status == "500":
                self.five_hundreds.append(f"{self.phase}: {what}")

    def next_serial(self):
        with self.lock:
            self.serial += 1
            return self.serial

    def request(self, session, method, path, what, **kwargs):
        try:
            response = session.request(method, WEB + path, timeout=15, allow_redirects=False,
                                       **kwargs)  # fmt: skip
        except requests.RequestException as error:
            self.count(type(error).__name__, what)
            return None
        self.count(response, what)
        return response

    def log_in(self, index):
        member_id, email = self.members[index % len(self.members)]
        session = requests.Session()
        session.headers["X-Real-IP"] = (
            f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"
        )
        session.headers["Accept-Language"] = "ko"
        page = self.request(session, "GET", "/accounts/login/", "login page")
        if page is None or page.status_code != 200:
            return None, member_id
        token = session.cookies.get("csrftoken", "")
        done = self.request(session, "POST", "/accounts/login/", "log in",
                            data={"login": email, "password": PASSWORD,
                                  "csrfmiddlewaretoken": token})  # fmt: skip
        return (session if done is not None and done.status_code == 302 else None), member_id

    def post(self, session, path, what, data=None, files=None):
        data = {**(data or {}), "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}
        return self.request(session, "POST", path, what, data=data, files=files)

    def client(self, number):
        rng = random.Random(number)
        logins = 0
        while not self.stop.is_set():
            index = number * 1000 + logins
            logins += 1
            session, member_id = self.log_in(index)
            if session is None:
                time.sleep(1)
                continue
            mine = [p for p in self.proposals if (member_id, p) not in self.told_endorsed]
            rng.shuffle(mine)
            session_ends = time.monotonic() + 30
            while time.monotonic() < session_ends and not self.stop.is_set():
                action = rng.random()
                if self.phase.startswith("media") and rng.random() < 0.3:
                    action = 0.86  # propose with a photo while the disk refuses
                proposal = rng.choice(self.proposals)
                if action < 0.4:
                    self.request(session, "GET", f"/proposals/{proposal}/", "read")
                elif action < 0.7 and mine:
                    target = mine.pop()
                    done = self.post(session, f"/proposals/{target}/endorse/", "endorse")
                    if done is not None and done.status_code == 302:
                        # Told "endorsed" = the page it leads to says so (a
                        # refusal, say on a closed proposal, redirects too).
                        after = self.request(session, "GET", done.headers["Location"], "read")
                        if after is not None and ENDORSED.search(after.text):
                            with self.lock:
                                self.told_endorsed.add((member_id, target))
                elif action < 0.85:
                    body = f"고장 실험 댓글 {number}-{self.next_serial()}"
                    done = self.post(session, f"/proposals/{proposal}/comments/", "comment",
                                     {"body": body})  # fmt: skip
                    if done is not None and done.status_code == 302:
                        with self.lock:
                            self.told_commented.add(body)
                elif action < 0.88:
                    self.propose(session, number)
                else:
                    self.request(session, "GET", "/proposals/", "list")
                time.sleep(rng.uniform(0.2, 0.6))

    def propose(self, session, number):
        serial = self.next_serial()
        title = f"고장 실험 제안 {number}-{serial}: 한강 쉼터"
        done = self.post(
            session,
            "/proposals/new/",
            "propose",
            {"title": title, "body": "강변에 그늘과 쉼터를 더 만들어 주세요. " * 3,
             "category": str(self.category), "district": "", "tags": ""},
            files={"photos": (f"p{serial}.jpg", small_jpeg(serial), "image/jpeg")},
        )  # fmt: skip
        if done is None:
            return
        if done.status_code == 302:
            with self.lock:
                self.told_proposed.add(title)
        elif done.status_code == 200 and "저장하지 못해" in done.text:
            with self.lock:
                self.refused_proposals[self.phase] += 1

    def start(self):
        self.threads = [threading.Thread(target=self.client, args=(n,), daemon=True)
                        for n in range(self.clients)]  # fmt: skip
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


# --- what is stored -------------------------------------------------------------


def sink_messages() -> list[dict]:
    path = OUT / "mail.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def email_state(since_id: int) -> dict:
    rows = sql(
        "SELECT count(*), count(emailed_at), "
        "count(*) FILTER (WHERE emailed_at IS NULL AND email_sending_at IS NOT NULL), "
        "count(*) FILTER (WHERE emailed_at IS NULL AND email_sending_at IS NULL), "
        "count(*) FILTER (WHERE email_attempts > 1) "
        "FROM notifications_notification n JOIN accounts_user u ON u.id = n.recipient_id "
        "WHERE n.id > %s AND u.email <> ''",
        since_id,
    )[0]
    ids = {r[0] for r in sql(
        "SELECT email_message_id FROM notifications_notification WHERE id > %s "
        "AND email_message_id <> ''", since_id)}  # fmt: skip
    sent = Counter(m["message_id"] for m in sink_messages() if m["message_id"] in ids)
    return {
        "notices": rows[0],
        "marked_sent": rows[1],
        "uncertain_left": rows[2],
        "pending_left": rows[3],
        "resent_after_uncertain": rows[4],
        "emails_received": sum(sent.values()),
        "distinct_received": len(sent),
        # Received more than once: only ever a notice whose hand-off was
        # uncertain and was resent, with the same Message-ID (clients fold
        # such copies); anything beyond resent_after_uncertain is a bug.
        "doubled": sum(1 for n in sent.values() if n > 1),
    }


def last_notice_id() -> int:
    return sql("SELECT coalesce(max(id), 0) FROM notifications_notification")[0][0]


def notify(count: int, tag: str):
    """Notices written through the notifications service, each queueing its
    e-mail after commit as every notice in the portal does."""
    code = (
        "from accounts.models import User; from notifications.services import notify; "
        "members = list(User.objects.filter(email__startswith='member').order_by('id')[:80]); "
        f"[notify(recipients=[members[i % len(members)]], kind='test', key='{tag}:' + str(i)) "
        f"for i in range({count})]"
    )
    manage("shell", "-c", code)


def orphan_media() -> int:
    """Files under media that no photo or attachment row names."""
    root = OUT / "media"
    on_disk = (
        {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )
    named = {r[0] for r in sql("SELECT image FROM proposals_proposalphoto UNION "
                               "SELECT thumbnail FROM proposals_proposalphoto UNION "
                               "SELECT file FROM proposals_proposalattachment")}  # fmt: skip
    return len(on_disk - named - {"filler"})


def healthz_timing() -> tuple[int | str, float, dict]:
    started = time.monotonic()
    try:
        response = requests.get(WEB + "/healthz", timeout=10)
        status, body = response.status_code, response.json()
    except requests.RequestException as error:
        status, body = type(error).__name__, {}
    return status, round(time.monotonic() - started, 3), body


# --- the run ------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description="Inject faults under load; report.")
    parser.add_argument("--quick", action="store_true", help="short faults, for development")
    parser.add_argument("--redis-down", type=float, help="seconds Redis stays stopped (60)")
    parser.add_argument("--clients", type=int, default=6)
    args = parser.parse_args()
    q = args.quick
    redis_down = args.redis_down or (10 if q else 60)
    hold = 5 if q else 15  # seconds each other fault lasts under load

    OUT.mkdir(parents=True, exist_ok=True)
    for name in ("worker.log", "beat.log", "web.log", "mail.jsonl", "sink.log"):
        (OUT / name).unlink(missing_ok=True)
    report = {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "quick": q, "faults": []}
    run_started = time.monotonic()

    log("servers: redis 6380, PostgreSQL 15/faults on 5433")
    redis_start()
    pg_prepare()
    if not database_exists(SEED_DB):
        log("seeding the demo world once (about 90 s; kept as a template)")
        sql(f"CREATE DATABASE {SEED_DB}", db="postgres")
        manage("migrate", "--noinput", DATABASE_URL=f"postgres://oasis:oasis@127.0.0.1:{PG_PORT}/{SEED_DB}",
               CELERY_TASK_ALWAYS_EAGER="1")  # fmt: skip
        manage("seed_demo", "--if-empty", DATABASE_URL=f"postgres://oasis:oasis@127.0.0.1:{PG_PORT}/{SEED_DB}",
               CELERY_TASK_ALWAYS_EAGER="1", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")  # fmt: skip
    sql(f"DROP DATABASE IF EXISTS {RUN_DB} WITH (FORCE)", db="postgres")
    sql(f"CREATE DATABASE {RUN_DB} TEMPLATE {SEED_DB}", db="postgres")
    manage("migrate", "--noinput")  # a seed made before a new migration
    manage("collectstatic", "--noinput")
    sh("redis-cli", "-p", str(REDIS_PORT), "flushall")

    # The media disk: a small tmpfs of its own where mounting is allowed,
    # so that "full" and "read-only" are real.
    media = OUT / "media"
    sh("umount", "-l", str(media), check=False)
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True)
    real_disk = (
        sh("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(media), check=False).returncode
        == 0
    )

    sink = Process("sink", [PY, "-m", "tests.mailsink", "--port", str(MAIL_PORT), "--log",
                            str(OUT / "mail.jsonl")]).start()  # fmt: skip
    web = Process("web", [PY, "-m", "gunicorn", "oasis.wsgi:application", "--bind",
                          f"127.0.0.1:{WEB_PORT}", "--workers", "3", "--timeout", "30"]).start()  # fmt: skip
    work = worker().start()
    beat = Process("beat", [PY, "-m", "celery", "-A", "oasis", "beat", "--loglevel", "INFO",
                            "--schedule", str(OUT / "celerybeat-schedule")]).start()  # fmt: skip
    wait_until(lambda: requests.get(WEB + "/healthz", timeout=2).status_code == 200, 60)
    wait_until(lambda: worker_ready(0), 60)

    first_notice = last_notice_id()
    members = sql("SELECT id, email FROM accounts_user WHERE email LIKE 'member%%' ORDER BY id")
    proposals = [r[0] for r in sql(
        "SELECT id FROM proposals_proposal WHERE status = 'open' AND deleted_at IS NULL "
        "ORDER BY id")]  # fmt: skip
    category = sql("SELECT id FROM proposals_category ORDER BY id LIMIT 1")[0][0]
    load = Load(members, proposals, category, args.clients)
    load.phase = "baseline"
    load.start()
    time.sleep(hold)

    def fault(name, inject, recover, check=None):
        log(f"fault: {name}")
        load.phase = name
        before = Counter(load.statuses.get(name, Counter()))
        started = time.monotonic()
        extra = inject() or {}
        recovered_at = time.monotonic()
        extra.update(recover() or {})
        if check:
            extra.update(check(recovered_at) or {})
        statuses = dict(load.statuses.get(name, Counter()) - before)
        entry = {
            "fault": name,
            "seconds": round(time.monotonic() - started, 1),
            "requests": sum(statuses.values()),
            "statuses": statuses,
            "five_hundreds": statuses.get("500", 0),
            **extra,
        }
        report["faults"].append(entry)
        log(f"  {json.dumps(entry, ensure_ascii=False)}")

    def catch_up(since_id, limit=150):
        def done():
            state = email_state(since_id)
            return state["pending_left"] == 0 and state["uncertain_left"] == 0

        started = time.monotonic()
        caught = wait_until(done, limit, step=1)
        return {"catch_up_seconds": round(time.monotonic() - started, 1) if caught else None,
                "emails": email_state(since_id)}  # fmt: skip

    # 1. Redis stopped (cache and broker), notices written meanwhile.
    def redis_stopped():
        mark = last_notice_id()
        redis_stop()
        notify(10, f"redis-down-{time.time():.0f}")
        time.sleep(redis_down)
        health = healthz_timing()
        redis_start()
        return {"healthz_while_down": {"status": health[0], "seconds": health[1]}, "_mark": mark}

    def after_redis(_):
        entry = report_pending.pop()
        return catch_up(entry)

    report_pending = []

    def redis_inject():
        result = redis_stopped()
        report_pending.append(result.pop("_mark"))
        return result

    fault(f"Redis stopped {redis_down:.0f} s", redis_inject, lambda: None, after_redis)

    # 2. The worker SIGKILLed and started again; notices written while it was away.
    def worker_killed():
        mark = last_notice_id()
        work.kill(signal.SIGKILL)
        notify(10, f"worker-dead-{time.time():.0f}")
        time.sleep(hold)
        readies = (OUT / "worker.log").read_text(errors="replace").count(" ready.")
        work.start()
        wait_until(lambda: worker_ready(readies), 60)
        report_pending.append(mark)

    fault("worker SIGKILLed", worker_killed, lambda: None,
          lambda _: {**catch_up(report_pending.pop()), "note": "seconds from the worker's return"})  # fmt: skip

    # 3. The broker dropped under a running task (a slow mail server).
    def broker_dropped():
        sink.kill(signal.SIGTERM)
        slow = Process("sink", [PY, "-m", "tests.mailsink", "--port", str(MAIL_PORT), "--log",
                                str(OUT / "mail.jsonl"), "--delay", "4"]).start()  # fmt: skip
        time.sleep(1)
        mark = last_notice_id()
        received = len(sink_messages())
        notify(1, f"drop-a-{time.time():.0f}")
        wait_until(lambda: len(sink_messages()) > received, 30)
        redis_stop()
        time.sleep(2)
        redis_start()
        notify(1, f"drop-b-{time.time():.0f}")
        ok = wait_until(lambda: email_state(mark)["marked_sent"] >= 2, 90, step=1)
        slow.kill(signal.SIGTERM)
        sink.start()
        return {"worker_alive": work.alive(), "task_after_return_done": ok,
                "emails": email_state(mark)}  # fmt: skip

    fault("broker dropped under a running task", broker_dropped, lambda: None)

    # 4. Redis frozen (SIGSTOP): /healthz within a second.
    def redis_frozen():
        pid = redis_pid()
        os.kill(pid, signal.SIGSTOP)
        timings = []
        for _ in range(5):
            timings.append(healthz_timing()[:2])
            time.sleep(hold / 5)
        os.kill(pid, signal.SIGCONT)
        return {"healthz": [{"status": s, "seconds": t} for s, t in timings],
                "healthz_max_seconds": max(t for _, t in timings)}  # fmt: skip

    fault("Redis frozen (SIGSTOP)", redis_frozen, lambda: None)

    # 5. Mail handed off, then the worker killed mid-send.
    def mail_then_kill():
        sink.kill(signal.SIGTERM)
        slow = Process("sink", [PY, "-m", "tests.mailsink", "--port", str(MAIL_PORT), "--log",
                                str(OUT / "mail.jsonl"), "--delay", "0.5"]).start()  # fmt: skip
        time.sleep(1)
        mark = last_notice_id()
        received = len(sink_messages())
        notify(40, f"mid-send-{time.time():.0f}")
        wait_until(lambda: len(sink_messages()) >= received + 10, 60)
        readies = (OUT / "worker.log").read_text(errors="replace").count(" ready.")
        work.kill(signal.SIGKILL)
        uncertain = email_state(mark)["uncertain_left"]
        time.sleep(2)
        work.start()
        wait_until(lambda: worker_ready(readies), 60)
        result = catch_up(mark, limit=120)
        slow.kill(signal.SIGTERM)
        sink.start()
        return {"uncertain_at_kill": uncertain, **result}

    fault("mail handed off, worker killed mid-send", mail_then_kill, lambda: None)

    # 6. PostgreSQL restarted: while it restarts pages answer the calm 503;
    # afterwards every gunicorn worker holds a stale connection, which must
    # be replaced quietly (no 500) on its next request.
    def pg_restarted():
        load.phase = "PostgreSQL restarting"
        pg_ctl("restart")
        wait_until(pg_up, 30)
        load.phase = "PostgreSQL restarted"
        time.sleep(hold)
        return {"answers_while_restarting": dict(load.statuses.get("PostgreSQL restarting", {}))}

    fault("PostgreSQL restarted", pg_restarted, lambda: None)

    # 7. PostgreSQL stopped.
    def pg_stopped():
        pg_ctl("stop")
        time.sleep(hold)
        status, took, body = healthz_timing()
        pg_ctl("start")
        wait_until(pg_up, 30)
        started = time.monotonic()
        wait_until(lambda: requests.get(WEB + "/", timeout=5).status_code == 200, 60)
        return {"healthz_while_down": {"status": status, "seconds": took, "body": body},
                "seconds_until_pages_answer": round(time.monotonic() - started, 1)}  # fmt: skip

    fault("PostgreSQL stopped", pg_stopped, lambda: None)

    # 8. The media disk full, then read-only.
    def media_refuses():
        if not real_disk:
            return {"skipped": "could not mount a tmpfs for the media disk (needs root)"}
        orphans_before = orphan_media()
        free = shutil.disk_usage(media).free
        (media / "filler").write_bytes(b"\0" * max(0, free - 20_000))
        time.sleep(hold)
        sh("mount", "-o", "remount,ro", str(media))
        time.sleep(hold)
        sh("mount", "-o", "remount,rw", str(media))
        (media / "filler").unlink()
        return {"refused_with_message": load.refused_proposals.get(load.phase, 0),
                "partial_or_orphan_files": orphan_media() - orphans_before}  # fmt: skip

    fault("media disk full, then read-only", media_refuses, lambda: None)

    load.phase = "after"
    time.sleep(3)
    load.finish()

    # Told versus stored over the whole run.
    stored_endorsements = {
        tuple(r) for r in sql("SELECT user_id, proposal_id FROM proposals_endorsement")
    }
    comments = {
        r[0] for r in sql("SELECT body FROM proposals_comment WHERE body LIKE '고장 실험 댓글%%'")
    }
    titles = {
        r[0]
        for r in sql("SELECT title FROM proposals_proposal WHERE title LIKE '고장 실험 제안%%'")
    }
    report["told_vs_stored"] = {
        "endorsements_told": len(load.told_endorsed),
        "endorsements_told_but_missing": len(load.told_endorsed - stored_endorsements),
        "comments_told": len(load.told_commented),
        "comments_told_but_missing": len(load.told_commented - comments),
        "comments_stored_untold": len(comments - load.told_commented),
        "proposals_told": len(load.told_proposed),
        "proposals_told_but_missing": len(load.told_proposed - titles),
        "proposals_stored_untold": len(titles - load.told_proposed),
        "orphan_media_files": orphan_media(),
    }
    report["all_emails"] = email_state(first_notice)
    report["minutes"] = round((time.monotonic() - run_started) / 60, 1)
    report["statuses_by_phase"] = {k: dict(v) for k, v in load.statuses.items()}
    report["five_hundreds"] = load.five_hundreds[:50]
    report["passed"] = not load.five_hundreds and all(
        report["told_vs_stored"][k] == 0
        for k in ("endorsements_told_but_missing", "comments_told_but_missing",
                  "proposals_told_but_missing", "orphan_media_files")
    ) and report["all_emails"]["doubled"] <= report["all_emails"]["resent_after_uncertain"]  # fmt: skip

    for process in (beat, work, web, sink):
        process.kill(signal.SIGTERM)
    if real_disk:
        sh("umount", "-l", str(media), check=False)
    (OUT / "results.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (OUT / "results.md").write_text(markdown(report))
    log(f"results: {OUT / 'results.md'} — {'PASSED' if report['passed'] else 'FAILED'}")
    print((OUT / "results.md").read_text())
    return 0 if report["passed"] else 1


def markdown(report) -> str:
    lines = [
        f"# Faults under load ({report['started']}{', quick' if report['quick'] else ''})",
        "",
        "| fault | s | requests | answers by status | 500s | notes |",
        "|---|---|---|---|---|---|",
    ]
    for entry in report["faults"]:
        notes = {k: v for k, v in entry.items()
                 if k not in {"fault", "seconds", "requests", "statuses", "five_hundreds"}}  # fmt: skip
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(entry["statuses"].items()))
        lines.append(f"| {entry['fault']} | {entry['seconds']} | {entry['requests']} | {statuses} "
                     f"| {entry['five_hundreds']} | {json.dumps(notes, ensure_ascii=False)} |")  # fmt: skip
    lines += ["", "## Told versus stored", ""]
    lines += [f"- {k}: {v}" for k, v in report["told_vs_stored"].items()]
    lines += ["", "## Notice e-mails over the whole run", ""]
    lines += [f"- {k}: {v}" for k, v in report["all_emails"].items()]
    lines += ["", f"**{'PASSED' if report['passed'] else 'FAILED'}** in {report['minutes']} min: "
              "no 500, nothing told and lost, no orphan media file, no e-mail received twice but "
              "those resent after an uncertain hand-off (same Message-ID).", ""]  # fmt: skip
    if report["five_hundreds"]:
        lines += ["500s:", *[f"- {x}" for x in report["five_hundreds"]]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
