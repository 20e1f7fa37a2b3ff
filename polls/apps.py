from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "polls"
    verbose_name = _("City polls")

    def ready(self):
        # Local: these modules read models, which exist only once apps are ready.
        from accounts import member_home

        from . import member_home as my_home

        for key, builder, order in my_home.SECTIONS:
            member_home.register_section(key, builder, order=order)
