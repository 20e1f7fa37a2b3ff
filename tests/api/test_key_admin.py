"""The operators' screen for partner keys, used as an operator does."""

import re

import pytest
from django.test import Client

from accounts.models import AuditRecord
from api.models import PartnerKey
from tests.api.world import partner_key
from tests.factories import DepartmentFactory, official, operator
from tests.pages import form_fields, logged_in, page_text

pytestmark = pytest.mark.django_db

ADD = "/admin/api/partnerkey/add/"
LIST = "/admin/api/partnerkey/"


def issue(client, **values):
    return client.post(
        ADD,
        {
            **form_fields(client.get(ADD)),
            "institution": "서울연구원",
            "contact_email": "data@si.re.kr",
            "rate": "6000/h",
            **values,
        },
    )


def test_an_operator_issues_a_key_and_sees_it_once_with_how_to_send_it():
    client = logged_in(operator(), csrf_checks=True)
    response = issue(client)
    assert response.status_code == 200
    text = page_text(response)
    raw = re.search(r"oasis_[A-Za-z0-9_\-]{43}", text).group(0)
    assert f"X-Api-Key: {raw}" in text and f"Authorization: Api-Key {raw}" in text
    assert "only once" in text
    key = PartnerKey.objects.get()
    assert key.institution == "서울연구원" and key.rate == "6000/h"
    # The key works at once, and is nowhere on the screens after.
    assert Client().get("/api/v1/proposals/", HTTP_X_API_KEY=raw).status_code == 200
    assert raw not in client.get(f"{LIST}{key.pk}/change/").content.decode()
    assert raw not in client.get(LIST).content.decode()
    record = AuditRecord.objects.get(action="api.key_issued")
    assert record.params == {"prefix": key.prefix, "rate": "6000/h"}


@pytest.mark.parametrize("rate", ["lots", "0/h", "10/0m", "6000/week", ""])
def test_a_rate_that_cannot_be_read_is_refused_on_the_form(rate):
    client = logged_in(operator(), csrf_checks=True)
    response = issue(client, rate=rate)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not PartnerKey.objects.exists()


def test_an_operator_revokes_keys_with_a_reason():
    key, raw = partner_key()
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(LIST)
    asked = client.post(
        LIST, {**form_fields(page), "action": "revoke_keys", "_selected_action": [key.pk]}
    )
    assert "Revoke API keys" in page_text(asked)
    reason_form = form_fields(asked)
    client.post(LIST, {**reason_form, "reason": ""})
    assert PartnerKey.objects.get().is_active
    client.post(LIST, {**reason_form, "reason": "기관이 사용 중단"})
    key.refresh_from_db()
    assert not key.is_active and key.revoked_reason == "기관이 사용 중단"
    assert Client().get("/api/v1/proposals/", HTTP_X_API_KEY=raw).status_code == 401
    assert AuditRecord.objects.filter(action="api.key_revoked").count() == 1


def test_an_operator_changes_a_keys_rate_and_it_is_recorded():
    key, _raw = partner_key(rate="6000/h")
    client = logged_in(operator(), csrf_checks=True)
    change = f"{LIST}{key.pk}/change/"
    client.post(change, {**form_fields(client.get(change)), "rate": "20000/h"})
    key.refresh_from_db()
    assert key.rate == "20000/h"
    record = AuditRecord.objects.get(action="api.key_rate_changed")
    assert record.params["before"] == "6000/h" and record.params["rate"] == "20000/h"


def test_officials_do_not_see_the_keys():
    partner_key()
    client = logged_in(official(DepartmentFactory()))
    assert client.get(LIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert "partner API keys" not in page_text(client.get("/admin/")).lower()
