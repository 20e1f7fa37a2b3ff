from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.messages import register


class AnswersConfig(AppConfig):
    name = "answers"
    verbose_name = _("Department answers")

    def ready(self):
        # Local: notices.py reads models, which exist only once apps are ready.
        from . import notices

        register(notices.MESSAGES)
