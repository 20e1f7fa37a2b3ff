"""The statistics pages show what was counted (tests/stats/pages_world.py,
counted by hand), and every figure's link lists exactly the proposals it
counts. The counting itself is proved in the statscore tests; these read
the pages as a visitor does."""

import re

import pytest

from proposals.models import Proposal
from stats.refresh import refresh
from tests.factories import UserFactory
from tests.pages import english_client, logged_in, page_html, page_text
from tests.stats.pages_world import counted_world, proposal_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return counted_world()


@pytest.fixture
def en():
    return english_client()


def table(response, testid) -> dict[str, list[str]]:
    """A stats table's rows as {row header: [cell texts]}."""
    markup = page_html(response)
    body = markup.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S):
        header = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if header:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            rows[page_text(header.group(1)).strip()] = [page_text(c).strip() for c in cells]
    return rows


def figure_links(response) -> list[tuple[str, int]]:
    """Every figure on the page that links to a list: (url, number)."""
    return [
        (url, int(number.replace(",", "")))
        for url, number in re.findall(
            r'<a href="(/stats/proposals/[^"]*)"[^>]*>([\d,]+)</a>', page_html(response)
        )
    ]


def listed_titles(response) -> list[str]:
    return re.findall(r"<h3><a [^>]*>([^<]*)</a></h3>", page_html(response))


def test_the_overview_shows_the_hand_counted_figures(world, en):
    response = en.get("/stats/")
    assert response.status_code == 200
    text = page_text(response)
    assert "6 received, 1 adopted. Adoption rate 16.67%." in text
    # The funnel, all years: each stage reached at least
    funnel = table(response, "stats-funnel")
    assert [cells[0] for cells in funnel.values()] == ["6", "4", "3", "2", "1", "0"]
    assert funnel["Adopted"][1] == "16.7%"
    # Seed 002's per-year table: received, answered, debated, to a meeting,
    # adopted, completed, adoption rate
    assert table(response, "stats-by-year") == {
        "2024": ["4", "3", "2", "1", "1", "0", "25.00%"],
        "2025": ["2", "1", "1", "1", "0", "0", "0.00%"],
    }
    # Month by month of the latest year, twelve rows
    months = table(response, "stats-by-month")
    assert len(months) == 12
    assert months["Month 1"][:2] == ["1", "1"] and months["Month 2"][:2] == ["1", "0"]
    # By category and by district, most received first
    assert table(response, "stats-by-category") == {
        "Transport": ["4", "3", "2", "1", "1", "0", "25.00%"],
        "Environment": ["2", "1", "1", "1", "0", "0", "0.00%"],
    }
    districts = table(response, "stats-by-district")
    assert districts["City-wide"][:3] == ["2", "2", "2"]
    assert districts["Gangnam-gu"][4] == "1"
    # And when the figures were counted
    assert "Figures as of" in text


def test_a_chosen_year_and_month_show_that_period_beside_all_years(world, en):
    response = en.get("/stats/?year=2024")
    funnel = table(response, "stats-funnel")
    assert funnel["Received"][:2] == ["6", "4"]
    assert funnel["Debated"][:2] == ["3", "2"]
    assert funnel["Debated"][2] == "50.0%"  # of 2024's received
    assert "4 received, 1 adopted. Adoption rate 25.00%." in page_text(response)
    assert table(response, "stats-by-category")["Transport"][:3] == ["3", "3", "2"]
    assert list(table(response, "stats-by-month"))[:3] == ["Month 1", "Month 2", "Month 3"]
    assert table(response, "stats-by-month")["Month 3"][:3] == ["2", "2", "1"]
    # A month of the year
    march = en.get("/stats/?year=2024&month=3")
    assert table(march, "stats-funnel")["Received"][:2] == ["6", "2"]
    assert list(table(march, "stats-by-category")) == ["Transport"]


@pytest.mark.parametrize(
    "path", ["/stats/", "/stats/?year=2024", "/stats/?year=2025&month=1", "/stats/departments/"]
)
def test_every_figure_links_to_a_list_of_exactly_that_many_proposals(world, en, path):
    links = figure_links(en.get(path))
    assert len(links) >= 5
    for url, number in links:
        listed = en.get(url)
        assert listed.status_code == 200, url
        assert len(listed_titles(listed)) == number, url
        count = f"{number} proposal" if number == 1 else f"{number} proposals"
        assert count in page_text(listed), url


