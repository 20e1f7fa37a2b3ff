"""meetings/services.py, the working review: deciding and finalising, given /
when / then."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from meetings import services
from meetings.models import (
    RealizationMeeting,
    RealizationMeetingStatus,
    ReviewDecision,
    WorkingReviewStatus,
)
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import ProposalStatus
from proposals.services import proposal_withdraw
from tests.factories import ProposalFactory, UserFactory, official, operator

from .helpers import (
    external_expert,
    internal_expert,
    mayor_office,
    meeting,
    notices,
    on_agenda,
    review,
)

pytestmark = pytest.mark.django_db


REASON = "시민 공감이 크고 실현 가능성이 높습니다."


# --- working review: deciding ----------------------------------------------------------


@pytest.mark.parametrize("make_user", [operator, official, internal_expert])
def test_review_participants_record_a_decision(make_user):
    given_review, proposal = review(), ProposalFactory(status="review")

    decision = services.working_review_decide(
        review=given_review, proposal=proposal, selected=True, reason=REASON, user=make_user()
    )

    assert decision.selected and decision.reason == REASON
    assert decision.position == 0
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REVIEW  # nothing moves before finalising


@pytest.mark.parametrize("make_user", [UserFactory, external_expert, mayor_office])
def test_others_cannot_record_working_review_decisions(make_user):
    given_review, proposal = review(), ProposalFactory(status="review")

    with pytest.raises(PermissionDenied):
        services.working_review_decide(
            review=given_review, proposal=proposal, selected=True, reason=REASON, user=make_user()
        )
    assert not ReviewDecision.objects.exists()


@pytest.mark.parametrize(
    "status", ["open", "answered", "debate", "on_agenda", "adopted", "withdrawn"]
)
def test_only_proposals_in_working_review_are_eligible(status):
    kwargs = {"withdrawn_at": "2026-01-01T00:00:00+09:00"} if status == "withdrawn" else {}
    proposal = ProposalFactory(status=status, **kwargs)

    with pytest.raises(ServiceError, match="Only proposals in working review"):
        services.working_review_decide(
            review=review(), proposal=proposal, selected=True, reason=REASON, user=operator()
        )
    assert not ReviewDecision.objects.exists()


def test_a_reason_is_required():
    with pytest.raises(ValidationError) as caught:
        services.working_review_decide(
            review=review(),
            proposal=ProposalFactory(status="review"),
            selected=False,
            reason="  ",
            user=operator(),
        )
    assert "reason" in caught.value.message_dict


def test_deciding_again_in_a_draft_changes_the_decision():
    given_review, proposal, user = review(), ProposalFactory(status="review"), operator()
    services.working_review_decide(
        review=given_review, proposal=proposal, selected=True, reason=REASON, user=user
    )

    services.working_review_decide(
        review=given_review,
        proposal=proposal,
        selected=False,
        reason="유사 사업이 이미 있습니다.",
        user=user,
    )

    decision = ReviewDecision.objects.get()
    assert not decision.selected and decision.reason == "유사 사업이 이미 있습니다."


def test_a_proposal_is_decided_in_one_draft_review_at_a_time():
    proposal, user = ProposalFactory(status="review"), operator()
    services.working_review_decide(
        review=review(), proposal=proposal, selected=True, reason=REASON, user=user
    )

    with pytest.raises(ServiceError, match="already being decided"):
        services.working_review_decide(
            review=review(), proposal=proposal, selected=True, reason=REASON, user=user
        )
    assert ReviewDecision.objects.count() == 1


def test_a_decision_can_be_taken_back_while_the_review_is_a_draft():
    given_review, user = review(), operator()
    decision = services.working_review_decide(
        review=given_review,
        proposal=ProposalFactory(status="review"),
        selected=True,
        reason=REASON,
        user=user,
    )

    services.review_decision_remove(decision=decision, user=user)

    assert not ReviewDecision.objects.exists()


# --- working review: finalising -------------------------------------------------------------


def test_finalising_puts_selected_items_on_the_agenda_in_order_and_tells_proposers(
    django_capture_on_commit_callbacks,
):
    target = meeting(days=20)
    (already,) = on_agenda(target)
    given_review, user = review(next_meeting=target), operator()
    first, second, dropped = (ProposalFactory(status="review") for _ in range(3))
    follower = UserFactory()
    first.follows.create(user=follower)
    services.working_review_decide(
        review=given_review, proposal=first, selected=True, reason="첫째 이유", user=user
    )
    services.working_review_decide(
        review=given_review, proposal=dropped, selected=False, reason="예산이 없습니다", user=user
    )
    services.working_review_decide(
        review=given_review, proposal=second, selected=True, reason="둘째 이유", user=user
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        finalised = services.working_review_finalise(review=given_review, user=user)

    assert finalised.status == WorkingReviewStatus.FINALISED and finalised.finalised_at
    items = list(target.items.order_by("position"))
    assert [i.proposal_id for i in items] == [already.proposal_id, first.pk, second.pk]
    assert [i.position for i in items] == [1, 2, 3]
    assert items[1].source_review == given_review
    for proposal, status, reason in [
        (first, ProposalStatus.ON_AGENDA, "첫째 이유"),
        (second, ProposalStatus.ON_AGENDA, "둘째 이유"),
        (dropped, ProposalStatus.NOT_SELECTED, "예산이 없습니다"),
    ]:
        proposal.refresh_from_db()
        assert proposal.status == status
        event = proposal.events.get(to_status=status)
        assert event.reason == reason and event.actor == user
    assert {n.recipient for n in notices("selected", first)} == {first.author, follower}
    assert notices("selected", second).get().recipient == second.author
    assert notices("not_selected", dropped).get().params["reason"] == "예산이 없습니다"
    assert len(mail.outbox) == 4  # first's proposer and follower, second, dropped


def test_finalising_twice_is_refused_and_tells_nobody_again():
    target, user = meeting(), operator()
    given_review = review(next_meeting=target)
    services.working_review_decide(
        review=given_review,
        proposal=ProposalFactory(status="review"),
        selected=True,
        reason=REASON,
        user=user,
    )
    services.working_review_finalise(review=given_review, user=user)

    with pytest.raises(ServiceError, match="already finalised"):
        services.working_review_finalise(review=given_review, user=user)
    assert target.items.count() == 1
    assert notices("selected").count() == 1


def test_a_finalised_review_takes_no_more_decisions():
    target, user = meeting(), operator()
    given_review = review(next_meeting=target)
    services.working_review_decide(
        review=given_review,
        proposal=ProposalFactory(status="review"),
        selected=True,
        reason=REASON,
        user=user,
    )
    services.working_review_finalise(review=given_review, user=user)

    with pytest.raises(ServiceError, match="finalised"):
        services.working_review_decide(
            review=given_review,
            proposal=ProposalFactory(status="review"),
            selected=True,
            reason=REASON,
            user=user,
        )


@pytest.mark.parametrize("make_user", [official, internal_expert, mayor_office])
def test_only_the_operator_finalises(make_user):
    given_review = review(next_meeting=meeting())
    services.working_review_decide(
        review=given_review,
        proposal=ProposalFactory(status="review"),
        selected=True,
        reason=REASON,
        user=operator(),
    )

    with pytest.raises(PermissionDenied):
        services.working_review_finalise(review=given_review, user=make_user())
    given_review.refresh_from_db()
    assert given_review.status == WorkingReviewStatus.DRAFT


def test_an_empty_review_cannot_be_finalised():
    with pytest.raises(ServiceError, match="at least one decision"):
        services.working_review_finalise(review=review(next_meeting=meeting()), user=operator())


def test_finalising_is_all_or_nothing_when_a_proposal_left_working_review():
    target, user = meeting(), operator()
    given_review = review(next_meeting=target)
    kept, withdrawn = ProposalFactory(status="review"), ProposalFactory(status="review")
    for proposal in (kept, withdrawn):
        services.working_review_decide(
            review=given_review, proposal=proposal, selected=True, reason=REASON, user=user
        )
    proposal_withdraw(proposal=withdrawn, user=withdrawn.author)

    with pytest.raises(ServiceError, match=withdrawn.title):
        services.working_review_finalise(review=given_review, user=user)

    kept.refresh_from_db()
    given_review.refresh_from_db()
    assert kept.status == ProposalStatus.REVIEW
    assert given_review.status == WorkingReviewStatus.DRAFT
    assert not target.items.exists() and not notices("selected").exists()


def test_without_a_chosen_meeting_the_next_scheduled_one_is_used():
    meeting(days=-60)
    upcoming = meeting(days=10)
    meeting(days=70)
    (item,) = on_agenda(None)

    assert item.meeting == upcoming


def test_without_any_scheduled_meeting_one_is_scheduled():
    (item,) = on_agenda(None)

    assert item.meeting.status == RealizationMeetingStatus.SCHEDULED
    assert item.meeting.scheduled_at.weekday() == 3  # a Thursday


def test_a_held_meeting_takes_no_new_items():
    target = meeting(days=-1)
    RealizationMeeting.objects.filter(pk=target.pk).update(
        status="held", held_at=target.scheduled_at
    )

    with pytest.raises(ServiceError, match="already been held"):
        on_agenda(target)
