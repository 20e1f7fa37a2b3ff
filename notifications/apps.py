from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Imported here: apps.py loads before the models the purge deletes.
        from celery.signals import worker_ready

        from accounts.retention import register_residue

        from .models import Notification
        from .tasks import send_pending_emails

        # A withdrawn member's notices are theirs alone: erased after the
        # retention period (accounts.services.withdrawn_residue_purge).
        register_residue(
            "notifications",
            lambda user: Notification.objects.filter(recipient=user).delete()[0],
        )
        # A worker that starts (after a crash, a deploy, a broker outage)
        # sends what waited for it at once, not at the next minute's sweep.
        worker_ready.connect(
            lambda **kwargs: send_pending_emails.delay(),
            weak=False,
            dispatch_uid="notifications.sweep_on_worker_ready",
        )
