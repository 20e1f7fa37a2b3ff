"""debates/services.py, stances: exact counts, and who may take one when."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from debates import services
from debates.models import Position, Stance
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import Proposal
from proposals.services import proposal_withdraw
from tests.factories import UserFactory

from .helpers import closed_debate, open_debate

pytestmark = pytest.mark.django_db


# --- stances ------------------------------------------------------------------


def _rows(debate) -> dict[str, int]:
    return {p: debate.stances.filter(position=p).count() for p in Position.values}


def _counters(debate) -> dict[str, int]:
    debate.refresh_from_db()
    return {
        "for": debate.for_count,
        "against": debate.against_count,
        "undecided": debate.undecided_count,
    }


def test_stance_counts_stay_exact_as_members_change_their_minds():
    debate = open_debate()
    alice, bob, chan = UserFactory(), UserFactory(), UserFactory()

    services.stance_set(debate=debate, user=alice, position="for")
    services.stance_set(debate=debate, user=bob, position="for")
    services.stance_set(debate=debate, user=chan, position="undecided")
    assert _counters(debate) == {"for": 2, "against": 0, "undecided": 1}

    services.stance_set(debate=debate, user=bob, position="against")  # changes
    services.stance_set(debate=debate, user=chan, position="for")  # changes
    services.stance_set(debate=debate, user=alice, position="for")  # same again: nothing
    assert _counters(debate) == {"for": 2, "against": 1, "undecided": 0}
    assert _counters(debate) == _rows(debate)
    assert Stance.objects.filter(debate=debate).count() == 3
    # the caller's object is refreshed too
    assert debate.stance_total == 3


def test_a_stance_must_be_one_of_the_three():
    debate = open_debate()
    with pytest.raises(ValidationError):
        services.stance_set(debate=debate, user=UserFactory(), position="maybe")
    assert not Stance.objects.exists()


def test_anonymous_and_inactive_members_take_no_stance():
    from django.contrib.auth.models import AnonymousUser

    debate = open_debate()
    with pytest.raises(PermissionDenied):
        services.stance_set(debate=debate, user=AnonymousUser(), position="for")
    with pytest.raises(PermissionDenied):
        services.stance_set(debate=debate, user=UserFactory(is_active=False), position="for")
    assert _counters(debate) == {"for": 0, "against": 0, "undecided": 0}


def test_no_stance_after_the_end_even_before_the_schedule_closes_it():
    debate = open_debate()
    member = UserFactory()
    services.stance_set(debate=debate, user=member, position="for")
    with time_machine.travel(debate.ends_at + timedelta(seconds=1)):
        with pytest.raises(ServiceError, match="This debate has ended"):
            services.stance_set(debate=debate, user=member, position="against")
        with pytest.raises(ServiceError):
            services.stance_set(debate=debate, user=UserFactory(), position="against")
    assert _counters(debate) == {"for": 1, "against": 0, "undecided": 0}
    assert debate.stances.get().position == "for"


def test_no_stance_on_a_closed_debate():
    debate = closed_debate()
    with pytest.raises(ServiceError, match="This debate is closed."):
        services.stance_set(debate=debate, user=UserFactory(), position="for")
    assert not Stance.objects.exists()


def test_no_stance_once_the_proposal_is_withdrawn_or_hidden():
    debate = open_debate()
    proposal_withdraw(proposal=debate.proposal, user=debate.proposal.author)
    with pytest.raises(ServiceError):
        services.stance_set(debate=debate, user=UserFactory(), position="for")
    hidden = open_debate()
    Proposal.objects.filter(pk=hidden.proposal_id).update(is_hidden=True, hidden_reason="광고")
    hidden.refresh_from_db()
    with pytest.raises(ServiceError):
        services.stance_set(debate=hidden, user=UserFactory(), position="for")
    assert not Stance.objects.exists()
