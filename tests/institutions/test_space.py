"""A partner institution's public space (/org/<slug>/, issue 16) as a
reader sees it: its branding, its own proposals, debates, polls and figures
(and nobody else's, nothing hidden), the lists' filters and a fixed number
of queries, a closed institution still readable, an unknown one a 404, and
the page cache."""

import html
import re

import pytest

from oasis.page_cache import STATUS_HEADER
from stats.refresh import refresh
from tests.factories import ProposalFactory
from tests.pages import english_client, flash, logged_in, page_text

from .space_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def reader():
    return english_client()


def titles(response) -> list[str]:
    assert response.status_code == 200
    found = re.findall(
        r'<li class="proposal-item">.*?<h3><a href="[^"]+">(.*?)</a></h3>',
        response.content.decode(),
        re.S,
    )
    return [html.unescape(title) for title in found]


def test_the_institutions_page_lists_the_open_ones(world, reader, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = reader.get("/org/")
    text = page_text(response)
    assert "Seoul Facilities Corporation" in text and "Other Corporation" in text
    assert "Closed Corporation" not in text
    assert 'href="/org/sisul/"' in response.content.decode()


def test_the_home_shows_its_branding_and_only_its_open_work(
    world, reader, django_assert_max_num_queries
):
    refresh(full=True)
    with django_assert_max_num_queries(14):
        response = reader.get("/org/sisul/")
    assert response.status_code == 200
    page = response.content.decode()
    text = page_text(response)
    # Its name, introduction, website and colour (a nonce'd style, no style="")
    assert "Seoul Facilities Corporation" in text
    assert "공영주차장과 도로 시설을 운영합니다." in text
    assert 'href="https://www.sisul.or.kr"' in page
    assert re.search(r'<style nonce="[^"]+">\.org-space \{ --org-brand: #00664f; \}</style>', page)
    assert 'style="' not in page
    # Its open proposals, the most endorsed first; nobody else's, nothing hidden
    home = page.split('data-testid="org-proposals"')[1].split("</section>")[0]
    assert [html.unescape(t) for t in re.findall(r"<h3><a [^>]+>(.*?)</a>", home)] == [
        "공단 열린 제안 2",
        "공단 열린 제안 1",
        "공단 열린 제안 0",
    ]
    for title in ("서울시 제안", "다른공사 제안", "공단 숨긴 제안", "공단 휴지통 제안"):
        assert title not in text
    # Its open debate and poll, not the city's
    assert "공단 토론 제안" in text and "서울시 토론 제안" not in text
    assert "공단이 묻습니다" in text and "서울시가 묻습니다 설문" not in text
    assert "공단 초안 설문" not in text
    # Headline figures: its public proposals (3 open, the answered one, the debated one)
    figures = page.split('data-testid="org-figures"')[1].split("</ul>")[0]
    assert re.search(r'<a href="/stats/proposals/\?institution=sisul">5</a>', figures)
    # and the way to propose to it
    assert 'href="/org/sisul/propose/"' in page


def test_the_proposals_page_is_the_city_list_with_the_institution_fixed(
    world, reader, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = reader.get("/org/sisul/proposals/")
    assert sorted(titles(response)) == sorted(
        [
            "공단 열린 제안 0",
            "공단 열린 제안 1",
            "공단 열린 제안 2",
            "공단 답변된 제안",
            "공단 토론 제안",
        ]
    )
    page = response.content.decode()
    # The same filters, without the institution one; only its categories offered
    assert 'name="status"' in page and 'name="q"' in page
    assert 'name="institution"' not in page
    categories = page.split('name="category"')[1].split("</select>")[0]
    assert "sisul-parking" in categories and "transport" not in categories
    # and they filter within it
    answered = reader.get("/org/sisul/proposals/?status=answered")
    assert titles(answered) == ["공단 답변된 제안"]
    endorsed = reader.get("/org/sisul/proposals/?sort=endorsed&status=open")
    assert titles(endorsed) == ["공단 열린 제안 2", "공단 열린 제안 1", "공단 열린 제안 0"]


def test_a_long_proposals_list_costs_the_same_queries(world, reader, django_assert_max_num_queries):
    for n in range(30):
        ProposalFactory(title=f"더 많은 제안 {n}", category=world.parking, institution=world.sisul)
    with django_assert_max_num_queries(12):
        response = reader.get("/org/sisul/proposals/")
    assert len(titles(response)) == 20


def test_the_debates_and_polls_pages_list_only_its_own(
    world, reader, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        debates = reader.get("/org/sisul/debates/")
    text = page_text(debates)
    assert "공단 토론 제안" in text and "서울시 토론 제안" not in text
    # The tabs stay in the space
    assert 'href="/org/sisul/debates/?status=open"' in debates.content.decode()
    with django_assert_max_num_queries(10):
        polls = reader.get("/org/sisul/polls/")
    text = page_text(polls)
    assert "공단이 묻습니다" in text
    assert "서울시가 묻습니다 설문" not in text and "공단 초안 설문" not in text
    assert 'href="/org/sisul/polls/?kind=' in polls.content.decode()


def test_the_stats_page_counts_what_its_list_shows(world, reader, django_assert_max_num_queries):
    refresh(full=True)
    with django_assert_max_num_queries(10):
        response = reader.get("/org/sisul/stats/")
    assert response.status_code == 200
    funnel = response.content.decode().split('data-testid="org-funnel"')[1].split("</table>")[0]
    counts = dict(
        re.findall(
            r'<tr data-stage="(\w+)">.*?<td class="num"[^>]*>(?:<a href="[^"]+">)?(\d+)',
            funnel,
            re.S,
        )
    )
    assert counts["received"] == "5"
    # Reached at least: the answered one and the debated one were answered
    assert counts["answered"] == "2"
    links = dict(re.findall(r'<tr data-stage="(\w+)">.*?<a href="([^"]+)"', funnel, re.S))
    # Each figure's list shows exactly what it counted
    listed = reader.get(html.unescape(links["received"]))
    assert sorted(titles(listed)) == sorted(
        [
            "공단 열린 제안 0",
            "공단 열린 제안 1",
            "공단 열린 제안 2",
            "공단 답변된 제안",
            "공단 토론 제안",
        ]
    )
    assert "addressed to Seoul Facilities Corporation" in page_text(listed)
    answered = reader.get(html.unescape(links["answered"]))
    assert sorted(titles(answered)) == ["공단 답변된 제안", "공단 토론 제안"]
    debated = reader.get(html.unescape(links["debated"]))
    assert titles(debated) == ["공단 토론 제안"]
    assert counts["debated"] == "1"


def test_an_unknown_institution_is_not_found(world, reader):
    for path in ("", "proposals/", "debates/", "polls/", "stats/", "propose/", "logo/"):
        assert reader.get(f"/org/nowhere/{path}").status_code == 404, path
    # a known one without a logo has none to send
    assert reader.get("/org/sisul/logo/").status_code == 404


def test_a_closed_institution_is_readable_but_takes_no_proposals(world):
    ProposalFactory(title="닫힌공단의 옛 제안", category=world.parking, institution=world.closed)
    member = logged_in()
    space = member.get("/org/closed-org/")
    assert space.status_code == 200
    assert "Not taking proposals now" in page_text(space)
    assert 'href="/org/closed-org/propose/"' not in space.content.decode()
    assert "닫힌공단의 옛 제안" in page_text(member.get("/org/closed-org/proposals/"))
    refused = member.get("/org/closed-org/propose/", follow=True)
    assert refused.redirect_chain[-1][0] == "/org/closed-org/"
    assert flash(refused) == [
        "Closed Corporation is not taking proposals now. Propose it to the city instead."
    ]


def test_the_propose_link_opens_the_form_with_the_institution_chosen(world):
    member = logged_in()
    response = member.get("/org/sisul/propose/")
    assert response.status_code == 302
    assert response["Location"] == "/proposals/new/?institution=sisul"


def test_a_brand_colour_that_is_not_a_colour_never_reaches_the_page(world, reader):
    # (seven characters, as the column holds: a value an old form let through)
    type(world.sisul).objects.filter(pk=world.sisul.pk).update(brand_color="red;}a{")
    page = reader.get("/org/sisul/").content.decode()
    assert "--org-brand: #1f5fa8;" in page and "red;}" not in page


@pytest.mark.page_cache
def test_the_space_is_kept_for_readers_who_are_not_logged_in(world, django_assert_num_queries):
    for path in (
        "/org/",
        "/org/sisul/",
        "/org/sisul/proposals/",
        "/org/sisul/debates/",
        "/org/sisul/polls/",
        "/org/sisul/stats/",
    ):
        first = english_client().get(path)
        assert first[STATUS_HEADER] == "miss", path
        with django_assert_num_queries(0):
            second = english_client().get(path)
        assert second[STATUS_HEADER] == "hit", path
