"""/api/v1/polls/: city polls the public sees, and their results exactly
when and as the public results page shows them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from polls.models import (
    ArgumentSide,
    PollArgument,
    PollKind,
    PollStatus,
    QuestionKind,
    ResultsShown,
)
from polls.results import poll_results
from tests.api.more_helpers import read, text_of
from tests.factories import DepartmentFactory, UserFactory
from tests.polls.results_world import make_poll, vote, votes

pytestmark = pytest.mark.django_db

URL = "/api/v1/polls/"


def test_a_closed_poll_has_its_results_with_small_groups_hidden(settings):
    settings.POLL_MIN_GROUP = 5
    poll = make_poll(
        status=PollStatus.CLOSED,
        department=DepartmentFactory(code="culture", name="문화정책과", name_en="Culture"),
    )
    votes(poll, "A", 6, district="mapo", age_band="30s")
    votes(poll, "B", 6, district="gangnam", age_band="30s")
    votes(poll, "C", 2, district="jongno", age_band="40s")

    response = read(f"{URL}{poll.pk}/", lang="en")

    assert response.status_code == 200
    data = response.data_json
    assert data["kind"] == {"code": "choice", "label": "Multiple choice"}
    assert data["status"]["code"] == "closed"
    assert data["department"] == {"code": "culture", "label": "Culture"}
    assert data["voter_count"] == 14
    assert data["results_public"] is True
    results = data["results"]
    (question,) = results["questions"]
    assert [(c["label"], c["count"], c["percent"]) for c in question["choices"]] == [
        ("A", 6, 42.9),
        ("B", 6, 42.8),
        ("C", 2, 14.3),
    ]
    district = next(b for b in question["breakdowns"] if b["dimension"] == "district")
    rows = {row["key"]: row for row in district["rows"]}
    # jongno (2) is under the minimum, and the next smallest goes with it.
    assert rows["jongno"]["hidden"] and rows["jongno"]["total"] is None
    assert rows["jongno"]["cells"] == []
    assert sum(1 for row in rows.values() if row["hidden"]) == 2
    (shown,) = [row for row in rows.values() if not row["hidden"]]
    assert shown["total"] == 6

    # The same numbers as the public results page reads, not a recount.
    with translation.override("en"):
        page = poll_results(poll, user=AnonymousUser(), texts=False)
    page_rows = page.questions[0].breakdowns[0].rows
    assert [(r.key, r.hidden) for r in page_rows] == [
        (row["key"], row["hidden"]) for row in district["rows"]
    ]


def test_results_kept_for_after_the_close_are_not_given_while_it_is_open():
    poll = make_poll(open_now=True, results_shown=ResultsShown.AFTER_CLOSE)
    votes(poll, "A", 7)

    data = read(f"{URL}{poll.pk}/").data_json

    assert data["results_public"] is False
    assert data["results"] is None
    assert [c["label"] for c in data["questions"][0]["choices"]] == ["A", "B", "C"]
    assert "count" not in data["questions"][0]["choices"][0]


def test_live_results_have_no_breakdowns_until_voting_is_over():
    poll = make_poll(open_now=True, results_shown=ResultsShown.LIVE)
    votes(poll, "A", 7, district="mapo")

    results = read(f"{URL}{poll.pk}/").data_json["results"]

    assert results["questions"][0]["choices"][0]["count"] == 7
    assert results["questions"][0]["breakdowns"] == []


def test_written_answers_are_counted_never_shown():
    poll = make_poll(
        kind=PollKind.SURVEY,
        status=PollStatus.CLOSED,
        questions=(("Which?", QuestionKind.SINGLE, ("A", "B")), ("Why?", QuestionKind.TEXT, ())),
    )
    vote(
        poll,
        "A",
        texts={1: "우리 집 앞 골목이 어두워서요"},
        member=UserFactory(display_name="최투표자"),
    )

    response = read(f"{URL}{poll.pk}/")

    written = response.data_json["results"]["questions"][1]
    assert written["text_count"] == 1
    assert "texts" not in written
    body = text_of(response)
    assert "우리 집 앞 골목이" not in body
    assert "최투표자" not in body


def test_a_discussion_poll_gives_counts_by_side_not_the_arguments():
    poll = make_poll(kind=PollKind.DISCUSSION, status=PollStatus.CLOSED, questions=())
    author = UserFactory(display_name="정논객")
    PollArgument.objects.create(
        poll=poll, author=author, side=ArgumentSide.FOR, body="공존이 답입니다", endorsement_count=4
    )
    PollArgument.objects.create(
        poll=poll,
        author=author,
        side=ArgumentSide.AGAINST,
        body="민원이 많습니다",
        endorsement_count=1,
    )

    response = read(f"{URL}{poll.pk}/", lang="en")

    sides = {side["side"]: side for side in response.data_json["results"]["discussion_sides"]}
    assert (sides["for"]["arguments"], sides["for"]["endorsements"]) == (1, 4)
    assert (sides["against"]["arguments"], sides["against"]["endorsements"]) == (1, 1)
    body = text_of(response)
    for private in ("공존이 답입니다", "민원이 많습니다", "정논객"):
        assert private not in body


def test_a_draft_is_not_there():
    published = make_poll(open_now=True)
    draft = make_poll(status=PollStatus.DRAFT, title="아직 쓰는 중인 설문")

    response = read(URL)

    assert [row["id"] for row in response.data_json["results"]] == [published.pk]
    assert "아직 쓰는 중인 설문" not in text_of(response)
    assert read(f"{URL}{draft.pk}/").status_code == 404


def test_labels_in_korean_by_default_and_the_response_once_published():
    poll = make_poll(status=PollStatus.CLOSED)
    with translation.override("ko"):
        korean = str(PollKind.CHOICE.label)
    assert read(URL).data_json["results"][0]["kind"] == {"code": "choice", "label": korean}
    assert read(URL).data_json["results"][0]["response"] is None

    poll.response = "결과를 반영해 급식소를 늘리겠습니다."
    poll.response_published_at = timezone.now()
    poll.save()

    row = read(URL).data_json["results"][0]
    assert row["response"] == "결과를 반영해 급식소를 늘리겠습니다."
    assert row["response_published_at"].endswith("+09:00")


def test_filters_by_kind_status_department_and_year():
    culture = DepartmentFactory(code="culture")
    running = make_poll(open_now=True, kind=PollKind.YES_NO, department=culture)
    ended = make_poll(status=PollStatus.CLOSED)

    def ids(**params):
        return {row["id"] for row in read(URL, **params).data_json["results"]}

    assert ids(kind="yes_no") == {running.pk}
    assert ids(status="closed") == {ended.pk}
    assert ids(status="published") == {running.pk}
    assert ids(department="culture") == {running.pk}
    year = timezone.localtime(ended.starts_at).year
    assert ended.pk in ids(year=str(year))


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "referendum"},
        {"status": "draft"},
        {"department": "nowhere"},
        {"department": "\x00"},
        {"department": "x" * 5000},
        {"year": "2025.5"},
        {"year": "-1"},
    ],
)
def test_bad_filters_are_a_400_not_a_500(params):
    make_poll()

    assert read(URL, **params).status_code == 400


def test_the_list_costs_the_same_however_many_polls(django_assert_max_num_queries):
    make_poll()
    with django_assert_max_num_queries(4):
        small = read(URL)
    for _ in range(5):
        make_poll(status=PollStatus.CLOSED)
    with django_assert_max_num_queries(4):
        large = read(URL)
    assert len(small.data_json["results"]) == 1
    assert len(large.data_json["results"]) == 6


def test_one_poll_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    poll = make_poll(
        status=PollStatus.CLOSED,
        questions=(
            ("Which?", QuestionKind.SINGLE, ("A", "B")),
            ("Which ones?", QuestionKind.MULTIPLE, ("X", "Y", "Z")),
        ),
    )
    votes(poll, "A", 9, district="mapo")
    with django_assert_max_num_queries(8):
        assert read(f"{URL}{poll.pk}/").status_code == 200
