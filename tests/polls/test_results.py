"""The results' numbers (polls/results.py): percentages and their rounding,
breakdowns with small groups hidden so that subtraction cannot undo the
hiding, when results are public, what staff see besides, and discussion
polls' tallies."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from polls.models import (
    ArgumentSide,
    PollArgument,
    PollKind,
    PollStatus,
    QuestionKind,
    ResultsShown,
)
from polls.results import (
    groups_to_hide,
    poll_results,
    results_public,
    results_visible,
    shares,
)
from tests.factories import UserFactory, official, operator
from tests.polls.results_world import make_poll, vote, votes

pytestmark = pytest.mark.django_db


# --- percentages ------------------------------------------------------------------------


def test_one_choice_percentages_add_up_to_exactly_100():
    # 1/3 each would round to 33.3 three times = 99.9
    labels = [share.label for share in shares([1, 1, 1], 3, adds_up=True)]
    assert labels == ["33.4%", "33.3%", "33.3%"]
    assert sum(s.tenths for s in shares([2, 2, 2, 1], 7, adds_up=True)) == 1000


def test_a_choice_with_votes_never_reads_zero_nor_one_without_all():
    small, big = shares([1, 9999], 10_000, adds_up=True)
    assert small.label == "under 0.1%"
    assert small.bar == 1
    assert big.label == "over 99.9%"
    nobody, everybody = shares([0, 7], 7, adds_up=True)
    assert (nobody.label, nobody.bar) == ("0.0%", 0)
    assert everybody.label == "100.0%"


def test_several_choices_are_each_rounded_half_up_of_the_voters():
    # 8 voters; 3 picked A, 5 picked B, 8 picked C: shares of the voters
    assert [s.label for s in shares([3, 5, 8], 8, adds_up=False)] == ["37.5%", "62.5%", "100.0%"]
    assert [s.percent for s in shares([1], 3, adds_up=False)] == [Decimal("33.3")]


def test_no_answers_reads_zero():
    assert [s.label for s in shares([0, 0], 0, adds_up=True)] == ["0.0%", "0.0%"]


# --- the poll's results -----------------------------------------------------------------


def test_counts_and_percentages_of_a_yes_no_poll():
    poll = make_poll(kind=PollKind.YES_NO)
    votes(poll, "찬성", 115)
    votes(poll, "반대", 251)
    votes(poll, "기타", 3)

    results = poll_results(poll)

    assert results.voter_count == 369
    (question,) = results.questions
    assert question.answer_count == 369
    assert [(c.label, c.share.count, c.share.label) for c in question.choices] == [
        ("찬성", 115, "31.2%"),
        ("반대", 251, "68.0%"),
        ("기타", 3, "0.8%"),
    ]


def test_several_choice_question_shares_are_of_its_voters():
    poll = make_poll(questions=(("Which?", QuestionKind.MULTIPLE, ("A", "B", "C")),))
    vote(poll, "A", "B")
    vote(poll, "A")
    vote(poll, "A", "C")
    vote(poll, "B")

    (question,) = poll_results(poll).questions

    assert question.answer_count == 4
    assert [c.share.label for c in question.choices] == ["75.0%", "50.0%", "25.0%"]


# --- breakdowns -------------------------------------------------------------------------


def test_groups_under_the_threshold_are_hidden_with_the_next_smallest():
    # one small group alone would be total − the others
    assert groups_to_hide({"a": 30, "b": 12, "c": 3}, 5) == {"b", "c"}
    # two small groups together under the threshold: one more
    assert groups_to_hide({"a": 30, "b": 12, "c": 2, "d": 1}, 5) == {"b", "c", "d"}
    # two small groups together as large as the threshold suffice
    assert groups_to_hide({"a": 30, "b": 12, "c": 3, "d": 4}, 5) == {"c", "d"}
    assert groups_to_hide({"a": 30, "b": 5}, 5) == set()
    # everything small: everything hidden
    assert groups_to_hide({"a": 2, "b": 1}, 5) == {"a", "b"}


def test_the_breakdown_hides_small_groups_so_subtraction_reveals_none():
    # given 20 voters in Jongno, 8 in Mapo, 3 in Jung-gu, 6 who gave no district
    poll = make_poll()
    votes(poll, "A", 12, district="jongno", age_band="30s")
    votes(poll, "B", 8, district="jongno", age_band="30s")
    votes(poll, "A", 8, district="mapo", age_band="40s")
    votes(poll, "B", 3, district="jung", age_band="40s")
    votes(poll, "C", 6, age_band="30s")

    (question,) = poll_results(poll).questions
    by_district = {b.dimension: b for b in question.breakdowns}["district"]

    rows = {row.key: row for row in by_district.rows}
    assert [row.key for row in by_district.rows] == ["jongno", "jung", "mapo", ""]
    assert rows["jongno"].hidden is False
    assert [c.count for c in rows["jongno"].cells] == [12, 8, 0]
    assert [c.label for c in rows["jongno"].cells] == ["60.0%", "40.0%", "0.0%"]
    # Jung-gu's 3 are hidden, and so is the next smallest group (the 6 who
    # gave none): the total minus what is shown is 9 voters of two groups
    assert rows["jung"].hidden and rows[""].hidden
    assert rows[""].label == "Not given"
    assert rows["jung"].cells == [] and rows[""].cells == []
    assert rows["mapo"].hidden is False
    shown = sum(row.total for row in by_district.rows if not row.hidden)
    assert question.answer_count - shown >= 5
    # by age band: 26 in their 30s, 11 in their 40s, none hidden
    by_age = {b.dimension: b for b in question.breakdowns}["age_band"]
    assert [(row.key, row.total, row.hidden) for row in by_age.rows] == [
        ("30s", 26, False),
        ("40s", 11, False),
    ]


def test_the_threshold_comes_from_settings(settings):
    settings.POLL_MIN_GROUP = 10
    poll = make_poll()
    votes(poll, "A", 9, district="jongno")
    votes(poll, "A", 12, district="mapo")
    votes(poll, "A", 11, district="jung")

    (question,) = poll_results(poll).questions
    rows = {row.key: row.hidden for row in question.breakdowns[0].rows}

    assert rows == {"jongno": True, "jung": True, "mapo": False}


def test_several_choice_breakdowns_count_each_voter_once_per_group():
    poll = make_poll(questions=(("Which?", QuestionKind.MULTIPLE, ("A", "B", "C")),))
    for _ in range(5):
        vote(poll, "A", "B", district="jongno")
    vote(poll, "C", district="jongno")

    (question,) = poll_results(poll).questions
    (jongno,) = question.breakdowns[0].rows

    assert jongno.total == 6
    assert [c.label for c in jongno.cells] == ["83.3%", "83.3%", "16.7%"]


def test_breakdowns_wait_for_the_close_even_when_results_are_live():
    poll = make_poll(results_shown=ResultsShown.LIVE, open_now=True)
    votes(poll, "A", 6, district="jongno")
    citizen = UserFactory()

    assert results_visible(poll, citizen)
    assert poll_results(poll, user=citizen).with_breakdowns is False
    assert poll_results(poll, user=citizen).questions[0].breakdowns == []
    # the department sees them while it runs
    staff = official(department=poll.department)
    assert poll_results(poll, user=staff).questions[0].breakdowns


# --- when results are public ------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "open_now", "status", "public"),
    [
        (ResultsShown.LIVE, True, PollStatus.PUBLISHED, True),
        (ResultsShown.AFTER_CLOSE, True, PollStatus.PUBLISHED, False),
        # past its end, the beat not yet run: voting is over
        (ResultsShown.AFTER_CLOSE, False, PollStatus.PUBLISHED, True),
        (ResultsShown.AFTER_CLOSE, True, PollStatus.CLOSED, True),  # closed early
        (ResultsShown.LIVE, True, PollStatus.DRAFT, False),
        (ResultsShown.LIVE, False, PollStatus.DRAFT, False),
    ],
)
def test_when_results_are_public(shown, open_now, status, public):
    poll = make_poll(results_shown=shown, open_now=open_now, status=status)
    assert results_public(poll) is public
    assert results_visible(poll, UserFactory()) is public
    assert results_visible(poll, None) is public


def test_a_live_poll_not_yet_open_shows_nothing():
    poll = make_poll(results_shown=ResultsShown.LIVE, open_now=True)
    assert not results_public(poll, poll.starts_at - dt.timedelta(minutes=1))


def test_the_polls_staff_see_results_before_they_are_public():
    poll = make_poll(open_now=True)
    other_department = official()
    assert results_visible(poll, official(department=poll.department))
    assert results_visible(poll, operator())
    assert not results_visible(poll, other_department)
    assert poll_results(poll, user=operator()).public is False


# --- texts ------------------------------------------------------------------------------


def test_text_answers_are_counted_for_all_and_read_by_staff_only():
    poll = make_poll(
        kind=PollKind.SURVEY,
        questions=(
            ("How often?", QuestionKind.SINGLE, ("Daily", "Weekly")),
            ("Anything else?", QuestionKind.TEXT, ()),
        ),
    )
    vote(poll, (0, "Daily"), texts={1: "제 번호는 010-1234-5678입니다"})
    vote(poll, (0, "Weekly"), texts={1: "좋아요"})
    vote(poll, (0, "Weekly"))

    public = poll_results(poll, user=UserFactory()).questions[1]
    staff = poll_results(poll, user=official(department=poll.department)).questions[1]

    assert public.text_count == 2 and public.texts == []
    assert [t.text for t in staff.texts] == ["좋아요", "제 번호는 010-1234-5678입니다"]


def test_yes_no_reasons_are_for_staff():
    poll = make_poll(kind=PollKind.YES_NO)
    vote(poll, "찬성", texts={0: "고양이도 이웃입니다"})
    vote(poll, "반대")

    public = poll_results(poll, user=UserFactory()).questions[0]
    staff = poll_results(poll, user=operator()).questions[0]

    assert public.text_count is None and public.texts == []
    assert staff.text_count == 1
    assert [(t.side, t.text) for t in staff.texts] == [("찬성", "고양이도 이웃입니다")]


# --- discussion polls -------------------------------------------------------------------


def test_discussion_tallies_count_shown_arguments_and_their_endorsements():
    poll = make_poll(
        kind=PollKind.DISCUSSION, questions=(("어떻게 할까요?", QuestionKind.TEXT, ()),)
    )
    for body, side, endorsed, hidden in (
        ("급식소를 늘려요", ArgumentSide.FOR, 10, False),
        ("중성화를 지원해요", ArgumentSide.FOR, 4, False),
        ("주민 피해가 큽니다", ArgumentSide.AGAINST, 7, False),
        ("광고 글", ArgumentSide.AGAINST, 50, True),
        ("잘 모르겠어요", "", 1, False),
    ):
        PollArgument.objects.create(
            poll=poll, side=side, body=body, endorsement_count=endorsed, is_hidden=hidden
        )

    sides = {s.side: s for s in poll_results(poll).discussion.sides}

    assert (sides["for"].arguments, sides["for"].endorsements) == (2, 14)
    assert [a.body for a in sides["for"].top] == ["급식소를 늘려요", "중성화를 지원해요"]
    assert (sides["against"].arguments, sides["against"].endorsements) == (1, 7)
    assert [a.body for a in sides["against"].top] == ["주민 피해가 큽니다"]
    assert sides[""].arguments == 1


def test_results_read_a_fixed_number_of_queries(django_assert_max_num_queries):
    poll = make_poll(
        kind=PollKind.SURVEY,
        questions=(
            ("One", QuestionKind.SINGLE, ("A", "B")),
            ("Several", QuestionKind.MULTIPLE, ("A", "B", "C")),
            ("Text", QuestionKind.TEXT, ()),
        ),
    )
    for district in ("jongno", "mapo", "jung"):
        for _ in range(6):
            vote(poll, (0, "A"), (1, "A"), (1, "C"), district=district, texts={2: "의견"})
    staff = operator()
    with django_assert_max_num_queries(7):
        results = poll_results(poll, user=staff, now=timezone.now())
    assert len(results.questions[1].breakdowns[0].rows) == 3
