from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.messages import register


class AnswersConfig(AppConfig):
    name = "answers"
    verbose_name = _("Department answers")

    def ready(self):
        # Local: notices.py reads models, which exist only once apps are ready.
        from accounts.audit import register_actions
        from accounts.staff_home import register_section
        from proposals import event_texts

        from . import audit_words, notices, staff_home, timeline_texts

        register(notices.MESSAGES)
        event_texts.register(timeline_texts.TEXTS)
        register_actions(audit_words.ACTIONS)
        for key, builder, order in staff_home.SECTIONS:
            register_section(key, builder, order=order)
