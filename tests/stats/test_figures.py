"""The figures against a world counted by hand (tests/stats/helpers.py:
seventeen proposals, three of them not public). Each expected number below
is read off the comments in `build()`, not computed by the code under test.

Stages are "reached at least": (received, answered, debated, on_agenda,
adopted, completed)."""

import pytest

from stats import figures
from stats.models import Dimension, ProposalFact, Stage
from stats.refresh import refresh
from tests.clock import at
from tests.stats.helpers import NOW, build, tallies_disagreeing_with_facts
from tests.worlds import seeded_world


def six(counts) -> tuple:
    return (
        counts.received,
        counts.answered,
        counts.debated,
        counts.on_agenda,
        counts.adopted,
        counts.completed,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with seeded_world(django_db_blocker, tmp_path_factory.mktemp("stats-media")):
        built = build()
        with at(*NOW):
            refresh()
        yield built


@pytest.fixture
def w(world, db):
    return world


def test_each_proposal_is_counted_at_its_furthest_stage_in_seoul_months(w):
    facts = {f.proposal_id: f for f in ProposalFact.objects.all()}
    p = w.p
    expected = {
        1: (2024, 6, Stage.RECEIVED),
        2: (2024, 11, Stage.ANSWERED),
        3: (2025, 1, Stage.DEBATED),  # 23:30 on 31 January, Seoul
        4: (2025, 2, Stage.DEBATED),  # 00:30 on 1 February, Seoul (31 January UTC)
        5: (2025, 2, Stage.ON_AGENDA),
        6: (2025, 3, Stage.ADOPTED),
        7: (2025, 3, Stage.COMPLETED),
        8: (2025, 3, Stage.ANSWERED),  # a promise completed is not "completed"
        11: (2025, 4, Stage.DEBATED),  # not selected
        12: (2025, 4, Stage.RECEIVED),
        13: (2025, 5, Stage.ANSWERED),
        14: (2025, 6, Stage.ANSWERED),
        15: (2026, 1, Stage.RECEIVED),
        17: (2026, 3, Stage.RECEIVED),
    }
    for number, (year, month, stage) in expected.items():
        fact = facts[p[number].pk]
        assert (fact.year, fact.month, fact.stage, fact.is_public) == (year, month, stage, True), (
            number
        )
    assert facts[p[4].pk].is_withdrawn
    assert [facts[p[n].pk].is_public for n in (9, 10, 16)] == [False, False, False]
    assert facts[p[12].pk].theme_id == w.theme.pk
    assert facts[p[2].pk].district == "" and facts[p[1].pk].department_id is None
    assert tallies_disagreeing_with_facts() == []


def test_totals_all_time_and_by_period(w):
    assert six(figures.totals()) == (14, 10, 6, 3, 2, 1)
    assert figures.totals().adoption_rate == 14.29  # 2 of 14
    assert six(figures.totals(2024)) == (2, 1, 0, 0, 0, 0)
    assert six(figures.totals(2025, 3)) == (3, 3, 2, 2, 2, 1)
    assert six(figures.totals(2023)) == (0, 0, 0, 0, 0, 0)
    assert figures.totals(2023).adoption_rate is None


def test_by_year_is_seed_002s_table(w):
    rows = figures.by_year()
    assert [row.key for row in rows] == ["2024", "2025", "2026"]
    assert [six(row.counts) for row in rows] == [
        (2, 1, 0, 0, 0, 0),
        (10, 9, 6, 3, 2, 1),
        (2, 0, 0, 0, 0, 0),
    ]
    assert [row.counts.adoption_rate for row in rows] == [0.0, 20.0, 0.0]
    assert rows[1].link("adopted") == "/stats/proposals/?stage=adopted&year=2025"
    assert figures.years() == [2024, 2025, 2026]


def test_by_month_has_twelve_rows_with_zeros(w):
    rows = figures.by_month(2025)
    assert [row.key for row in rows] == [str(m) for m in range(1, 13)]
    assert [six(row.counts) for row in rows] == [
        (1, 1, 1, 0, 0, 0),
        (2, 2, 2, 1, 0, 0),
        (3, 3, 2, 2, 2, 1),
        (2, 1, 1, 0, 0, 0),
        (1, 1, 0, 0, 0, 0),
        (1, 1, 0, 0, 0, 0),
        *[(0, 0, 0, 0, 0, 0)] * 6,
    ]
    assert rows[0].link() == "/stats/proposals/?year=2025&month=1"


def test_breakdown_by_category(w):
    rows = figures.breakdown(Dimension.CATEGORY)
    assert [(row.key, row.label, six(row.counts)) for row in rows] == [
        ("environment", "환경", (7, 5, 3, 1, 1, 1)),
        ("transport", "교통", (7, 5, 3, 2, 1, 0)),
    ]
    in_2025 = figures.breakdown(Dimension.CATEGORY, 2025)
    assert [(row.key, row.counts.received) for row in in_2025] == [
        ("environment", 5),
        ("transport", 5),
    ]
    assert in_2025[1].link("debated") == (
        "/stats/proposals/?stage=debated&year=2025&category=transport"
    )


def test_breakdown_by_district_with_city_wide(w):
    rows = figures.breakdown(Dimension.DISTRICT)
    assert [(row.key, six(row.counts)) for row in rows] == [
        ("", (6, 4, 2, 1, 1, 1)),
        ("jongno", (5, 4, 2, 2, 1, 0)),
        ("gangnam", (3, 2, 2, 0, 0, 0)),
    ]
    assert rows[0].label == "City-wide"
    assert rows[0].link() == "/stats/proposals/?district=citywide"
    assert rows[1].label == "Jongno-gu"


def test_breakdown_by_department_and_theme(w):
    rows = figures.breakdown(Dimension.DEPARTMENT)
    assert [(row.key, row.label, six(row.counts)) for row in rows] == [
        ("parks", "공원과", (6, 5, 3, 1, 1, 1)),
        ("roads", "도로과", (6, 5, 3, 2, 1, 0)),
    ]
    (theme,) = figures.breakdown(Dimension.THEME)
    assert (theme.key, theme.label, six(theme.counts)) == (
        str(w.theme.pk),
        w.theme.title,
        (1, 0, 0, 0, 0, 0),
    )
    assert theme.link() == f"/stats/proposals/?theme={w.theme.pk}"
    assert figures.breakdown(Dimension.THEME, 2024) == []


def timeliness_rows(year=None):
    return [
        (t.department.code, t.answered, t.on_time, t.on_time_share, t.median_days, t.overdue_now)
        for t in figures.timeliness(year)
    ]


def test_timeliness_all_years_odd_counts_and_overdue_now(w):
    # roads: 30, 50 and 960 hours (the last late) -> median 50 h = 2.1 days;
    # one answer overdue now (p15; p16 is hidden). parks: 10, 13, 22 hours.
    assert timeliness_rows() == [
        ("roads", 3, 2, 66.7, 2.1, 1),
        ("parks", 3, 3, 100.0, 0.5, 0),
    ]


def test_timeliness_of_a_year_even_count_and_the_overdue_of_now(w):
    # parks in 2025: 13 and 22 hours -> the mean of the two, 17.5 -> 18 h
    # (rounded half up, not cut to 17) = 0.75 -> 0.8 days. roads is first,
    # slowest, though only the all-years row holds its overdue answer.
    assert timeliness_rows(2025) == [
        ("roads", 3, 2, 66.7, 2.1, 1),
        ("parks", 2, 2, 100.0, 0.8, 0),
    ]
    assert timeliness_rows(2024) == [("parks", 1, 1, 100.0, 0.4, 0)]
    assert timeliness_rows(2023) == []


def test_card_progress_counts_public_cards_by_kind_and_stage(w):
    found = {(c.kind, c.stage): c.count for c in figures.card_progress() if c.count}
    assert found == {
        ("adopted", "in_progress"): 1,
        ("adopted", "completed"): 1,
        ("promise", "completed"): 1,
    }
    assert len(figures.card_progress()) == 10  # two kinds x five stages, zeros too


def test_headline_all_time_and_this_year(w):
    with at(*NOW):
        headline = figures.headline()
    assert six(headline["all"]) == (14, 10, 6, 3, 2, 1)
    assert headline["year"] == 2026
    assert six(headline["this_year"]) == (2, 0, 0, 0, 0, 0)
    assert headline["as_of"] == figures.as_of() is not None


def test_period_snapshot_of_a_month_and_of_a_year(w):
    march = figures.period_snapshot(2025, 3)
    assert (march["year"], march["month"], march["by_month"]) == (2025, 3, [])
    assert march["totals"] == {
        "received": 3,
        "answered": 3,
        "debated": 2,
        "on_agenda": 2,
        "adopted": 2,
        "completed": 1,
        "adoption_rate": 66.67,
    }
    assert [(r["key"], r["received"]) for r in march["by_category"]] == [
        ("environment", 2),
        ("transport", 1),
    ]
    assert [(r["key"], r["received"]) for r in march["by_district"]] == [("jongno", 2), ("", 1)]
    assert [(r["key"], r["adopted"]) for r in march["by_department"]] == [
        ("parks", 1),
        ("roads", 1),
    ]
    assert march["by_theme"] == []
    year = figures.period_snapshot(2025)
    assert [m["received"] for m in year["by_month"]] == [1, 2, 3, 2, 1, 1, 0, 0, 0, 0, 0, 0]
    assert year["totals"]["adoption_rate"] == 20.0
    assert [(t["department"], t["answered"], t["median_days"]) for t in year["timeliness"]] == [
        ("roads", 3, 2.1),
        ("parks", 2, 0.8),
    ]
    assert year["as_of"] == figures.as_of().isoformat()


def test_list_url_leaves_out_received_and_empty_filters(w):
    assert figures.list_url() == "/stats/proposals/"
    assert figures.list_url("received", year=2025, month=None, category="") == (
        "/stats/proposals/?year=2025"
    )
    assert figures.list_url("completed", department="roads", theme=3) == (
        "/stats/proposals/?stage=completed&department=roads&theme=3"
    )


def test_a_second_refresh_changes_nothing(w):
    before = figures.period_snapshot(2025)
    with at(*NOW):
        refresh()
        refresh(full=True)
    after = figures.period_snapshot(2025)
    before.pop("as_of"), after.pop("as_of")
    assert after == before
    assert tallies_disagreeing_with_facts() == []


def test_list_count_is_the_figure_that_links_to_the_list(w):
    assert figures.list_count() == 14
    assert figures.list_count("debated", year=2025, category="transport") == 3
    assert figures.list_count("received", district="citywide") == 6
    assert figures.list_count("adopted", year=2025, month=3, department="parks") == 1
    assert figures.list_count("received", theme=w.theme.pk) == 1
    assert figures.list_count("received", category="nothing") == 0
    # No tally holds two dimensions at once, nor an unknown stage or filter.
    assert figures.list_count(category="transport", district="jongno") is None
    assert figures.list_count("famous") is None
    assert figures.list_count(colour="blue") is None
    # Each breakdown row's link and its count agree with the facts behind it.
    for dimension in ("category", "district", "department", "theme"):
        for row in figures.breakdown(dimension, 2025):
            assert figures.list_count("on_agenda", **row.filters) == row.counts.on_agenda
