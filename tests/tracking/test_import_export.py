"""Spreadsheets in the tracking admin: export of cards and progress reports
(CSV with a BOM and Excel, scoped to the official's department, formulae
neutralised) and the import of stage and progress updates, previewed before
anything is written and applied through the services."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import DepartmentFactory, operator
from tests.meetings.helpers import mayor_office
from tests.pages import logged_in
from tracking import services
from tracking.models import CardEvent, CardEventKind, CardStage, ManagementCard, ProgressReport

from .helpers import adopted_card, at_stage, clerk_of

pytestmark = pytest.mark.django_db

CARD_FIELDS = [
    "id",
    "proposal",
    "department",
    "official",
    "stage",
    "percent_complete",
    "planned_budget",
    "spent_budget",
    "target_date",
    "last_report",
]
CARD_HEADERS = [
    "ID",
    "proposal",
    "responsible department",
    "responsible official",
    "stage",
    "percent complete",
    "planned budget (won)",
    "spent budget (won)",
    "target date",
    "last report",
]
REPORT_FIELDS = ["id", "card", "proposal", "department", "period", "status", "due_date"]
IMPORT = reverse("admin:tracking_managementcard_import")
CONFIRM = reverse("admin:tracking_managementcard_process_import")


# --- export -------------------------------------------------------------------


def export(client, model: str, file_format: str, fields: list[str], resource: str):
    data = {"format": file_format, "resource": "0"}
    data.update({f"{resource}_{name}": "on" for name in fields})
    return client.post(reverse(f"admin:tracking_{model}_export"), data)


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_operator_exports_all_cards_as_csv_with_formulae_neutralised():
    card = adopted_card(title='=HYPERLINK("http://evil.example")')
    other = adopted_card(title="@SUM(A1:A2)")
    ManagementCard.objects.filter(pk=card.pk).update(planned_budget=5_000_000)

    response = export(logged_in(operator()), "managementcard", "0", CARD_FIELDS, "cardresource")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header == CARD_HEADERS
    by_id = {row[0]: row for row in rows}
    assert set(by_id) == {str(card.pk), str(other.pk)}
    row = by_id[str(card.pk)]
    assert row[1] == '\'=HYPERLINK("http://evil.example")'
    assert row[2] == card.department.name
    assert row[4] == "Under review"
    assert row[6] == "5000000"
    assert by_id[str(other.pk)][1] == "'@SUM(A1:A2)"


def test_an_official_exports_only_their_departments_cards_as_xlsx():
    mine = adopted_card(title="-1 도로 포장")
    adopted_card()
    clerk = clerk_of(mine)
    ManagementCard.objects.filter(pk=mine.pk).update(responsible_official=clerk)

    response = export(logged_in(clerk), "managementcard", "1", CARD_FIELDS, "cardresource")

    assert response.status_code == 200
    assert re.search(
        r'filename="oasis-adopted-items-\d{4}-\d{2}-\d{2}\.xlsx"', response["Content-Disposition"]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header == CARD_HEADERS
    assert len(rows) == 1
    assert rows[0][0] == mine.pk
    assert rows[0][1] == "'-1 도로 포장"
    assert rows[0][3] == (clerk.display_name or clerk.get_username())


def test_progress_reports_export_is_scoped_too():
    mine, theirs = adopted_card(), adopted_card()
    for card in (mine, theirs):
        ProgressReport.objects.create(
            card=card, period=1, requested_at="2025-01-01T00:00Z", due_date="2025-01-15"
        )

    response = export(
        logged_in(clerk_of(mine)), "progressreport", "0", REPORT_FIELDS, "progressreportresource"
    )

    _header, *rows = csv_rows(response)
    assert [row[1] for row in rows] == [str(mine.pk)]
    assert rows[0][5] == "Requested"


# --- import -------------------------------------------------------------------


def sheet(rows, header=("card_id", "stage", "note", "spent_budget", "target_date")) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def preview(client, content, *, name="updates.csv", file_format="0"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(
        IMPORT,
        {"format": file_format, "resource": "0", "import_file": SimpleUploadedFile(name, content)},
    )


def confirm(client, response):
    form = response.context["confirm_form"]
    return client.post(CONFIRM, {name: form.initial.get(name, "") for name in form.fields})


def snapshot():
    return (
        list(
            ManagementCard.objects.order_by("pk").values_list(
                "stage", "spent_budget", "target_date"
            )
        ),
        CardEvent.objects.count(),
    )


def test_preview_shows_every_change_and_writes_nothing():
    card = adopted_card()
    untouched = adopted_card(department=card.department)
    before = snapshot()
    browser = logged_in(clerk_of(card))

    response = preview(
        browser,
        sheet(
            [
                [card.pk, "planning", "설계 착수", "1,200,000", "2026-03-31"],
                [untouched.pk, "", "", "", ""],
            ]
        ),
    )

    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["update", "skip"]
    assert "1,200,000" in "".join(result.rows[0].diff)
    assert "Planning" in "".join(result.rows[0].diff)
    assert response.context["confirm_form"] is not None
    assert snapshot() == before


def test_confirm_applies_the_changes_through_the_services():
    card = at_stage(CardStage.PLANNING)
    clerk = clerk_of(card)
    browser = logged_in(clerk)
    response = preview(
        browser, sheet([[card.pk, "In progress", "공사 시작", "3000000", "2026-06-30"]])
    )

    done = confirm(browser, response)

    assert done.status_code == 302
    card.refresh_from_db()
    assert card.stage == CardStage.IN_PROGRESS
    assert card.spent_budget == 3_000_000
    assert str(card.target_date) == "2026-06-30"
    stage_event = card.events.get(kind=CardEventKind.STAGE_CHANGED, to_stage=CardStage.IN_PROGRESS)
    assert stage_event.actor == clerk
    assert stage_event.note == "공사 시작"
    edited = card.events.get(kind=CardEventKind.EDITED)
    assert edited.actor == clerk
    assert edited.changes["spent_budget"] == ["", "3000000"]


@pytest.mark.parametrize(
    "bad_row, message",
    [
        (lambda own, other: [own.pk, "completed", "끝", "", ""], "cannot become"),
        (lambda own, other: [own.pk, "", "", "-5", ""], "cannot be negative"),
        (lambda own, other: [own.pk, "", "", "abc", ""], "whole number"),
        (lambda own, other: [own.pk, "", "", "", "31/12/2026"], "YYYY-MM-DD"),
        (lambda own, other: [own.pk, "planning", "", "", ""], "Please write a note"),
        (lambda own, other: [other.pk, "planning", "남의 카드", "", ""], "own department"),
        (lambda own, other: [999999, "planning", "없는 카드", "", ""], "no management card"),
    ],
    ids=["stage-jump", "negative", "not-a-number", "bad-date", "no-note", "other-dept", "missing"],
)
def test_a_file_with_one_bad_row_writes_nothing_and_shows_the_row_error(bad_row, message):
    own = adopted_card()
    good = adopted_card(department=own.department)
    other = adopted_card(department=DepartmentFactory())
    before = snapshot()
    browser = logged_in(clerk_of(own))

    response = preview(
        browser,
        sheet([[good.pk, "planning", "좋은 행", "100", "2026-01-31"], bad_row(own, other)]),
    )

    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_errors() or result.has_validation_errors()
    assert "confirm_form" not in response.context
    assert message in response.content.decode()
    assert snapshot() == before


def test_a_row_refused_at_confirm_rolls_the_whole_import_back():
    first, second = adopted_card(), at_stage(CardStage.PLANNING)
    boss = operator()
    browser = logged_in(boss)
    response = preview(
        browser,
        sheet([[first.pk, "planning", "1", "", ""], [second.pk, "in_progress", "2", "", ""]]),
    )
    # Between preview and confirm someone suspends the second card.
    services.card_change_stage(card=second, user=boss, to_stage="suspended", note="보류")
    before = snapshot()

    done = confirm(browser, response)

    assert done.status_code == 302
    assert snapshot() == before
    assert "Nothing was imported" in browser.get(done.url).content.decode()


@pytest.mark.parametrize(
    "header",
    [("id", "stage", "note"), ("card_id", "stage", "memo"), ("card_id",)],
    ids=["no-card-id", "unknown-column", "nothing-to-update"],
)
def test_wrong_columns_give_a_clear_error(header):
    card = adopted_card()
    before = snapshot()

    response = preview(
        logged_in(operator()), sheet([[card.pk, "planning", "x"][: len(header)]], header)
    )

    assert "The file&#x27;s columns are not right" in response.content.decode()
    assert "confirm_form" not in response.context
    assert snapshot() == before


def test_a_cp949_csv_from_korean_windows_excel_imports():
    card = adopted_card()
    browser = logged_in(clerk_of(card))
    content = sheet([[card.pk, "계획수립", "주민 설명회 후 설계 착수", "", ""]]).encode("cp949")

    response = preview(browser, content)
    assert response.context["result"].rows[0].import_type == "update"
    confirm(browser, response)

    card.refresh_from_db()
    assert card.stage == CardStage.PLANNING
    assert card.events.get(kind=CardEventKind.STAGE_CHANGED).note == "주민 설명회 후 설계 착수"


def test_an_xlsx_file_imports():
    card = adopted_card()
    book = openpyxl.Workbook()
    book.active.append(["card_id", "stage", "note", "spent_budget", "target_date"])
    book.active.append([card.pk, "planning", "엑셀", 700000, "2026-02-28"])
    buffer = io.BytesIO()
    book.save(buffer)
    browser = logged_in(operator())

    response = preview(browser, buffer.getvalue(), name="updates.xlsx", file_format="1")
    confirm(browser, response)

    card.refresh_from_db()
    assert (card.stage, card.spent_budget) == (CardStage.PLANNING, 700_000)


def test_the_mayors_office_cannot_import():
    assert logged_in(mayor_office()).get(IMPORT).status_code == 403


def test_korean_headers_from_a_hand_made_cp949_sheet_import():
    card = adopted_card()
    browser = logged_in(clerk_of(card))
    header = ("관리카드 번호", "단계", "메모", "계획 예산", "집행 예산", "목표일")
    content = sheet([[card.pk, "계획수립", "설계 착수", "50,000,000", "", "2027-03-31"]], header)

    response = preview(browser, content.encode("cp949"))
    assert response.context["result"].rows[0].import_type == "update"
    confirm(browser, response)

    card.refresh_from_db()
    assert (card.stage, card.planned_budget, str(card.target_date)) == (
        CardStage.PLANNING,
        50_000_000,
        "2027-03-31",
    )
    assert card.events.get(kind=CardEventKind.STAGE_CHANGED).note == "설계 착수"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_an_exported_card_sheet_edited_in_excel_imports_again(language):
    from django.conf import settings

    card = adopted_card()
    browser = logged_in(clerk_of(card))
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    book = openpyxl.load_workbook(
        io.BytesIO(export(browser, "managementcard", "1", CARD_FIELDS, "cardresource").content)
    )
    rows = list(book.active.values)
    header = list(rows[0])
    assert ("단계" in header) == (language == "ko")
    edited = list(rows[1])
    edited[header.index(rows[0][6])] = 80_000_000  # planned budget
    edited[header.index(rows[0][8])] = "2027-06-30"  # target date
    edited[header.index(rows[0][5])] = 99  # percent complete: a fact, not read
    out = openpyxl.Workbook()
    out.active.append(header)
    out.active.append(edited)
    buffer = io.BytesIO()
    out.save(buffer)

    response = preview(browser, buffer.getvalue(), name="cards.xlsx", file_format="1")
    assert response.context["result"].rows[0].import_type == "update"
    confirm(browser, response)

    card.refresh_from_db()
    assert (card.planned_budget, str(card.target_date), card.percent_complete) == (
        80_000_000,
        "2027-06-30",
        None,
    )
    assert card.events.get(kind=CardEventKind.EDITED).actor == clerk_of(card)


def test_the_same_column_twice_is_refused():
    card = adopted_card()
    before = snapshot()

    response = preview(
        logged_in(operator()),
        sheet([[card.pk, card.pk, "planning"]], ("card_id", "관리카드 번호", "stage")),
    )

    assert "The file&#x27;s columns are not right" in response.content.decode()
    assert snapshot() == before


def test_a_rows_note_explains_a_budget_change_and_the_result_is_reported():
    card = adopted_card()
    browser = logged_in(clerk_of(card))
    response = preview(browser, sheet([[card.pk, "", "보관함 20곳 설치 완료", "4500000", ""]]))

    done = browser.get(confirm(browser, response).url)

    edited = card.events.get(kind=CardEventKind.EDITED)
    # The record is Korean whatever the page's language, then the row's note.
    assert edited.text == "Changed: spent budget (won). 보관함 20곳 설치 완료"
    assert "Import finished: 1 card updated." in done.content.decode()


def test_the_import_page_names_the_columns_and_stages_in_korean():
    from django.conf import settings

    card = adopted_card()
    browser = logged_in(operator())
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"

    page = browser.get(IMPORT).content.decode()
    assert "관리카드 번호, 단계, 메모, 계획 예산, 집행 예산, 목표일" in page
    refused = preview(browser, sheet([[card.pk, "끝남", "메모", "", ""]])).content.decode()
    assert "검토, 계획수립, 실행중, 완료, 중단" in refused


def test_the_export_page_names_its_fields_as_the_columns_in_korean():
    from django.conf import settings

    adopted_card()
    browser = logged_in(operator())
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"

    page = browser.get(reverse("admin:tracking_managementcard_export")).content.decode()

    assert "내보낼 항목" in page and "모두 선택" in page
    assert "Percent Complete" not in page and "진행률" in page


def test_the_preview_shows_stage_names_and_amounts_with_separators():
    card = adopted_card()
    browser = logged_in(operator())

    response = preview(browser, sheet([[card.pk, "planning", "설계", "40000000", ""]]))

    html = response.content.decode()
    assert "Planning" in html and "40,000,000" in html
    assert ">planning<" not in html


# --- the pending import belongs to whoever previewed it ----------------------------


def _confirm_fields(response) -> dict:
    form = response.context["confirm_form"]
    return {name: form.initial.get(name, "") for name in form.fields}


def test_another_users_pending_import_cannot_be_confirmed_by_sending_its_name():
    # Given an official who previewed an update of their card
    card = at_stage(CardStage.PLANNING)
    clerk = logged_in(clerk_of(card))
    fields = _confirm_fields(
        preview(clerk, sheet([[card.pk, "In progress", "공사 시작", "3000000", "2026-06-30"]]))
    )
    # When someone else who may import sends that confirm form
    other = logged_in(operator())
    response = other.post(CONFIRM, fields, follow=True)
    # Then it is refused with a message and nothing is written
    assert response.status_code == 200
    assert "was not previewed by you" in response.content.decode()
    card.refresh_from_db()
    assert card.stage == CardStage.PLANNING
    # and the official can still confirm their own
    assert clerk.post(CONFIRM, fields).status_code == 302
    card.refresh_from_db()
    assert card.stage == CardStage.IN_PROGRESS


@pytest.mark.parametrize(
    "name", ["", "../../etc/passwd", "0123456789abcdef", "not-signed:at:all"], ids=str
)
def test_a_missing_or_made_up_file_name_is_refused_with_a_message(name):
    card = at_stage(CardStage.PLANNING)
    clerk = logged_in(clerk_of(card))
    fields = _confirm_fields(preview(clerk, sheet([[card.pk, "In progress", "시작", "", ""]])))
    response = clerk.post(CONFIRM, {**fields, "import_file_name": name}, follow=True)
    assert response.status_code == 200
    assert "Please choose the file again." in response.content.decode()
    card.refresh_from_db()
    assert card.stage == CardStage.PLANNING


def test_confirming_twice_imports_once_and_then_says_so():
    card = at_stage(CardStage.PLANNING)
    clerk = logged_in(clerk_of(card))
    fields = _confirm_fields(preview(clerk, sheet([[card.pk, "In progress", "시작", "", ""]])))
    assert clerk.post(CONFIRM, fields).status_code == 302
    again = clerk.post(CONFIRM, fields, follow=True)
    assert again.status_code == 200
    assert "already imported" in again.content.decode()
    moved = card.events.filter(kind=CardEventKind.STAGE_CHANGED, to_stage=CardStage.IN_PROGRESS)
    assert moved.count() == 1
