"""Backing services: database, cache, Celery broker, e-mail. With DATABASE_URL
and REDIS_URL the portal uses PostgreSQL and Redis; without them it falls back
to SQLite, a local-memory cache and Celery tasks run inline."""

from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab

from .base import VAR_DIR
from .env import env_bool, env_int, env_str

DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": (
        # Connections are kept for a minute and checked before each request
        # reuses one: after a PostgreSQL restart a worker's stale connection
        # is replaced quietly instead of failing the next request with 500.
        dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
        if DATABASE_URL
        else {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "oasis.sqlite3"}
    )
}
# Local state lives under var/ (ignored by git): the embedded default's
# database, mail and media, and Celery beat's schedule file.
VAR_DIR.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it pays for analytic queries that run for seconds,
    # never for a page's queries, and it cost a search 130 ms of compiling a
    # 20 ms query whose estimated cost crossed jit_above_cost (make bench).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # A database that cannot be reached fails a request in seconds, not after
    # the operating system's minutes (the calm 503 page then answers).
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Wait for the write lock instead of failing at once when two
        # processes write (the web server and, under `make run`, the worker).
        "timeout": 20,
        # Readers never wait for a writer, nor a writer for readers: the
        # worker's sweeps and the pages run side by side (a no-op on the
        # tests' in-memory database).
        "init_command": "PRAGMA journal_mode=WAL;",
        # Take the write lock when a transaction begins: a transaction that
        # read first and then wrote could not wait for the lock (SQLite
        # answers "database is locked" at once, since its snapshot is stale).
        "transaction_mode": "IMMEDIATE",
    }

REDIS_URL = env_str("REDIS_URL")


