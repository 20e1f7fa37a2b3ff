"""polls.services.votes.poll_vote: what a vote writes, what it refuses (and
then writes nothing), and how a change of vote moves the counts."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.participation import Action
from mileage.models import MileageEntry
from oasis.errors import ServiceError
from polls.models import Answer, Ballot, Choice, Poll, PollStatus, Question
from polls.services.votes import VoteInvalid, poll_vote
from tests.polls.vote_helpers import choice_ids, choice_poll, citizen, survey_poll, yes_no_poll

pytestmark = pytest.mark.django_db


def _nothing_written(poll):
    poll.refresh_from_db()
    assert poll.voter_count == 0
    assert not Ballot.objects.filter(poll=poll).exists()
    assert not Answer.objects.filter(ballot__poll=poll).exists()
    assert not Choice.objects.filter(question__poll=poll, vote_count__gt=0).exists()
    assert not Question.objects.filter(poll=poll, answer_count__gt=0).exists()
    assert not MileageEntry.objects.filter(action=Action.POLL_VOTE).exists()


def _survey_answers(poll, first="관심 없다", second=("급식소",), text=""):
    q1, q2, q3 = poll.questions.all()
    return {q1.pk: choice_ids(q1, first), q2.pk: choice_ids(q2, *second), q3.pk: text}


def test_a_vote_writes_a_ballot_its_answers_and_the_counts_and_earns_mileage():
    poll = survey_poll()
    member = citizen()

    ballot, created = poll_vote(
        poll=poll,
        member=member,
        answers=_survey_answers(poll, second=("급식소", "입양"), text="고마워요"),
    )

    assert created
    assert ballot.district == "gangnam" and ballot.gender == "female" and ballot.age_band
    assert Answer.objects.filter(ballot=ballot).count() == 4
    poll.refresh_from_db()
    assert poll.voter_count == 1
    counts = dict(Choice.objects.filter(question__poll=poll).values_list("label", "vote_count"))
    assert counts["관심 없다"] == 1 and counts["급식소"] == 1 and counts["입양"] == 1
    assert counts["중성화"] == 0
    assert MileageEntry.objects.filter(member=member, action=Action.POLL_VOTE).count() == 1


@pytest.mark.parametrize(
    "answers_of",
    [
        # A question of another poll
        lambda poll, other: {**_survey_answers(poll), other.questions.first().pk: []},
        # A key that is no id at all
        lambda poll, other: {**_survey_answers(poll), "q": ["1"]},
        # The same question twice, once as a number and once as text
        lambda poll, other: {
            **_survey_answers(poll),
            str(poll.questions.first().pk): choice_ids(poll.questions.first(), "관심 없다"),
        },
        # Two answers to a single-choice question
        lambda poll, other: (
            _survey_answers(poll)
            | {
                poll.questions.first().pk: choice_ids(
                    poll.questions.first(), "관심 없다", "관심이 있다"
                )
            }
        ),
        # The same choice twice in a multiple-choice question
        lambda poll, other: _survey_answers(poll, second=("급식소", "급식소")),
        # More choices than allowed (2)
        lambda poll, other: _survey_answers(poll, second=("급식소", "중성화", "입양")),
        # A choice of another question
        lambda poll, other: (
            _survey_answers(poll)
            | {poll.questions.first().pk: choice_ids(poll.questions.all()[1], "급식소")}
        ),
        # A choice id that is not a number
        lambda poll, other: _survey_answers(poll) | {poll.questions.first().pk: ["x"]},
        # A required question left out
        lambda poll, other: {
            poll.questions.all()[1].pk: choice_ids(poll.questions.all()[1], "급식소")
        },
        # A text answer that is too long
        lambda poll, other: _survey_answers(poll, text="가" * 501),
        # A text question answered with choices
        lambda poll, other: _survey_answers(poll) | {poll.questions.all()[2].pk: ["1"]},
        # Nothing at all
        lambda poll, other: {},
    ],
    ids=[
        "other poll's question",
        "not an id",
        "question twice",
        "two answers to a single question",
        "choice twice",
        "too many choices",
        "another question's choice",
        "choice not a number",
        "required question missing",
        "text too long",
        "text answered with choices",
        "nothing",
    ],
)
def test_answers_that_do_not_fit_are_refused_and_nothing_is_written(answers_of):
    poll = survey_poll()
    other = choice_poll()
    member = citizen()

    with pytest.raises(VoteInvalid) as refused:
        poll_vote(poll=poll, member=member, answers=answers_of(poll, other))

    assert refused.value.message
    _nothing_written(poll)


def test_a_reason_is_only_for_a_yes_or_no_vote_and_within_its_length():
    poll = choice_poll()
    question = poll.questions.get()
    with pytest.raises(VoteInvalid, match="Only a yes-or-no vote takes a reason."):
        poll_vote(
            poll=poll,
            member=citizen(),
            answers={question.pk: choice_ids(question, "시민단체 협조")},
            reason="이유",
        )
    _nothing_written(poll)

    poll = yes_no_poll()
    question = poll.questions.get()
    with pytest.raises(VoteInvalid, match="within 500 characters"):
        poll_vote(
            poll=poll,
            member=citizen(),
            answers={question.pk: choice_ids(question, "보호조치 찬성")},
            reason="가" * 501,
        )
    _nothing_written(poll)


@pytest.mark.parametrize(
    "change",
    [
        {"status": PollStatus.CLOSED},
        {"status": PollStatus.DRAFT},
        {
            "starts_at": timezone.now() + dt.timedelta(days=1),
            "ends_at": timezone.now() + dt.timedelta(days=2),
        },
        {
            "starts_at": timezone.now() - dt.timedelta(days=3),
            "ends_at": timezone.now() - dt.timedelta(seconds=1),
        },
        {"target_districts": ["jongno"]},
        {"target_genders": ["male"]},
    ],
    ids=[
        "closed",
        "draft",
        "not yet open",
        "past its end before the beat",
        "other district",
        "other gender",
    ],
)
def test_a_vote_the_rules_refuse_writes_nothing(change):
    poll = yes_no_poll()
    Poll.objects.filter(pk=poll.pk).update(**change)
    question = poll.questions.get()

    with pytest.raises(ServiceError):
        poll_vote(
            poll=poll,
            member=citizen(),
            answers={question.pk: choice_ids(question, "보호조치 찬성")},
        )

    _nothing_written(poll)


def test_a_member_without_the_data_a_targeted_poll_needs_is_refused():
    poll = yes_no_poll(target_age_bands=["30s"])
    question = poll.questions.get()
    member = citizen(birth_year=None)

    with pytest.raises(ServiceError, match="tell us the details it needs"):
        poll_vote(
            poll=poll, member=member, answers={question.pk: choice_ids(question, "보호조치 찬성")}
        )
    _nothing_written(poll)


def test_changing_a_vote_moves_each_count_exactly_and_earns_nothing_more():
    poll = survey_poll(allow_vote_change=True)
    member = citizen()
    other = citizen()
    poll_vote(
        poll=poll,
        member=other,
        answers=_survey_answers(poll, first="관심 없다", second=("급식소",)),
    )
    poll_vote(
        poll=poll,
        member=member,
        answers=_survey_answers(
            poll, first="관심 없다", second=("급식소", "중성화"), text="처음 생각"
        ),
    )

    # When the member changes two answers and clears the optional text
    ballot, created = poll_vote(
        poll=poll,
        member=member,
        answers=_survey_answers(poll, first="관심이 있다", second=("급식소", "입양")),
    )

    assert not created
    counts = dict(Choice.objects.filter(question__poll=poll).values_list("label", "vote_count"))
    assert counts == {
        "관심이 있다": 1,
        "관심 없다": 1,
        "민관이 협조해야": 0,
        "급식소": 2,
        "중성화": 0,
        "입양": 1,
    }
    q1, q2, q3 = poll.questions.all()
    assert [Question.objects.get(pk=q.pk).answer_count for q in (q1, q2, q3)] == [2, 2, 0]
    # Every count equals its rows
    for choice in Choice.objects.filter(question__poll=poll):
        assert choice.vote_count == Answer.objects.filter(choice=choice).count()
    poll.refresh_from_db()
    assert poll.voter_count == 2 == Ballot.objects.filter(poll=poll).count()
    assert MileageEntry.objects.filter(member=member, action=Action.POLL_VOTE).count() == 1


def test_a_vote_cannot_be_changed_after_the_close_even_where_allowed():
    poll = yes_no_poll(allow_vote_change=True)
    question = poll.questions.get()
    member = citizen()
    poll_vote(
        poll=poll, member=member, answers={question.pk: choice_ids(question, "보호조치 찬성")}
    )
    Poll.objects.filter(pk=poll.pk).update(status=PollStatus.CLOSED, closed_at=timezone.now())

    with pytest.raises(ServiceError, match="closed"):
        poll_vote(
            poll=poll, member=member, answers={question.pk: choice_ids(question, "보호조치 반대")}
        )

    assert Answer.objects.get().choice.label == "보호조치 찬성"
    assert Choice.objects.get(label="보호조치 찬성").vote_count == 1
    assert Choice.objects.get(label="보호조치 반대").vote_count == 0


def test_the_reason_of_a_yes_or_no_vote_is_kept_and_changed_with_it():
    poll = yes_no_poll(allow_vote_change=True)
    question = poll.questions.get()
    member = citizen()
    poll_vote(
        poll=poll,
        member=member,
        answers={question.pk: choice_ids(question, "기타 의견")},
        reason=" 조건부 찬성 ",
    )
    assert Answer.objects.get().text == "조건부 찬성"

    poll_vote(poll=poll, member=member, answers={question.pk: choice_ids(question, "기타 의견")})

    answer = Answer.objects.get()
    assert answer.choice.label == "기타 의견" and answer.text == ""
    assert Choice.objects.get(label="기타 의견").vote_count == 1
