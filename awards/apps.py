from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards and rewards")

    def ready(self):
        # Local: these modules read models, which exist only once apps are ready.
        from accounts import member_home, staff_home
        from accounts.audit import register_actions
        from accounts.export import register_section as register_export
        from notifications.messages import register
        from tracking.card_page import register_card_tool

        # screens imports services, which import rules (its permissions).
        from . import audit_words, notices, screens, selectors
        from . import member_home as my_home
        from . import staff_home as my_staff_home

        register(notices.MESSAGES)
        register_actions(audit_words.ACTIONS)
        for key, builder, order in my_staff_home.SECTIONS:
            staff_home.register_section(key, builder, order=order)
        for key, builder, order in my_home.SECTIONS:
            member_home.register_section(key, builder, order=order)
        register_card_tool("awards", screens.card_tool)
        # A member's rewards and awards are theirs to export.
        register_export("awards", selectors.member_award_data)
