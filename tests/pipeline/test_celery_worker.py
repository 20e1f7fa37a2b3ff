"""Exactly-once promotion with a real Celery worker on Redis and PostgreSQL:
many members endorse at the same moment, the promotion task is delivered
several times over, and the proposal still moves once."""

import os
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.db import connection

from answers.models import Assignment
from notifications.models import Notification
from oasis.celery import app
from pipeline.tasks import promote_if_due
from proposals import services
from proposals.models import EventKind, PipelineSettings, ProposalStatus
from tests.brokers import broker_at
from tests.factories import CategoryFactory, UserFactory, official
from tests.servers import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_process(tmp_path, task_queue):
    """A real `celery worker` process on the test database and Redis, on the
    test's own queue both ways: it takes the tasks the test sends there, and
    the tasks it queues itself (the promotion's notice e-mails) go there too
    (CELERY_TASK_DEFAULT_QUEUE), not to the `celery` queue, where nothing in
    the test would read them and they would wait for the next worker. The
    `task_queue` fixture removes the queue, and anything left in it, after
    the worker has stopped."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_CONN_MAX_AGE": "0",
        "OASIS_VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CELERY_TASK_DEFAULT_QUEUE": task_queue,
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "oasis",
            "worker",
            "-Q",
            task_queue,
            "-c",
            "4",
            "--pool",
            "threads",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    try:
        with broker_at(os.environ["REDIS_URL"]):
            wait_for(lambda: "ready" in (tmp_path / "worker.log").read_text(), 60, "worker start")
            yield worker
    finally:
        # A warm shutdown: the worker finishes what it holds and puts back
        # what it had fetched but not started, into the test's queue.
        worker.terminate()
        worker.wait(timeout=30)
        log.close()


def test_concurrent_endorsements_promote_exactly_once(celery_worker_process):
    # Given a bar of 10 and a department with an official
    bars = PipelineSettings.load()
    bars.answer_threshold = 10
    bars.save()
    category = CategoryFactory()
    clerk = official(department=category.default_department)
    proposal = services.proposal_create(
        author=UserFactory(),
        title="지하철역 미세먼지 전광판",
        body="역마다 미세먼지 농도를 알려 주세요.",
        category=category,
    )
    members = [UserFactory() for _ in range(24)]

    # When 24 members endorse at the same moment (the 10th crosses the bar)...
    barrier = threading.Barrier(len(members))

    def endorse(member):
        try:
            barrier.wait()
            services.proposal_endorse(proposal=proposal, user=member)
        finally:
            connection.close()

    threads = [threading.Thread(target=endorse, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    # ...and the promotion task is delivered five more times, as a retry would
    for _ in range(5):
        promote_if_due.delay(proposal.pk)

    # Then the worker moves the proposal once
    def assigned():
        proposal.refresh_from_db()
        return proposal.status == ProposalStatus.ASSIGNED

    wait_for(assigned, 60, "the promotion")
    time.sleep(3)  # let every queued delivery run
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 24
    assert (
        proposal.events.filter(
            kind=EventKind.STATUS_CHANGED, to_status=ProposalStatus.ASSIGNED
        ).count()
        == 1
    )
    assert Assignment.objects.filter(proposal=proposal).count() == 1
    assert Notification.objects.filter(recipient=clerk, kind="assigned_department").count() == 1
