"""Redis stopped, for real: a redis-server of the test's own is the cache
and the broker, and the test kills it. Members still log in, endorse and
comment through the pages; the one whose endorsement should set off a
promotion is told plainly that what follows may be late; when Redis is back
the periodic sweep catches up."""

import pytest
from celery import current_app

from answers.models import Assignment
from pipeline.tasks import sweep_pipeline
from proposals.models import Comment, Endorsement, PipelineSettings, ProposalStatus
from tests.brokers import broker_at
from tests.factories import CategoryFactory, ProposalFactory, UserFactory, official
from tests.pages import english_client, flash, form_fields, form_posting_to, logged_in
from tests.servers import PrivateRedis, needs_redis_server

pytestmark = [needs_redis_server, pytest.mark.django_db(transaction=True)]

DELAYED = "Notices and e-mails about it may arrive a few minutes late"


@pytest.fixture
def redis_server(settings):
    """The private Redis as cache (database 1) and broker (database 0)."""
    server = PrivateRedis().start()
    settings.CACHES = {
        "default": {
            "BACKEND": "oasis.cache.FailSafeRedisCache",
            "LOCATION": server.url.replace("/0", "/1"),
        }
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    current_app.conf.task_always_eager = False
    with broker_at(server.url):
        yield server
    server.stop()


def endorse(browser, proposal):
    page = browser.get(proposal.get_absolute_url())
    fields = form_posting_to(page, f"/proposals/{proposal.pk}/endorse/")["fields"]
    return browser.post(f"/proposals/{proposal.pk}/endorse/", fields, follow=True)


def test_members_carry_on_while_redis_is_stopped_and_the_sweep_catches_up(redis_server):
    # Given a proposal one endorsement short of a department answer
    bars = PipelineSettings.load()
    bars.answer_threshold = 2
    bars.save()
    category = CategoryFactory()
    official(department=category.default_department)
    proposal = ProposalFactory(category=category)
    first, second = UserFactory(email="first@example.com"), UserFactory()

    # When Redis stops
    redis_server.stop()

    # Then a member logs in through the form
    browser = english_client(csrf_checks=True)
    page = browser.get("/accounts/login/")
    response = browser.post(
        "/accounts/login/",
        {**form_fields(page), "login": first.email, "password": "pass-word-123"},
    )
    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(first.pk)
    # ...endorses and comments
    assert endorse(browser, proposal).status_code == 200
    page = browser.get(proposal.get_absolute_url())
    comment = form_posting_to(page, f"/proposals/{proposal.pk}/comments/")["fields"]
    response = browser.post(
        f"/proposals/{proposal.pk}/comments/", {**comment, "body": "레디스가 멈춰도 남아요"}
    )
    assert response.status_code == 302
    # ...and the member whose endorsement crosses the bar is told what is late
    response = endorse(logged_in(second, csrf_checks=True), proposal)
    assert response.status_code == 200
    assert any(DELAYED in message for message in flash(response))
    assert Endorsement.objects.filter(proposal=proposal).count() == 2
    assert Comment.objects.filter(proposal=proposal, body="레디스가 멈춰도 남아요").exists()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN  # the promotion waits for the sweep

    # When Redis is back and beat's sweep runs
    redis_server.start()
    sweep_pipeline.apply()

    # Then the proposal went to its department, once
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ASSIGNED
    assert Assignment.objects.filter(proposal=proposal).count() == 1
