from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .messages import render_message, render_title


class Notification(models.Model):
    """One notice to one member about one event. `key` names the event (e.g.
    "assigned:42"); the unique constraint makes a second notice for the same
    event impossible, however often the code that sends it runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(max_length=120)
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    # How many events a grouped notice stands for ("3 new comments"): moved
    # with F() by notify_grouped, so concurrent events are all counted.
    # Shown as the %(count)s parameter when the params have none of their own.
    count = models.PositiveIntegerField(default=1)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # The e-mail's hand-off to the mail server, for sending it once (see
    # tasks.send_notification_email): committed before the hand-off, so a
    # worker killed in the middle leaves a row that says "maybe sent"
    # instead of one that says "not sent" and is sent again at once.
    email_sending_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    # The same Message-ID on every attempt, so that a resend after an
    # uncertain hand-off is recognised as the same message by mail clients.
    email_message_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], name="notification_once_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # The e-mail sweep runs every minute: it reads only the few rows
            # still waiting for their e-mail, never the whole table.
            models.Index(
                fields=["id"],
                condition=models.Q(emailed_at__isnull=True),
                name="notification_email_pending",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"

    # Written in the active language when read (see messages.py).
    @property
    def title(self) -> str:
        return render_title(self)

    @property
    def message(self) -> str:
        return render_message(self)
