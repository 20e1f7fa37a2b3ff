"""Every debate transition, allowed and refused, through the services: what
the database holds afterwards, what the timeline records and who is told."""

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from debates import services
from debates.models import Argument, Debate, DebateStatus, Position, Stance
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from pipeline.services import promote_if_due
from proposals.models import EventKind, PipelineSettings, Proposal, ProposalEvent, ProposalStatus
from proposals.services import proposal_follow, proposal_withdraw
from tests.factories import DepartmentFactory, ProposalFactory, UserFactory, official, operator

from .helpers import closed_debate, open_debate

pytestmark = pytest.mark.django_db


def notices(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("recipient_id"))


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
    assert opened[0].params["ends"] == timezone.localtime(debate.ends_at).strftime("%Y-%m-%d %H:%M")
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


# --- arguments ----------------------------------------------------------------


def test_a_citizen_argues_without_a_badge():
    debate = open_debate()
    argument = services.argument_create(
        debate=debate, author=UserFactory(), side="for", body="  보행로가 넓어지면 좋겠어요.  "
    )
    assert (argument.side, argument.body) == ("for", "보행로가 넓어지면 좋겠어요.")
    assert argument.author_department is None
    assert argument.author_role == ""


def test_officials_and_experts_argue_with_their_badges():
    debate = open_debate()
    department = DepartmentFactory(name="보행정책과")
    by_official = services.argument_create(
        debate=debate, author=official(department), side="against", body="예산이 부족합니다."
    )
    by_expert = services.argument_create(
        debate=debate,
        author=UserFactory(roles=[Role.EXPERT_EXTERNAL]),
        side="for",
        body="해외 사례가 많습니다.",
    )
    by_retired = services.argument_create(
        debate=debate,
        author=UserFactory(roles=[Role.EXPERT_INTERNAL]),
        side="for",
        body="예전에 검토한 적이 있습니다.",
    )
    by_panel = services.argument_create(
        debate=debate,
        author=UserFactory(roles=[Role.PANEL]),
        side="against",
        body="우선순위가 낮아요.",
    )
    assert (by_official.author_department, by_official.author_role) == (department, Role.OFFICIAL)
    assert (by_expert.author_department, by_expert.author_role) == (None, Role.EXPERT_EXTERNAL)
    assert by_retired.author_role == Role.EXPERT_INTERNAL
    assert by_panel.author_role == Role.PANEL


def test_the_department_badge_is_a_snapshot():
    debate = open_debate()
    first, second = DepartmentFactory(), DepartmentFactory()
    person = official(first)
    argument = services.argument_create(
        debate=debate, author=person, side="for", body="검토하겠습니다."
    )
    person.department = second
    person.save()
    argument.refresh_from_db()
    assert argument.author_department == first


@pytest.mark.parametrize(
    ("side", "body", "field"),
    [
        ("", "충분히 긴 논거입니다.", "side"),
        ("undecided", "충분히 긴 논거입니다.", "side"),
        ("for", "짧음", "body"),
        ("for", "   ", "body"),
        ("against", "가" * 2001, "body"),
    ],
)
def test_an_argument_needs_a_side_and_a_sensible_length(side, body, field):
    debate = open_debate()
    with pytest.raises(ValidationError) as caught:
        services.argument_create(debate=debate, author=UserFactory(), side=side, body=body)
    assert field in caught.value.message_dict
    assert not Argument.objects.exists()


def test_no_arguments_on_a_closed_or_ended_debate():
    closed = closed_debate()
    with pytest.raises(ServiceError):
        services.argument_create(
            debate=closed, author=UserFactory(), side="for", body="늦었지만 찬성합니다."
        )
    running = open_debate()
    with time_machine.travel(running.ends_at + timedelta(minutes=5)):
        with pytest.raises(ServiceError):
            services.argument_create(
                debate=running, author=UserFactory(), side="for", body="늦었지만 찬성합니다."
            )
    assert not Argument.objects.exists()


def test_anonymous_visitors_cannot_argue():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.argument_create(
            debate=open_debate(), author=AnonymousUser(), side="for", body="익명으로 찬성합니다."
        )


