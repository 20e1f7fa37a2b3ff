"""/proposals/: filters, Korean search, sorting and pagination, as a visitor
uses them through the URL; and a fixed number of queries however long the list."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.utils import timezone

from proposals.models import Tag
from tests.factories import CategoryFactory, ProposalFactory, UserFactory, image_file
from tests.pages import english

pytestmark = pytest.mark.django_db

URL = "/proposals/"


@pytest.fixture(autouse=True)
def _english(client):
    english(client)


def _titles(response) -> list[str]:
    """The proposal titles in the order the page lists them."""
    assert response.status_code == 200
    page = response.content.decode()
    items = re.findall(
        r'<li class="proposal-item">.*?<h3><a href="[^"]+">(.*?)</a></h3>', page, re.S
    )
    return [html.unescape(title) for title in items]


def _links(response, rel) -> list[str]:
    page = response.content.decode()
    return [html.unescape(href) for href in re.findall(rf'<a href="([^"]+)" rel="{rel}">', page)]


def _follow_three_pages(client, next_link):
    """Follow "next" from the first page to the third and last, and check
    the way back; the second and third pages."""
    second = client.get(URL + next_link)
    (third_link,) = _links(second, "next")
    third = client.get(URL + third_link)
    assert _links(third, "next") == []
    (back,) = _links(third, "prev")
    assert parse_qs(urlsplit(back).query)["page"] == ["2"]
    return second, third


def _tagged(proposal, *names):
    proposal.tags.set([Tag.objects.get_or_create(name=name)[0] for name in names])
    return proposal


@pytest.fixture
def city(db):
    """A handful of proposals that differ in every filterable way."""
    transport = CategoryFactory(code="transport", name="교통")
    environment = CategoryFactory(code="environment", name="환경")
    return {
        "bridge": _tagged(
            ProposalFactory(
                title="한강 다리를 걷고 싶은 다리로",
                body="보행로를 넓혀 주세요. 산책하기 좋게.",
                category=transport,
                district="",
                endorsement_count=5,
                comment_count=1,
                view_count=30,
            ),
            "한강",
        ),
        "bus": _tagged(
            ProposalFactory(
                title="마포 마을버스 증차",
                body="출근 시간에 버스가 너무 붐빕니다.",
                category=transport,
                district="mapo",
                status="assigned",
                endorsement_count=12,
                comment_count=0,
                view_count=10,
            ),
            "버스",
        ),
        "forest": _tagged(
            ProposalFactory(
                title="한강공원 숲길",
                body="나무 그늘이 있는 길을 만들어 주세요.",
                category=environment,
                district="mapo",
                endorsement_count=1,
                comment_count=7,
                view_count=5,
            ),
            "한강",
            "숲",
        ),
        "hidden": ProposalFactory(title="숨긴 한강 제안", is_hidden=True, hidden_reason="광고"),
        "trashed": ProposalFactory(title="지운 한강 제안", deleted_at=timezone.now()),
    }


def test_the_list_shows_public_proposals_newest_first(client, city):
    titles = _titles(client.get(URL))
    assert titles == ["한강공원 숲길", "마포 마을버스 증차", "한강 다리를 걷고 싶은 다리로"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "assigned"}, {"마포 마을버스 증차"}),
        ({"status": "open"}, {"한강공원 숲길", "한강 다리를 걷고 싶은 다리로"}),
        ({"category": "environment"}, {"한강공원 숲길"}),
        ({"category": "transport"}, {"마포 마을버스 증차", "한강 다리를 걷고 싶은 다리로"}),
        ({"district": "mapo"}, {"마포 마을버스 증차", "한강공원 숲길"}),
        ({"district": "citywide"}, {"한강 다리를 걷고 싶은 다리로"}),
        ({"district": "gangnam"}, set()),
        ({"tag": "한강"}, {"한강공원 숲길", "한강 다리를 걷고 싶은 다리로"}),
        ({"tag": "숲"}, {"한강공원 숲길"}),
        (
            {"category": "transport", "district": "mapo", "status": "assigned"},
            {"마포 마을버스 증차"},
        ),
    ],
)
def test_each_filter_narrows_the_list(client, city, query, expected):
    assert set(_titles(client.get(URL, query))) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("한강다리", {"한강 다리를 걷고 싶은 다리로"}),  # spaced differently from the title
        ("한강 다리", {"한강 다리를 걷고 싶은 다리로"}),
        ("산책", {"한강 다리를 걷고 싶은 다리로"}),  # found in the body
        ("숲", {"한강공원 숲길"}),  # title and tag
        ("한강", {"한강 다리를 걷고 싶은 다리로", "한강공원 숲길"}),  # never the hidden or trashed
        ("지하철", set()),
        ("   ", {"한강 다리를 걷고 싶은 다리로", "한강공원 숲길", "마포 마을버스 증차"}),
    ],
)
def test_text_search_finds_korean_substrings_whatever_the_spacing(client, city, words, expected):
    assert set(_titles(client.get(URL, {"q": words}))) == expected


def test_a_tag_only_match_is_found_by_search(client, db):
    # Given a proposal whose tag, not its text, holds the words (services index tags)
    from proposals import services

    proposal = services.proposal_create(
        author=UserFactory(),
        title="가로등 추가",
        body="어두운 골목에 가로등을 더 설치해 주세요.",
        category=CategoryFactory(),
        tag_names=["안전귀갓길"],
    )
    # When searching for the tag spaced differently, Then it is found
    assert _titles(client.get(URL, {"q": "안전 귀갓길"})) == [proposal.title]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("new", ["한강공원 숲길", "마포 마을버스 증차", "한강 다리를 걷고 싶은 다리로"]),
        ("endorsed", ["마포 마을버스 증차", "한강 다리를 걷고 싶은 다리로", "한강공원 숲길"]),
        ("commented", ["한강공원 숲길", "한강 다리를 걷고 싶은 다리로", "마포 마을버스 증차"]),
        ("viewed", ["한강 다리를 걷고 싶은 다리로", "마포 마을버스 증차", "한강공원 숲길"]),
    ],
)
def test_sorting(client, city, sort, expected):
    assert _titles(client.get(URL, {"sort": sort})) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"status": "nonsense"},
        {"category": "no-such-code"},
        {"district": "atlantis"},
        {"sort": "-endorsed"},
        {"sort": "title"},
        {"page": "999"},
        {"page": "abc"},
        {"q": "%" * 50},
        {"q": "가" * 500},
        {"q": "한강\x00다리"},
        {"tag": "한\x00강"},
        {"category": "\x00"},
    ],
)
def test_odd_parameters_never_break_the_page(client, city, query):
    response = client.get(URL, query)
    assert response.status_code == 200


def test_a_percent_sign_is_searched_literally(client, db):
    ProposalFactory(title="수수료 10% 인하", search_text="수수료10%인하")
    ProposalFactory(title="수수료 인하", search_text="수수료인하")
    assert _titles(client.get(URL, {"q": "10%"})) == ["수수료 10% 인하"]


def test_the_filter_form_keeps_the_chosen_values(client, city):
    page = client.get(URL, {"q": "한강", "district": "citywide", "sort": "viewed"}).content.decode()
    assert 'name="q" value="한강"' in page
    assert '<option value="citywide" selected>' in page
    assert '<option value="viewed" selected>' in page


def test_pagination_shows_twenty_a_page_and_keeps_the_filters(client, db):
    # Given 45 open proposals tagged 한강 among others
    category = CategoryFactory(code="transport")
    for i in range(45):
        _tagged(ProposalFactory(title=f"한강 제안 {i:02d}", category=category), "한강")
    ProposalFactory.create_batch(3, title="다른 제안")
    query = {"q": "한강", "tag": "한강", "category": "transport", "sort": "new"}
    # When the first page is shown
    first = client.get(URL, query)
    # Then it lists 20, says there are more (a search is not counted: a
    # common word would make that count read most of the table), and its
    # "next" link keeps every filter
    assert len(_titles(first)) == 20
    assert '<p role="status">More than 20 ' in first.content.decode()
    (next_link,) = _links(first, "next")
    params = parse_qs(urlsplit(next_link).query)
    assert params == {
        "q": ["한강"],
        "tag": ["한강"],
        "category": ["transport"],
        "sort": ["new"],
        "page": ["2"],
    }
    # And following the links leads through all of them, each exactly once
    second, third = _follow_three_pages(client, next_link)
    # And the last page, knowing the rest, counts them all
    assert '<p role="status">45 ' in third.content.decode()
    seen = _titles(first) + _titles(second) + _titles(third)
    assert len(seen) == len(set(seen)) == 45
    assert seen[0] == "한강 제안 44" and seen[-1] == "한강 제안 00"


def test_a_member_sees_which_listed_proposals_they_endorsed(client, db):
    from proposals import services

    member = UserFactory()
    endorsed, _other = ProposalFactory(title="추천한 제안"), ProposalFactory(title="안 한 제안")
    services.proposal_endorse(proposal=endorsed, user=member)
    client.force_login(member)
    page = client.get(URL).content.decode()
    before, after = page.split("추천한 제안", 1)
    assert "You endorsed this" in after.split("proposal-item", 1)[0]
    assert page.count("You endorsed this") == 1


# --- query counts ---------------------------------------------------------------


def _populate(n):
    category = CategoryFactory()
    tags = [Tag.objects.get_or_create(name=f"태그{i}")[0] for i in range(3)]
    for i in range(n):
        proposal = ProposalFactory(category=category, author=UserFactory(), endorsement_count=i)
        proposal.tags.set(tags)
        photo = image_file(f"p{i}.jpg")
        proposal.photos.create(image=photo, thumbnail=image_file(f"t{i}.jpg"), position=0)


def _queries(django_assert_max_num_queries, client, url, n, limit):
    _populate(n)
    cache.clear()
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/proposals/", "/proposals/?tag=태그1&sort=endorsed", "/"])
@pytest.mark.parametrize("logged_in", [False, True])
def test_list_and_home_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, url, logged_in
):
    if logged_in:
        client.force_login(UserFactory())
    # The front page also builds the sections apps register: themes its open
    # themes and polls its open polls (one query each), stats its headline
    # figures from the summary tables and the next meeting (four).
    limit = 16 if url == "/" else 12
    small = _queries(django_assert_max_num_queries, client, url, 5, limit)
    large = _queries(django_assert_max_num_queries, client, url, 20, limit)  # 25 in all
    assert large == small


def test_a_word_is_looked_up_by_bigrams_that_do_not_overlap():
    # Overlapping bigrams always occur together, but PostgreSQL estimates them
    # as independent and took a common word for a rare one (a 144 ms search
    # at full scale); the LIKE beside them proves the whole word.
    from proposals.text import word_lexemes

    assert word_lexemes("도서관") == "'도서'"
    assert word_lexemes("어린이놀이터") == "'어린' & '이놀' & '이터'"
    assert word_lexemes("한강") == "'한강'"
    assert word_lexemes("강") == "'강':*"
