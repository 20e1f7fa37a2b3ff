"""The read API's partner institutions (issue 16): `?institution=<slug>`
and `?institution=city` on the proposals, debates and polls endpoints, the
`institution` field (slug, name, short name) in their rows, a 400 for an
institution that does not exist, and, per institution, nothing of its
internal data: hidden or trashed proposals, a draft poll, an answer not yet
published."""

import pytest

from answers.models import Answer
from tests.answers.helpers import COMPLETE, assigned, drafted, published
from tests.api.more_helpers import read, text_of
from tests.institutions.space_world import build_world

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "공단 내부 검토: 예산 없음"
PUBLIC_ANSWER = "공단이 공개한 답변입니다"


@pytest.fixture
def world():
    world = build_world()
    # An answer drafted for an institution's proposal, and another published
    world.draft = drafted(
        assigned(
            department=world.parking.default_department,
            category=world.parking,
            institution=world.sisul,
            title="공단 답변 작성 중",
        ),
        {**COMPLETE, "summary": SECRET_ANSWER},
    )
    world.public = published(
        assigned(
            department=world.parking.default_department,
            category=world.parking,
            institution=world.sisul,
            title="공단 답변 공개",
        ),
        {**COMPLETE, "summary": PUBLIC_ANSWER},
    )
    return world


def rows(path, **params) -> list[dict]:
    response = read(path, **params)
    assert response.status_code == 200, response.content
    return response.data_json["results"]


def test_proposals_filter_by_institution_and_carry_it(world):
    found = rows("/api/v1/proposals/", institution="sisul", lang="en")
    assert sorted(row["title"] for row in found) == sorted(
        [
            "공단 열린 제안 0",
            "공단 열린 제안 1",
            "공단 열린 제안 2",
            "공단 답변된 제안",
            "공단 토론 제안",
            "공단 답변 작성 중",
            "공단 답변 공개",
        ]
    )
    assert {row["institution"]["slug"] for row in found} == {"sisul"}
    assert found[0]["institution"] == {
        "slug": "sisul",
        "name": "Seoul Facilities Corporation",
        "short_name": "시설공단",
    }
    korean = rows("/api/v1/proposals/", institution="sisul", lang="ko")
    assert korean[0]["institution"]["name"] == "서울시설공단"
    city = rows("/api/v1/proposals/", institution="city")
    assert {row["title"] for row in city} == {"서울시 제안", "서울시 토론 제안"}
    assert all(row["institution"] is None for row in city)
    other = rows("/api/v1/proposals/", institution="other-org")
    assert [row["title"] for row in other] == ["다른공사 제안"]


def test_debates_and_polls_filter_by_institution(world):
    debates = rows("/api/v1/debates/", institution="sisul")
    assert [row["proposal_title"] for row in debates] == ["공단 토론 제안"]
    assert debates[0]["institution"]["slug"] == "sisul"
    city_debates = rows("/api/v1/debates/", institution="city")
    assert [row["proposal_title"] for row in city_debates] == ["서울시 토론 제안"]
    assert city_debates[0]["institution"] is None
    polls = rows("/api/v1/polls/", institution="sisul")
    assert [row["title"] for row in polls] == ["공단이 묻습니다"]
    assert polls[0]["institution"]["slug"] == "sisul"
    assert [row["title"] for row in rows("/api/v1/polls/", institution="city")] == [
        "서울시가 묻습니다 설문"
    ]


@pytest.mark.parametrize("path", ["/api/v1/proposals/", "/api/v1/debates/", "/api/v1/polls/"])
def test_an_unknown_institution_is_a_400_naming_the_parameter(world, path):
    response = read(path, institution="nowhere")
    assert response.status_code == 400
    assert "institution" in response.data_json["errors"]


@pytest.mark.parametrize("institution", ["sisul", "city", "other-org", "closed-org", None])
def test_no_institution_shows_its_internal_data(world, institution):
    params = {"institution": institution} if institution else {}
    bodies = []
    for path in ("/api/v1/proposals/", "/api/v1/debates/", "/api/v1/polls/"):
        response = read(path, **params)
        assert response.status_code == 200
        bodies.append(text_of(response))
        for row in response.data_json["results"]:
            bodies.append(text_of(read(f"{path}{row['id']}/")))
    bodies.append(text_of(read("/api/v1/answers/")))
    every = "\n".join(bodies)
    for secret in ("공단 숨긴 제안", "공단 휴지통 제안", "공단 초안 설문", SECRET_ANSWER):
        assert secret not in every
    # (the walk did read something of the institution's public work)
    if institution == "sisul":
        assert "공단 열린 제안 0" in every and PUBLIC_ANSWER in every
    # hidden ones are not found by their ids either
    for proposal in (world.sisul_hidden, world.sisul_trashed):
        assert read(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    assert read(f"/api/v1/polls/{world.sisul_draft_poll.pk}/").status_code == 404
    assert Answer.objects.filter(summary=SECRET_ANSWER).exists()
