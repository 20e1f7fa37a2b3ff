"""The API's short cache (api.base.ShortCacheMixin): many programs reading the
same list within a few seconds are answered from one copy, after their key is
checked and their rate counted. On by the `page_cache` marker, as the site's
page cache is in its own tests (tests/conftest.py turns both off elsewhere)."""

import pytest
from django.test import Client

from tests.api.world import partner_key
from tests.factories import ProposalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]

LIST = "/api/v1/proposals/"


def test_a_second_reader_is_answered_from_the_copy_without_the_database(
    django_assert_num_queries,
):
    ProposalFactory(title="그늘막을 늘려 주세요")
    first = Client().get(LIST)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(LIST)
    assert second.status_code == 200 and second["X-Page-Cache"] == "hit"
    assert second.json() == first.json()
    assert second["Content-Type"] == "application/json"
    assert second["Content-Language"] == "ko"


def test_each_language_and_each_query_has_its_own_copy():
    ProposalFactory(title="그늘막을 늘려 주세요")
    korean = Client().get(LIST).json()
    english = Client().get(LIST + "?lang=en")
    assert english["X-Page-Cache"] == "miss"
    assert (
        english.json()["results"][0]["status"]["label"] != korean["results"][0]["status"]["label"]
    )
    assert Client().get(LIST + "?page_size=5")["X-Page-Cache"] == "miss"
    assert Client().get(LIST + "?lang=en")["X-Page-Cache"] == "hit"


def test_a_copy_never_lets_an_unknown_key_in_nor_skips_the_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "2/min", "partner": "5/min"},
    }
    ProposalFactory()
    assert Client(REMOTE_ADDR="203.0.113.9").get(LIST).status_code == 200
    refused = Client().get(LIST, HTTP_X_API_KEY="oasis_not-a-key")
    assert refused.status_code == 401
    _key, raw = partner_key()
    assert Client().get(LIST, HTTP_X_API_KEY=raw)["X-Page-Cache"] == "hit"
    # The copy counts against the caller's rate like any answer.
    reader = Client(REMOTE_ADDR="203.0.113.9")
    assert reader.get(LIST).status_code == 200
    assert reader.get(LIST).status_code == 429


def test_a_refusal_is_never_kept():
    missing = Client().get("/api/v1/proposals/999999/")
    assert missing.status_code == 404
    assert "X-Page-Cache" not in missing
    assert Client().get("/api/v1/proposals/?status=nowhere").status_code == 400
    assert Client().get("/api/v1/proposals/?status=nowhere").status_code == 400
