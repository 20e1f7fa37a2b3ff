"""The full demo world reads true to a reviewer (issue 8): every notice,
answer and review dated at the timeline step it belongs to, debates opened
and closed as the pipeline does it, staff at work in office hours, and texts
written for their item (names, opinions, notes, stock phrases). The world is
seeded once for this module (the `world` fixture, tests/demo/conftest.py).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from answers.models import Answer, AnswerRating, Assignment
from answers.notices import due_date
from debates.models import Debate
from demo import members
from meetings.models import AgendaItem, ExpertOpinion, ReviewDecision
from notifications.models import Notification
from pipeline.services import is_due
from proposals.models import (
    Comment,
    EventKind,
    PipelineSettings,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from tracking.models import CardEvent

pytestmark = pytest.mark.django_db


# Which timeline step each notice tells of: (event kind, status it moved to).
NOTICE_STEP = {
    "assigned": (EventKind.STATUS_CHANGED, ProposalStatus.ASSIGNED),
    "assigned_department": (EventKind.STATUS_CHANGED, ProposalStatus.ASSIGNED),
    "assigned_operator": (EventKind.STATUS_CHANGED, ProposalStatus.ASSIGNED),
    "answer_submitted": (EventKind.ANSWER_SUBMITTED, ""),
    "answer_published": (EventKind.STATUS_CHANGED, ProposalStatus.ANSWERED),
    "answer_rated": (EventKind.ANSWER_RATED, ""),
    "debate_opened": (EventKind.STATUS_CHANGED, ProposalStatus.DEBATE),
    "debate_closed": (EventKind.DEBATE_CLOSED, ""),
    "debate_summary_due": (EventKind.DEBATE_CLOSED, ""),
    "debate_summary": (EventKind.DEBATE_SUMMARY, ProposalStatus.REVIEW),
    "selected": (EventKind.STATUS_CHANGED, ProposalStatus.ON_AGENDA),
    "not_selected": (EventKind.STATUS_CHANGED, ProposalStatus.NOT_SELECTED),
    "decision_adopted": (EventKind.STATUS_CHANGED, ProposalStatus.ADOPTED),
    "decision_not_adopted": (EventKind.STATUS_CHANGED, ProposalStatus.NOT_ADOPTED),
}


def test_each_notice_is_dated_at_the_step_it_tells_of(world):
    # A notice goes out when its step happens: the same minute, or a few after.
    steps = {}
    for event in ProposalEvent.objects.all():
        steps.setdefault((event.proposal_id, event.kind, event.to_status), []).append(
            event.created_at
        )
    checked = 0
    for notice in Notification.objects.filter(kind__in=NOTICE_STEP).exclude(proposal=None):
        kind, to_status = NOTICE_STEP[notice.kind]
        moments = steps.get((notice.proposal_id, kind, to_status), [])
        assert any(
            moment <= notice.created_at <= moment + timedelta(minutes=5) for moment in moments
        ), (notice.kind, notice.proposal_id, notice.created_at, moments)
        checked += 1
    assert checked > 100


def test_assignment_notices_name_their_own_deadline(world):
    # Each "assigned" notice names the deadline of its own assignment, not
    # the one of the day the demo was loaded.
    notices = Notification.objects.filter(
        kind__in=["assigned", "assigned_department", "assigned_operator"]
    )
    assert notices.count() > 20
    deadlines = set()
    for notice in notices:
        assignment = Assignment.objects.get(proposal=notice.proposal, is_current=True)
        # An extended deadline moved after the notice: it named the first one.
        first = assignment.extensions.filter(status="granted").order_by("decided_at").first()
        deadline = first.old_deadline if first else assignment.deadline
        assert notice.params["deadline"] == due_date(deadline), notice.proposal_id
        deadlines.add(notice.params["deadline"])
    assert len(deadlines) > 10


def test_an_answer_is_published_when_the_proposal_became_answered(world):
    answers = Answer.objects.exclude(published_at=None).select_related("assignment")
    assert answers.count() >= 10
    for answer in answers:
        proposal = answer.assignment.proposal_id
        answered = ProposalEvent.objects.get(
            proposal=proposal, kind=EventKind.STATUS_CHANGED, to_status=ProposalStatus.ANSWERED
        )
        submitted = ProposalEvent.objects.get(proposal=proposal, kind=EventKind.ANSWER_SUBMITTED)
        assert answer.published_at == answered.created_at, proposal
        assert answer.submitted_at == submitted.created_at, proposal
        for rating in AnswerRating.objects.filter(answer=answer):
            rated = ProposalEvent.objects.get(proposal=proposal, kind=EventKind.ANSWER_RATED)
            assert rating.created_at == rated.created_at, proposal


def test_the_working_review_s_choice_is_dated_on_the_review_s_day(world):
    decisions = ReviewDecision.objects.select_related("review")
    assert decisions.count() >= 10
    for decision in decisions:
        moved = ProposalEvent.objects.get(
            proposal=decision.proposal_id,
            kind=EventKind.STATUS_CHANGED,
            to_status__in=[ProposalStatus.ON_AGENDA, ProposalStatus.NOT_SELECTED],
        )
        local = timezone.localtime(moved.created_at)
        assert local.date() == decision.review.held_on, decision.proposal_id
        assert 9 <= local.hour < 18, decision.proposal_id


def test_staff_steps_come_at_each_proposal_s_own_office_hours(world):
    # Staff work in office hours, and not every proposal at the same minute.
    for step in (
        {"kind": EventKind.ANSWER_SUBMITTED},
        {"to_status": ProposalStatus.ANSWERED},
        {"to_status": ProposalStatus.DEBATE},
    ):
        moments = [
            timezone.localtime(moment)
            for moment in ProposalEvent.objects.filter(**step).values_list("created_at", flat=True)
        ]
        assert len(moments) >= 10
        assert all(9 <= moment.hour < 18 for moment in moments), step
        times = {moment.strftime("%H:%M") for moment in moments}
        assert len(times) > len(moments) * 2 // 3, step


def test_debates_open_past_the_bar_and_close_at_their_end(world):
    # Most debates open by passing the debate bar (the conductor, no actor),
    # minutes after the answer; one or two the operators promote by hand.
    opened = ProposalEvent.objects.filter(to_status=ProposalStatus.DEBATE)
    assert opened.count() >= 10
    by_hand = ProposalEvent.objects.filter(kind=EventKind.PROMOTED_BY_HAND)
    assert 1 <= by_hand.count() <= 2
    assert opened.filter(actor=None).count() == opened.count() - by_hand.count()
    for event in opened.filter(actor=None):
        answered = ProposalEvent.objects.get(
            proposal=event.proposal_id, to_status=ProposalStatus.ANSWERED
        )
        assert answered.created_at < event.created_at <= answered.created_at + timedelta(hours=1)
    # No proposal left answered is past the bar (the beat would move it).
    bar = PipelineSettings.load()
    assert not [
        p for p in Proposal.objects.filter(status=ProposalStatus.ANSWERED) if is_due(p, bar)
    ]
    # Closed debates closed at their end, by the schedule; one early, by the
    # operators, with its reason.
    closed = Debate.objects.exclude(closed_at=None)
    assert closed.count() >= 10
    early = closed.exclude(closed_by=None)
    assert early.count() == 1
    assert early.get().close_reason and early.get().closed_at < early.get().ends_at
    for debate in closed.filter(closed_by=None):
        assert debate.closed_at == debate.ends_at, debate.proposal_id
        assert debate.close_reason == ""
    # A debate still open has not reached its end (the beat would close it).
    still_open = Debate.objects.filter(closed_at=None)
    assert still_open.exists()
    assert not still_open.filter(ends_at__lte=timezone.now()).exists()


def test_demo_officials_have_personal_names(world):
    # Staff see a person's name; the public sees it masked (김*수), never a
    # department's name with its letters starred out.
    officials = User.objects.filter(
        groups__name=Role.OFFICIAL, email__endswith="@" + members.DEMO_EMAIL_DOMAIN
    )
    assert officials.count() >= len(members.DEPARTMENTS)
    names = list(officials.values_list("display_name", flat=True))
    assert len(set(names)) == len(names)
    for name in names:
        assert re.fullmatch(r"[가-힣]{2,4}", name), name
        assert not name.endswith("담당"), name


def test_a_handoff_note_fits_its_recipient(world):
    # The note does not hand a card to "the desk officer" when the recipient
    # is the department head.
    handoffs = CardEvent.objects.filter(kind="handoff").select_related("card__department")
    assert handoffs.exists()
    for event in handoffs:
        if event.to_official_id == event.card.department.head_id:
            assert "주무관" not in event.note and "실무자" not in event.note, event.note


# The recommendations an expert might give on an item the mayor decided so.
FITTING_RECOMMENDATIONS = {
    "adopted": {"adopt", "adopt_with_conditions"},
    "not_adopted": {"not_adopt", "further_study"},
    "held_over": {"further_study", "adopt_with_conditions"},
}


def test_each_expert_opinion_is_written_for_its_item(world):
    opinions = ExpertOpinion.objects.all()
    assert opinions.count() >= 10
    texts = list(opinions.values_list("text", flat=True))
    assert len(set(texts)) == len(texts), "no opinion is a copy of another"
    assert len(set(opinions.values_list("recommendation", flat=True))) >= 3
    for item in AgendaItem.objects.exclude(decision="pending"):
        for opinion in opinions.filter(proposal=item.proposal_id):
            assert opinion.recommendation in FITTING_RECOMMENDATIONS[item.decision], (
                item.proposal_id,
                item.decision,
                opinion.recommendation,
            )


def test_an_official_comments_only_once_their_department_has_the_proposal(world):
    comments = Comment.objects.exclude(author__department=None).select_related("author")
    assert comments.count() >= 2
    for comment in comments:
        assignment = Assignment.objects.filter(
            proposal=comment.proposal_id, department=comment.author.department_id
        ).first()
        assert assignment is not None, comment.body
        assert assignment.assigned_at < comment.created_at, comment.proposal_id
        local = timezone.localtime(comment.created_at)
        assert 9 <= local.hour < 18, comment.proposal_id


def test_deadlines_show_extensions_and_every_escalation_step(world):
    from answers.models import DeadlineExtension, ExtensionStatus

    # one department was granted fewer days than it asked, one still waits
    granted = DeadlineExtension.objects.get(status=ExtensionStatus.GRANTED)
    assert granted.days_granted < granted.days_requested
    assert granted.assignment.deadline == granted.new_deadline > timezone.now()
    assert granted.assignment.proposal.events.filter(kind=EventKind.DEADLINE_EXTENDED).exists()
    assert DeadlineExtension.objects.filter(status=ExtensionStatus.PENDING).count() == 1
    waiting = Assignment.objects.awaiting_answer()
    # the steps the beat took: reminders, the department told, a head, the operators
    assert waiting.filter(reminded_at__isnull=False).exists()
    # (the department's own step, at the deadline, is shown minutes after
    # loading: tests/demo/world/test_live.py)
    assert waiting.filter(head_told_at__isnull=False, escalated_at__isnull=False).exists()
    for assignment in waiting.exclude(escalated_at__isnull=True):
        assert assignment.overdue_told_at < assignment.escalated_at
        if assignment.head_told_at:
            assert assignment.overdue_told_at < assignment.head_told_at < assignment.escalated_at
