"""/api/v1/adopted/: adopted items and promises as the public tracker shows them."""

import pytest
from django.utils import timezone, translation

from tests.api.more_helpers import hide, read, text_of
from tests.factories import DepartmentFactory, official, operator
from tests.tracking.helpers import adopted_card, at_stage
from tracking import services
from tracking.models import CardStage

pytestmark = pytest.mark.django_db

URL = "/api/v1/adopted/"


@pytest.fixture
def worked_card():
    """An adopted card planned, reported on by its official, and handed from
    one official to another (an internal row that names them)."""
    department = DepartmentFactory(code="parks", name="공원녹지과", name_en="Parks")
    first = official(
        department=department, display_name="박첫담당", email="first-clerk@seoul.example"
    )
    card = adopted_card(department, title="마을 쉼터 정원")
    card = services.card_handoff(
        card=card, user=operator(), to_official=first, note="인수인계: 박첫담당에게"
    )
    card = services.card_change_stage(
        card=card, user=operator(), to_stage=CardStage.PLANNING, note="설계 용역을 시작합니다."
    )
    services.report_file(
        card=card,
        user=first,
        done="주민 설명회를 두 번 열었습니다.",
        percent=30,
        next_steps="착공 준비",
    )
    return card


def test_a_reader_sees_an_adopted_item_in_the_list(worked_card):
    response = read(URL, lang="en")

    assert response.status_code == 200
    (row,) = response.data_json["results"]
    assert row["id"] == worked_card.pk
    assert row["proposal"] == worked_card.proposal_id
    assert row["proposal_title"] == "마을 쉼터 정원"
    assert row["kind"] == {"code": "adopted", "label": "Adopted item"}
    assert row["stage"] == {"code": "planning", "label": "Planning"}
    assert row["percent_complete"] == 30
    assert row["department"] == {"code": "parks", "label": "Parks"}
    decision = row["meeting_decision"]
    assert decision["decision"]["code"] == "adopted"
    assert decision["meeting_number"] == worked_card.agenda_item.meeting.number
    assert decision["decided_at"].endswith("+09:00")
    assert row["conditions"] == "2027년 예산 반영"
    assert row["opened_at"].endswith("+09:00")
    assert row["last_report_at"].endswith("+09:00")
    assert "history" not in row and "reports" not in row


def test_one_item_has_its_reports_and_public_history_without_names(worked_card):
    response = read(f"{URL}{worked_card.pk}/", lang="en")

    item = response.data_json
    (report,) = item["reports"]
    assert report["period"] == 1
    assert report["percent_complete"] == 30
    assert report["done"] == "주민 설명회를 두 번 열었습니다."
    assert report["next_steps"] == "착공 준비"
    assert report["submitted_at"].endswith("+09:00")
    kinds = [row["kind"]["code"] for row in item["history"]]
    assert "handoff" not in kinds
    assert kinds[0] == "opened"
    change = next(row for row in item["history"] if row["kind"]["code"] == "stage_changed")
    assert change["from_stage"] == {"code": "review", "label": "Under review"}
    assert change["to_stage"]["code"] == "planning"
    assert "설계 용역을 시작합니다." in change["text"]
    body = text_of(response)
    for private in ("박첫담당", "first-clerk", "인수인계"):
        assert private not in body


def test_the_history_is_written_in_the_readers_language(worked_card):
    english = read(f"{URL}{worked_card.pk}/", lang="en").data_json
    korean = read(f"{URL}{worked_card.pk}/").data_json
    with translation.override("ko"):
        planning = str(CardStage.PLANNING.label)

    assert korean["stage"] == {"code": "planning", "label": planning}
    (report_en,) = [row for row in english["history"] if row["kind"]["code"] == "report"]
    (report_ko,) = [row for row in korean["history"] if row["kind"]["code"] == "report"]
    assert report_en["kind"]["label"] != report_ko["kind"]["label"]
    assert report_en["text"].startswith("Progress report 1: 30% complete.")
    with translation.override("ko"):
        assert report_ko["text"].startswith(
            translation.gettext("Progress report %(period)d: %(percent)d%% complete.")
            % {"period": 1, "percent": 30}
        )


def test_a_hidden_proposals_card_is_not_there(worked_card):
    other = adopted_card(title="숨길 제안")
    hide(other.proposal)

    response = read(URL)

    assert [row["id"] for row in response.data_json["results"]] == [worked_card.pk]
    assert "숨길 제안" not in text_of(response)
    assert read(f"{URL}{other.pk}/").status_code == 404


def test_filters_by_stage_kind_department_and_year():
    parks = DepartmentFactory(code="parks")
    roads = DepartmentFactory(code="roads")
    planned = at_stage(CardStage.PLANNING, parks)
    fresh = adopted_card(roads)
    year = timezone.localdate().year

    def ids(**params):
        return {row["id"] for row in read(URL, **params).data_json["results"]}

    assert ids(stage="planning") == {planned.pk}
    assert ids(department="roads") == {fresh.pk}
    assert ids(kind="adopted") == {planned.pk, fresh.pk}
    assert ids(kind="promise") == set()
    assert ids(year=str(year)) == {planned.pk, fresh.pk}
    assert ids(year=str(year - 1)) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"stage": "done"},
        {"kind": "gift"},
        {"department": "no-such-department"},
        {"department": "parks\x00"},
        {"stage": "review\x00"},
        {"year": "twenty"},
        {"year": "1e9"},
        {"year": "99999999999999999999"},
    ],
)
def test_bad_filters_are_a_400_not_a_500(params):
    adopted_card()

    assert read(URL, **params).status_code == 400


def test_the_list_costs_the_same_however_many_items(django_assert_max_num_queries):
    adopted_card()
    with django_assert_max_num_queries(4):
        small = read(URL)
    department = DepartmentFactory()
    for _ in range(4):
        adopted_card(department)
    with django_assert_max_num_queries(4):
        large = read(URL)
    assert len(small.data_json["results"]) == 1
    assert len(large.data_json["results"]) == 5


def test_one_item_costs_a_fixed_number_of_queries(worked_card, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert read(f"{URL}{worked_card.pk}/").status_code == 200


def test_the_proposal_links_to_its_card_and_the_link_reads_it(worked_card):
    link = read(f"/api/v1/proposals/{worked_card.proposal_id}/").data_json["links"]["card"]
    assert link == f"http://testserver/api/v1/adopted/{worked_card.pk}/"
    assert read(link.removeprefix("http://testserver")).data_json["id"] == worked_card.pk
