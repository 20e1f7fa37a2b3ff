from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        # Local: these modules read models, which exist only once apps are ready.
        from proposals.front_page import register_section as register_front_section

        from . import signals, tasks  # noqa: F401 - receivers; tasks queued by name
        from .front_page import KEY, ORDER, headline_section

        # The headline figures and the next meeting on the front page.
        register_front_section(KEY, headline_section, order=ORDER)
