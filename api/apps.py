from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Open API")

    def ready(self):
        from accounts.audit import register_actions

        from . import audit_words, base, rules, schema  # noqa: F401 - base, schema: extensions

        register_actions(audit_words.ACTIONS)
