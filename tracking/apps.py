from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.messages import register


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = _("Adopted items")

    def ready(self):
        # Local: notices.py reads models, which exist only once apps are ready.
        from accounts.staff_home import register_section
        from proposals import event_texts

        from . import notices, staff_home, timeline_texts

        register(notices.MESSAGES)
        event_texts.register(timeline_texts.TEXTS)
        for key, builder, order in staff_home.SECTIONS:
            register_section(key, builder, order=order)
