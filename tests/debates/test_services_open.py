"""debates/services.py, opening a debate: by the pipeline or by hand, once, and
only for an answered proposal."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import formats, timezone

from accounts.roles import Role
from debates import services
from debates.models import Debate, DebateStatus
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from pipeline.services import promote_if_due
from proposals.models import EventKind, PipelineSettings, ProposalStatus
from proposals.services import proposal_follow, proposal_withdraw
from tests.factories import ProposalFactory, UserFactory, operator

from .helpers import notices, open_debate

pytestmark = pytest.mark.django_db


# --- opening ------------------------------------------------------------------


def test_an_answered_proposal_opens_a_debate_for_the_set_length(django_capture_on_commit_callbacks):
    # given an answered proposal with a follower and a 14-day debate length
    settings_row = PipelineSettings.load()
    settings_row.debate_length_days = 14
    settings_row.save()
    proposal = ProposalFactory(status=ProposalStatus.ANSWERED)
    follower = UserFactory()
    proposal_follow(proposal=proposal, user=follower)

    # when the debate opens
    with django_capture_on_commit_callbacks(execute=True):
        debate = services.debate_open(proposal=proposal, actor=None, reason="500명이 추천했습니다.")

    # then it runs for 14 days from now and the proposal is in debate
    assert debate.status == DebateStatus.OPEN
    assert debate.ends_at - debate.starts_at == timedelta(days=14)
    assert abs(debate.starts_at - timezone.now()) < timedelta(seconds=5)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DEBATE
    event = proposal.events.get()
    assert (event.kind, event.from_status, event.to_status, event.reason, event.actor_role) == (
        EventKind.STATUS_CHANGED,
        "answered",
        "debate",
        "500명이 추천했습니다.",
        "system",
    )
    # and the proposer and the follower are told once, with the end date
    opened = notices("debate_opened")
    assert {n.recipient_id for n in opened} == {proposal.author_id, follower.pk}
    ends = timezone.localtime(debate.ends_at)
    assert opened[0].params["ends"] == ends.isoformat(timespec="minutes")
    # written in the reader's language when read
    assert formats.date_format(ends, "DATETIME_FORMAT") in opened[0].message
    assert len(mail.outbox) == 2


def test_an_operator_opens_a_debate_by_hand_and_is_recorded():
    proposal = ProposalFactory(status=ProposalStatus.ANSWERED)
    admin = operator()
    services.debate_open(proposal=proposal, actor=admin, reason="창의성이 뛰어납니다.")
    event = proposal.events.get()
    assert (event.actor, event.actor_role, event.to_status) == (admin, Role.OPERATOR, "debate")


@pytest.mark.parametrize(
    "status",
    [
        ProposalStatus.OPEN,
        ProposalStatus.ASSIGNED,
        ProposalStatus.REVIEW,
        ProposalStatus.WITHDRAWN,
        ProposalStatus.ADOPTED,
    ],
)
def test_only_an_answered_proposal_can_get_a_debate(status):
    extra = {"withdrawn_at": timezone.now()} if status == ProposalStatus.WITHDRAWN else {}
    proposal = ProposalFactory(status=status, **extra)
    with pytest.raises(TransitionNotAllowed):
        services.debate_open(proposal=proposal, actor=None, reason="")
    assert not Debate.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == status
    assert not proposal.events.exists()
    assert not Notification.objects.exists()


def test_a_withdrawn_proposal_cannot_get_a_debate_and_says_why():
    proposal = ProposalFactory(status=ProposalStatus.ANSWERED)
    proposal_withdraw(proposal=proposal, user=proposal.author)
    with pytest.raises(
        TransitionNotAllowed, match="“Withdrawn by the proposer” cannot become “In debate”"
    ):
        services.debate_open(proposal=proposal, actor=None)
    assert not Debate.objects.exists()


def test_a_proposal_gets_one_debate_only():
    debate = open_debate()
    proposal = debate.proposal
    with pytest.raises(ServiceError):
        services.debate_open(proposal=proposal, actor=None)
    assert Debate.objects.count() == 1


def test_hidden_proposals_are_not_debated():
    proposal = ProposalFactory(status=ProposalStatus.ANSWERED, is_hidden=True, hidden_reason="광고")
    with pytest.raises(ServiceError):
        services.debate_open(proposal=proposal, actor=None)
    assert not Debate.objects.exists()


def test_only_operators_open_debates_by_hand():
    proposal = ProposalFactory(status=ProposalStatus.ANSWERED)
    with pytest.raises(PermissionDenied):
        services.debate_open(proposal=proposal, actor=UserFactory(), reason="제가 열래요")
    assert not Debate.objects.exists()


def test_the_promotion_opens_the_debate_when_the_bar_is_passed():
    proposal = ProposalFactory(status=ProposalStatus.ANSWERED, endorsement_count=500)
    assert promote_if_due(proposal_id=proposal.pk) == ProposalStatus.DEBATE
    assert promote_if_due(proposal_id=proposal.pk) is None  # once
    assert Debate.objects.filter(proposal=proposal, status=DebateStatus.OPEN).count() == 1
