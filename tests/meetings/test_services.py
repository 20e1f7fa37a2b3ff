"""Working review, realization meeting and expert opinion services: each
transition allowed and refused, given / when / then."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from meetings import selectors, services
from meetings.models import (
    AgendaDecision,
    AgendaItem,
    ExpertOpinion,
    RealizationMeeting,
    RealizationMeetingStatus,
    ReviewDecision,
    WorkingReviewStatus,
)
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind, ProposalStatus
from proposals.services import proposal_withdraw
from tests.factories import ProposalFactory, UserFactory, official, operator
from tracking.models import ManagementCard

from .helpers import external_expert, internal_expert, mayor_office, meeting, on_agenda, review

pytestmark = pytest.mark.django_db

REASON = "시민 공감이 크고 실현 가능성이 높습니다."


def notices(kind: str, proposal=None):
    queryset = Notification.objects.filter(kind=kind)
    return queryset.filter(proposal=proposal) if proposal is not None else queryset


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


# --- the realization meeting: decisions -----------------------------------------------------


def test_adopting_makes_the_proposal_adopted_with_one_card_and_one_notice(
    django_capture_on_commit_callbacks,
):
    (item,) = on_agenda(meeting(days=-0.01))
    department_official = official()
    item.proposal.department = department_official.department
    item.proposal.save(update_fields=["department"])
    mail.outbox.clear()
    user = mayor_office()

    with django_capture_on_commit_callbacks(execute=True):
        decided = services.agenda_item_decide(
            item=item,
            decision="adopted",
            reason="시민 생활에 바로 도움이 됩니다.",
            conditions="2027년 예산 반영",
            user=user,
        )

    assert (
        decided.decision == AgendaDecision.ADOPTED
        and decided.decided_by == user
        and decided.decided_at
    )
    item.proposal.refresh_from_db()
    assert item.proposal.status == ProposalStatus.ADOPTED
    card = ManagementCard.objects.get()
    assert card.proposal == item.proposal and card.agenda_item == decided
    assert card.department == department_official.department
    assert card.conditions == "2027년 예산 반영" and card.stage == "review"
    assert notices("decision_adopted", item.proposal).get().recipient == item.proposal.author
    assert notices("card_opened", item.proposal).get().recipient == department_official
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [item.proposal.author.email, department_official.email]
    )
    assert item.proposal.events.get(to_status="adopted").reason == "시민 생활에 바로 도움이 됩니다."


def test_not_adopting_makes_the_proposal_not_adopted_without_a_card():
    (item,) = on_agenda(meeting(days=-0.01))

    services.agenda_item_decide(
        item=item, decision="not_adopted", reason="법령상 어렵습니다.", user=operator()
    )

    item.proposal.refresh_from_db()
    assert item.proposal.status == ProposalStatus.NOT_ADOPTED
    assert not ManagementCard.objects.exists()
    assert (
        notices("decision_not_adopted", item.proposal).get().params["reason"]
        == "법령상 어렵습니다."
    )


def test_holding_over_moves_the_item_to_the_next_meeting():
    current = meeting(days=-0.01)
    following = meeting(days=60)
    (item,) = on_agenda(current)
    (other,) = on_agenda(following)

    services.agenda_item_decide(
        item=item, decision="held_over", reason="추가 검토가 필요합니다.", user=mayor_office()
    )

    item.proposal.refresh_from_db()
    assert item.proposal.status == ProposalStatus.ON_AGENDA
    moved = AgendaItem.objects.get(meeting=following, proposal=item.proposal)
    assert moved.is_pending and moved.held_over_from_id == item.pk
    assert moved.position == other.position + 1  # joins the end of the agenda
    event = item.proposal.events.get(kind=EventKind.HELD_OVER)
    assert event.reason == "추가 검토가 필요합니다." and event.is_public
    assert notices("decision_held", item.proposal).count() == 1
    assert not ManagementCard.objects.exists()


def test_holding_over_schedules_the_next_meeting_if_there_is_none():
    current = meeting(days=-0.01)
    (item,) = on_agenda(current)

    services.agenda_item_decide(
        item=item, decision="held_over", reason="보완 후 재상정", user=operator()
    )

    moved = AgendaItem.objects.get(held_over_from=item)
    assert moved.meeting != current and moved.meeting.scheduled_at > current.scheduled_at
    assert RealizationMeeting.objects.count() == 2


def test_an_item_held_over_can_be_adopted_at_the_next_meeting():
    current = meeting(days=-0.01)
    (item,) = on_agenda(current)
    services.agenda_item_decide(
        item=item, decision="held_over", reason="보완 후 재상정", user=operator()
    )
    moved = AgendaItem.objects.get(held_over_from=item)
    RealizationMeeting.objects.filter(pk=moved.meeting_id).update(scheduled_at=current.scheduled_at)

    services.agenda_item_decide(
        item=moved, decision="adopted", reason="보완되었습니다.", user=operator()
    )

    assert ManagementCard.objects.get().agenda_item == moved
    assert notices("decision_held").count() == 1 and notices("decision_adopted").count() == 1


@pytest.mark.parametrize("first", ["adopted", "held_over", "not_adopted"])
def test_deciding_twice_is_refused(first):
    (item,) = on_agenda(meeting(days=-0.01))
    services.agenda_item_decide(item=item, decision=first, reason="결정 이유", user=operator())

    with pytest.raises(ServiceError, match="already decided"):
        services.agenda_item_decide(item=item, decision="adopted", reason="다시", user=operator())

    item.refresh_from_db()
    assert item.decision == first and item.reason == "결정 이유"
    assert ManagementCard.objects.count() == (1 if first == "adopted" else 0)
    assert Notification.objects.filter(kind__startswith="decision_").count() == 1


def test_a_decision_for_an_item_of_another_meeting_is_refused():
    this_meeting, other_meeting = meeting(days=-0.01), meeting(days=-0.02)
    (item,) = on_agenda(other_meeting)

    with pytest.raises(ServiceError, match="not on the agenda"):
        services.agenda_item_decide(
            item=item, meeting=this_meeting, decision="adopted", reason="이유", user=operator()
        )
    item.refresh_from_db()
    assert item.is_pending


def test_a_proposal_not_on_the_agenda_cannot_be_decided():
    this_meeting = meeting(days=-0.01)
    stranger = ProposalFactory(status="on_agenda")

    with pytest.raises(ServiceError, match="not on the agenda"):
        selectors.agenda_item_get(meeting=this_meeting, proposal=stranger)


@pytest.mark.parametrize("make_user", [UserFactory, official, internal_expert, external_expert])
def test_only_the_mayors_office_or_operator_records_decisions(make_user):
    (item,) = on_agenda(meeting(days=-0.01))

    with pytest.raises(PermissionDenied):
        services.agenda_item_decide(item=item, decision="adopted", reason="이유", user=make_user())
    item.refresh_from_db()
    assert item.is_pending


def test_decisions_wait_for_the_day_of_the_meeting():
    (item,) = on_agenda(meeting(days=3))

    with pytest.raises(ServiceError, match="from the day of the meeting"):
        services.agenda_item_decide(item=item, decision="adopted", reason="이유", user=operator())


def test_a_decision_needs_a_reason_and_a_real_decision():
    (item,) = on_agenda(meeting(days=-0.01))

    with pytest.raises(ValidationError):
        services.agenda_item_decide(item=item, decision="adopted", reason="", user=operator())
    with pytest.raises(ValidationError):
        services.agenda_item_decide(item=item, decision="pending", reason="이유", user=operator())
    item.refresh_from_db()
    assert item.is_pending


def test_a_withdrawn_proposal_cannot_be_decided():
    (item,) = on_agenda(meeting(days=-0.01))
    proposal_withdraw(proposal=item.proposal, user=item.proposal.author)

    with pytest.raises(ServiceError, match="can no longer be decided"):
        services.agenda_item_decide(item=item, decision="held_over", reason="이유", user=operator())
    assert AgendaItem.objects.count() == 1


# --- invitations and holding -------------------------------------------------------------


def test_proposers_are_invited_once_each(django_capture_on_commit_callbacks):
    target, user = meeting(days=14, place="서울시청 8층 다목적홀"), operator()
    first, second = on_agenda(target, 2)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_invite(meeting=target, user=user) == 2
        assert services.meeting_invite(meeting=target, user=user) == 0
    (third,) = on_agenda(target)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_invite(meeting=target, user=user) == 1

    invitations = notices("meeting_invitation")
    assert {n.recipient for n in invitations} == {i.proposal.author for i in (first, second, third)}
    assert (
        invitations.filter(proposal=first.proposal).get().params["place"] == "서울시청 8층 다목적홀"
    )
    assert len(mail.outbox) == 3
    target.refresh_from_db()
    assert target.invitations_sent_at is not None


@pytest.mark.parametrize("make_user", [official, mayor_office, internal_expert])
def test_only_the_operator_invites(make_user):
    target = meeting()
    on_agenda(target)

    with pytest.raises(PermissionDenied):
        services.meeting_invite(meeting=target, user=make_user())
    assert not notices("meeting_invitation").exists()


def test_a_meeting_is_marked_held_once_every_item_is_decided():
    target, user = meeting(days=-0.01), mayor_office()
    (item,) = on_agenda(target)

    with pytest.raises(ServiceError, match="no decision yet"):
        services.meeting_mark_held(meeting=target, user=user)
    services.agenda_item_decide(item=item, decision="adopted", reason="이유", user=user)
    held = services.meeting_mark_held(meeting=target, user=user)

    assert held.status == RealizationMeetingStatus.HELD and held.held_at
    with pytest.raises(ServiceError, match="already marked"):
        services.meeting_mark_held(meeting=target, user=user)
    with pytest.raises(ServiceError, match="already been held"):
        services.meeting_invite(meeting=target, user=operator())


def test_a_future_meeting_cannot_be_marked_held():
    with pytest.raises(ServiceError, match="not taken place"):
        services.meeting_mark_held(meeting=meeting(days=2), user=operator())


def test_citizens_cannot_mark_a_meeting_held():
    with pytest.raises(PermissionDenied):
        services.meeting_mark_held(meeting=meeting(days=-1), user=UserFactory())


# --- expert opinions ---------------------------------------------------------------------


@pytest.mark.parametrize("make_expert", [internal_expert, external_expert])
def test_an_expert_writes_and_rewrites_one_opinion(make_expert):
    expert, proposal = make_expert(), ProposalFactory(status="review")

    services.expert_opinion_save(
        proposal=proposal,
        expert=expert,
        text="기술적으로 가능하며 예산도 적정합니다.",
        recommendation="adopt",
    )
    services.expert_opinion_save(
        proposal=proposal,
        expert=expert,
        text="조건을 붙여 채택하길 권합니다.",
        recommendation="adopt_with_conditions",
    )

    opinion = ExpertOpinion.objects.get()
    assert opinion.expert == expert and opinion.recommendation == "adopt_with_conditions"


@pytest.mark.parametrize("make_user", [UserFactory, official, operator, mayor_office])
def test_only_experts_write_opinions(make_user):
    with pytest.raises(PermissionDenied):
        services.expert_opinion_save(
            proposal=ProposalFactory(status="review"),
            expert=make_user(),
            text="충분히 긴 의견입니다.",
            recommendation="adopt",
        )


@pytest.mark.parametrize("status", ["open", "adopted", "not_adopted", "not_selected"])
def test_opinions_only_while_the_proposal_is_in_the_pipeline(status):
    with pytest.raises(ServiceError):
        services.expert_opinion_save(
            proposal=ProposalFactory(status=status),
            expert=internal_expert(),
            text="충분히 긴 의견입니다.",
            recommendation="adopt",
        )
    assert not ExpertOpinion.objects.exists()


def test_an_opinion_needs_text_and_a_recommendation():
    with pytest.raises(ValidationError) as caught:
        services.expert_opinion_save(
            proposal=ProposalFactory(status="review"),
            expert=internal_expert(),
            text="짧음",
            recommendation="maybe",
        )
    assert set(caught.value.message_dict) == {"text", "recommendation"}
