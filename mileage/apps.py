from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MileageConfig(AppConfig):
    name = "mileage"
    verbose_name = _("Mileage")

    def ready(self):
        from accounts.member_home import register_section

        from .panels import member_panel

        # The member's home and profile (lower floors) show the mileage
        # panel, before other apps' sections.
        register_section("mileage", member_panel, order=10)
