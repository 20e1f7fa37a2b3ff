from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.messages import register


class PipelineConfig(AppConfig):
    """The conductor: it moves proposals between the stage apps."""

    name = "pipeline"
    verbose_name = _("Pipeline")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model
        # is, and these modules import models.
        from celery.signals import worker_ready

        from accounts.audit import register_actions
        from accounts.staff_home import register_section
        from answers.signals import answer_amended, answer_published
        from meetings.signals import item_adopted
        from proposals import event_texts
        from proposals.timeline import register_bars

        from . import audit_words, notices, staff_home, tasks, timeline_texts  # noqa: F401 - tasks registers the conductor's tasks
        from .services import (
            cached_due_bars,
            open_card_for_adopted_item,
            open_promise_for_accepting_answer,
            promise_follows_amended_answer,
        )

        # The promotion task is queued by name from the pipeline core
        # (proposals.timeline.PROMOTION_CHECK_TASK), so `tasks` above must be
        # registered in every process that queues it, not only the worker;
        # the core queues it when an endorsement or a comment reaches one of
        # our bars.
        register_bars(cached_due_bars)

        # Adoption opens the next stage in the meeting's own transaction:
        # meetings sends `item_adopted`, tracking opens the management card.
        item_adopted.connect(open_card_for_adopted_item, dispatch_uid="pipeline.open_card")
        # A head who moves, is deactivated or loses the role: the operators
        # learn the department is headless (issue 12).
        from accounts.signals import staff_left_post

        staff_left_post.connect(
            notices.tell_departments_headless, dispatch_uid="pipeline.departments_headless"
        )
        # An accepting answer below the debate bar is a promise to track, in
        # the publication's own transaction.
        answer_published.connect(
            open_promise_for_accepting_answer, dispatch_uid="pipeline.open_promise"
        )
        # An amended answer: the promise follows the department's new word.
        answer_amended.connect(
            promise_follows_amended_answer, dispatch_uid="pipeline.promise_follows_amendment"
        )
        register(notices.MESSAGES)
        for key, builder, order in staff_home.SECTIONS:
            register_section(key, builder, order=order)
        event_texts.register(timeline_texts.TEXTS)
        register_actions(audit_words.ACTIONS)
        # A worker that starts catches up at once on promotions that could
        # not be queued while it (or the broker) was away.
        worker_ready.connect(
            lambda **kwargs: tasks.sweep_pipeline.delay(),
            weak=False,
            dispatch_uid="pipeline.sweep_on_worker_ready",
        )
