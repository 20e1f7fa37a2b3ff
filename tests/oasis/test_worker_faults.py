"""The Celery worker against a broker that fails, with a real worker, a real
redis-server of the test's own (killed and started again, never the shared
one), PostgreSQL and a mail server that takes its time: the worker carries on
after the broker dropped under a running task, and a worker that starts
sends at once the e-mails that waited for it."""

import pytest

from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import send_notification_email
from oasis.celery import app
from tests.brokers import broker_at
from tests.factories import UserFactory
from tests.mailsink import MailSink
from tests.servers import (
    PrivateRedis,
    needs_redis_server,
    start_worker,
    stop_worker,
    wait_for,
    worker_env,
)

pytestmark = [pytest.mark.postgres, needs_redis_server, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server():
    server = PrivateRedis().start()
    yield server
    server.stop()


@pytest.fixture
def mail_server():
    # Three seconds between taking a message and saying "accepted": the
    # window in which the test pulls the broker away.
    sink = MailSink(delay=3).start()
    yield sink
    sink.stop()


@pytest.fixture
def worker_for(tmp_path, task_queue, redis_server, mail_server):
    """Start a worker on the private Redis, mail to the slow mail server;
    tasks this test sends go to that Redis too."""
    env = worker_env(
        tmp_path,
        redis_server.url,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_server.port),
    )
    started = []
    app.conf.task_always_eager = False
    with broker_at(redis_server.url):

        def start():
            started.append(start_worker(tmp_path, env, task_queue))
            return started[-1]

        yield start
    for worker in started:
        stop_worker(worker)


def _notice(email: str, key: str) -> Notification:
    (notice,) = notify(recipients=[UserFactory(email=email)], kind="test", key=key, email=False)
    return notice


def _emailed(notice) -> bool:
    notice.refresh_from_db()
    return notice.emailed_at is not None


def test_the_worker_carries_on_after_the_broker_drops_under_a_running_task(
    worker_for, redis_server, mail_server, tmp_path
):
    worker = worker_for()
    # Given a task running: the mail server has the message, and has not answered
    first = _notice("first@example.com", "drop:1")
    send_notification_email.delay(first.pk)
    wait_for(lambda: mail_server.messages, 30, "the first hand-off")

    # When the broker dies under it and comes back (empty) on the same port
    redis_server.stop()
    redis_server.start()

    # Then the worker is still there and takes a task queued after the return
    second = _notice("second@example.com", "drop:2")
    send_notification_email.delay(second.pk)
    wait_for(lambda: _emailed(second), 60, "the task queued after the broker's return")
    assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
    assert _emailed(first)
    assert [m["to"] for m in mail_server.messages] == [
        ["first@example.com"],
        ["second@example.com"],
    ]


def test_emails_waiting_for_a_worker_go_out_as_soon_as_it_starts(worker_for, mail_server):
    # Given notices written while no worker ran (nothing in the queue for them)
    mail_server.delay = 0
    waiting = [_notice(f"reader{i}@example.com", f"waiting:{i}") for i in range(3)]

    # When a worker starts (no beat, no sweep scheduled)
    worker_for()

    # Then their e-mails go out at once, each once
    wait_for(lambda: all(_emailed(n) for n in waiting), 30, "the e-mails that waited")
    assert sorted(m["to"][0] for m in mail_server.messages) == [
        "reader0@example.com",
        "reader1@example.com",
        "reader2@example.com",
    ]
