"""Review of issue 16: every admin page, crawled as institution A's staff
and the city's officials, shows nothing of institution B: every list of
every registered model (its rows, list filters, search), and every admin
address that takes one id (change pages, history, the apps' own screens:
merge, similar, workroom, poll results, cards...) given each of B's ids."""

import re

import pytest
from django.contrib.admin import site
from django.urls import NoReverseMatch, URLResolver, reverse

from tests.pages import logged_in

from .orgadmin_world import build_world

pytestmark = pytest.mark.django_db

# What names B's data on a page (orgadmin_world's names).
B_MARKS = ["제안 B", "설문 B", "부서 B", "분야 B", "기관 B"]
STAFF = ["a_admin", "a_official", "city_official"]


def _patterns(patterns, prefix="/admin/"):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def _b_on(response) -> list[str]:
    if response.status_code != 200:
        return []
    text = response.content.decode(errors="replace")
    return [mark for mark in B_MARKS if mark in text]


@pytest.mark.parametrize("who", STAFF)
def test_no_admin_list_shows_another_institutions_data(who):
    world = build_world()
    client = logged_in(world.users[who])
    seen = []
    for model in site._registry:
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        except NoReverseMatch:
            continue
        for query in ("", "?q=B"):
            response = client.get(url + query)
            assert response.status_code < 500, url
            if found := _b_on(response):
                seen.append((url + query, found))
    assert _b_on(client.get(reverse("admin:index"))) == []
    assert seen == []


@pytest.mark.parametrize("who", STAFF)
def test_no_admin_address_opens_another_institutions_rows_by_id(who):
    world = build_world()
    b = world["B"]
    ids = sorted(
        {
            b.proposal.pk,
            b.poll.pk,
            b.card.pk,
            b.answer.pk,
            b.assignment.pk,
            b.department.pk,
            b.category.pk,
            b.institution.pk,
        }
    )
    client = logged_in(world.users[who])
    seen = []
    for pattern in _patterns(site.get_urls()):
        params = re.findall(r"<[^>]+>", pattern)
        if len(params) != 1 or "app_label" in pattern:
            continue
        for pk in ids:
            url = re.sub(r"<[^>]+>", str(pk), pattern).replace("^", "").replace("$", "")
            response = client.get(url)
            assert response.status_code < 500, url
            if found := _b_on(response):
                seen.append((url, found))
    assert seen == []