def _redis_db(url: str, db: int) -> str:
    """The same server with another database number: the broker keeps REDIS_URL's
    database, the cache gets its own, so clearing the cache never drops tasks."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


if REDIS_URL:
    _CACHE_URL = env_str("REDIS_CACHE_URL") or _redis_db(REDIS_URL, env_int("REDIS_CACHE_DB", 1))
    CACHES = {
        "default": {
            # Redis, falling back to local memory while it is down (oasis/cache.py).
            "BACKEND": "oasis.cache.FailSafeRedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": "oasis",
        },
        # The anonymous page cache (oasis/page_cache.py) apart from the rest:
        # copies of pages may be evicted freely, rate-limit counters and the
        # queue of noted views must not be pushed out by them. Its own Redis
        # (REDIS_PAGE_CACHE_URL, with maxmemory and allkeys-lru) in production;
        # by default the cache's server under another prefix.
        "pages": {
            "BACKEND": "oasis.cache.FailSafeRedisCache",
            "LOCATION": env_str("REDIS_PAGE_CACHE_URL") or _CACHE_URL,
            "KEY_PREFIX": "oasis-pages",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "oasis-pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }

# Public pages are kept this many seconds for readers who are not logged in
# (oasis/page_cache.py); 0 turns the page cache off. A count on such a page
# (endorsements, views) is at most this old for them.
PAGE_CACHE_SECONDS = env_int("OASIS_PAGE_CACHE_SECONDS", 5)

# Celery: a Redis broker when there is one. Without Redis, `make run`
# (manage.py run_embedded, which sets OASIS_EMBEDDED_CLOCK) runs a worker and
# beat beside the web server on kombu's filesystem transport, a queue of files
# under var/celery/; anything else without Redis (the tests, a bare
# `manage.py runserver` or shell) runs tasks inline and has no clock.
EMBEDDED_CLOCK = not REDIS_URL and env_bool("OASIS_EMBEDDED_CLOCK")
CELERY_BROKER_URL = env_str(
    "CELERY_BROKER_URL", REDIS_URL or ("filesystem://" if EMBEDDED_CLOCK else "memory://")
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool(
    "CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL and not EMBEDDED_CLOCK
)
CELERY_TASK_EAGER_PROPAGATES = True

# What a worker writes for the web to read (the similar-while-typing results
# of proposals/similarity.py, and the lists kept with them): the cache's Redis
# under its own prefix; under `make run` without Redis, where the worker is a
# process of its own, files under var/cache/ that both processes read (local
# memory would keep each process's writes to itself); elsewhere, where tasks
# run inline, local memory.
if REDIS_URL:
    CACHES["shared"] = {**CACHES["default"], "KEY_PREFIX": "oasis-shared"}
elif EMBEDDED_CLOCK:
    CACHES["shared"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "shared"),
    }
else:
    CACHES["shared"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "oasis-shared",
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Seoul"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The queue tasks are sent to and a worker reads. Two portals (or a test's
# worker, tests/pipeline/test_celery_worker.py) on one Redis database keep
# their tasks apart by naming their own.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Where beat remembers when each periodic task last ran (its default is
# ./celerybeat-schedule.*, in the repository).
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A web request that queues a task must not hang when Redis is down: fail
# fast (the data is already committed) and let the periodic sweeps catch up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# The worker outlives a broker outage of any length: it keeps reconnecting
# (celery's default gives up after 100 attempts, about an hour and a half)
# and lets a task that was running when the connection dropped finish; the
# task's message goes back to the queue after Redis's visibility timeout and
# runs again, harmlessly (tasks are idempotent). See also oasis/celery.py.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# A frozen Redis (the process stopped, the network silent) must not hold a
# web request or the worker for ever: every command waits at most this long;
# keepalive notices a peer that vanished without closing the connection.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis answers in milliseconds; a second without an answer is a frozen
    # server, and every web worker waiting longer on it is one that cannot
    # answer anyone else (the health check included).
    "socket_timeout": env_int("CELERY_BROKER_SOCKET_TIMEOUT", 1),
    "socket_connect_timeout": 2,
    "socket_keepalive": True,
    "retry_on_timeout": True,
    "health_check_interval": 10,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # One folder is both ends of the queue (the web server and beat write a
    # file per task, the worker takes it and deletes it); exchanges are
    # recorded in the control folder. Absolute paths: the transport's
    # defaults are relative to whatever directory a process started in.
    _QUEUE_DIR = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_QUEUE_DIR),
        "data_folder_out": str(_QUEUE_DIR),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        # The worker looks for new files this often (kombu's default, a
        # second, lets a backlog drain at two tasks a second).
        "polling_interval": 0.2,
    }
    for _folder in ("queue", "control", "processed"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
CELERY_BEAT_SCHEDULE = {
    # Views of proposal pages answered from the page cache, noted in Redis.
    "count-noted-views": {"task": "proposals.tasks.count_noted_views", "schedule": 60.0},
    # Similarity terms of proposals whose task was never queued (broker
    # down): a small batch every few minutes (proposals/similarity.py).
    "fill-missing-similarity-terms": {
        "task": "proposals.tasks.fill_missing_similarity_terms",
        "schedule": 180.0,
    },
    "purge-view-marks": {
        "task": "proposals.tasks.purge_view_marks",
        "schedule": crontab(hour=4, minute=10),
    },
    # Personal data past its retention period (oasis/settings/legal.py).
    "purge-withdrawn-residue": {
        "task": "accounts.tasks.purge_withdrawn_residue",
        "schedule": crontab(hour=4, minute=30),
    },
    "purge-access-records": {
        "task": "accounts.tasks.purge_access_records",
        "schedule": crontab(hour=4, minute=40),
    },
    "clear-expired-sessions": {
        "task": "proposals.tasks.clear_expired_sessions",
        "schedule": crontab(hour=4, minute=20),
    },
    "purge-submitted-forms": {
        "task": "accounts.tasks.purge_submitted_forms",
        "schedule": crontab(hour=4, minute=25),
    },
    # Endorsements stored but not yet counted (a web process stopped between
    # the two; proposals/services.py explains the design).
    "reconcile-endorsement-counts": {
        "task": "proposals.tasks.reconcile_endorsement_counts",
        "schedule": 60.0,
    },
    # Mileage claims stored but not yet folded into the ledger (a process
    # stopped between the two; mileage/services.py explains the design).
    "fold-mileage-claims": {"task": "mileage.tasks.fold_claims", "schedule": 60.0},
    # The pipeline's catch-up: promotions missed while the broker was down,
    # endorsement windows that closed.
    "sweep-pipeline": {"task": "pipeline.tasks.sweep_pipeline", "schedule": 300.0},
    # No open work without an owner or a fallback (accounts/ownership.py):
    # hourly, the operators told at most once a day while it is not 0.
    # Assignments to a department with no active official, mailed to the
    # department's own address; the catch-up of the mail queued at once.
    "mail-empty-departments": {
        "task": "answers.tasks.mail_empty_departments",
        "schedule": crontab(minute="*/15"),
    },
    "check-unowned-work": {
        "task": "pipeline.tasks.check_unowned_work",
        "schedule": crontab(minute=15),
    },
    # Every minute: notices whose e-mail could not be queued go out within a
    # minute of the broker's return (a partial index keeps it cheap). A sweep
    # that waited in the queue while no worker read it expires instead of
    # running many times over when the worker comes back.
    "send-pending-emails": {
        "task": "notifications.tasks.send_pending_emails",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "close-due-debates": {"task": "debates.tasks.close_due_debates", "schedule": 300.0},
    # Participants of a debate closed or summarised in the last day who were
    # not told (a fan-out lost with the broker) (debates/notices.py).
    "debate-participants-catch-up": {
        "task": "debates.tasks.catch_up_debate_participants",
        "schedule": crontab(minute=35),
    },
    # Endorsers of a merged proposal not told yet that they may carry their
    # endorsement over (proposals/merging.py), for the task lost with the broker.
    "catch-up-carry-requests": {
        "task": "proposals.tasks.catch_up_carry_requests",
        "schedule": crontab(minute=40),
    },
    # City polls whose period is over: closed, their department told (polls/services/editing.py).
    "close-due-polls": {"task": "polls.tasks.close_due_polls", "schedule": 300.0},
    # Polls for some districts that opened lately: their members told
    # ("polls in my district", polls/notices.py), each once.
    "announce-opened-polls": {"task": "polls.tasks.announce_opened_polls", "schedule": 600.0},
    "answer-deadlines": {
        "task": "answers.tasks.sweep_answer_deadlines",
        "schedule": crontab(minute=20),
    },
    # Adopted items: bimonthly progress report requests, reminders, escalation.
    "request-progress-reports": {
        "task": "tracking.tasks.request_progress_reports",
        "schedule": crontab(hour=6, minute=0),
    },
    "remind-progress-reports": {
        "task": "tracking.tasks.remind_progress_reports",
        "schedule": crontab(hour=9, minute=0),
    },
    # 이달의 상상지기: last month's officials ranked on the 1st (Seoul time),
    # waiting for the operators' confirmation. Idempotent: a month is ranked once.
    "rank-monthly-award": {
        "task": "awards.tasks.rank_monthly_award",
        "schedule": crontab(day_of_month=1, hour=7, minute=30),
    },
    # Expert opinion requests: a reminder before the due date, a notice once overdue.
    "remind-opinion-requests": {
        "task": "meetings.tasks.remind_opinion_requests",
        "schedule": crontab(hour=9, minute=10),
    },
    "schedule-next-meeting": {
        "task": "meetings.tasks.schedule_next_meeting",
        "schedule": crontab(hour=6, minute=5),
    },
    # Themed calls whose period ended close, their department told once;
    # picked proposals answered while the broker was away get their debate.
    "close-due-themes": {"task": "themes.tasks.close_due_themes", "schedule": 300.0},
    # The open statistics (stats/refresh.py): the proposals changed since the
    # last count every ten minutes, every proposal nightly.
    "refresh-statistics": {
        "task": "stats.tasks.refresh_statistics",
        "schedule": 600.0,
        "options": {"expires": 590},
    },
    "refresh-statistics-full": {
        "task": "stats.tasks.refresh_statistics",
        "schedule": crontab(hour=2, minute=30),
        "kwargs": {"full": True},
    },
    # The open-data files (opendata/build.py), nightly after the full count
    # (Seoul time, CELERY_TIMEZONE); a second run the same day replaces them.
    "build-open-data": {
        "task": "opendata.tasks.build_open_data",
        "schedule": crontab(hour=3, minute=30),
    },
    # Monthly and yearly reports (stats/reports.py): last month's on the 1st,
    # last year's on 1 January, missed periods caught up; daily, so a day
    # the beat was down is made good the next. Idempotent: a period once.
    "make-due-reports": {
        "task": "stats.tasks.make_due_reports",
        "schedule": crontab(hour=1, minute=0),
    },
    # Notice digests (notifications/digests.py): yesterday's at 07:00, last
    # week's on Monday at 07:00 (Seoul time); each also catches up the
    # period before, and a member's digest goes once per period.
    "send-daily-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
        "kwargs": {"period": "daily"},
    },
    "send-weekly-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
        "kwargs": {"period": "weekly"},
    },
}
# Seconds: when set, every periodic task runs at least this often (those
# already more frequent keep their pace). For a demo, where windows, deadlines
# and report dates a few minutes away should be seen to pass; `make run` sets
# 60. Unset (0) in production: the schedule above.
BEAT_INTERVAL = env_int("OASIS_BEAT_INTERVAL", 0)
if BEAT_INTERVAL > 0:
    for _entry in CELERY_BEAT_SCHEDULE.values():
        _every = _entry["schedule"]
        if not isinstance(_every, int | float) or _every > BEAT_INTERVAL:
            _entry["schedule"] = float(BEAT_INTERVAL)
            # A sweep that waited longer than its own interval in the queue
            # is superseded by the next one.
            if "expires" in _entry.get("options", {}):
                _entry["options"] = {**_entry["options"], "expires": BEAT_INTERVAL}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_FILE_PATH = VAR_DIR / "mail"
# Seconds one conversation with the mail server may stall before it fails
# (Django's default waits for ever, and a worker held there holds its notices).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Notice e-mails are sent once (notifications/tasks.py): a hand-off to the
# mail server that never reported back (the worker was killed in it) is
# tried once more, with the same Message-ID, after this many seconds; one
# still uncertain after that is left for an operator (logged as an error).
OASIS_EMAIL_UNCERTAIN_AFTER = env_int("OASIS_EMAIL_UNCERTAIN_AFTER", 600)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "오아시스 <no-reply@oasis.seoul.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Days before an expert opinion request's due date that beat reminds the
# expert (meetings.services.opinion_requests_remind).
OPINION_REMIND_DAYS = env_int("OASIS_OPINION_REMIND_DAYS", 3)

# Lists count the rows they match up to this many and then say "more than"
# (oasis/pagination.py): an exact count grows with the data.
LIST_COUNT_CAP = env_int("OASIS_LIST_COUNT_CAP", 10_000)

# A city poll's results broken down by district or age band show no group
# smaller than this many voters (polls/results.py), so that no one's vote can
# be told from a small group's numbers.
POLL_MIN_GROUP = env_int("OASIS_POLL_MIN_GROUP", 5)
