"""Pages whose cost used to grow with the data (issue 10): the list counts
only up to a cap and still pages on, search finds every word anywhere (on
PostgreSQL through the bigram index), and the admin's list says "more
than". (The home page's figures are the statistics' own since issue 15:
tests/stats/test_front_page.py.)"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.urls import reverse

from proposals.models import Proposal
from proposals.search import search_proposals
from tests.factories import CategoryFactory, ProposalFactory, UserFactory
from tests.pages import english, page_text

from .helpers import CHANGELIST, shown
from .test_filters import _follow_three_pages, _links, _titles

pytestmark = pytest.mark.django_db

URL = "/proposals/"


@pytest.fixture(autouse=True)
def _english(client):
    english(client)


# --- the capped count -------------------------------------------------------------


def test_past_the_cap_the_list_says_more_than_and_still_pages_through(client, settings):
    # Given more proposals than the list counts (the cap, 10,000 in production)
    settings.LIST_COUNT_CAP = 30
    category = CategoryFactory(code="transport")
    for i in range(45):
        ProposalFactory(title=f"제안 {i:02d}", category=category)
    # When the list is opened
    first = client.get(URL, {"category": "transport"})
    # Then it says there are more than the cap, not a total, and pages without one
    text = page_text(first)
    assert "More than 30 proposals found" in text
    assert "Page 1" in text and "Page 1 of" not in text
    (next_link,) = _links(first, "next")
    assert parse_qs(urlsplit(next_link).query) == {"category": ["transport"], "page": ["2"]}
    # And next and previous lead through every proposal exactly once
    second, third = _follow_three_pages(client, next_link)
    seen = _titles(first) + _titles(second) + _titles(third)
    assert len(seen) == len(set(seen)) == 45
    # And a page past the end is an empty page with its way back, not an error
    beyond = client.get(URL, {"category": "transport", "page": "9"})
    assert _titles(beyond) == [] and _links(beyond, "prev")


def test_under_the_cap_the_count_is_exact(client, settings):
    settings.LIST_COUNT_CAP = 30
    ProposalFactory.create_batch(30)
    assert "30 proposals found" in page_text(client.get(URL))
    assert "More than" not in page_text(client.get(URL))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?sort=endorsed",
        "?sort=commented&status=open",
        "?sort=viewed&district=citywide",
        "?q=한강 다리&sort=new",
        "?q=한&page=2",
        "?page=500",
    ],
)
def test_every_list_view_runs_a_fixed_number_of_queries(
    client, settings, django_assert_max_num_queries, query
):
    # Given more proposals than the cap, with authors, categories and tags
    settings.LIST_COUNT_CAP = 10
    for n in range(25):
        ProposalFactory(title=f"한강 다리 {n}", author=UserFactory(), endorsement_count=n)
    # Then any filter, sort or page costs the same few queries
    with django_assert_max_num_queries(8):
        assert client.get(URL + query).status_code == 200


# --- search ---------------------------------------------------------------------


@pytest.fixture
def library():
    far_apart = ProposalFactory(
        title="도서관을 늘려 주세요",
        body="동네에 책 읽을 곳이 없습니다. " * 20 + "평일에는 일하느라 주말에만 갈 수 있어요.",
    )
    only_library = ProposalFactory(title="도서관 좌석 예약", body="평일 저녁 좌석이 모자랍니다.")
    only_weekend = ProposalFactory(title="주말 장터", body="광장에서 열면 좋겠습니다.")
    river = ProposalFactory(title="한강 산책로", body="밤에도 걷기 좋게 조명을.")
    spaced = ProposalFactory(title="한 강물 이야기", body="강물이 맑아요.")
    return {
        "far_apart": far_apart,
        "only_library": only_library,
        "only_weekend": only_weekend,
        "river": river,
        "spaced": spaced,
    }


def _search(client, q) -> set[str]:
    return set(_titles(client.get(URL, {"q": q})))


def _check_searches(client, library):
    # Two words find the proposal holding both, however far apart, and not
    # one holding only one of them
    assert _search(client, "도서관 주말") == {library["far_apart"].title}
    assert _search(client, "주말   도서관") == {library["far_apart"].title}
    # A two-syllable word finds every proposal holding it (and spacing inside
    # a word is ignored as before: "한강" is in "한 강물")
    assert _search(client, "한강") == {library["river"].title, library["spaced"].title}
    assert _search(client, "주말") == {library["far_apart"].title, library["only_weekend"].title}
    # A one-syllable word, a longer word, and the last character of a text
    assert _search(client, "숲") == set()
    assert _search(client, "좌석") == {library["only_library"].title}
    assert _search(client, "좌석예약") == {library["only_library"].title}
    assert _search(client, "예약좌석") == set()
    assert _search(client, "을.") == {library["river"].title}
    assert _search(client, ".") >= {library["river"].title, library["spaced"].title}


def test_search_finds_every_word_anywhere(client, library):
    _check_searches(client, library)


@pytest.mark.postgres
def test_on_postgresql_search_reads_the_bigram_index(client, library):
    # Given a planner kept from reading the whole table or walking a sort
    # index, as it would not at full size for a rarer word
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        try:
            # Then the search answers the same, from the bigram index
            _check_searches(client, library)
            plan = search_proposals(Proposal.objects.all(), "한강 주말").explain()
        finally:
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
    assert "Bitmap Index Scan on proposal_search_bigrams" in plan


# --- the admin ------------------------------------------------------------------------


def test_admin_list_says_more_than_past_the_cap(operator_client, settings):
    settings.LIST_COUNT_CAP = 30
    ProposalFactory.create_batch(35)
    response = operator_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert "More than 30" in page_text(response)
    assert len(shown(response)) == 35


def test_admin_list_counts_exactly_under_the_cap(operator_client):
    ProposalFactory.create_batch(3)
    response = operator_client.get(reverse(CHANGELIST))
    assert "3 proposals" in page_text(response)


def test_admin_search_finds_every_word_in_title_text_or_tags(operator_client, library):
    response = operator_client.get(reverse(CHANGELIST), {"q": "도서관 주말"})
    assert shown(response) == {library["far_apart"].pk}
    response = operator_client.get(reverse(CHANGELIST), {"q": "한강"})
    assert shown(response) == {library["river"].pk, library["spaced"].pk}
