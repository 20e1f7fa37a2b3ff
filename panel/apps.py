from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelConfig(AppConfig):
    name = "panel"
    verbose_name = _("Citizen panel")

    def ready(self):
        # Imported here: apps.py loads before the models these modules read.
        from accounts.audit import register_actions
        from accounts.export import register_section
        from accounts.retention import register_residue
        from accounts.signals import member_withdrew
        from accounts.staff_home import register_section as register_home_section
        from notifications.messages import register

        from . import audit_words, notices, services, staff_home
        from .selectors import member_panel_data

        register_section("panel", member_panel_data)
        register_residue("panel_words", services.member_residue_purge)
        member_withdrew.connect(
            services.member_withdrew_received, dispatch_uid="panel.member_withdrew_received"
        )
        register(notices.MESSAGES)
        register_actions(audit_words.ACTIONS)
        for key, builder, order in staff_home.SECTIONS:
            register_home_section(key, builder, order=order)
