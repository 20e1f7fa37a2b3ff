"""Sending notices by e-mail, exactly once each."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notice in its recipient's language. The row is locked and
    marked sent in the same transaction, so a task delivered twice (or run by
    the sweep as well) sends one e-mail. Returns whether it sent."""
    with transaction.atomic():
        notice = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notice is None or notice.emailed_at is not None or not notice.recipient.email:
            return False
        recipient = notice.recipient
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            context = {
                "notice": notice,
                "recipient": recipient,
                "title": notice.title,
                "message": notice.message,
                "link": settings.OASIS_SITE_URL.rstrip("/") + notice.url if notice.url else "",
            }
            subject = render_to_string("notifications/email/subject.txt", context).strip()
            text = render_to_string("notifications/email/message.txt", context)
            html = render_to_string("notifications/email/message.html", context)
        mail = EmailMultiAlternatives(subject, text, to=[recipient.email])
        mail.attach_alternative(html, "text/html")
        mail.send()
        notice.emailed_at = timezone.now()
        notice.save(update_fields=["emailed_at"])
    return True


@shared_task(acks_late=True)
def send_pending_emails() -> int:
    """Catch up on notices whose e-mail could not be queued (broker down)."""
    pending = Notification.objects.filter(
        emailed_at__isnull=True, recipient__is_active=True
    ).values_list("pk", flat=True)[:500]
    return sum(send_notification_email(pk) for pk in pending)
