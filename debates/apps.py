from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.messages import register


class DebatesConfig(AppConfig):
    name = "debates"
    verbose_name = _("Debates")

    def ready(self):
        # Imported here: apps.py loads before the models these modules read.
        from accounts.export import register_section
        from accounts.staff_home import register_section as register_home_section
        from proposals import event_texts

        from . import notices, staff_home, tasks, timeline_texts  # noqa: F401 - tasks: queued by name
        from .selectors import member_debate_data

        register_section("debates", member_debate_data)
        register(notices.MESSAGES)
        for key, builder, order in staff_home.SECTIONS:
            register_home_section(key, builder, order=order)
        event_texts.register(timeline_texts.TEXTS)
