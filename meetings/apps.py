from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.messages import register


def _expert_left_post(sender, *, member, actor, reason, role="", now=None, **kwargs):
    """accounts.signals.staff_left_post: an expert deactivated or no longer
    an expert has their open opinion requests flagged (services)."""
    from .services import opinion_requests_flag_for

    opinion_requests_flag_for(member=member, actor=actor, reason=reason, role=role, now=now)


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Local: notices.py reads models, which exist only once apps are ready.
        from accounts.audit import register_actions
        from accounts.ownership import register_unowned_count
        from accounts.signals import staff_left_post
        from accounts.staff_home import register_section

        from . import audit_words, notices, ownership, staff_home

        register(notices.MESSAGES)
        register_actions(audit_words.ACTIONS)
        for key, builder, order in staff_home.SECTIONS:
            register_section(key, builder, order=order)
        register_unowned_count("meetings.opinion_requests", ownership.expert_requests_unowned)
        staff_left_post.connect(
            _expert_left_post, dispatch_uid="meetings.expert_left_post", weak=False
        )
