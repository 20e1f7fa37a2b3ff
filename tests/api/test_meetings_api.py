"""/api/v1/meetings/: realization meetings, their agendas and decisions."""

import pytest
from django.utils import timezone, translation

from meetings import services
from meetings.models import AgendaDecision
from tests.api.more_helpers import hide, read, text_of
from tests.factories import DepartmentFactory, official, operator
from tests.meetings.helpers import meeting, on_agenda

pytestmark = pytest.mark.django_db

URL = "/api/v1/meetings/"


def decide(item, decision, **kwargs):
    return services.agenda_item_decide(
        item=item, decision=decision, reason="시민 공감이 큽니다.", user=operator(), **kwargs
    )


def test_a_reader_sees_a_meeting_its_agenda_and_decisions_without_names():
    department = DepartmentFactory(code="transport", name="교통정책과", name_en="Transport")
    carrier = official(department=department, display_name="박담당자")
    held = meeting(
        days=-0.01,
        attendees_officials="김국장 (교통실)",
        attendees_mayor="오시장",
        notes="회의 메모",
    )
    first, second = on_agenda(held, 2, department=department, author__display_name="이제안자")
    decide(first, "adopted", conditions="2027년 예산 반영", responsible_official=carrier)
    decide(second, "not_adopted")

    response = read(URL, lang="en")

    assert response.status_code == 200
    (row,) = response.data_json["results"]
    assert row["number"] == held.number
    assert row["title"] == f"Realization meeting no. {held.number}"
    assert row["place"] == held.place
    assert row["status"]["code"] == "scheduled"
    assert row["scheduled_at"].endswith("+09:00")
    assert row["outcomes"] == {
        "items": 2,
        "adopted": 1,
        "held_over": 0,
        "not_adopted": 1,
        "pending": 0,
    }
    adopted, refused = row["items"]
    assert adopted["proposal"] == first.proposal_id
    assert adopted["decision"] == {"code": "adopted", "label": "Adopted"}
    assert adopted["decided_at"].endswith("+09:00")
    assert adopted["reason"] == "시민 공감이 큽니다."
    assert adopted["conditions"] == "2027년 예산 반영"
    assert adopted["department"] == {"code": "transport", "label": "Transport"}
    assert refused["decision"]["code"] == "not_adopted"
    body = text_of(response)
    for private in ("박담당자", "김국장", "오시장", "이제안자", carrier.email):
        assert private not in body


def test_a_held_over_item_names_both_meetings_by_number():
    this = meeting(days=-0.01)
    (item,) = on_agenda(this)
    decide(item, "held_over")

    rows = {row["number"]: row for row in read(URL).data_json["results"]}

    (earlier,) = rows[this.number]["items"]
    assert earlier["decision"]["code"] == "held_over"
    later_number = earlier["held_over_to"]
    (later,) = rows[later_number]["items"]
    assert later["held_over_from"] == this.number
    assert later["decision"]["code"] == "pending"
    assert later["decided_at"] is None


def test_korean_by_default():
    held = meeting(days=-0.01)
    (item,) = on_agenda(held)
    decide(item, "adopted")
    with translation.override("ko"):
        korean = str(AgendaDecision.ADOPTED.label)
        title = held.title

    row = read(f"{URL}{held.pk}/").data_json

    assert row["items"][0]["decision"] == {"code": "adopted", "label": korean}
    assert row["title"] == title


def test_a_hidden_proposals_item_is_left_out_with_its_count():
    held = meeting(days=-0.01)
    shown, hidden = on_agenda(held, 2)
    decide(shown, "adopted")
    decide(hidden, "not_adopted")
    hide(hidden.proposal)

    response = read(f"{URL}{held.pk}/")

    row = response.data_json
    assert [item["proposal"] for item in row["items"]] == [shown.proposal_id]
    assert row["outcomes"]["items"] == 1
    assert row["outcomes"]["not_adopted"] == 0
    assert hidden.proposal.title not in text_of(response)


def test_filters_by_status_and_year():
    upcoming = meeting(days=40)
    past = meeting(days=-400)  # another year than the upcoming one, always

    scheduled = read(URL, status="scheduled").data_json["results"]
    assert {row["id"] for row in scheduled} == {upcoming.pk, past.pk}
    assert read(URL, status="held").data_json["results"] == []
    year = timezone.localtime(past.scheduled_at).year
    assert [row["id"] for row in read(URL, year=str(year)).data_json["results"]] == [past.pk]


@pytest.mark.parametrize(
    "params",
    [{"status": "cancelled"}, {"year": "abc"}, {"year": "99999999999"}, {"year": "1999"}],
)
def test_bad_filters_are_a_400_not_a_500(params):
    meeting()

    response = read(URL, **params)

    assert response.status_code == 400


def test_an_unknown_meeting_is_a_404():
    assert read(f"{URL}999999/").status_code == 404


def test_the_list_costs_the_same_however_many_meetings(django_assert_max_num_queries):
    first = meeting(days=-0.01)
    on_agenda(first, 2)
    with django_assert_max_num_queries(4):
        small = read(URL)
    for days in (-100, -200, -300):
        on_agenda(meeting(days=days), 3)
    with django_assert_max_num_queries(4):
        large = read(URL)
    assert len(small.data_json["results"]) == 1
    assert len(large.data_json["results"]) == 4
