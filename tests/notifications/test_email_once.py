"""A notice's e-mail is sent as close to once as a mail server allows: the
"sending" mark is committed before the message is handed over, a worker
killed in the middle leaves the row uncertain instead of unsent, and the
uncertain row is sent once more, with the same Message-ID, only after a
grace period; a second uncertain hand-off is left for an operator.

The mail server here is Django's test outbox behind a backend that can fail
the way a real hand-off fails: the server refusing (an OSError, retried) or
the worker dying in the middle (an exception no handler catches, as SIGKILL
would leave the row)."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import send_notification_email, send_pending_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BACKEND = "tests.notifications.test_email_once.FaultyMailServer"


class WorkerKilled(BaseException):
    """The worker dying during the hand-off: nothing after this line runs."""


class FaultyMailServer(EmailBackend):
    """The test outbox; `fail_next` says how the next hand-off ends:
    "killed" after the server took the message, "refused" before."""

    fail_next: str | None = None
    rows_seen: list[dict] = []

    def send_messages(self, messages):
        for message in messages:
            notice = Notification.objects.get(email_message_id=message.extra_headers["Message-ID"])
            FaultyMailServer.rows_seen.append(
                {"sending": notice.email_sending_at is not None, "sent": notice.emailed_at}
            )
        failure, FaultyMailServer.fail_next = FaultyMailServer.fail_next, None
        if failure == "refused":
            raise ConnectionRefusedError("the mail server is not answering")
        sent = super().send_messages(messages)
        if failure == "killed":
            raise WorkerKilled
        return sent


@pytest.fixture
def mail_server(settings):
    settings.EMAIL_BACKEND = BACKEND
    settings.OASIS_EMAIL_UNCERTAIN_AFTER = 600
    FaultyMailServer.fail_next = None
    FaultyMailServer.rows_seen = []
    mail.outbox = []
    return FaultyMailServer


@pytest.fixture
def notice(django_capture_on_commit_callbacks):
    """A notice written, its e-mail not yet handed over (as when the broker
    could not take the task)."""
    member = UserFactory(email="reader@example.com")
    (created,) = notify(recipients=[member], kind="test", key="once:1", email=False)
    return created


def _ids(messages):
    return [m.extra_headers["Message-ID"] for m in messages]


def test_the_sending_mark_is_committed_before_the_hand_off(mail_server, notice):
    # When the notice's e-mail is sent
    assert send_notification_email(notice.pk) is True
    # Then the mail server got it while the row already said "sending"
    assert mail_server.rows_seen == [{"sending": True, "sent": None}]
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert _ids(mail.outbox) == [notice.email_message_id]
    # And a second delivery of the task (or the sweep) sends nothing more
    assert send_notification_email(notice.pk) is False
    assert send_pending_emails() == 0
    assert len(mail.outbox) == 1


def test_a_worker_killed_mid_send_does_not_send_again_at_once(mail_server, notice):
    # Given a worker killed while handing the e-mail over (the server has it)
    mail_server.fail_next = "killed"
    with pytest.raises(WorkerKilled):
        send_notification_email(notice.pk)
    notice.refresh_from_db()
    assert notice.email_sending_at is not None and notice.emailed_at is None
    # When the task is delivered again and the sweep runs, inside the grace period
    assert send_notification_email(notice.pk) is False
    assert send_pending_emails() == 0
    # Then the member has one e-mail, not two
    assert len(mail.outbox) == 1


def test_an_uncertain_hand_off_is_sent_once_more_with_the_same_message_id(mail_server, notice):
    # Given an uncertain hand-off older than the grace period
    mail_server.fail_next = "killed"
    with pytest.raises(WorkerKilled):
        send_notification_email(notice.pk)
    Notification.objects.filter(pk=notice.pk).update(
        email_sending_at=timezone.now() - timedelta(seconds=601)
    )
    # When the sweep runs
    assert send_pending_emails() == 1
    # Then it is sent once more, with the Message-ID of the first attempt
    notice.refresh_from_db()
    assert notice.emailed_at is not None and notice.email_attempts == 2
    assert _ids(mail.outbox) == [notice.email_message_id] * 2
    assert send_pending_emails() == 0


def test_a_second_uncertain_hand_off_is_left_for_an_operator(mail_server, notice, caplog):
    # Given two hand-offs that never reported back
    for _ in range(2):
        mail_server.fail_next = "killed"
        with pytest.raises(WorkerKilled):
            if _ == 0:
                send_notification_email(notice.pk)
            else:
                send_pending_emails()
        Notification.objects.filter(pk=notice.pk).update(
            email_sending_at=timezone.now() - timedelta(seconds=601)
        )
    # When the sweep runs again
    with caplog.at_level(logging.ERROR, logger="notifications.tasks"):
        assert send_pending_emails() == 0
    # Then no third copy goes out, and the operator is told which notice
    assert len(mail.outbox) == 2
    assert f"[{notice.pk}]" in caplog.text and "operator" in caplog.text


def test_a_refused_hand_off_goes_back_to_pending_and_the_sweep_sends_it(mail_server, notice):
    # Given a mail server that refuses the connection
    mail_server.fail_next = "refused"
    with pytest.raises(OSError):
        send_notification_email.run(notice.pk)
    notice.refresh_from_db()
    assert notice.email_sending_at is None and notice.emailed_at is None
    assert mail.outbox == []
    # When the sweep runs (the server answers again)
    assert send_pending_emails() == 1
    # Then the e-mail goes out once, with the Message-ID chosen the first time
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert _ids(mail.outbox) == [notice.email_message_id]


def test_the_sweep_skips_members_without_an_address(
    mail_server, django_capture_on_commit_callbacks
):
    member = UserFactory(email="")
    notify(recipients=[member], kind="test", key="once:2", email=False)
    assert send_pending_emails() == 0
    assert mail.outbox == []
