"""/api/v1/statistics/: the figures of /stats/, read from stats.figures."""

import pytest
from django.utils import translation

from stats.refresh import refresh
from tests.api.more_helpers import hide, read
from tests.clock import at
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory
from tests.tracking.helpers import adopted_card

pytestmark = pytest.mark.django_db

URL = "/api/v1/statistics/"


@pytest.fixture
def counted():
    """Three public proposals in March 2024 (two on transport), one in May
    2024, one in 2025 and a hidden one in March 2024, counted."""
    transport = CategoryFactory(code="transport", name="교통", name_en="Transport")
    parks = CategoryFactory(code="parks", name="공원", name_en="Parks")
    with at(2024, 3, 10, 12):
        ProposalFactory(category=transport)
        ProposalFactory(category=transport)
        ProposalFactory(category=parks)
        hide(ProposalFactory(category=parks))
    with at(2024, 5, 2, 9):
        ProposalFactory(category=parks)
    with at(2025, 1, 20, 9):
        ProposalFactory(category=parks)
    refresh(full=True)


def test_totals_all_time_and_of_a_year_and_a_month(counted):
    everything = read(f"{URL}totals/").data_json
    assert everything["counts"]["received"] == 5
    assert everything["as_of"].endswith("+09:00")
    assert everything["year"] is None
    assert everything["counts"]["adoption_rate"] == 0.0

    march = read(f"{URL}totals/", year="2024", month="3").data_json
    assert (march["year"], march["month"]) == (2024, 3)
    assert march["counts"]["received"] == 3
    assert march["lists"]["received"].endswith("/stats/proposals/?year=2024&month=3")
    assert "stage=adopted" in march["lists"]["adopted"]

    assert read(URL, year="2024").data_json["counts"]["received"] == 4


def test_a_year_with_nothing_is_zeros_not_an_error(counted):
    totals = read(f"{URL}totals/", year="2010").data_json["counts"]
    assert totals["received"] == 0
    assert totals["adoption_rate"] is None

    months = read(f"{URL}by-month/", year="2010").data_json["rows"]
    assert len(months) == 12
    assert all(row["counts"]["received"] == 0 for row in months)
    assert read(f"{URL}breakdown/", dimension="category", year="2010").data_json["rows"] == []


def test_by_year_and_by_month(counted):
    years = read(f"{URL}by-year/").data_json["rows"]
    assert [(row["key"], row["counts"]["received"]) for row in years] == [("2024", 4), ("2025", 1)]

    months = read(f"{URL}by-month/", year="2024", lang="en").data_json
    assert months["year"] == 2024
    march = months["rows"][2]
    assert march["key"] == "3"
    assert march["label"] == "Month 3"
    assert march["counts"]["received"] == 3
    assert march["lists"]["received"].endswith("?year=2024&month=3")


def test_breakdown_by_category_in_both_languages(counted):
    english = read(f"{URL}breakdown/", dimension="category", year="2024", lang="en").data_json
    assert english["dimension"] == "category"
    assert [(r["key"], r["label"], r["counts"]["received"]) for r in english["rows"]] == [
        ("parks", "Parks", 2),  # most received first, then by code
        ("transport", "Transport", 2),
    ]
    assert english["rows"][1]["lists"]["received"].endswith("?year=2024&category=transport")

    korean = read(f"{URL}breakdown/", dimension="category", year="2024").data_json
    assert [r["label"] for r in korean["rows"]] == ["공원", "교통"]


def test_card_progress_counts_public_cards_by_kind_and_stage():
    adopted_card()
    hide(adopted_card().proposal)

    rows = read(f"{URL}card-progress/", lang="en").data_json["rows"]

    review = next(
        r for r in rows if r["kind"]["code"] == "adopted" and r["stage"]["code"] == "review"
    )
    assert review == {
        "kind": {"code": "adopted", "label": "Adopted item"},
        "stage": {"code": "review", "label": "Under review"},
        "count": 1,
    }


def test_timeliness_names_departments_by_code():
    DepartmentFactory(code="roads")
    refresh(full=True)

    data = read(f"{URL}timeliness/", year="2024").data_json

    assert data["year"] == 2024
    assert isinstance(data["rows"], list)
    for row in data["rows"]:
        assert set(row["department"]) == {"code", "label"}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("breakdown/", {"dimension": "colour"}),
        ("breakdown/", {}),
        ("breakdown/", {"dimension": "all"}),
        ("totals/", {"year": "abc"}),
        ("totals/", {"year": "2024", "month": "13"}),
        ("totals/", {"month": "3"}),
        ("totals/", {"year": "99999999999999999999"}),
        ("by-month/", {"year": "1e3"}),
        ("timeliness/", {"year": "-2024"}),
    ],
)
def test_bad_parameters_are_a_400_with_a_reason(path, params):
    response = read(f"{URL}{path}", **params)

    assert response.status_code == 400
    assert response.data_json


def test_the_korean_label_by_default():
    with translation.override("ko"):
        korean = translation.gettext("Month %(month)d") % {"month": 1}
    assert read(f"{URL}by-month/", year="2024").data_json["rows"][0]["label"] == korean


@pytest.mark.parametrize(
    "path",
    [
        "",
        "totals/",
        "by-year/",
        "by-month/",
        "breakdown/?dimension=district",
        "timeliness/",
        "card-progress/",
    ],
)
def test_each_figure_costs_a_few_queries(counted, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert read(f"{URL}{path}").status_code == 200


def test_a_month_without_its_year_is_refused_in_the_readers_language():
    korean = read(f"{URL}totals/", month="3")
    english = read(f"{URL}totals/", month="3", lang="en")

    assert korean.status_code == english.status_code == 400
    assert "월을 고르려면 연도도 함께 알려 주세요." in korean.content.decode()
    assert "A month needs its year." in english.content.decode()
