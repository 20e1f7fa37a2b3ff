"""Exact counts under concurrent voting, on the real PostgreSQL server:
every count equals the rows it counts once the last vote has answered."""

import pytest
from django.db.models import Count

from accounts.participation import Action
from mileage.defaults import ensure_defaults
from mileage.models import MileageEntry
from oasis.errors import ServiceError
from polls.models import Answer, Ballot, Choice, Poll, Question
from polls.services.votes import poll_vote
from tests.polls.vote_helpers import choice_ids, choice_poll, citizen, survey_poll
from tests.threads import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _mileage_rules():
    """The default mileage rules, back: a transactional test before this
    one empties the tables their migration filled."""
    ensure_defaults()


def _run_at_once(callables):
    return run_at_once(callables, timeout=120)


def _counts_equal_rows(poll: Poll) -> None:
    poll.refresh_from_db()
    assert poll.voter_count == Ballot.objects.filter(poll=poll).count()
    rows = dict(
        Answer.objects.filter(ballot__poll=poll, choice__isnull=False)
        .values("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    for choice in Choice.objects.filter(question__poll=poll):
        assert choice.vote_count == rows.get(choice.pk, 0), choice.label
    for question in Question.objects.filter(poll=poll):
        answered = Answer.objects.filter(question=question).values("ballot").distinct().count()
        assert question.answer_count == answered, question.text


def test_many_members_voting_at_once_are_all_counted():
    # Given a survey and 30 members
    poll = survey_poll()
    q1, q2, q3 = poll.questions.all()
    members = [citizen() for _ in range(30)]
    firsts = ["관심이 있다", "관심 없다", "민관이 협조해야"]
    seconds = [("급식소",), ("중성화", "입양"), ("급식소", "입양")]

    # When they all vote at the same moment
    results = _run_at_once(
        [
            lambda m=m, i=i: poll_vote(
                poll=poll,
                member=m,
                answers={
                    q1.pk: choice_ids(q1, firsts[i % 3]),
                    q2.pk: choice_ids(q2, *seconds[i % 3]),
                    q3.pk: "의견" if i % 2 else "",
                },
            )
            for i, m in enumerate(members)
        ]
    )

    # Then every vote is stored once and every count equals its rows
    assert [r for r in results if isinstance(r, Exception)] == []
    _counts_equal_rows(poll)
    poll.refresh_from_db()
    assert poll.voter_count == 30
    assert Choice.objects.get(label="급식소").vote_count == 20
    assert Question.objects.get(pk=q3.pk).answer_count == 15
    assert MileageEntry.objects.filter(action=Action.POLL_VOTE).count() == 30


def test_one_member_sending_the_form_many_times_at_once_votes_once():
    # Given a poll that does not allow changing a vote, and one member with many tabs
    poll = choice_poll(max_choices=2)
    question = poll.questions.get()
    member = citizen()
    picks = [("아파트 공동 관리",), ("시민단체 협조", "자치구 행정 신청")]

    # When their 8 submissions arrive together, with different choices
    results = _run_at_once(
        [
            lambda i=i: poll_vote(
                poll=poll, member=member, answers={question.pk: choice_ids(question, *picks[i % 2])}
            )
            for i in range(8)
        ]
    )

    # Then one is recorded and the others refused with the reason; the
    # counts are the one vote's, and the mileage is earned once
    done = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(done) == 1 and len(refused) == 7, results
    assert all("already voted" in r.message for r in refused)
    _counts_equal_rows(poll)
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert MileageEntry.objects.filter(member=member, action=Action.POLL_VOTE).count() == 1


def test_members_changing_their_votes_while_others_vote_keep_the_counts_exact():
    # Given a poll that allows changing a vote, 10 members who voted for one choice
    poll = choice_poll(max_choices=2, allow_vote_change=True)
    question = poll.questions.get()
    changers = [citizen() for _ in range(10)]
    for member in changers:
        poll_vote(
            poll=poll,
            member=member,
            answers={question.pk: choice_ids(question, "아파트 공동 관리")},
        )
    newcomers = [citizen() for _ in range(10)]

    # When the 10 change their vote (each twice, in two tabs) while 10 others vote
    calls = []
    for member in changers:
        for labels in (("시민단체 협조",), ("시민단체 협조", "협약체 구성 및 토론")):
            calls.append(
                lambda m=member, ls=labels: poll_vote(
                    poll=poll, member=m, answers={question.pk: choice_ids(question, *ls)}
                )
            )
    for member in newcomers:
        calls.append(
            lambda m=member: poll_vote(
                poll=poll, member=m, answers={question.pk: choice_ids(question, "아파트 공동 관리")}
            )
        )
    results = _run_at_once(calls)

    # Then every count equals its rows: the old choice lost the changers,
    # the new ones have them, and nobody is counted twice
    assert [r for r in results if isinstance(r, Exception)] == []
    _counts_equal_rows(poll)
    poll.refresh_from_db()
    assert poll.voter_count == 20
    assert Choice.objects.get(label="아파트 공동 관리").vote_count == 10
    assert Choice.objects.get(label="시민단체 협조").vote_count == 10
    assert MileageEntry.objects.filter(action=Action.POLL_VOTE).count() == 20
