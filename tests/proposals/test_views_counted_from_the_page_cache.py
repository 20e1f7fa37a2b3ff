"""A proposal's page answered from the page cache still counts its readers,
once per visitor per day, as the view does (services.proposal_note_view)."""

import pytest

from oasis.page_cache import STATUS_HEADER
from proposals.models import Proposal
from proposals.tasks import count_noted_views
from tests.factories import ProposalFactory
from tests.pages import english_client, logged_in

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]


def reader(address: str):
    client = english_client()
    client.defaults["REMOTE_ADDR"] = address
    return client


def views(proposal) -> int:
    return Proposal.objects.get(pk=proposal.pk).view_count


def test_readers_answered_from_the_cache_are_counted_once_a_day():
    # given a proposal's page kept after its first reader
    proposal = ProposalFactory()
    url = proposal.get_absolute_url()
    assert reader("10.0.0.1").get(url)[STATUS_HEADER] == "miss"
    assert views(proposal) == 1

    # when two other readers are answered from the cache, one of them twice
    for address in ("10.0.0.2", "10.0.0.3", "10.0.0.3"):
        assert reader(address).get(url)[STATUS_HEADER] == "hit"
    # and the first comes back
    reader("10.0.0.1").get(url)
    count_noted_views.delay()

    # then each reader counts once
    assert views(proposal) == 3
    # and a member's own view is counted as before
    logged_in().get(url)
    assert views(proposal) == 4


def test_a_proposal_hidden_since_its_page_was_kept_does_not_count():
    proposal = ProposalFactory()
    url = proposal.get_absolute_url()
    reader("10.0.0.1").get(url)
    Proposal.objects.filter(pk=proposal.pk).update(is_hidden=True)
    assert reader("10.0.0.2").get(url)[STATUS_HEADER] == "hit"
    count_noted_views.delay()
    assert views(proposal) == 1


@pytest.mark.redis
def test_with_redis_views_wait_in_a_queue_and_counting_twice_counts_once():
    # given a kept page and readers answered from it
    proposal = ProposalFactory()
    url = proposal.get_absolute_url()
    reader("10.0.0.1").get(url)
    for address in ("10.0.0.2", "10.0.0.3", "10.0.0.3"):
        assert reader(address).get(url)[STATUS_HEADER] == "hit"
    # then their views wait in Redis, not in the database
    assert views(proposal) == 1

    # when the periodic task counts them, and runs again (a retry, a second beat)
    assert count_noted_views.delay().get() == 2
    assert count_noted_views.delay().get() == 0

    # then each reader counted once
    assert views(proposal) == 3
    # and a reader first counted by the view, then noted from the cache, once
    reader("10.0.0.1").get(url)
    count_noted_views.delay()
    assert views(proposal) == 3


def test_with_redis_down_pages_are_kept_in_memory_and_views_counted_at_once(settings):
    # given Redis down (a real address where nothing listens)
    settings.CACHES = {
        "default": {
            "BACKEND": "oasis.cache.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    proposal = ProposalFactory()
    url = proposal.get_absolute_url()
    # when readers open the proposal's page
    assert reader("10.0.0.1").get(url)[STATUS_HEADER] == "miss"
    # then the copy kept in this process's memory answers the next one
    assert reader("10.0.0.2").get(url)[STATUS_HEADER] == "hit"
    # and their view is counted in the database at once
    assert views(proposal) == 2
