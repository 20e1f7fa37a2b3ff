from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MileageConfig(AppConfig):
    name = "mileage"
    verbose_name = _("Mileage")

    def ready(self):
        from accounts.member_pages import register_panel

        from .panels import member_panel

        # The member's home and profile (lower floors) show the mileage panel.
        register_panel(member_panel)
