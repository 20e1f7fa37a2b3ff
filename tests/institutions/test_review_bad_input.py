"""Review of issue 16: issue 16's new addresses never answer 500 to bad
input (a NUL byte, a huge value, a non-numeric or negative id, an unknown
slug), for an anonymous reader, a member and an operator: the institution
spaces, the similar-proposals fragment, the notice settings, unsubscribe
links, carry answers, the proposal form's addressee and category, and the
merge screen."""

import pytest
from django.test import Client

from tests.pages import logged_in

from .orgadmin_world import build_world

pytestmark = pytest.mark.django_db

BAD = ["\x00", "a" * 5000, "-1", "99999999999999999999", "abc", "1.5", "한글"]
SPACE = ["", "proposals/", "debates/", "polls/", "stats/", "propose/", "logo/"]
PARAMS = ["q", "page", "category", "district", "status", "sort", "institution", "year", "title"]


def _refusing(client):
    client.raise_request_exception = False
    return client


def test_no_500_on_bad_input_at_issue_16s_addresses():
    world = build_world()
    anonymous = _refusing(Client())
    member = _refusing(logged_in(world.users["citizen"]))
    staff = _refusing(logged_in(world.users["operator"]))
    failures = []

    def check(response, *what):
        if response.status_code >= 500:
            failures.append((*what, response.status_code))

    for client in (anonymous, member):
        for slug in ("org-a", "no-such-org", "a" * 300):
            for sub in SPACE:
                path = f"/org/{slug}/{sub}"
                check(client.get(path), path)
                for name in PARAMS:
                    for value in BAD:
                        check(client.get(path, {name: value}), path, name, value[:8])
        for value in BAD:
            check(client.get("/proposals/similar/", {"title": value, "body": value}), "similar")
            for method in ("get", "post"):
                url = f"/notifications/unsubscribe/{value}/"
                check(getattr(client, method)(url), "unsubscribe", method, value[:8])
        for pk in ("abc", "-1", "99999999999999999999", "0", "999999"):
            check(client.post(f"/proposals/carries/{pk}/", {"action": "decline"}), "carry", pk)
    for value in BAD:
        fields = {"my_proposals-email": value, "followed-in_site": value}
        check(member.post("/notifications/settings/", fields), "settings", value[:8])
        proposal = {"title": "제목입니다", "body": "본문", "institution": value, "category": value}
        check(member.post("/proposals/new/", proposal), "propose", value[:8])
    merge = f"/admin/proposals/proposal/{world['A'].proposal.pk}/merge/"
    for value in BAD:
        check(staff.get(merge, {"q": value}), "merge q", value[:8])
        check(staff.get(merge, {"target": value}), "merge target", value[:8])
        check(staff.post(merge, {"target": value, "reason": value}), "merge post", value[:8])
    for pk in ("abc", "-1", "99999999999999999999"):
        check(staff.get(f"/admin/proposals/proposal/{pk}/merge/"), "merge id", pk)
    assert failures == []