def test_the_author_deletes_an_argument_which_stays_stored():
    debate = open_debate()
    author = UserFactory()
    argument = services.argument_create(
        debate=debate, author=author, side="for", body="지웠다 썼다 합니다."
    )
    with pytest.raises(PermissionDenied):
        services.argument_delete(argument=argument, user=UserFactory())
    services.argument_delete(argument=argument, user=author)
    argument.refresh_from_db()
    assert argument.deleted_at is not None
    with pytest.raises(ServiceError):
        services.argument_delete(argument=argument, user=author)
    assert Argument.objects.filter(pk=argument.pk).exists()


def test_an_operator_hides_an_argument_with_a_reason():
    debate = open_debate()
    argument = services.argument_create(
        debate=debate, author=UserFactory(), side="against", body="광고 문구입니다 010-0000-0000"
    )
    admin = operator()
    with pytest.raises(PermissionDenied):
        services.argument_hide(argument=argument, user=UserFactory(), reason="광고")
    with pytest.raises(ServiceError):
        services.argument_hide(argument=argument, user=admin, reason="  ")

    services.argument_hide(argument=argument, user=admin, reason="광고")
    argument.refresh_from_db()
    assert (argument.is_hidden, argument.hidden_reason) == (True, "광고")
    event = debate.proposal.events.get(kind=EventKind.COMMENT_HIDDEN)
    assert not event.is_public and "광고" in event.reason and str(argument.pk) in event.reason

    with pytest.raises(ServiceError):
        services.argument_hide(argument=argument, user=admin, reason="또")
    services.argument_unhide(argument=argument, user=admin, reason="오해였습니다")
    argument.refresh_from_db()
    assert (argument.is_hidden, argument.hidden_reason) == (False, "")


# --- closing ------------------------------------------------------------------


def test_the_schedule_closes_a_debate_at_its_end_with_the_counts(
    django_capture_on_commit_callbacks,
):
    debate = open_debate()
    admin = operator()
    for position in ("for", "for", "against", "undecided"):
        services.stance_set(debate=debate, user=UserFactory(), position=position)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.debate_close(debate=debate, now=debate.ends_at)

    debate.refresh_from_db()
    assert debate.status == DebateStatus.CLOSED
    assert debate.closed_at == debate.ends_at
    assert debate.closed_by is None and debate.close_reason == ""
    event = debate.proposal.events.get(kind=EventKind.DEBATE_CLOSED)
    assert event.is_public and event.actor is None
    assert event.reason == "찬성 2, 반대 1, 유보 1."
    closed = notices("debate_closed")
    assert [n.recipient_id for n in closed] == [debate.proposal.author_id]
    assert closed[0].params == {
        "title": debate.proposal.title,
        "for": 2,
        "against": 1,
        "undecided": 1,
    }
    due = notices("debate_summary_due")
    assert [n.recipient_id for n in due] == [admin.pk]
    assert due[0].url == f"/admin/debates/debate/{debate.pk}/change/"
    assert len(mail.outbox) == 2
    # the proposal waits in debate for its results
    debate.proposal.refresh_from_db()
    assert debate.proposal.status == ProposalStatus.DEBATE


def test_the_schedule_does_not_close_a_running_debate():
    debate = open_debate()
    with pytest.raises(
        TransitionNotAllowed, match=timezone.localtime(debate.ends_at).strftime("%Y-%m-%d")
    ):
        services.debate_close(debate=debate)
    debate.refresh_from_db()
    assert debate.status == DebateStatus.OPEN
    assert not debate.proposal.events.filter(kind=EventKind.DEBATE_CLOSED).exists()


def test_an_operator_closes_early_only_with_a_reason():
    debate = open_debate()
    admin = operator()
    with pytest.raises(ServiceError):
        services.debate_close(debate=debate, actor=admin, reason="")
    debate.refresh_from_db()
    assert debate.status == DebateStatus.OPEN

    services.debate_close(debate=debate, actor=admin, reason="제안자가 요청했습니다.")
    debate.refresh_from_db()
    assert debate.status == DebateStatus.CLOSED
    assert (debate.closed_by, debate.close_reason) == (admin, "제안자가 요청했습니다.")
    event = debate.proposal.events.get(kind=EventKind.DEBATE_CLOSED)
    assert event.actor == admin and "제안자가 요청했습니다." in event.reason


