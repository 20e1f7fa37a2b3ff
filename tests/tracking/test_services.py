"""Stage changes, handoffs and edits of management cards, made through the
services: every transition allowed and refused for every role, the history
rows, the proposal's timeline and notices sent once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.selectors import operators
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from proposals.models import ProposalEvent
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tests.meetings.helpers import make, mayor_office
from tracking import services
from tracking.models import STAGE_TRANSITIONS, CardEvent, CardEventKind, CardStage, ManagementCard
from tracking.selectors import cards_without_owner

from .helpers import adopted_card, at_stage, clerk_of

pytestmark = pytest.mark.django_db

ALL_MOVES = [(a, b) for a in CardStage.values for b in CardStage.values if a != b]
ALLOWED = {(a, b) for a, targets in STAGE_TRANSITIONS.items() for b in targets}


def test_the_transition_table_is_the_documented_path():
    assert ALLOWED == {
        ("review", "planning"),
        ("planning", "in_progress"),
        ("in_progress", "completed"),
        ("review", "suspended"),
        ("planning", "suspended"),
        ("in_progress", "suspended"),
        ("suspended", "planning"),
    }


# --- stage changes: role × stage ---------------------------------------------------


@pytest.mark.parametrize("from_stage,to_stage", ALL_MOVES)
def test_the_cards_official_may_make_exactly_the_allowed_moves(from_stage, to_stage):
    card = at_stage(from_stage)
    clerk = clerk_of(card)
    before_events = CardEvent.objects.filter(card=card).count()

    if (from_stage, to_stage) in ALLOWED:
        card = services.card_change_stage(
            card=card, user=clerk, to_stage=to_stage, note="진행 메모"
        )
        card.refresh_from_db()
        assert card.stage == to_stage
        event = CardEvent.objects.filter(card=card).last()
        assert (event.kind, event.from_stage, event.to_stage) == (
            "stage_changed",
            from_stage,
            to_stage,
        )
        assert event.actor == clerk and event.note == "진행 메모" and event.is_public
    else:
        with pytest.raises(TransitionNotAllowed):
            services.card_change_stage(card=card, user=clerk, to_stage=to_stage, note="진행 메모")
        card.refresh_from_db()
        assert card.stage == from_stage
        assert CardEvent.objects.filter(card=card).count() == before_events


@pytest.mark.parametrize("role", ["citizen", "mayor_office", "expert_internal", "expert_external"])
@pytest.mark.parametrize("from_stage,to_stage", sorted(ALLOWED))
def test_other_roles_may_not_change_a_stage(role, from_stage, to_stage):
    card = at_stage(from_stage)

    with pytest.raises(PermissionDenied):
        services.card_change_stage(card=card, user=make(role), to_stage=to_stage, note="메모")

    card.refresh_from_db()
    assert card.stage == from_stage


@pytest.mark.parametrize("from_stage,to_stage", sorted(ALLOWED))
def test_an_official_of_another_department_may_not_change_a_stage(from_stage, to_stage):
    card = at_stage(from_stage)

    with pytest.raises(PermissionDenied):
        services.card_change_stage(card=card, user=official(), to_stage=to_stage, note="메모")


@pytest.mark.parametrize("from_stage,to_stage", sorted(ALLOWED))
def test_the_operator_may_make_every_allowed_move(from_stage, to_stage):
    card = at_stage(from_stage)

    services.card_change_stage(card=card, user=operator(), to_stage=to_stage, note="메모")

    card.refresh_from_db()
    assert card.stage == to_stage


def test_completed_is_final_and_says_so():
    card = at_stage(CardStage.COMPLETED)

    with pytest.raises(TransitionNotAllowed, match="completed|완료"):
        services.card_change_stage(card=card, user=operator(), to_stage="suspended", note="메모")


def test_a_skipped_stage_is_refused_with_the_allowed_ones_named():
    card = adopted_card()

    with pytest.raises(TransitionNotAllowed) as refused:
        services.card_change_stage(card=card, user=operator(), to_stage="completed", note="메모")

    assert "Planning" in refused.value.message or "계획" in refused.value.message


@pytest.mark.parametrize("note", ["", "   ", None])
def test_a_stage_change_needs_a_note(note):
    card = adopted_card()

    with pytest.raises(ValidationError):
        services.card_change_stage(card=card, user=operator(), to_stage="planning", note=note)

    card.refresh_from_db()
    assert card.stage == "review"


def test_suspension_keeps_its_reason_and_resuming_clears_it():
    card = at_stage(CardStage.IN_PROGRESS)
    clerk = clerk_of(card)
    before = card.stage_changed_at

    services.card_change_stage(card=card, user=clerk, to_stage="suspended", note="예산 미확보")
    card.refresh_from_db()
    assert card.suspended_reason == "예산 미확보" and card.stage_changed_at > before

    services.card_change_stage(card=card, user=clerk, to_stage="planning", note="예산 확보")
    card.refresh_from_db()
    assert card.stage == "planning" and card.suspended_reason == ""


def test_the_database_refuses_a_suspension_without_reason():
    card = adopted_card()
    with pytest.raises(IntegrityError), transaction.atomic():
        ManagementCard.objects.filter(pk=card.pk).update(stage="suspended", suspended_reason="")


def test_a_stage_change_goes_on_the_proposals_timeline_and_tells_proposer_and_followers_once():
    card = adopted_card()
    proposer = card.proposal.author
    follower = UserFactory()
    card.proposal.follows.create(user=follower)

    services.card_change_stage(
        card=card, user=clerk_of(card), to_stage="planning", note="설계 착수"
    )

    timeline = ProposalEvent.objects.filter(proposal=card.proposal, kind="card_stage_changed").get()
    assert timeline.is_public and "설계 착수" in timeline.text
    notices = Notification.objects.filter(kind="card_stage_changed")
    assert sorted(n.recipient_id for n in notices) == sorted([proposer.pk, follower.pk])
    assert notices.filter(recipient=proposer).count() == 1


def test_the_opening_is_the_first_history_row():
    card = adopted_card()

    (event,) = CardEvent.objects.filter(card=card)
    assert event.kind == CardEventKind.OPENED and event.to_stage == "review"


# --- handoff --------------------------------------------------------------------------


def test_the_operator_hands_a_card_over_with_history_and_everyone_is_told_once():
    card = adopted_card()
    first, second = official(card.department), official(card.department)
    boss = operator()
    services.card_handoff(card=card, user=boss, to_official=first, note="담당 지정")

    services.card_handoff(card=card, user=boss, to_official=second, note="인사이동")

    card.refresh_from_db()
    assert card.responsible_official == second
    last = CardEvent.objects.filter(card=card, kind="handoff").last()
    assert (last.from_official, last.to_official, last.actor) == (first, second, boss)
    assert last.note == "인사이동" and not last.is_public
    assert [e.kind for e in CardEvent.objects.filter(card=card)] == ["opened", "handoff", "handoff"]
    second_notices = Notification.objects.filter(kind="card_handoff", key=f"card_handoff:{last.pk}")
    every_operator = set(operators().values_list("pk", flat=True))
    assert boss.pk in every_operator
    assert {n.recipient_id for n in second_notices} == {first.pk, second.pk} | every_operator
    assert second_notices.count() == 2 + len(every_operator)


@pytest.mark.parametrize("role", ["official", "citizen", "mayor_office"])
def test_only_the_operator_hands_over(role):
    card = adopted_card()
    user = clerk_of(card) if role == "official" else make(role)

    with pytest.raises(PermissionDenied):
        services.card_handoff(
            card=card, user=user, to_official=official(card.department), note="메모"
        )


def test_handoff_refuses_someone_outside_the_department_inactive_or_not_an_official():
    card = adopted_card()
    boss = operator()
    for person in (
        official(DepartmentFactory()),
        official(card.department, is_active=False),
        UserFactory(department=card.department),
    ):
        with pytest.raises(ServiceError):
            services.card_handoff(card=card, user=boss, to_official=person, note="메모")

    card.refresh_from_db()
    assert card.responsible_official is None
    assert not CardEvent.objects.filter(kind="handoff").exists()


def test_cards_without_an_active_owner_are_found():
    owned, unowned, orphaned = adopted_card(), adopted_card(), adopted_card()
    done = at_stage(CardStage.COMPLETED)
    boss = operator()
    services.card_handoff(
        card=owned, user=boss, to_official=official(owned.department), note="지정"
    )
    leaver = official(orphaned.department)
    services.card_handoff(card=orphaned, user=boss, to_official=leaver, note="지정")
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])

    assert {c.pk for c in cards_without_owner()} == {unowned.pk, orphaned.pk}
    assert done.pk not in {c.pk for c in cards_without_owner()}


# --- edits -------------------------------------------------------------------------------


def test_an_edit_writes_only_what_changed_and_says_which_fields():
    card = adopted_card()
    clerk = clerk_of(card)

    services.card_update(
        card=card,
        user=clerk,
        planned_budget="120,000,000",
        spent_budget=None,
        target_date="2027-06-30",
    )

    card.refresh_from_db()
    assert card.planned_budget == 120_000_000 and card.target_date == dt.date(2027, 6, 30)
    event = CardEvent.objects.get(card=card, kind="edited")
    assert set(event.changes) == {"planned_budget", "target_date"}
    assert event.changes["planned_budget"] == ["", "120000000"] and event.actor == clerk

    services.card_update(
        card=card, user=clerk, planned_budget=120_000_000, target_date=dt.date(2027, 6, 30)
    )
    assert CardEvent.objects.filter(card=card, kind="edited").count() == 1


@pytest.mark.parametrize(
    "values,field",
    [
        ({"planned_budget": -1}, "planned_budget"),
        ({"spent_budget": "-5000"}, "spent_budget"),
        ({"planned_budget": "백만원"}, "planned_budget"),
        ({"spent_budget": "12.5"}, "spent_budget"),
        ({"target_date": "내년"}, "target_date"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(values, field):
    card = adopted_card()
    good = {"planned_budget": 1000, "spent_budget": 0, "target_date": "2027-01-01"}

    with pytest.raises(ValidationError) as refused:
        services.card_update(card=card, user=operator(), **{**good, **values})

    assert field in refused.value.message_dict
    card.refresh_from_db()
    assert card.planned_budget is None and card.spent_budget is None and card.target_date is None
    assert not CardEvent.objects.filter(kind="edited").exists()


def test_the_database_refuses_negative_budgets():
    card = adopted_card()
    with pytest.raises(IntegrityError), transaction.atomic():
        ManagementCard.objects.filter(pk=card.pk).update(spent_budget=-1)


@pytest.mark.parametrize("who", ["other_official", "citizen", "mayor_office"])
def test_only_the_operator_and_the_cards_officials_edit(who):
    card = adopted_card()
    user = {"other_official": official, "citizen": UserFactory, "mayor_office": mayor_office}[who]()

    with pytest.raises(PermissionDenied):
        services.card_update(card=card, user=user, planned_budget=1000)
