"""Formula (CSV) injection, from the attacker's side: a member, official or
operator writes text that starts with what a spreadsheet runs as a formula
(= + - @, tab, carriage return) into every field an export carries: proposal
titles, names and nicknames, category and department names, a card's
conditions, a progress report's text. Every export, in CSV and in Excel, as
the operator and as an official of the department, carries each such cell
with a leading quote, so the spreadsheet shows it as text.

The exports: the proposals' (admin), the management cards' and the progress
reports' (tracking admin, department-scoped). The personal-data export is
JSON, which no spreadsheet runs; the printable agenda is an HTML page."""

import csv
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import Department, User
from oasis.exports import FORMULA_TRIGGERS
from proposals.models import Category, Proposal
from tests.pages import form_fields, logged_in
from tracking.models import ManagementCard, ProgressReport

pytestmark = pytest.mark.django_db

FORMULAE = {
    "=": '=HYPERLINK("http://evil.example","click")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}


def _write_everywhere(formula: str) -> None:
    """What attackers of every role can write, each text starting with the formula."""
    for model, name, length in (
        (Proposal, "title", 100),
        (Category, "name", 50),
        (Department, "name", 50),
        (User, "display_name", 30),
    ):
        for pk in model.objects.values_list("pk", flat=True):  # (names are unique)
            model.objects.filter(pk=pk).update(**{name: f"{formula[: length - 6]} {pk}"})
    User.objects.update(nickname="")
    ManagementCard.objects.update(conditions=formula)
    ProgressReport.objects.update(done=formula, next_steps=formula)


EXPORTS = {
    "proposals": "admin:proposals_proposal_export",
    "cards": "admin:tracking_managementcard_export",
    "progress reports": "admin:tracking_progressreport_export",
}
FORMATS = {"0": "csv", "1": "xlsx"}


def _cells(response, file_format: str) -> list[str]:
    if file_format == "csv":
        rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    else:
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        rows = book.active.iter_rows(values_only=True)
    return [cell for row in rows for cell in row if isinstance(cell, str)]


@pytest.mark.parametrize("trigger", FORMULAE, ids=[repr(t) for t in FORMULAE])
@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize(
    ("role", "export"),
    [
        *(("operator", export) for export in EXPORTS),
        # an official exports their department's cards and reports
        ("official_x", "cards"),
        ("official_x", "progress reports"),
    ],
)
def test_every_export_neutralises_formulae(world, role, export, file_format, trigger):
    # given text starting with a formula in every field
    formula = FORMULAE[trigger]
    _write_everywhere(formula)
    browser = logged_in(world.user(role))
    url = reverse(EXPORTS[export])
    page = browser.get(url)
    assert page.status_code == 200

    # when they export with the form the admin shows (every column ticked)
    response = browser.post(url, {**form_fields(page), "format": file_format})

    # then every text cell a spreadsheet would run is quoted
    assert response.status_code == 200
    cells = _cells(response, FORMATS[file_format])
    assert [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)] == []
    # (Excel keeps a carriage return in a cell as a line break)
    shown = formula.lstrip("\t\r")
    assert any(cell.startswith("'") and shown in cell for cell in cells), "no formula exported"


def test_the_personal_data_export_is_json_no_spreadsheet_runs(world):
    _write_everywhere(FORMULAE["="])
    response = logged_in(world.people.citizen_a).get("/accounts/profile/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].endswith('.json"')
    json.loads(response.content)
