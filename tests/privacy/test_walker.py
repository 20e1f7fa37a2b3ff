"""The walker itself: over a careless endpoint (tests/privacy/leaky_api.py)
it finds the hidden proposal's title, the author's e-mail, the hidden ids
answering 200 and the fields nobody allowed. A walker that found nothing
there would prove nothing over the real API."""

import pytest
from django.test import override_settings

from tests.privacy.fields import ALLOWED
from tests.privacy.walk import ApiWalk, markers_in
from tests.privacy.world import PUBLIC, SECRETS


@pytest.fixture(scope="module")
def careless_walk(secret_world, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(ROOT_URLCONF="tests.privacy.leaky_api"):
        return ApiWalk(extra_ids=secret_world.hidden_ids).run()


def test_it_finds_the_secrets_a_careless_endpoint_shows(careless_walk, db):
    found = {line.split(":")[0] for line in markers_in(careless_walk.seen, SECRETS)}
    assert {"hidden_proposal", "trashed_proposal", "member_email"} <= found
    assert markers_in(careless_walk.seen, {"proposal": PUBLIC["proposal"]})


def test_it_reads_every_page_and_both_languages(careless_walk, db):
    from proposals.models import Proposal

    urls = careless_walk.statuses
    assert "/api/v1/careless-proposals/?lang=en" in urls
    assert "/api/v1/careless-proposals/?lang=ko&page=2" in urls  # 3 a page
    details = {
        int(url.split("/")[4])
        for url in urls
        if url.startswith("/api/v1/careless-proposals/") and url.split("/")[4].isdigit()
    }
    assert set(Proposal.objects.values_list("pk", flat=True)) <= details


def test_it_tries_the_hidden_ids_and_sees_them_answer(careless_walk, db):
    answered = [(kind, url) for kind, url, status in careless_walk.probes if status == 200]
    assert ("proposal", answered[0][1]) in answered
    assert {kind for kind, _url in answered} == {"proposal"}


def test_it_names_the_fields_nobody_allowed(careless_walk, db):
    names = {name for each in careless_walk.seen for name in each.fields}
    assert "author_email" in names - set(ALLOWED)
