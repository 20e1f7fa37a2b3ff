from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .messages import render_message, render_title


class NoticeTopic(models.TextChoices):
    """What a notice is about from the reader's side (issue 16): members
    choose per topic whether to see it in the site and how to get its
    e-mail. The sender says the topic for each recipient (the proposer of a
    proposal hears of it as "my proposals", a follower as "followed
    proposals"). WORK is staff work (assignments, deadlines, requests): it
    always shows in the site; only its e-mail can be put into a digest or
    stopped. PERSONAL is what concerns the member alone (a reward, the
    panel, a request to carry an endorsement)."""

    MY_PROPOSALS = "my_proposals", _("My proposals")
    FOLLOWED = "followed", _("Proposals I follow")
    DEBATES = "debates", _("Debates I joined")
    DISTRICT_POLLS = "district_polls", _("Polls in my district")
    ADOPTED = "adopted", _("Adopted items I follow")
    PERSONAL = "personal", _("About me")
    WORK = "work", _("My work (staff)")


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Right away")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("No e-mail")


class NotificationPreference(models.Model):
    """A member's choice for one topic; no row means the topic's default
    (notifications.preferences). `version` moves on every change: an
    unsubscribe link carries the version it was made for, so a replayed or
    stale link changes nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=NoticeTopic.choices)
    in_site = models.BooleanField(_("show in the site"), default=True)
    email = models.CharField(
        _("e-mail"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="notice_preference_once"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.topic}: {self.email}"


class DigestRun(models.Model):
    """One digest e-mail for one member and period (a day or a week, in
    Seoul time, named by its first day). The unique constraint is what makes
    a digest go once per period, however often the beat runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_digests"
    )
    period = models.CharField(max_length=10, choices=EmailMode.choices)
    period_start = models.DateField()
    notice_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The hand-off to the mail server, as for a notice (tasks.py): set before
    # the message is handed over, so a worker killed in the middle leaves a
    # run that says "maybe sent"; it is sent once more, with the same
    # Message-ID, only after OASIS_EMAIL_UNCERTAIN_AFTER, and never a third time.
    sending_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    message_id = models.CharField(max_length=255, blank=True, default="", db_default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "period_start"], name="digest_once_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.period} {self.period_start}"


class Notification(models.Model):
    """One notice to one member about one event. `key` names the event (e.g.
    "assigned:42"); the unique constraint makes a second notice for the same
    event impossible, however often the code that sends it runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    # The reader's topic (NoticeTopic), given by the sender per recipient;
    # "" for notices written before issue 16 (treated as their default).
    topic = models.CharField(_("topic"), max_length=20, blank=True, default="", db_default="")
    # False when the member chose not to see this topic in the site: the row
    # is still written (it is what makes an event's notice once, and what a
    # digest reads), but the list and the unread count leave it out.
    in_site = models.BooleanField(default=True, db_default=True)
    # "daily" or "weekly" when the e-mail waits for the member's digest
    # (the pending-e-mail sweep leaves these to the digest task); "" otherwise.
    digest = models.CharField(max_length=10, blank=True, default="", db_default="")
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
            # The digest task reads only the rows waiting for a digest.
            models.Index(
                fields=["digest", "created_at"],
                condition=models.Q(emailed_at__isnull=True) & ~models.Q(digest=""),
                name="notification_digest_pending",
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
