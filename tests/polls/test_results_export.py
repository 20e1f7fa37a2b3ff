"""The staff's spreadsheets of a poll: the results with the breakdowns'
hiding, the anonymous answers without member ids or groups, formula-safe
cells in CSV and Excel, and only for the operators and the poll's department."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from oasis.exports import FORMULA_TRIGGERS
from polls.models import PollKind, PollStatus, QuestionKind
from tests.factories import UserFactory, official, operator
from tests.pages import logged_in
from tests.polls.results_world import make_poll, vote, votes

pytestmark = pytest.mark.django_db


def _url(poll, what, fmt):
    return reverse("admin:polls_pollresponse_export", args=[poll.pk, what, fmt])


def _rows(response, fmt) -> list[list]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    # numbers as the CSV writes them (a whole share is an integer in Excel)
    return [
        [
            "" if c is None else f"{c:.1f}" if isinstance(c, float | int) and i == 6 else c
            for i, c in enumerate(row)
        ]
        for row in book.active.iter_rows(values_only=True)
    ]


@pytest.fixture
def poll():
    poll = make_poll(
        kind=PollKind.SURVEY,
        status=PollStatus.CLOSED,
        questions=(
            ('=HYPERLINK("http://evil.example")', QuestionKind.SINGLE, ("+cmd", "B")),
            ("Anything else?", QuestionKind.TEXT, ()),
        ),
    )
    votes(poll, "B", 6, district="jongno")
    vote(poll, (0, "+cmd"), district="jung", texts={1: "@SUM(1+9)*cmd"})
    vote(poll, (0, "+cmd"), district="jung", age_band="30s", texts={1: "-2+3"})
    return poll


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_results_export_has_the_numbers_and_hides_small_groups(poll, fmt):
    response = logged_in(operator()).get(_url(poll, "results", fmt))

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    rows = _rows(response, fmt)
    assert rows[0][:3] == ["question", "question text", "breakdown"]
    flat = [[str(c) for c in row] for row in rows]
    assert ["Q1", '\'=HYPERLINK("http://evil.example")', "all", "", "B", "6", "75.0", "8"] in flat
    # Jung-gu's 2 are hidden, and Jongno's 6 with them (subtraction)
    hidden = [row for row in flat if row[2] == "By district"]
    assert all("Not shown" in row[4] for row in hidden)
    assert not any(row[5] for row in hidden)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_answers_export_is_anonymous_and_formula_safe(poll, fmt):
    response = logged_in(official(department=poll.department)).get(_url(poll, "answers", fmt))

    assert response.status_code == 200
    rows = _rows(response, fmt)
    assert rows[0] == ["respondent", "question", "question text", "choice", "written answer"]
    cells = [c for row in rows for c in row if isinstance(c, str)]
    assert [c for c in cells if c.startswith(FORMULA_TRIGGERS)] == []
    assert "'@SUM(1+9)*cmd" in cells and "'-2+3" in cells and "'+cmd" in cells
    # respondents are numbered, never their ids; no e-mail, no group
    assert sorted({int(row[0]) for row in rows[1:]}) == list(range(1, 9))
    assert not any("@example.com" in c or c in ("jung", "Jung-gu") for c in cells)


@pytest.mark.parametrize("who", ["citizen", "other department"])
@pytest.mark.parametrize("what", ["results", "answers"])
def test_only_the_polls_staff_export(poll, who, what):
    user = {"citizen": lambda: UserFactory(), "other department": lambda: official()}[who]()
    response = logged_in(user).get(_url(poll, what, "csv"))
    assert response.status_code in (302, 403, 404)
    assert b"respondent" not in response.content and b"question" not in response.content


def test_an_unknown_format_is_not_found(poll):
    assert logged_in(operator()).get(_url(poll, "results", "pdf")).status_code == 404


def test_the_answers_export_numbers_respondents_apart_from_the_order_they_voted():
    """Numbered in ballot order, respondent N would be the N-th voter, whom
    the mileage ledger names (member, time, the ballot as its source): the
    staff would read each member's written answers beside their number."""
    poll = make_poll(
        kind=PollKind.SURVEY,
        status=PollStatus.CLOSED,
        questions=(("Anything else?", QuestionKind.TEXT, ()),),
    )
    cast = [f"answer of voter {n:02d}" for n in range(12)]
    for text in cast:
        vote(poll, texts={0: text})

    first = _rows(logged_in(operator()).get(_url(poll, "answers", "csv")), "csv")[1:]
    again = _rows(logged_in(operator()).get(_url(poll, "answers", "csv")), "csv")[1:]

    by_number = [row[4] for row in sorted(first, key=lambda row: int(row[0]))]
    assert sorted(by_number) == cast  # every answer, each once
    assert by_number != cast  # but not in the order they were cast
    assert first == again  # the same numbers at every export
