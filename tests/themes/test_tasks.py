"""Themes' tasks are known wherever they are queued from."""


def test_the_task_a_published_answer_queues_by_name_is_known_to_the_web_process():
    # services queue it by name (tasks imports services); a web process that
    # never imported themes.tasks answered NotRegistered and left the debate
    # to the beat's catch-up.
    from celery import current_app

    from themes.services import OPEN_PICKED_DEBATE_TASK

    assert current_app.tasks[OPEN_PICKED_DEBATE_TASK].name == OPEN_PICKED_DEBATE_TASK
