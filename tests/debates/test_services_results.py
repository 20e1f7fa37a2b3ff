"""debates/services.py, publishing a closed debate's results."""

import pytest
from django.core.exceptions import ValidationError

from debates import services
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind, ProposalStatus
from proposals.services import proposal_follow, proposal_withdraw
from tests.factories import UserFactory, official, operator

from .helpers import closed_debate, notices, open_debate

pytestmark = pytest.mark.django_db


# --- results --------------------------------------------------------------------


def test_results_are_published_once_and_send_the_proposal_to_review(
    django_capture_on_commit_callbacks,
):
    debate = closed_debate()
    admin = operator()
    follower = UserFactory()
    proposal_follow(proposal=debate.proposal, user=follower)

    with django_capture_on_commit_callbacks(execute=True):
        services.debate_publish_summary(
            debate=debate,
            operator=admin,
            summary="찬성 의견이 많았고,\r\n예산 문제가 지적되었습니다.",
        )

    debate.refresh_from_db()
    assert debate.summary == "찬성 의견이 많았고,\n예산 문제가 지적되었습니다."
    assert debate.summary_published_at is not None and debate.summary_by == admin
    proposal = debate.proposal
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REVIEW
    event = proposal.events.get(kind=EventKind.DEBATE_SUMMARY)
    assert (event.from_status, event.to_status, event.actor) == ("debate", "review", admin)
    assert {n.recipient_id for n in notices("debate_summary")} == {proposal.author_id, follower.pk}

    with pytest.raises(ServiceError, match="The results of this debate are already published."):
        services.debate_publish_summary(debate=debate, operator=admin, summary="고쳐 쓴 결과")
    debate.refresh_from_db()
    assert debate.summary.startswith("찬성 의견이 많았고")
    assert proposal.events.filter(kind=EventKind.DEBATE_SUMMARY).count() == 1


def test_no_results_before_the_debate_closes():
    debate = open_debate()
    with pytest.raises(ServiceError, match="only after the debate has closed"):
        services.debate_publish_summary(debate=debate, operator=operator(), summary="성급한 결과")
    debate.refresh_from_db()
    assert debate.summary == "" and debate.summary_published_at is None
    debate.proposal.refresh_from_db()
    assert debate.proposal.status == ProposalStatus.DEBATE


def test_results_need_text_and_an_operator():
    debate = closed_debate()
    with pytest.raises(ValidationError):
        services.debate_publish_summary(debate=debate, operator=operator(), summary="  \n ")
    with pytest.raises(PermissionDenied):
        services.debate_publish_summary(debate=debate, operator=official(), summary="결과입니다")
    debate.refresh_from_db()
    assert debate.summary_published_at is None


def test_results_of_a_withdrawn_proposals_debate_leave_it_withdrawn():
    debate = open_debate()
    proposal_withdraw(proposal=debate.proposal, user=debate.proposal.author)
    assert services.close_due_debates() == 1  # the sweep closes it at once
    services.debate_publish_summary(debate=debate, operator=operator(), summary="철회되었습니다.")
    debate.proposal.refresh_from_db()
    assert debate.proposal.status == ProposalStatus.WITHDRAWN
    assert debate.proposal.events.filter(kind=EventKind.DEBATE_SUMMARY).count() == 1
    # the operators were not asked for results of a withdrawn proposal
    assert not notices("debate_summary_due")
