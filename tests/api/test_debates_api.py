"""/api/v1/debates/: what a reader of the open data sees of the debates."""

import pytest
from django.utils import translation

from debates import services
from debates.models import DebateStatus
from tests.api.more_helpers import hide, read, text_of
from tests.debates.helpers import closed_debate, open_debate
from tests.factories import UserFactory, operator

pytestmark = pytest.mark.django_db

URL = "/api/v1/debates/"


def test_a_reader_sees_a_debate_with_its_stance_counts_and_no_arguments():
    debate = open_debate(title="한강 보행교에 그늘막을")
    member = UserFactory(display_name="김비밀토론자", email="secret-debater@example.com")
    services.stance_set(debate=debate, user=member, position="for")
    services.stance_set(debate=debate, user=UserFactory(), position="against")
    services.argument_create(
        debate=debate,
        author=member,
        side="for",
        body="여름 햇볕이 너무 뜨겁습니다. 그늘이 필요해요.",
    )

    response = read(URL)

    assert response.status_code == 200
    (row,) = response.data_json["results"]
    assert row["id"] == debate.pk
    assert row["proposal"] == debate.proposal_id
    assert row["proposal_title"] == "한강 보행교에 그늘막을"
    assert row["status"]["code"] == "open"
    assert row["stances"] == {"for": 1, "against": 1, "undecided": 0, "total": 2}
    assert row["results"] is None
    assert row["closed_at"] is None
    assert row["starts_at"].endswith("+09:00")
    assert row["url"].endswith(f"{debate.proposal.get_absolute_url()}#debate")
    body = text_of(response)
    for private in ("김비밀토론자", "secret-debater", "그늘이 필요해요"):
        assert private not in body


def test_the_results_appear_once_published():
    debate = closed_debate()
    assert read(f"{URL}{debate.pk}/").data_json["results"] is None

    services.debate_publish_summary(
        debate=debate, operator=operator(), summary="찬성이 많았고, 예산 검토가 필요합니다."
    )

    row = read(f"{URL}{debate.pk}/").data_json
    assert row["status"]["code"] == "closed"
    assert row["results"] == "찬성이 많았고, 예산 검토가 필요합니다."
    assert row["results_published_at"].endswith("+09:00")


def test_labels_in_the_readers_language_codes_the_same():
    open_debate()
    with translation.override("ko"):
        korean = str(DebateStatus.OPEN.label)
    assert korean != "Open"

    assert read(URL).data_json["results"][0]["status"] == {"code": "open", "label": korean}
    assert read(URL, accept="en").data_json["results"][0]["status"]["label"] == "Open"
    assert read(URL, lang="en").data_json["results"][0]["status"]["label"] == "Open"
    assert read(URL, lang="ko", accept="en").data_json["results"][0]["status"]["label"] == korean


def test_a_hidden_proposals_debate_is_not_there():
    shown = open_debate()
    hidden = open_debate(title="숨겨진 제안의 토론")
    hide(hidden.proposal)

    response = read(URL)

    assert [row["id"] for row in response.data_json["results"]] == [shown.pk]
    assert "숨겨진 제안의 토론" not in text_of(response)
    assert read(f"{URL}{hidden.pk}/").status_code == 404


def test_filters_by_status_and_proposal():
    running = open_debate()
    ended = closed_debate()

    assert [r["id"] for r in read(URL, status="open").data_json["results"]] == [running.pk]
    assert [r["id"] for r in read(URL, status="closed").data_json["results"]] == [ended.pk]
    only = read(URL, proposal=str(ended.proposal_id)).data_json["results"]
    assert [r["id"] for r in only] == [ended.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "finished"},
        {"proposal": "abc"},
        {"proposal": "1.5"},
        {"proposal": "99999999999999999999"},
        {"proposal": "-3"},
    ],
)
def test_bad_filters_are_a_400_not_a_500(params):
    open_debate()

    response = read(URL, **params)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


def test_the_list_costs_the_same_however_many_debates(django_assert_max_num_queries):
    for _ in range(3):
        open_debate()
    with django_assert_max_num_queries(6):
        small = read(URL)
    for _ in range(12):
        closed_debate()
    with django_assert_max_num_queries(6):
        large = read(URL)
    assert len(small.data_json["results"]) == 3
    assert len(large.data_json["results"]) == 15


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999", "0"])
def test_an_id_that_is_no_debate_is_a_404(pk):
    open_debate()

    assert read(f"{URL}{pk}/").status_code == 404


def test_the_proposal_links_to_its_debate_and_the_link_reads_it():
    # The proposal endpoint's links name this endpoint's rows (the two parts
    # were written side by side; a wrong route name once left the link out).
    debate = open_debate(title="보행교 그늘막 토론")
    link = read(f"/api/v1/proposals/{debate.proposal_id}/").data_json["links"]["debate"]
    assert link == f"http://testserver/api/v1/debates/{debate.pk}/"
    assert read(link.removeprefix("http://testserver")).data_json["id"] == debate.pk
