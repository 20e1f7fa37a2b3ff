from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MileageConfig(AppConfig):
    name = "mileage"
    verbose_name = _("Mileage")

    def ready(self):
        from accounts.audit import register_actions
        from accounts.export import register_section as register_export
        from accounts.member_home import register_section
        from accounts.signals import participation

        from . import audit_words, services, tasks  # noqa: F401 - tasks: queued by name
        from .panels import member_panel
        from .selectors import member_mileage_data

        # The member's home and profile (lower floors) show the mileage
        # panel, before other apps' sections.
        register_section("mileage", member_panel, order=10)
        register_actions(audit_words.ACTIONS)
        # The ledger the portal keeps about a member is theirs to export.
        register_export("mileage", member_mileage_data)
        # Every point the lower floors award or take back arrives here.
        participation.connect(
            services.participation_received, dispatch_uid="mileage.participation_received"
        )
