from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "polls"
    verbose_name = _("City polls")

    def ready(self):
        # Local: these modules read models, which exist only once apps are ready.
        from accounts import staff_home
        from accounts.audit import register_actions
        from notifications.messages import register
        from proposals import front_page

        # editing_rules registers the editor's permissions.
        from . import audit_words, editing_rules, notices, tasks  # noqa: F401 - tasks: queued by name
        from . import front_page as my_front_page
        from . import staff_home as my_staff_home

        register(notices.MESSAGES)
        register_actions(audit_words.ACTIONS)
        for key, builder, order in my_staff_home.SECTIONS:
            staff_home.register_section(key, builder, order=order)
        front_page.register_section(
            my_front_page.KEY, my_front_page.open_polls_section, order=my_front_page.ORDER
        )

        # The results part: its permissions (results_rules), the response's
        # audit words and notice, and its task, which the worker must know.
        from . import (  # noqa: F401
            results_audit_words,
            results_notices,
            results_rules,
            results_staff_home,
            results_tasks,
        )

        register(results_notices.MESSAGES)
        register_actions(results_audit_words.ACTIONS)
        for key, builder, order in results_staff_home.SECTIONS:
            staff_home.register_section(key, builder, order=order)

        # The discussion part: discussion_rules states its permissions (django-rules).
        from . import discussion_audit_words, discussion_rules  # noqa: F401

        register_actions(discussion_audit_words.ACTIONS)

        # The targeting part: the member's page lists polls they may vote in.
        from accounts import member_home

        from . import member_home as my_home

        for key, builder, order in my_home.SECTIONS:
            member_home.register_section(key, builder, order=order)
