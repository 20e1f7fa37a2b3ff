"""Exporting proposals from the admin as CSV or Excel, with formulae
neutralised."""

import csv
import io

import openpyxl
import pytest
from django.urls import NoReverseMatch, reverse

from proposals.models import ProposalStatus
from tests.factories import DepartmentFactory, ProposalFactory, UserFactory
from tests.pages import form_fields

from .helpers import export, run_action

pytestmark = pytest.mark.django_db


# --- export ---------------------------------------------------------------------


FORMULAE = ['=HYPERLINK("http://evil.example","click")', "+1", "-1", "@SUM(A1:A2)"]


@pytest.fixture
def exported():
    author = UserFactory(email="secret-author@example.com", display_name="홍길동")
    dept = DepartmentFactory(code="dept-park", name="공원녹지과")
    plain = ProposalFactory(
        title="한강 다리를 걷고 싶게",
        author=author,
        district="mapo",
        department=dept,
        status=ProposalStatus.ASSIGNED,
        endorsement_count=57,
    )
    formulae = [ProposalFactory(title=title, author=author) for title in FORMULAE]
    return plain, formulae


def test_export_csv_has_the_rows_and_neutralises_formulae(operator_client, exported):
    plain, formulae = exported
    response = export(operator_client, "0")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    # A byte-order mark first, so Excel on Korean Windows reads it as UTF-8
    assert response.content.startswith(b"\xef\xbb\xbf")
    content = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    header, body = rows[0], rows[1:]
    assert header == [
        "ID",
        "title",
        "status",
        "category",
        "district",
        "department",
        "endorsements",
        "comments",
        "views",
        "author",
        "created",
    ]
    by_id = {int(row[0]): row for row in body}
    assert set(by_id) == {plain.pk, *(p.pk for p in formulae)}
    row = by_id[plain.pk]
    assert row[1:7] == [
        "한강 다리를 걷고 싶게",
        "Awaiting department answer",
        plain.category.name,
        "Mapo-gu",
        "공원녹지과",
        "57",
    ]
    assert row[9] == "홍*동"
    assert {by_id[p.pk][1] for p in formulae} == {"'" + title for title in FORMULAE}
    assert "secret-author@example.com" not in content


def test_export_xlsx_has_the_rows_and_neutralises_formulae(operator_client, exported):
    plain, formulae = exported
    response = export(operator_client, "1")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    by_id = {row[0]: row for row in rows[1:]}
    assert set(by_id) == {plain.pk, *(p.pk for p in formulae)}
    assert by_id[plain.pk][1] == "한강 다리를 걷고 싶게"
    assert by_id[plain.pk][6] == 57  # counts stay numbers
    assert by_id[plain.pk][9] == "홍*동"
    assert {by_id[p.pk][1] for p in formulae} == {"'" + title for title in FORMULAE}
    # No cell is stored as a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert not any("secret-author@example.com" in str(v) for row in rows for v in row)


def test_export_page_offers_csv_and_excel_only(operator_client):
    response = operator_client.get(reverse("admin:proposals_proposal_export"))
    assert response.status_code == 200
    formats = [label for value, label in response.context["form"].fields["format"].choices if value]
    assert formats == ["csv", "xlsx"]


def test_export_action_exports_the_selected_proposals(operator_client, exported):
    # Given the operator picks one proposal and chooses "export"
    plain, _formulae = exported
    page = run_action(operator_client, "export_admin_action", [plain])
    assert page.status_code == 200
    # When the export form it shows is sent, as CSV
    data = {**form_fields(page), "format": "0"}
    response = operator_client.post(reverse("admin:proposals_proposal_export"), data)
    # Then only that proposal is in the file
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [int(row[0]) for row in rows[1:]] == [plain.pk]


def test_export_follows_the_changelist_filters(operator_client, exported):
    plain, _formulae = exported
    response = export(operator_client, "0", query="?status__exact=assigned")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [int(row[0]) for row in rows[1:]] == [plain.pk]


def test_proposals_have_no_import(operator_client):
    with pytest.raises(NoReverseMatch):
        reverse("admin:proposals_proposal_import")
