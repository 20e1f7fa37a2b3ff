from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Themed calls")

    def ready(self):
        # Local: these modules read models, which exist only once apps are ready.
        from accounts import staff_home
        from accounts.audit import register_actions
        from answers.routing import register_department_rule
        from answers.signals import answer_published
        from notifications.messages import register
        from proposals import event_texts
        from proposals.front_page import register_section as register_front_section
        from proposals.signals import standing_changed

        from . import audit_words, notices, services, tasks, timeline_texts  # noqa: F401 - tasks: queued by name
        from . import staff_home as my_staff_home
        from .front_page import open_themes_section

        register(notices.MESSAGES)
        register_actions(audit_words.ACTIONS)
        event_texts.register(timeline_texts.TEXTS)
        for key, builder, order in my_staff_home.SECTIONS:
            staff_home.register_section(key, builder, order=order)
        # A theme's proposal is answered by the theme's department.
        register_department_rule("themes", services.theme_department)
        # The count of a theme's standing proposals follows hiding, trashing,
        # withdrawing and restoring, in their transactions.
        standing_changed.connect(
            services.standing_changed_received, dispatch_uid="themes.standing_changed"
        )
        # A picked proposal's theme debate opens once its answer is published.
        answer_published.connect(
            services.answer_published_received, dispatch_uid="themes.answer_published"
        )
        # The open themes on the front page.
        register_front_section("themes", open_themes_section, order=20)
