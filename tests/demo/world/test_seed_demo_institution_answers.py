"""The demo institution's answers (demo/institutions.py, issue 16): its
official wrote two answers; its administrator published one (dated in
office hours, after it was submitted, by the deadline) and the other waits
for them on their staff home."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from answers.models import Answer, AnswerStatus
from proposals.models import EventKind, Proposal, ProposalStatus
from tests.pages import logged_in, page_text

ANSWERED = "공영주차장 빈자리를 실시간으로 알려 주세요"
WAITING = "청계천 보행교 미끄럼 방지 포장"


def test_the_institution_s_administrator_published_its_answer(world):
    admin = User.objects.get(email="institution@demo.oasis.kr")
    proposal = Proposal.objects.get(title=ANSWERED)
    assert proposal.status == ProposalStatus.ANSWERED
    answer = Answer.objects.get(assignment__proposal=proposal, assignment__is_current=True)
    assert answer.status == AnswerStatus.PUBLISHED and answer.approved_by == admin
    assert answer.written_by.email == "sisul-official@demo.oasis.kr"
    # Dated as told: proposed, then submitted, then published a day later,
    # by the deadline, and on the public timeline in that order.
    assert proposal.created_at < answer.submitted_at < answer.published_at
    assert answer.published_at < timezone.now() - timedelta(days=1)
    assert answer.met_deadline and answer.published_at <= answer.assignment.deadline
    answered = proposal.events.get(to_status=ProposalStatus.ANSWERED)
    submitted = proposal.events.get(kind=EventKind.ANSWER_SUBMITTED)
    assert submitted.created_at < answered.created_at
    assert abs(answered.created_at - answer.published_at) < timedelta(minutes=1)
    assert answered.actor == admin


def test_the_other_answer_waits_on_the_administrator_s_home(world):
    proposal = Proposal.objects.get(title=WAITING)
    assert proposal.status == ProposalStatus.ASSIGNED
    answer = Answer.objects.get(assignment__proposal=proposal)
    assert answer.status == AnswerStatus.SUBMITTED
    admin = User.objects.get(email="institution@demo.oasis.kr")
    text = page_text(logged_in(admin).get(reverse("admin:index")))
    assert "Answers waiting for your approval" in text and WAITING in text
