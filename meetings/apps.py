from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.messages import register


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Local: notices.py reads models, which exist only once apps are ready.
        from . import notices

        register(notices.MESSAGES)