def test_a_figures_list_shows_the_proposals_it_counted_and_says_what_they_are(world, en):
    # Transport in 2024, debated: p2 and p3 (p1 was only answered; the
    # hidden and the trashed one are never counted)
    overview = en.get("/stats/?year=2024")
    (link,) = [
        url
        for url, _n in figure_links(overview)
        if "category=transport" in url and "stage=debated" in url
    ]
    response = en.get(link)
    assert sorted(listed_titles(response)) == ["p2: 세어 본 제안", "p3: 세어 본 제안"]
    heading = page_text(re.search(r"<h1[^>]*>.*?</h1>", page_html(response), re.S).group(0))
    assert (
        heading.strip()
        == "Proposals (received in 2024, Transport category) that went as far as a debate"
    )
    assert "2 proposals" in page_text(response)


def test_the_list_heading_reads_korean_by_default(world, client):
    response = client.get("/stats/proposals/?stage=debated&year=2024&category=transport")
    assert "2024년 교통 분야 제안 중 토론까지 간 제안" in page_text(response)
    assert "제안 2건" in page_text(response)


def test_a_proposal_hidden_since_the_count_leaves_its_list(world, en):
    # The list never shows what the public site does not, even before the
    # next refresh takes it out of the figure.
    Proposal.objects.filter(pk=world.p["p3"].pk).update(is_hidden=True)
    response = en.get("/stats/proposals/?stage=adopted")
    assert listed_titles(response) == []
    refresh()
    assert table(en.get("/stats/"), "stats-funnel")["Adopted"][0] == "0"


@pytest.mark.parametrize(
    "query",
    [
        "stage=everything",
        "year=abc",
        "year=99999999999999999999",
        "month=13",
        "category=no-such-category",
        "district=atlantis",
        "department=nobody",
        "theme=abc",
        "theme=999999",
        "theme=99999999999999999999",
        "answered_in=soon",
        "on_time=maybe",
    ],
)
def test_a_bad_filter_gets_the_forms_message_and_no_proposals(world, en, query):
    response = en.get(f"/stats/proposals/?{query}")
    assert response.status_code == 400
    assert "This list cannot be shown" in page_text(response)
    assert listed_titles(response) == []


@pytest.mark.parametrize("query", ["year=abc", "year=1999", "month=3", "year=2024&month=0"])
def test_a_bad_period_gets_the_forms_message_and_all_years(world, en, query):
    response = en.get(f"/stats/?{query}")
    assert response.status_code == 400
    assert "These figures cannot be shown" in page_text(response)
    assert table(response, "stats-funnel")["Received"][0] == "6"


def test_a_page_number_out_of_range_shows_the_last_page(world, en):
    response = en.get("/stats/proposals/?page=999")
    assert response.status_code == 200


def test_before_the_first_count_the_pages_say_so(en):
    counted_world(counted=False)
    for path in ("/stats/", "/stats/departments/", "/stats/themes/"):
        response = en.get(path)
        assert response.status_code == 200
        assert "Nothing has been counted yet." in page_text(response)
    assert "Nothing has been counted yet" not in page_text(en.get("/stats/proposals/"))


def test_the_pages_are_linked_keeping_the_period(world, en):
    markup = page_html(en.get("/stats/?year=2024"))
    assert 'href="/stats/departments/?year=2024"' in markup
    assert 'href="/stats/themes/?year=2024"' in markup
    assert "/stats/reports/" in markup
    # And the main navigation leads here
    assert re.search(r'<a href="/stats/"[^>]*>Statistics</a>', page_html(en.get("/proposals/")))


@pytest.mark.parametrize(
    "path",
    [
        "/stats/",
        "/stats/?year=2024",
        "/stats/departments/",
        "/stats/themes/",
        "/stats/proposals/?stage=answered",
    ],
)
def test_the_pages_cost_a_fixed_number_of_queries(world, en, django_assert_max_num_queries, path):
    with django_assert_max_num_queries(20) as few:
        assert en.get(path).status_code == 200
    # Twenty more proposals of every kind, in more months and districts
    for year in (2024, 2025):
        for i in range(10):
            proposal_at(
                f"more{year}{i}",
                (year, 1 + i, 3, 9),
                world.transport,
                ["gangnam", "jongno", "mapo", ""][i % 4],
                None,
                ["open", "answered", "debate", "adopted"][i % 4],
            )
    refresh(full=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert en.get(path).status_code == 200


def test_a_member_sees_the_list_with_their_endorsements(world):
    member = UserFactory()
    world.p["p3"].endorsements.create(user=member)
    response = logged_in(member).get("/stats/proposals/?stage=adopted")
    assert response.status_code == 200
    assert "You endorsed this" in page_text(response)
