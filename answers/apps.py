from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.messages import register


class AnswersConfig(AppConfig):
    name = "answers"
    verbose_name = _("Department answers")

    def ready(self):
        # Local: notices.py reads models, which exist only once apps are ready.
        from accounts.audit import register_actions
        from accounts.ownership import register_unowned_count
        from accounts.signals import staff_left_post
        from accounts.staff_home import register_section
        from proposals import event_texts
        from proposals.similarity import register_answer_reader

        from . import audit_words, notices, similar, staff_home, tasks, timeline_texts  # noqa: F401 - tasks: queued by name
        from .services import ownership

        register(notices.MESSAGES)
        event_texts.register(timeline_texts.TEXTS)
        register_actions(audit_words.ACTIONS)
        for key, builder, order in staff_home.SECTIONS:
            register_section(key, builder, order=order)
        # Drafts follow people (issue 12): flagged when their writer leaves.
        staff_left_post.connect(
            ownership.flag_answers_of_leaver, dispatch_uid="answers.flag_answers_of_leaver"
        )
        register_unowned_count("answers.assignments", ownership.unowned_assignments)
        # Similar proposals show their published answers (issue 16).
        register_answer_reader(similar.published_answers)
        # A merged duplicate needs no answer of its own (issue 16).
        from proposals.signals import proposal_merged

        from .services.merging import proposal_merged_received

        proposal_merged.connect(
            proposal_merged_received, dispatch_uid="answers.proposal_merged_received"
        )
