"""meetings/services.py, the realization meeting: decisions on its items,
invitations and holding it, given / when / then."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from meetings import selectors, services
from meetings.models import AgendaDecision, AgendaItem, RealizationMeeting, RealizationMeetingStatus
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind, ProposalStatus
from proposals.services import proposal_withdraw
from tests.factories import ProposalFactory, UserFactory, official, operator
from tracking.models import ManagementCard

from .helpers import external_expert, internal_expert, mayor_office, meeting, notices, on_agenda

pytestmark = pytest.mark.django_db


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