def test_only_operators_close_debates_by_hand():
    debate = open_debate()
    for person in (UserFactory(), official(), debate.proposal.author):
        with pytest.raises(PermissionDenied):
            services.debate_close(debate=debate, actor=person, reason="그만")
    debate.refresh_from_db()
    assert debate.status == DebateStatus.OPEN


def test_closing_twice_is_refused_and_changes_nothing():
    debate = closed_debate()
    debate.refresh_from_db()
    closed_at = debate.closed_at
    events = ProposalEvent.objects.count()
    sent = Notification.objects.count()

    with pytest.raises(ServiceError, match="This debate is already closed."):
        services.debate_close(debate=debate, now=debate.ends_at + timedelta(days=1))
    with pytest.raises(ServiceError, match="This debate is already closed."):
        services.debate_close(debate=debate, actor=operator(), reason="다시")

    debate.refresh_from_db()
    assert debate.closed_at == closed_at
    assert debate.closed_by is None
    assert ProposalEvent.objects.count() == events
    assert Notification.objects.count() == sent


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


# --- the sweep ------------------------------------------------------------------


def test_the_sweep_closes_due_debates_once_however_often_it_runs(
    django_capture_on_commit_callbacks,
):
    # given two debates, one ending a week before the other
    start = dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        due = open_debate()
    with time_machine.travel(start + timedelta(days=7), tick=False):
        later = open_debate()
        for debate in (due, later):
            services.stance_set(debate=debate, user=UserFactory(), position="against")
    mail.outbox.clear()

    # when the sweep runs twice just after the first one's end
    with time_machine.travel(due.ends_at + timedelta(minutes=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = services.close_due_debates()
            second = services.close_due_debates()

    # then the first is closed once, the other still runs, and notices went once
    assert (first, second) == (1, 0)
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (DebateStatus.CLOSED, DebateStatus.OPEN)
    assert due.proposal.events.filter(kind=EventKind.DEBATE_CLOSED).count() == 1
    assert len(notices("debate_closed")) == 1
    assert len(mail.outbox) == 1  # the proposer; there is no operator here

    # and a week later the other one closes
    with time_machine.travel(later.ends_at, tick=False):
        assert services.close_due_debates() == 1
    later.refresh_from_db()
    assert later.status == DebateStatus.CLOSED


def test_the_beat_task_closes_due_debates(django_capture_on_commit_callbacks):
    from debates.tasks import close_due_debates

    debate = open_debate()
    with time_machine.travel(debate.ends_at + timedelta(hours=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert close_due_debates.delay().get() == 1
            assert close_due_debates.delay().get() == 0
    debate.refresh_from_db()
    assert debate.status == DebateStatus.CLOSED
    assert len(notices("debate_closed")) == 1
    assert close_due_debates.name == "debates.tasks.close_due_debates"


# --- a member's own data ----------------------------------------------------------


def test_a_member_takes_their_stances_and_arguments_along():
    from debates.selectors import member_debate_data

    debate = open_debate()
    member = UserFactory()
    services.stance_set(debate=debate, user=member, position="undecided")
    kept = services.argument_create(
        debate=debate, author=member, side="for", body="남길 논거입니다."
    )
    gone = services.argument_create(
        debate=debate, author=member, side="against", body="지운 논거입니다."
    )
    services.argument_delete(argument=gone, user=member)
    services.argument_create(
        debate=debate, author=UserFactory(), side="for", body="남의 논거입니다."
    )

    data = member_debate_data(member)

    assert [(s["proposal"], s["position"]) for s in data["stances"]] == [
        (debate.proposal_id, "undecided")
    ]
    assert [(a["id"], a["body"], a["deleted"] is None) for a in data["arguments"]] == [
        (kept.pk, "남길 논거입니다.", True),
        (gone.pk, "지운 논거입니다.", False),
    ]
