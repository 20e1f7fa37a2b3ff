from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Imported here: apps.py loads before the models the purge deletes.
        from accounts.retention import register_residue

        from .models import Notification

        # A withdrawn member's notices are theirs alone: erased after the
        # retention period (accounts.services.withdrawn_residue_purge).
        register_residue(
            "notifications",
            lambda user: Notification.objects.filter(recipient=user).delete()[0],
        )
