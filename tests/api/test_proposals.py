"""/api/v1/proposals/ as a partner's program reads it."""

import pytest
from django.test import Client

from tests.api.world import make_world
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def get(path, **headers):
    return Client().get(path, **headers)


def test_the_list_holds_public_proposals_only(world):
    response = get("/api/v1/proposals/")
    assert response.status_code == 200
    body = response.json()
    ids = {row["id"] for row in body["results"]}
    assert ids == {world.answered.pk, world.drafted.pk, world.plain.pk}
    assert body["count"] == 3
    assert body["count_more_than"] is None
    assert body["next"] is None and body["previous"] is None


@pytest.mark.parametrize("name", ["hidden", "trashed"])
def test_a_hidden_or_trashed_proposal_is_not_found(world, name):
    proposal = getattr(world, name)
    for path in (f"/api/v1/proposals/{proposal.pk}/", f"/api/v1/proposals/{proposal.pk}/timeline/"):
        response = get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_proposal_reads_with_codes_labels_and_links(world):
    body = get(f"/api/v1/proposals/{world.answered.pk}/").json()
    assert body["title"] == "한강 다리 보행로"
    assert body["status"] == {"code": "answered", "label": "부서 답변 완료"}
    assert body["district"]["code"] == "mapo"
    assert body["department"] == {"code": "transport", "label": "교통정책과"}
    assert body["stage"]["code"] == "answered"
    assert body["created_at"].endswith("+09:00")
    assert body["links"]["page"] == f"http://testserver/proposals/{world.answered.pk}/"
    assert body["links"]["answer"] == f"http://testserver/api/v1/answers/{world.answer_id}/"
    assert body["links"]["timeline"].endswith(f"/api/v1/proposals/{world.answered.pk}/timeline/")
    assert "author" not in body
    assert "hidden_reason" not in body


def test_english_by_parameter_or_header_korean_by_default(world):
    path = f"/api/v1/proposals/{world.answered.pk}/"
    assert get(path).json()["department"]["label"] == "교통정책과"
    assert get(path + "?lang=en").json()["department"]["label"] == "Transport Policy"
    english = get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english.json()["status"]["label"] == "Answered by department"
    assert english["Content-Language"] == "en"
    # ?lang wins over the header; an unsupported one is ignored.
    assert get(path + "?lang=ko", HTTP_ACCEPT_LANGUAGE="en").json()["status"]["label"] == (
        "부서 답변 완료"
    )
    assert get(path + "?lang=fr").json()["status"]["label"] == "부서 답변 완료"


def test_errors_are_in_the_readers_language(world):
    assert get("/api/v1/proposals/999999/?lang=en").json()["detail"] == (
        "Not found. It does not exist or is not public."
    )
    korean = get("/api/v1/proposals/?status=nonsense").json()
    assert korean["code"] == "invalid"
    assert "status" in korean["errors"]
    assert korean["detail"] != "Some parameters have values that cannot be used."


def test_filters_like_the_sites_list(world):
    def ids(query):
        response = get("/api/v1/proposals/?" + query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("status=answered") == {world.answered.pk}
    assert ids("department=transport") == {world.answered.pk}
    assert ids("district=mapo") == {world.answered.pk}
    assert ids(f"category={world.plain.category.code}") == {world.plain.pk}
    assert ids("q=그늘막") == {world.plain.pk}
    assert ids("stage=answered") == {world.answered.pk}
    assert ids("stage=received") == {world.answered.pk, world.drafted.pk, world.plain.pk}
    year = world.plain.created_at.year
    assert world.plain.pk in ids(f"year={year}")
    assert ids(f"year={year - 5}") == set()
    newest_first = [row["id"] for row in get("/api/v1/proposals/?sort=new").json()["results"]]
    assert newest_first[0] == world.plain.pk


@pytest.mark.parametrize(
    "query",
    [
        "status=nonsense",
        "category=no-such-code",
        "district=atlantis",
        "stage=launched",
        "sort=-new",
        "year=abc",
        "year=99999999999999999999999999",
        "year=" + "9" * 5000,
        "department=%00",
        "q=%00",
        "q=" + "가" * 101,
        "tag=" + "a" * 31,
        "theme=abc",
        "theme=99999999999999999999999",
        "page=abc",
        "page=0",
        "page=-1",
        "page=%C2%B2",
        "page_size=abc",
        "page_size=0",
        "page_size=1e3",
    ],
)
def test_bad_values_are_a_400_naming_the_parameter(world, query):
    response = get("/api/v1/proposals/?" + query + "&lang=en")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == "Some parameters have values that cannot be used."
    assert set(body["errors"]) == {query.split("=")[0]}


@pytest.mark.parametrize("path", ["abc", "%00", "9" * 30, "-1", "1.5"])
def test_odd_ids_are_a_404(world, path):
    response = get(f"/api/v1/proposals/{path}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_timeline_gives_roles_and_words_never_names(world):
    response = get(f"/api/v1/proposals/{world.answered.pk}/timeline/?lang=en")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows, "a published answer leaves public steps"
    kinds = [row["kind"]["code"] for row in rows]
    assert "status_changed" in kinds
    for row in rows:
        assert set(row) == {
            "id",
            "kind",
            "words",
            "reason",
            "from_status",
            "to_status",
            "actor",
            "created_at",
        }
        assert set(row["actor"]) == {"role", "department"}
    published = [r for r in rows if r["to_status"] and r["to_status"]["code"] == "answered"]
    assert published[0]["actor"]["department"] == {
        "code": "transport",
        "label": "Transport Policy",
    }
    text = response.content.decode()
    assert world.answered.author.display_name not in text
    assert world.answered.author.email not in text


def test_a_list_page_costs_the_same_whatever_its_rows(world, django_assert_max_num_queries):
    ProposalFactory.create_batch(30)
    # count, page ids, rows (joins), tags, published answers.
    with django_assert_max_num_queries(5):
        response = get("/api/v1/proposals/?page_size=100")
    assert len(response.json()["results"]) == 33
    with django_assert_max_num_queries(4):
        get(f"/api/v1/proposals/{world.answered.pk}/timeline/")
