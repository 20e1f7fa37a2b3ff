"""answers/services.py, assignment: a proposal past the answer bar is given to
its department with a deadline, once."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.roles import Role
from answers import services
from answers.models import Assignment
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from proposals.models import PipelineSettings, Proposal, ProposalStatus
from proposals.services import proposal_follow
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    official,
    operator,
)

from .helpers import SEOUL, assigned, recipients

# Dates here count calendar days (working days: test_workdays.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_days")]


# --- assignment -------------------------------------------------------------------


def test_crossing_the_bar_assigns_the_category_department_with_a_deadline(
    django_capture_on_commit_callbacks,
):
    # given a proposal whose category belongs to the roads department, two of
    # its officials (one reads English), an operator and a follower
    roads = DepartmentFactory(code="roads", name="도로계획과", name_en="Road Planning Division")
    clerks = [official(roads), official(roads, language="en")]
    bystander = official(DepartmentFactory())
    staff = operator()
    proposal = ProposalFactory(
        category=CategoryFactory(default_department=roads), endorsement_count=1234
    )
    follower = UserFactory()
    proposal_follow(proposal=proposal, user=follower)

    # when it is assigned on 2025-03-01 15:00 Seoul time
    with time_machine.travel(dt.datetime(2025, 3, 1, 15, 0, tzinfo=SEOUL), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assignment = services.assignment_open(
                proposal=proposal, actor=None, reason="1234명이 추천했습니다."
            )

    # then the department must answer by the end of 21 March (20 days later)
    assert assignment.department == roads and assignment.is_current and assignment.is_open
    assert timezone.localtime(assignment.deadline).date() == dt.date(2025, 3, 21)
    assert timezone.localtime(assignment.deadline).time() == dt.time.max
    proposal.refresh_from_db()
    assert (proposal.status, proposal.department) == (ProposalStatus.ASSIGNED, roads)
    event = proposal.events.get()
    assert (event.to_status, event.actor_department, event.actor_role, event.is_public) == (
        ProposalStatus.ASSIGNED,
        roads,
        "system",
        True,
    )
    # and the department's officials, the operator and the proposer and
    # follower are told once each, in their own language
    assert recipients("assigned_department") == {c.pk for c in clerks}
    assert bystander.pk not in recipients("assigned_department")
    assert recipients("assigned_operator") == {staff.pk}
    assert recipients("assigned") == {proposal.author_id, follower.pk}
    korean = Notification.objects.get(kind="assigned_department", recipient=clerks[0])
    english = Notification.objects.get(kind="assigned_department", recipient=clerks[1])
    # (the notice keeps codes; each reader's language names them)
    assert (
        korean.params
        == english.params
        == {
            "title": proposal.title,
            "count": 1234,
            "department": roads.pk,
            "deadline": "2025-03-21",
        }
    )
    with translation.override("ko"):
        assert all(t in korean.message for t in ("1,234", "도로계획과", "2025년 3월 21일"))
    with translation.override("en"):
        assert "Road Planning Division" in english.message and "March 21, 2025" in english.message
    mailed = {m.to[0]: m.body for m in mail.outbox}
    assert "도로계획과" in mailed[clerks[0].email] and "2025년 3월 21일" in mailed[clerks[0].email]
    assert "Road Planning Division" in mailed[clerks[1].email]
    assert "March 21, 2025" in mailed[clerks[1].email]
    assert len(mail.outbox) == 5
    assert {m.to[0] for m in mail.outbox} == {
        u.email for u in [*clerks, staff, proposal.author, follower]
    }


def test_the_deadline_follows_the_settings():
    settings_row = PipelineSettings.load()
    settings_row.answer_deadline_days = 7
    settings_row.save()
    with time_machine.travel(dt.datetime(2025, 3, 1, 0, 30, tzinfo=SEOUL), tick=False):
        assignment = assigned()
    assert timezone.localtime(assignment.deadline).date() == dt.date(2025, 3, 8)


def test_an_operator_may_assign_by_hand_and_is_recorded():
    proposal = ProposalFactory(status=ProposalStatus.NOT_REACHED)
    staff = operator()
    assignment = services.assignment_open(proposal=proposal, actor=staff, reason="창의적입니다.")
    event = proposal.events.get()
    assert (event.actor, event.actor_role, event.reason) == (staff, Role.OPERATOR, "창의적입니다.")
    assert assignment.department == proposal.category.default_department


@pytest.mark.parametrize("who", ["citizen", "official"])
def test_only_the_pipeline_or_an_operator_assigns(who):
    proposal = ProposalFactory()
    actor = UserFactory() if who == "citizen" else official()
    with pytest.raises(PermissionDenied):
        services.assignment_open(proposal=proposal, actor=actor, reason="")
    assert not Assignment.objects.exists()
    assert Proposal.objects.get().status == ProposalStatus.OPEN


@pytest.mark.parametrize(
    "status", [ProposalStatus.ASSIGNED, ProposalStatus.WITHDRAWN, ProposalStatus.ANSWERED]
)
def test_a_proposal_past_or_out_of_the_open_stage_is_not_assigned(status):
    proposal = ProposalFactory(
        status=status, withdrawn_at=timezone.now() if status == ProposalStatus.WITHDRAWN else None
    )
    with pytest.raises(TransitionNotAllowed):
        services.assignment_open(proposal=proposal, actor=None, reason="")
    assert not Assignment.objects.exists()
    assert not Notification.objects.exists()


def test_assigning_twice_is_refused_and_changes_nothing():
    assignment = assigned()
    with pytest.raises(TransitionNotAllowed):
        services.assignment_open(proposal=assignment.proposal, actor=None, reason="")
    assert Assignment.objects.count() == 1


def test_a_category_without_a_department_cannot_be_assigned():
    proposal = ProposalFactory(category=CategoryFactory(default_department=None))
    with pytest.raises(ServiceError, match="has no default department"):
        services.assignment_open(proposal=proposal, actor=None, reason="")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.department) == (ProposalStatus.OPEN, None)
    assert not proposal.events.exists()


def test_the_database_allows_one_current_assignment_per_proposal():
    assignment = assigned()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            proposal=assignment.proposal,
            department=DepartmentFactory(),
            deadline=assignment.deadline,
        )
