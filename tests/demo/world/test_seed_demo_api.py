"""The demo shows the read API's debates, meetings, adopted items, polls
and statistics (issue 15): a newcomer under `make run` finds rows in each,
with the parts that make them worth reading (a decision, a progress report,
public results, counted figures), and no member's name anywhere."""

import json

import pytest
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db


def get(path: str, **params) -> dict:
    response = Client().get(path, params)
    assert response.status_code == 200, (path, response.content[:300])
    return json.loads(response.content)


def test_each_endpoint_has_something_to_read(world):
    debates = get("/api/v1/debates/")["results"]
    assert {row["status"]["code"] for row in debates} >= {"open", "closed"}

    meetings = get("/api/v1/meetings/")["results"]
    decisions = {item["decision"]["code"] for meeting in meetings for item in meeting["items"]}
    assert "adopted" in decisions

    cards = get("/api/v1/adopted/")["results"]
    reported = [row for row in cards if row["last_report_at"]]
    assert reported
    detail = get(f"/api/v1/adopted/{reported[0]['id']}/")
    assert detail["reports"] and detail["history"]

    polls = get("/api/v1/polls/")["results"]
    shown = [row for row in polls if row["results_public"]]
    assert shown
    assert get(f"/api/v1/polls/{shown[0]['id']}/")["results"]["questions"] is not None

    assert get("/api/v1/statistics/totals/")["counts"]["received"] > 0
    assert get("/api/v1/statistics/by-year/")["rows"]


def test_no_member_is_named(world):
    bodies = " ".join(
        Client().get(path).content.decode()
        for path in (
            "/api/v1/debates/",
            "/api/v1/meetings/",
            "/api/v1/adopted/",
            "/api/v1/polls/",
        )
    )
    for user in User.objects.exclude(display_name="").filter(is_active=True)[:200]:
        assert user.email not in bodies
