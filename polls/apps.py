from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "polls"
    verbose_name = _("City polls")

    def ready(self):
        from accounts.audit import register_actions

        # discussion_rules states the discussion's permissions (django-rules).
        from . import discussion_audit_words, discussion_rules  # noqa: F401

        register_actions(discussion_audit_words.ACTIONS)
