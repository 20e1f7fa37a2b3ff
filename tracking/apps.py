from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.messages import register


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = _("Adopted items")

    def ready(self):
        # Local: notices.py reads models, which exist only once apps are ready.
        from accounts.ownership import register_unowned_count
        from accounts.signals import staff_left_post
        from accounts.staff_home import register_section
        from proposals import event_texts

        from . import notices, ownership, staff_home, timeline_texts

        register(notices.MESSAGES)
        event_texts.register(timeline_texts.TEXTS)
        for key, builder, order in staff_home.SECTIONS:
            register_section(key, builder, order=order)
        # Cards follow people: flagged when their official leaves (issue 12).
        staff_left_post.connect(
            ownership.flag_cards_of_leaver, dispatch_uid="tracking.flag_cards_of_leaver"
        )
        register_unowned_count("tracking.cards", ownership.unowned_cards)
        register_unowned_count("tracking.report_requests", ownership.unowned_reports)
