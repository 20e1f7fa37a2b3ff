from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        # Imported here: apps.py loads before the models export reads.
        from accounts.audit import register_actions
        from accounts.export import register_section
        from accounts.member_home import register_section as register_member_section
        from notifications.messages import register

        from . import (
            audit_words,
            event_texts,
            export,
            member_sections,
            notices,
            tasks,  # noqa: F401 - queued by name (the merge's notices)
            timeline_texts,
        )

        register(notices.MESSAGES)
        event_texts.register(timeline_texts.TEXTS)
        register_actions(audit_words.ACTIONS)
        # Merges (issue 16): the member's carry-over requests on /me/.
        register_member_section("carries", member_sections.carry_requests, order=5)

        from . import similarity  # noqa: F401 - tasks: queued by name
        from .signals import standing_changed

        # A proposal hidden, trashed or withdrawn leaves the cached similar
        # lists at once (proposals/similarity.py).
        standing_changed.connect(
            similarity.standing_changed_received, dispatch_uid="proposals.similar_lists"
        )

        from accounts.staff_home import register_section as register_home_section

        from .staff_home import SECTIONS

        # An institution administrator's reports waiting (issue 16).
        for key, builder, order in SECTIONS:
            register_home_section(key, builder, order=order)

        register_section("proposals", export.member_proposals)
        register_section("endorsements", export.member_endorsements)
        register_section("comments", export.member_comments)
        register_section("reports", export.member_reports)

        from accounts.retention import register_residue

        from .models import Follow

        # Follows are a withdrawn member's own; their proposals, comments,
        # endorsements and reports are the public record and stay.
        register_residue("follows", lambda user: Follow.objects.filter(user=user).delete()[0])
