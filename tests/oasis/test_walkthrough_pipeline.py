"""One proposal's whole journey, from submission to adoption: citizens act
through the pages, staff through the same services their admin screens call;
at every step the public page shows where it stands."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from answers.models import Assignment
from answers.services import answer_publish, answer_save, answer_submit
from debates.models import Debate
from debates.services import debate_close, debate_publish_summary
from meetings.models import AgendaItem, RealizationMeeting, WorkingReview
from meetings.services import (
    agenda_item_decide,
    expert_opinion_save,
    meeting_invite,
    working_review_decide,
    working_review_finalise,
)
from notifications.models import Notification
from proposals.models import PipelineSettings, Proposal, ProposalStatus
from tests.factories import CategoryFactory, DepartmentFactory, UserFactory, official, operator
from tests.pages import english, logged_in

pytestmark = pytest.mark.django_db


def page(client, proposal) -> str:
    response = client.get(f"/proposals/{proposal.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_proposal_travels_from_submission_to_adoption(django_capture_on_commit_callbacks):
    # Small bars so a handful of members can carry it.
    bars = PipelineSettings.load()
    bars.answer_threshold, bars.debate_threshold = 3, 5
    bars.save()
    department = DepartmentFactory(name="보행정책과", name_en="Pedestrian Policy")
    category = CategoryFactory(name="교통", name_en="Transport", default_department=department)
    clerk = official(department=department)
    staff = operator()
    mayor = UserFactory(roles=[Role.MAYOR_OFFICE], is_staff=True)
    expert = UserFactory(roles=[Role.EXPERT_INTERNAL], is_staff=True)
    public = english(Client())

    # 1. A citizen proposes through the form.
    author = UserFactory(display_name="한강걷기")
    citizen = logged_in(author)
    response = citizen.post(
        "/proposals/new/",
        {
            "title": "걷고 싶은 한강다리",
            "body": "한강 다리의 보행로를 넓히고 쉼터를 만들어 주세요.",
            "category": category.pk,
        },
    )
    proposal = Proposal.objects.get(title="걷고 싶은 한강다리")
    assert response.status_code == 302
    assert "Gathering endorsements" in page(public, proposal)

    # 2. Five members endorse through the page; the third crosses the answer bar.
    with django_capture_on_commit_callbacks(execute=True):
        for member in UserFactory.create_batch(5):
            client = logged_in(member)
            client.post(f"/proposals/{proposal.pk}/endorse/", {"action": "endorse"})
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 5
    assert proposal.status == ProposalStatus.ASSIGNED and proposal.department == department
    html = page(public, proposal)
    assert "Awaiting department answer" in html and "Pedestrian Policy" in html
    assert Notification.objects.filter(recipient=clerk, kind="assigned_department").exists()
    assert any(clerk.email in m.to for m in mail.outbox)

    # 3. The department answers; the operator approves and publishes.
    assignment = Assignment.objects.get(proposal=proposal, is_current=True)
    with django_capture_on_commit_callbacks(execute=True):
        answer = answer_save(
            assignment=assignment,
            user=clerk,
            summary="보행로 확장을 시범 추진하겠습니다.",
            necessity="보행자가 많습니다.",
            effectiveness="걷기 좋은 다리가 됩니다.",
            feasibility="내년 예산으로 가능합니다.",
            estimated_budget=300_000_000,
            decision="accept",
        )
        answer_submit(answer=answer, user=clerk)
        answer_publish(answer=answer, user=staff)
    proposal.refresh_from_db()
    # past the debate bar too, so the promotion check opens the debate at once
    assert proposal.status == ProposalStatus.DEBATE
    html = page(public, proposal)
    assert "보행로 확장을 시범 추진하겠습니다." in html

    # 4. Members debate on the page, the debate closes and the operator publishes its results.
    debate = Debate.objects.get(proposal=proposal)
    for position in ("for", "for", "against"):
        client = logged_in()
        client.post(f"/debates/{debate.pk}/stance/", {"position": position})
    citizen.post(
        f"/debates/{debate.pk}/arguments/", {"side": "for", "body": "출퇴근길이 즐거워질 거예요."}
    )
    debate.refresh_from_db()
    assert (debate.for_count, debate.against_count) == (2, 1)
    debate_close(debate=debate, now=debate.ends_at + dt.timedelta(minutes=1))
    debate.refresh_from_db()
    debate_publish_summary(
        debate=debate,
        operator=staff,
        summary="찬성이 많았고 시범 구간부터 하자는 의견이 모였습니다.",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REVIEW
    assert "시범 구간부터 하자는 의견" in page(public, proposal)

    # 5. The working review puts it forward to the next realization meeting.
    meeting = RealizationMeeting.objects.create(
        number=7, scheduled_at=timezone.now() + dt.timedelta(days=10), place="서울시청 본관"
    )
    review = WorkingReview.objects.create(held_on=timezone.localdate(), next_meeting=meeting)
    working_review_decide(
        review=review,
        proposal=proposal,
        selected=True,
        reason="실현 가능성이 높습니다.",
        user=staff,
    )
    expert_opinion_save(
        proposal=proposal, expert=expert, text="제도상 문제가 없습니다.", recommendation="adopt"
    )
    working_review_finalise(review=review, user=staff)
    meeting_invite(meeting=meeting, user=staff)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ON_AGENDA
    assert Notification.objects.filter(recipient=author, kind="meeting_invitation").count() == 1

    # The printable agenda has the proposal, its counts, answer, debate and opinion.
    agenda = public.get(f"/meetings/{meeting.pk}/agenda/").content.decode()
    for text in (
        "걷고 싶은 한강다리",
        "보행로 확장을 시범 추진하겠습니다.",
        "시범 구간부터 하자는 의견",
        "제도상 문제가 없습니다.",
        "한**기",
    ):
        assert text in agenda

    # 6. On the day, the mayor's office records the decision.
    item = AgendaItem.objects.get(meeting=meeting, proposal=proposal)
    RealizationMeeting.objects.filter(pk=meeting.pk).update(
        scheduled_at=timezone.now() - dt.timedelta(hours=1)
    )
    agenda_item_decide(
        item=item,
        decision="adopted",
        reason="시민 공감이 큽니다.",
        conditions="시범 구간부터",
        user=mayor,
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED
    assert proposal.management_card.conditions == "시범 구간부터"
    html = page(public, proposal)
    assert "Adopted" in html and "시민 공감이 큽니다." in html
    # The whole path is on the public timeline, in order.
    steps = list(
        proposal.events.filter(is_public=True)
        .exclude(to_status="")
        .values_list("to_status", flat=True)
    )
    assert steps == ["open", "assigned", "answered", "debate", "review", "on_agenda", "adopted"]
    assert Notification.objects.filter(recipient=author, kind="decision_adopted").count() == 1
