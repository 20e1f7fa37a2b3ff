"""Partner keys and the rate limits, as a partner's program meets them."""

import pytest
from django.test import Client

from api.models import PartnerKey, hash_key
from api.services import key_revoke
from tests.api.world import partner_key
from tests.factories import operator

pytestmark = pytest.mark.django_db

LIST = "/api/v1/proposals/"


@pytest.fixture
def tiny_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "3/min", "partner": "5/min"},
    }


def test_a_key_is_stored_only_as_its_hash():
    key, raw = partner_key()
    assert raw.startswith("oasis_") and len(raw) > 40
    stored = PartnerKey.objects.get(pk=key.pk)
    assert stored.key_hash == hash_key(raw)
    assert raw not in str(PartnerKey.objects.filter(pk=key.pk).values().get())
    assert raw[6:14] == stored.prefix


@pytest.mark.parametrize("how", ["authorization", "x-api-key"])
def test_a_valid_key_is_accepted_both_ways(how):
    _key, raw = partner_key()
    headers = (
        {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
        if how == "authorization"
        else {"HTTP_X_API_KEY": raw}
    )
    response = Client().get(LIST, **headers)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_API_KEY": "oasis_" + "x" * 43},
        {"HTTP_AUTHORIZATION": "Api-Key nonsense"},
        {"HTTP_X_API_KEY": ""},
        {"HTTP_X_API_KEY": "a" * 5000},
        {"HTTP_X_API_KEY": "키"},
    ],
)
def test_an_unknown_key_is_a_401_not_anonymous(headers):
    response = Client().get(LIST + "?lang=en", **headers)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "This API key is not valid. Check the key, or call without one.",
        "code": "invalid_api_key",
    }
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_revoked_key_is_a_401_saying_so_in_korean_by_default():
    key, raw = partner_key()
    key_revoke(actor=operator(), key=key, reason="기관 요청")
    response = Client().get(LIST, HTTP_X_API_KEY=raw)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "invalid_api_key"
    assert "폐기" in body["detail"]


def test_another_authorization_scheme_is_not_read_as_a_key():
    response = Client().get(LIST, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert response.status_code == 200


def test_last_use_is_written_at_most_once_a_minute(django_assert_num_queries):
    key, raw = partner_key()
    client = Client()
    client.get(LIST, HTTP_X_API_KEY=raw)
    first = PartnerKey.objects.get(pk=key.pk).last_used_at
    assert first is not None
    client.get(LIST, HTTP_X_API_KEY=raw)
    assert PartnerKey.objects.get(pk=key.pk).last_used_at == first
    PartnerKey.objects.filter(pk=key.pk).update(last_used_at=first.replace(year=first.year - 1))
    client.get(LIST, HTTP_X_API_KEY=raw)
    assert PartnerKey.objects.get(pk=key.pk).last_used_at > first


def test_anonymous_callers_are_limited_per_address_with_a_json_429(tiny_rates):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert client.get(LIST).status_code == 200
    response = client.get(LIST + "?lang=en")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert body["detail"].startswith("Too many requests. Please try again in ")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "잠시" in Client(REMOTE_ADDR="203.0.113.7").get(LIST).json()["detail"]
    # Another address has its own allowance.
    assert Client(REMOTE_ADDR="203.0.113.8").get(LIST).status_code == 200


def test_the_proxys_header_names_the_address_when_configured(tiny_rates, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(3):
        assert proxy.get(LIST, HTTP_X_REAL_IP="198.51.100.1").status_code == 200
    assert proxy.get(LIST, HTTP_X_REAL_IP="198.51.100.1").status_code == 429
    assert proxy.get(LIST, HTTP_X_REAL_IP="198.51.100.2").status_code == 200


def test_a_partner_key_has_its_own_higher_limit(tiny_rates):
    _key, raw = partner_key(rate="10/m")
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(10):
        assert client.get(LIST, HTTP_X_API_KEY=raw).status_code == 200
    assert client.get(LIST, HTTP_X_API_KEY=raw).status_code == 429
    # The address's anonymous allowance was not used by the partner.
    assert client.get(LIST).status_code == 200


def test_two_keys_are_counted_apart(tiny_rates):
    _one, first = partner_key(rate="2/m")
    _two, second = partner_key(rate="2/m", institution="서울시립대학교")
    client = Client()
    for _ in range(2):
        assert client.get(LIST, HTTP_X_API_KEY=first).status_code == 200
    assert client.get(LIST, HTTP_X_API_KEY=first).status_code == 429
    assert client.get(LIST, HTTP_X_API_KEY=second).status_code == 200
