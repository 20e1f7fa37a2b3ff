from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebatesConfig(AppConfig):
    name = "debates"
    verbose_name = _("Debates")

    def ready(self):
        # Imported here: apps.py loads before the models it reads.
        from accounts.export import register_section

        from .selectors import member_debate_data

        register_section("debates", member_debate_data)
