from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Imported here: apps.py loads before the models the purge deletes.
        from celery.signals import worker_ready

        from accounts.export import register_section as register_export
        from accounts.retention import register_residue

        from .models import DigestRun, Notification, NotificationPreference
        from .tasks import send_pending_emails

        # A withdrawn member's notices are theirs alone: erased after the
        # retention period (accounts.services.withdrawn_residue_purge).
        register_residue(
            "notifications",
            lambda user: (
                Notification.objects.filter(recipient=user).delete()[0]
                + NotificationPreference.objects.filter(user=user).delete()[0]
                + DigestRun.objects.filter(user=user).delete()[0]
            ),
        )
        # The member's own choices are part of their data.
        register_export(
            "notice_preferences",
            lambda user: [
                {"topic": p.topic, "in_site": p.in_site, "email": p.email}
                for p in NotificationPreference.objects.filter(user=user).order_by("topic")
            ],
        )
        # A worker that starts (after a crash, a deploy, a broker outage)
        # sends what waited for it at once, not at the next minute's sweep.
        worker_ready.connect(
            lambda **kwargs: send_pending_emails.delay(),
            weak=False,
            dispatch_uid="notifications.sweep_on_worker_ready",
        )
