"""Sending notices by e-mail, as close to once each as a mail server allows.

A notice's e-mail goes through three states, each committed before the next
step, so that a worker killed at any moment leaves a row that tells the
truth:

    pending  (email_sending_at and emailed_at empty)
      → sending  (email_sending_at set, a Message-ID chosen; committed
                  BEFORE the message is handed to the mail server)
      → sent     (emailed_at set, committed once the server said "accepted")

A failed hand-off (the server refused, the connection broke) puts the row
back to pending and the task retries. A row left in "sending" is uncertain:
the server may or may not have the message. After OASIS_EMAIL_UNCERTAIN_AFTER
seconds (far longer than a hand-off may take, EMAIL_TIMEOUT) the sweep sends
it once more, with the same Message-ID, which mail clients and servers use
to recognise the copy as the same message; a row still uncertain after that
second attempt is left for an operator and logged as an error. We chose to
resend rather than hold every uncertain row because a civic notice that
never arrives (a deadline, an answer) costs a member more than a rare second
copy that most clients fold into the first."""

import logging
from datetime import timedelta
from email.utils import parseaddr

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from . import digests, unsubscribe
from .models import EmailMode, NoticeTopic, Notification
from .preferences import preferences_of, resolve_topic

logger = logging.getLogger(__name__)

# The first send and one resend after an uncertain hand-off; never a third.
MAX_EMAIL_ATTEMPTS = 2
SWEEP_BATCH = 500


def _uncertain_before():
    return timezone.now() - timedelta(seconds=settings.OASIS_EMAIL_UNCERTAIN_AFTER)


def email_begin(notification_id: int) -> Notification | None:
    """Mark a notice's e-mail as being sent, and commit the mark: returns the
    notice to send, or None when there is nothing to send now (already sent,
    no address, a hand-off still in flight, or the attempts used up)."""
    with transaction.atomic():
        notice = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notice is None or notice.emailed_at is not None or not notice.recipient.email:
            return None
        if notice.digest:
            return None  # its e-mail is the member's digest (digests.py)
        if notice.email_sending_at is None and (
            preferences_of([notice.recipient_id], resolve_topic(notice.topic, notice.url))[
                notice.recipient_id
            ].email
            == EmailMode.OFF
        ):
            # Stopped since the notice was written (an unsubscribe link, the
            # settings page): a queued e-mail is not sent after all.
            notice.emailed_at = timezone.now()
            notice.save(update_fields=["emailed_at"])
            return None
        if notice.email_sending_at is not None:
            if notice.email_sending_at > _uncertain_before():
                return None  # another hand-off may still be under way
            if notice.email_attempts >= MAX_EMAIL_ATTEMPTS:
                return None  # held for an operator (logged by the sweep)
            logger.warning(
                "Notice %s: its e-mail's hand-off never reported back; sending it once "
                "more with the same Message-ID %s.",
                notice.pk,
                notice.email_message_id,
            )
        notice.email_sending_at = timezone.now()
        notice.email_attempts += 1
        if not notice.email_message_id:
            sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
            notice.email_message_id = make_msgid(domain=sender.rpartition("@")[2] or None)
        notice.save(update_fields=["email_sending_at", "email_attempts", "email_message_id"])
    return notice


def _message(notice: Notification) -> EmailMultiAlternatives:
    recipient = notice.recipient
    topic = resolve_topic(notice.topic, notice.url)
    token = unsubscribe.make_token(recipient, [topic])
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {
            "unsubscribe_link": unsubscribe.link(token),
            "topic_label": NoticeTopic(topic).label,
            "notice": notice,
            "recipient": recipient,
            "title": notice.title,
            "message": notice.message,
            "link": settings.OASIS_SITE_URL.rstrip("/") + notice.url if notice.url else "",
        }
        return unsubscribe.email_with_unsubscribe(
            "notifications/email/message",
            context,
            to=recipient.email,
            message_id=notice.email_message_id,
            token=token,
        )


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notice in its recipient's language, once (see the module's
    docstring for the states). A task delivered twice, or run by the sweep as
    well, finds the row sending or sent and sends nothing. Returns whether it
    handed a message to the mail server."""
    notice = email_begin(notification_id)
    if notice is None:
        return False
    try:
        _message(notice).send()
    except Exception:
        # The server refused, or the connection failed before it said
        # "accepted": back to pending, and the retry (or the sweep) sends it
        # again, with the same Message-ID in case the server had it after all.
        Notification.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(
            email_sending_at=None
        )
        raise
    Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return True


def pending_emails():
    """Notices whose e-mail is due: never tried (or put back after a failed
    hand-off), or left uncertain long enough to be tried once more."""
    return Notification.objects.filter(
        Q(email_sending_at__isnull=True)
        | Q(email_sending_at__lt=_uncertain_before(), email_attempts__lt=MAX_EMAIL_ATTEMPTS),
        emailed_at__isnull=True,
        recipient__is_active=True,
        digest="",
    ).exclude(recipient__email="")


@shared_task(acks_late=True)
def send_pending_emails() -> int:
    """Catch up on notices whose e-mail could not be queued (broker down), was
    not sent (no worker), or was left uncertain. Runs every minute and when a
    worker starts. Returns how many it handed to the mail server."""
    held = Notification.objects.filter(
        emailed_at__isnull=True,
        email_sending_at__lt=_uncertain_before(),
        email_attempts__gte=MAX_EMAIL_ATTEMPTS,
    ).values_list("pk", flat=True)[:20]
    if held:
        logger.error(
            "Notices %s: e-mail hand-off uncertain after %d attempts; left for an operator "
            "(check the mail server's log for their Message-IDs).",
            list(held),
            MAX_EMAIL_ATTEMPTS,
        )
    pending = list(pending_emails().order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])
    sent = 0
    for pk in pending:
        try:
            sent += send_notification_email(pk)
        except Exception:  # noqa: BLE001 - one refused message must not stop the rest
            logger.warning(
                "Notice %s: e-mail not sent; the next sweep tries again.", pk, exc_info=True
            )
    return sent


@shared_task(acks_late=True)
def send_digests(period: str) -> int:
    """The daily or weekly digests now due (beat: every day and every Monday
    at 07:00 Seoul time; see digests.py). Idempotent: a member's digest for
    a period goes once however often this runs."""
    return digests.send_digests(period)
