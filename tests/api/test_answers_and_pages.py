"""/api/v1/answers/ and how every list pages."""

import pytest
from django.test import Client

from answers import services as answer_services
from tests.answers.helpers import COMPLETE
from tests.api.world import make_world
from tests.factories import ProposalFactory, operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def get(path):
    return Client().get(path)


def test_only_published_answers_to_public_proposals(world):
    body = get("/api/v1/answers/").json()
    assert [row["id"] for row in body["results"]] == [world.answer_id]
    assert get(f"/api/v1/answers/{world.draft_answer_id}/").status_code == 404
    assert get(f"/api/v1/answers/{world.hidden_answer_id}/").status_code == 404


def test_an_answer_reads_without_who_wrote_or_approved_it(world):
    response = get(f"/api/v1/answers/{world.answer_id}/?lang=en")
    body = response.json()
    assert body["proposal"]["id"] == world.answered.pk
    assert body["proposal"]["url"].endswith(f"/api/v1/proposals/{world.answered.pk}/")
    assert body["department"] == {"code": "transport", "label": "Transport Policy"}
    assert body["decision"] == {"code": "accept", "label": "Accepted"}
    assert body["estimated_budget"] == 120_000_000
    assert body["met_deadline"] is True
    assert body["published_at"].endswith("+09:00")
    assert body["amendments"] == []
    for private in ("written_by", "approved_by", "return_reason", "status", "submitted_at"):
        assert private not in body


def test_an_approved_amendment_is_listed_a_returned_one_is_not(world):
    from answers.models import Answer

    answer = Answer.objects.get(pk=world.answer_id)
    clerk = answer.assignment.department.members.first()
    staff = operator()
    values = {**COMPLETE, "summary": "설계를 내후년으로 미룹니다."}
    amendment = answer_services.amendment_save(
        answer=answer, user=clerk, reason="예산 변경", **values
    )
    answer_services.amendment_submit(amendment=amendment, user=clerk)
    answer_services.amendment_approve(amendment=amendment, user=staff)
    returned = answer_services.amendment_save(
        answer=answer, user=clerk, reason="다시", **{**COMPLETE, "summary": "비공개 초안"}
    )
    answer_services.amendment_submit(amendment=returned, user=clerk)
    answer_services.amendment_return(amendment=returned, user=staff, reason="근거 부족")

    body = get(f"/api/v1/answers/{world.answer_id}/").json()
    assert body["summary"] == "설계를 내후년으로 미룹니다."
    assert [(a["reason"], a["changed"]) for a in body["amendments"]] == [("예산 변경", ["summary"])]
    assert "비공개 초안" not in str(body) and "근거 부족" not in str(body)


def test_answers_filter_by_department_decision_and_proposal(world):
    def ids(query):
        response = get("/api/v1/answers/?" + query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids("department=transport") == [world.answer_id]
    assert ids("department=parks") == []
    assert ids("decision=not_accept") == []
    assert ids(f"proposal={world.answered.pk}") == [world.answer_id]
    for bad in ("department=nope", "decision=maybe", "proposal=abc", "proposal=" + "9" * 400):
        assert get("/api/v1/answers/?" + bad).status_code == 400


def test_the_answers_list_costs_the_same_whatever_its_rows(world, django_assert_max_num_queries):
    # count, page ids, rows with their department, approved amendments.
    with django_assert_max_num_queries(4):
        get("/api/v1/answers/")


# --- pages -----------------------------------------------------------------------


def test_pages_follow_next_and_previous(world):
    ProposalFactory.create_batch(4)  # 7 public proposals
    first = get("/api/v1/proposals/?page_size=3&lang=en").json()
    assert first["count"] == 7 and len(first["results"]) == 3
    assert first["previous"] is None
    assert (
        "page=2" in first["next"] and "page_size=3" in first["next"] and "lang=en" in first["next"]
    )
    last = get("/api/v1/proposals/?page_size=3&page=3").json()
    assert len(last["results"]) == 1 and last["next"] is None
    seen = [
        r["id"]
        for p in (1, 2, 3)
        for r in get(f"/api/v1/proposals/?page_size=3&page={p}").json()["results"]
    ]
    assert len(set(seen)) == 7


def test_a_page_past_the_end_is_a_404(world):
    for page in ("2", "500001", "9" * 12):
        response = get(f"/api/v1/proposals/?page={page}&lang=en")
        assert response.status_code == 404
        assert response.json() == {
            "detail": "There is no such page: the list ends before it.",
            "code": "page_not_found",
        }


def test_a_page_size_over_100_is_read_as_100(world):
    ProposalFactory.create_batch(105)
    body = get("/api/v1/proposals/?page_size=100000").json()
    assert len(body["results"]) == 100


def test_above_the_cap_the_count_says_more_than(world, settings):
    settings.LIST_COUNT_CAP = 5
    ProposalFactory.create_batch(5)  # 8 public proposals
    first = get("/api/v1/proposals/?page_size=3").json()
    assert first["count"] is None and first["count_more_than"] == 5
    assert first["next"] is not None
    third = get("/api/v1/proposals/?page_size=3&page=3").json()
    assert len(third["results"]) == 2 and third["next"] is None
    assert get("/api/v1/proposals/?page_size=3&page=4").status_code == 404
