"""SQL injection, from the attacker's side: the search, sort and filter
parameters of the public lists and the admin's changelists, with quotes,
comments, tautologies, stacked statements and field names that are not
offered. The answer is never a 500, never more rows than the asker may see
(hidden and trashed proposals, another department's work), and a lookup the
page does not offer (a member's password hash) is refused."""

import pytest

from tests.factories import UserFactory
from tests.pages import english_client, logged_in

pytestmark = pytest.mark.django_db

INJECTIONS = [
    "' OR 1=1--",
    "' OR '1'='1",
    '" OR ""="',
    "%' OR '%'='",
    "1; DROP TABLE proposals_proposal;--",
    "1) UNION SELECT password FROM accounts_user--",
    "%_\\' OR 1=1 /*",
]
PUBLIC_PARAMETERS = {
    "/proposals/": ["q", "tag", "sort", "status", "category", "district", "page"],
    "/adopted/": ["stage", "year", "category", "district", "page"],
    "/debates/": ["status", "page"],
    "/meetings/": ["page"],
}


def _shown(response, texts) -> list[str]:
    content = response.content.decode()
    return [text for text in texts if text in content]


@pytest.mark.parametrize("path", PUBLIC_PARAMETERS)
def test_public_lists_take_injections_as_plain_values(world, path):
    visitor = english_client()
    never = [world.proposal_hidden.title, world.proposal_trashed.title]
    # a search that matches nothing must show none of the proposals
    everything = [world.proposal_a.title, world.proposal_b.title, *never]
    for parameter in PUBLIC_PARAMETERS[path]:
        for value in INJECTIONS:
            response = visitor.get(path, {parameter: value})
            assert response.status_code == 200, (parameter, value)
            assert _shown(response, never) == [], (parameter, value)
            if parameter in ("q", "tag"):
                assert _shown(response, everything) == [], (parameter, value)


def test_like_wildcards_in_a_search_are_matched_literally(world):
    """'%' and '_' are searched as characters, not as LIKE's wildcards."""
    visitor = english_client()
    for value in ("%", "_", "%%", "_%_"):
        response = visitor.get("/proposals/", {"q": value})
        assert _shown(response, [world.proposal_a.title, world.proposal_b.title]) == []


# The lists an official sees for their own department only.
SCOPED = {
    "/admin/answers/assignment/",
    "/admin/answers/answer/",
    "/admin/tracking/managementcard/",
    "/admin/tracking/progressreport/",
}
ADMIN_LISTS = [
    "/admin/proposals/proposal/",
    "/admin/proposals/comment/",
    "/admin/proposals/report/",
    "/admin/answers/assignment/",
    "/admin/answers/answer/",
    "/admin/debates/argument/",
    "/admin/meetings/agendaitem/",
    "/admin/tracking/managementcard/",
    "/admin/tracking/progressreport/",
    "/admin/accounts/user/",
]


def _searchable(response) -> bool:
    """Whether the list has a search box (without one, `q` is ignored)."""
    return 'id="searchbar"' in response.content.decode()


@pytest.mark.parametrize(
    ("url", "role"),
    [*((url, "operator") for url in ADMIN_LISTS), *((url, "official_x") for url in sorted(SCOPED))],
)
def test_admin_search_sort_and_filters_take_injections_as_plain_values(world, url, role):
    browser = logged_in(world.user(role))
    # what an official of X must never see listed: department Y's work
    never = []
    if role == "official_x" and url in SCOPED:
        never = [world.assignment_y.proposal.title, world.card_y.proposal.title]
    titles = [world.proposal_a.title, world.proposal_b.title, world.card_x.proposal.title]
    for value in INJECTIONS[::2]:
        for query in ({"q": value, "o": value}, {"status__exact": value, "p": value}):
            response = browser.get(url, query)
            assert response.status_code in (200, 302, 400, 403), (query, response.status_code)
            if response.status_code == 200:
                assert _shown(response, never) == [], query
                if "q" in query and _searchable(response):  # it matched nothing: no row listed
                    assert _shown(response, titles) == [], query


@pytest.mark.parametrize(
    "query",
    [
        {"author__password__startswith": "md5"},
        {"password__startswith": "md5"},
        {"author__email__contains": "@"},
        {"reporter__password__regex": "^md5"},
        {"department__id__exact": "1 OR 1=1"},
        {"id__in": "1,2,3) OR (1=1"},
        {"extra": "1", "_to_field": "password"},
    ],
    ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()),
)
@pytest.mark.parametrize(
    "url", ["/admin/proposals/proposal/", "/admin/proposals/report/", "/admin/accounts/user/"]
)
def test_lookups_the_admin_does_not_offer_are_refused(world, url, query):
    # given a superuser's browser (every list, every column)
    browser = logged_in(UserFactory(is_superuser=True, is_staff=True, email="root@example.com"))
    # when a lookup through a field no filter offers is sent
    response = browser.get(url, query)
    # then it is refused (400 or the admin's "?e=1" redirect), never applied
    assert response.status_code in (400, 302), response.status_code
    if response.status_code == 302:
        assert "e=1" in response["Location"]
