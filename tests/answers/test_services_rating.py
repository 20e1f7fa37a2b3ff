"""answers/services.py, the proposer rates a published answer; the days left
in Seoul dates."""

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from answers import services
from answers.models import AnswerRating
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind, Proposal
from tests.factories import UserFactory, operator

from .helpers import SEOUL, assigned, clerk_of, drafted, published, recipients, submitted

# Dates here count calendar days (working days: test_workdays.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_days")]


# --- rating --------------------------------------------------------------------------------


def test_the_proposer_rates_a_published_answer_once():
    assignment = assigned()
    clerk = clerk_of(assignment)
    answer = published(assignment)
    proposer = assignment.proposal.author
    rating = services.answer_rate(
        answer=answer, user=proposer, score=4, comment="빠른 답변 감사합니다."
    )
    assert (rating.score, rating.rater, rating.comment) == (4, proposer, "빠른 답변 감사합니다.")
    event = Proposal.objects.get().events.get(kind=EventKind.ANSWER_RATED)
    assert (event.text, event.is_public, event.actor_department) == ("4 out of 5", True, None)
    assert recipients("answer_rated") == {clerk.pk}
    with pytest.raises(ServiceError, match="already rated"):
        services.answer_rate(answer=answer, user=proposer, score=1)
    assert AnswerRating.objects.get().score == 4


def test_nobody_but_the_proposer_rates():
    assignment = assigned()
    answer = published(assignment)
    for user in (UserFactory(), clerk_of(assignment), operator()):
        with pytest.raises(PermissionDenied):
            services.answer_rate(answer=answer, user=user, score=5)
    assert not AnswerRating.objects.exists()


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_an_unpublished_answer_cannot_be_rated(state):
    assignment = assigned()
    answer = drafted(assignment) if state == "draft" else submitted(assignment)
    with pytest.raises(ServiceError, match="Only a published answer"):
        services.answer_rate(answer=answer, user=assignment.proposal.author, score=5)
    assert not AnswerRating.objects.exists()


@pytest.mark.parametrize("score", [0, 6, "five", None])
def test_a_score_is_from_1_to_5(score):
    assignment = assigned()
    answer = published(assignment)
    with pytest.raises(ValidationError):
        services.answer_rate(answer=answer, user=assignment.proposal.author, score=score)
    assert not AnswerRating.objects.exists()


def test_the_database_keeps_scores_between_1_and_5():
    assignment = assigned()
    answer = published(assignment)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerRating.objects.create(answer=answer, rater=assignment.proposal.author, score=9)


def test_the_days_left_count_seoul_dates():
    with time_machine.travel(dt.datetime(2025, 3, 1, 23, 30, tzinfo=SEOUL), tick=False):
        assignment = assigned()
        assert assignment.days_left() == 20
    moment = timezone.localtime(assignment.deadline) + timedelta(minutes=1)
    assert assignment.days_left(moment) == -1 and assignment.is_overdue(moment)
    assert assignment.days_left(assignment.deadline) == 0 and not assignment.is_overdue(
        assignment.deadline
    )
