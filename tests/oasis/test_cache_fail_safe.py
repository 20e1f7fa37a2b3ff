"""Redis down: the cache (and every rate limit kept in it) falls back to local
memory instead of raising, so members still log in, endorse and comment.
The Redis here is a real address with nothing listening, not a mock: the
client connects, is refused, and the portal carries on."""

import pytest
from django.core.cache import cache

from oasis import cache as fail_safe
from proposals.models import Comment, Endorsement
from tests.factories import ProposalFactory, UserFactory
from tests.pages import english_client, form_fields, form_posting_to, logged_in

pytestmark = pytest.mark.django_db

NOTHING_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {"BACKEND": "oasis.cache.FailSafeRedisCache", "LOCATION": NOTHING_LISTENS}
    }
    yield


def test_the_cache_answers_from_memory_while_redis_is_down(redis_down):
    cache.set("k", 1)
    assert cache.get("k") == 1
    assert cache.add("n", 0) is True and cache.incr("n") == 1
    # It waits before trying Redis again: one refused connection, not one per call.
    assert fail_safe._redis_is_resting()


def test_members_log_in_endorse_and_comment_while_redis_is_down(redis_down):
    member = UserFactory(email="member@example.com")
    browser = english_client(csrf_checks=True)
    page = browser.get("/accounts/login/")
    response = browser.post(
        "/accounts/login/",
        {**form_fields(page), "login": member.email, "password": "pass-word-123"},
    )
    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(member.pk)

    proposal = ProposalFactory()
    browser = logged_in(member, csrf_checks=True)
    page = browser.get(proposal.get_absolute_url())
    assert page.status_code == 200
    endorse = form_posting_to(page, f"/proposals/{proposal.pk}/endorse/")["fields"]
    assert browser.post(f"/proposals/{proposal.pk}/endorse/", endorse).status_code == 302
    comment = form_posting_to(page, f"/proposals/{proposal.pk}/comments/")["fields"]
    response = browser.post(
        f"/proposals/{proposal.pk}/comments/", {**comment, "body": "레디스가 멈춰도 댓글은 남아요"}
    )
    assert response.status_code == 302
    assert Endorsement.objects.filter(proposal=proposal, user=member).exists()
    assert Comment.objects.filter(proposal=proposal, body="레디스가 멈춰도 댓글은 남아요").exists()
