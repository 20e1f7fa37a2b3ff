"""The officials' and operators' workroom in the admin: the department queue,
the answer page and its buttons, the operators' review and reassignment, and
that an official never sees or changes another department's work."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from answers import services
from answers.models import (
    Answer,
    AnswerStatus,
    Assignment,
    ReassignmentRequest,
    ReassignmentStatus,
)
from proposals.models import Proposal, ProposalStatus
from tests.factories import CommentFactory, DepartmentFactory, UserFactory, official, operator
from tests.pages import logged_in, messages_sent, page_text

from .helpers import COMPLETE, REFUSAL, assigned, clerk_of, drafted, submitted

# Dates here count calendar days (working days: test_workdays.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_days")]

SEOUL = ZoneInfo("Asia/Seoul")
QUEUE = reverse("admin:answers_assignment_changelist")


def workroom(assignment) -> str:
    return reverse("admin:answers_assignment_change", args=[assignment.pk])


def shown(response) -> list[int]:
    assert response.status_code == 200
    return [obj.pk for obj in response.context["cl"].result_list]


# --- the department queue ------------------------------------------------------------


def test_an_official_sees_only_their_departments_queue_most_urgent_first():
    roads = DepartmentFactory(name="도로계획과")
    with time_machine.travel(dt.datetime(2025, 3, 5, 9, tzinfo=SEOUL), tick=False):
        later = assigned(roads, title="나중 제안")
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, tzinfo=SEOUL), tick=False):
        sooner = assigned(roads, title="급한 제안")
        elsewhere = assigned(title="다른 부서 제안")
        handed_on = assigned(roads, title="넘긴 제안")
    services.assignment_reassign(
        assignment=handed_on, user=operator(), department=DepartmentFactory(), reason="소관"
    )
    browser = logged_in(official(roads))

    with time_machine.travel(dt.datetime(2025, 3, 10, 9, tzinfo=SEOUL), tick=False):
        response = browser.get(QUEUE)

    assert shown(response) == [sooner.pk, later.pk]
    text = page_text(response)
    assert "급한 제안" in text and "다른 부서 제안" not in text and "넘긴 제안" not in text
    assert "D-11" in text and "D-15" in text
    assert "March 21, 2025" in text
    assert elsewhere.pk not in shown(browser.get(QUEUE + "?queue=all"))


def test_the_queue_shows_counts_and_answer_status():
    assignment = assigned(endorsement_count=77, comment_count=12, view_count=345)
    drafted(assignment)
    response = logged_in(clerk_of(assignment)).get(QUEUE)
    text = page_text(response)
    assert " 77 " in text and " 12 " in text and " 345 " in text
    assert "Draft" in text


def test_answered_assignments_leave_the_default_queue():
    waiting = assigned()
    done = assigned(department=waiting.department)
    submitted(done)
    services.answer_publish(answer=done.answer, user=operator())
    browser = logged_in(clerk_of(waiting))
    assert shown(browser.get(QUEUE)) == [waiting.pk]
    assert shown(browser.get(QUEUE + "?queue=answered")) == [done.pk]


def test_the_queue_runs_a_fixed_number_of_queries_however_long():
    roads = DepartmentFactory()
    clerk = official(roads)
    browser = logged_in(clerk)
    counts = []
    for n in (1, 6):
        while Assignment.objects.filter(department=roads).count() < n:
            drafted(assigned(roads))
        browser.get(QUEUE)  # warm the session and content types
        with CaptureQueriesContext(connection) as captured:
            response = browser.get(QUEUE)
        assert len(shown(response)) == n
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert counts[1] <= 9, counts  # one of them: the admin checks the second factor


def test_a_citizen_has_no_admin(client):
    client.force_login(UserFactory())
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- another department's work ---------------------------------------------------------


def test_an_official_cannot_open_or_change_another_departments_assignment():
    theirs = assigned()
    drafted(theirs)
    intruder = official(DepartmentFactory())
    browser = logged_in(intruder)

    assert browser.get(workroom(theirs)).status_code == 404
    response = browser.post(
        workroom(theirs), {**COMPLETE, "summary": "바꿔치기", "_save_draft": "1"}
    )
    assert response.status_code == 404
    response = browser.post(
        workroom(theirs), {"reassignment-reason": "우리 일 아님", "_request_reassignment": "1"}
    )
    assert response.status_code == 404
    answer = Answer.objects.get()
    assert (answer.summary, answer.status) == (COMPLETE["summary"], AnswerStatus.DRAFT)
    assert not ReassignmentRequest.objects.exists()
    # nor through the answers and requests lists
    assert browser.get(reverse("admin:answers_answer_change", args=[answer.pk])).status_code == 404
    assert shown(browser.get(reverse("admin:answers_answer_changelist"))) == []


def test_an_official_cannot_act_on_another_departments_rows_from_the_list():
    theirs = assigned()
    submitted(theirs)
    browser = logged_in(official(DepartmentFactory()))
    response = browser.post(
        QUEUE, {"action": "publish_answers", "_selected_action": [theirs.pk], "index": "0"}
    )
    # the action is not offered to officials at all, and nothing changed
    assert response.status_code in (200, 302)
    assert Answer.objects.get().status == AnswerStatus.SUBMITTED


def test_a_department_that_handed_a_proposal_on_no_longer_opens_it():
    assignment = assigned()
    clerk = clerk_of(assignment)
    services.assignment_reassign(
        assignment=assignment, user=operator(), department=DepartmentFactory(), reason="소관"
    )
    assert logged_in(clerk).get(workroom(assignment)).status_code == 404


# --- the workroom: the official's answer -------------------------------------------------


def test_the_workroom_shows_the_proposal_counts_and_comments_beside_the_form():
    assignment = assigned(endorsement_count=88)
    CommentFactory(proposal=assignment.proposal, body="다리에 벤치도 놓아 주세요.")
    CommentFactory(proposal=assignment.proposal, body="숨김 댓글", is_hidden=True)
    response = logged_in(clerk_of(assignment)).get(workroom(assignment))
    assert response.status_code == 200
    text = page_text(response)
    assert assignment.proposal.body in text
    assert "다리에 벤치도 놓아 주세요." in text and "숨김 댓글" not in text
    assert "88" in text
    assert "20 days left" in text
    form = response.context["answer_form"]
    assert set(form.fields) >= {"decision", "necessity", "effectiveness", "feasibility"}
    content = response.content.decode()
    assert 'name="_save_draft"' in content and 'name="_submit"' in content
    assert 'name="_publish"' not in content  # the operators' button


def test_an_official_saves_a_draft_then_submits_it():
    assignment = assigned()
    staff = operator()
    browser = logged_in(clerk_of(assignment))

    response = browser.post(
        workroom(assignment), {"summary": "검토 중입니다.", "decision": "", "_save_draft": "1"}
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert (answer.status, answer.summary) == (AnswerStatus.DRAFT, "검토 중입니다.")

    response = browser.post(workroom(assignment), {**COMPLETE, "_submit": "1"}, follow=True)
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SUBMITTED
    assert "The answer is submitted to the operators for approval." in messages_sent(response)
    assert staff.notifications.filter(kind="answer_submitted").exists()
    # the page now shows it read-only: no form, no buttons for the department
    assert response.context["answer_form"] is None
    assert 'name="_submit"' not in response.content.decode()


def test_submitting_an_incomplete_answer_keeps_the_draft_and_shows_what_is_missing():
    assignment = assigned()
    browser = logged_in(clerk_of(assignment))
    values = {**REFUSAL, "refusal_basis_kind": "", "refusal_basis": "", "_submit": "1"}
    response = browser.post(workroom(assignment), values)
    assert response.status_code == 400
    form = response.context["answer_form"]
    assert set(form.errors) == {"refusal_basis_kind", "refusal_basis"}
    answer = Answer.objects.get()
    assert (answer.status, answer.decision) == (AnswerStatus.DRAFT, "not_accept")
    assert "cite its basis" in page_text(response)


def test_a_negative_budget_is_refused_by_the_form():
    assignment = assigned()
    response = logged_in(clerk_of(assignment)).post(
        workroom(assignment), {**COMPLETE, "estimated_budget": "-5", "_save_draft": "1"}
    )
    assert response.status_code == 400
    assert "estimated_budget" in response.context["answer_form"].errors
    assert not Answer.objects.exists()


def test_an_official_asks_for_reassignment_from_the_workroom():
    assignment = assigned()
    staff = operator()
    parks = DepartmentFactory(name="공원조성과")
    response = logged_in(clerk_of(assignment)).post(
        workroom(assignment),
        {
            "reassignment-reason": "한강공원 소관입니다.",
            "reassignment-suggested_department": parks.pk,
            "_request_reassignment": "1",
        },
        follow=True,
    )
    request = ReassignmentRequest.objects.get()
    assert (request.reason, request.suggested_department) == ("한강공원 소관입니다.", parks)
    assert "Your request is sent to the operators." in messages_sent(response)
    assert staff.notifications.filter(kind="reassignment_requested").exists()
    assert "한강공원 소관입니다." in page_text(response)  # the pending request is shown


def test_an_official_cannot_publish_from_the_workroom():
    assignment = assigned()
    submitted(assignment)
    response = logged_in(clerk_of(assignment)).post(workroom(assignment), {"_publish": "1"})
    assert response.status_code == 403
    assert Answer.objects.get().status == AnswerStatus.SUBMITTED


# --- the workroom: the operators ---------------------------------------------------------


def test_an_operator_publishes_from_the_workroom():
    assignment = assigned()
    submitted(assignment)
    browser = logged_in(operator())
    page = browser.get(workroom(assignment))
    assert 'name="_publish"' in page.content.decode()
    assert page.context["answer_form"] is None  # operators do not write answers
    response = browser.post(workroom(assignment), {"_publish": "1"}, follow=True)
    assert "The answer is published." in messages_sent(response)
    assert Answer.objects.get().status == AnswerStatus.PUBLISHED
    assert Proposal.objects.get().status == ProposalStatus.ANSWERED


def test_an_operator_returns_from_the_workroom_only_with_a_reason():
    assignment = assigned()
    clerk = clerk_of(assignment)
    submitted(assignment)
    browser = logged_in(operator())
    response = browser.post(workroom(assignment), {"return-reason": "", "_return": "1"})
    assert response.status_code == 400
    assert Answer.objects.get().status == AnswerStatus.SUBMITTED
    browser.post(workroom(assignment), {"return-reason": "근거를 보태 주세요.", "_return": "1"})
    answer = Answer.objects.get()
    assert (answer.status, answer.return_reason) == (AnswerStatus.DRAFT, "근거를 보태 주세요.")
    # the department sees why on its page
    assert "근거를 보태 주세요." in page_text(logged_in(clerk).get(workroom(assignment)))


def test_an_operator_publishes_and_returns_from_the_lists():
    to_publish, to_return, draft = assigned(), assigned(), assigned()
    submitted(to_publish)
    submitted(to_return)
    drafted(draft)
    browser = logged_in(operator())

    response = browser.post(
        QUEUE + "?queue=all",
        {"action": "publish_answers", "_selected_action": [to_publish.pk, draft.pk], "index": "0"},
        follow=True,
    )
    messages = messages_sent(response)
    assert "1 answer was published." in messages
    assert any(m.startswith("Skipped") and "cannot become" in m for m in messages)

    answers_list = reverse("admin:answers_answer_changelist")
    answer = to_return.answer
    first = browser.post(
        answers_list, {"action": "return_answers", "_selected_action": [answer.pk], "index": "0"}
    )
    assert first.status_code == 200 and "reason" in first.content.decode()
    browser.post(
        answers_list,
        {
            "action": "return_answers",
            "_selected_action": [answer.pk],
            "apply": "yes",
            "reason": "예산을 다시 보세요.",
        },
    )
    statuses = dict(Answer.objects.values_list("assignment_id", "status"))
    assert statuses == {
        to_publish.pk: AnswerStatus.PUBLISHED,
        to_return.pk: AnswerStatus.DRAFT,
        draft.pk: AnswerStatus.DRAFT,
    }


def test_an_operator_approves_a_reassignment_and_follows_the_proposal():
    assignment = assigned()
    clerk = clerk_of(assignment)
    parks = DepartmentFactory(name="공원조성과")
    services.reassignment_request(
        assignment=assignment, user=clerk, reason="소관 아님", suggested_department=parks
    )
    browser = logged_in(operator())
    page = browser.get(workroom(assignment))
    assert page.context["decide_form"].initial["department"] == parks.pk
    refused = browser.post(
        workroom(assignment), {"decide-department": "", "_approve_reassignment": "1"}
    )
    assert refused.status_code == 400 and "department" in refused.context["decide_form"].errors
    assert Assignment.objects.count() == 1
    response = browser.post(
        workroom(assignment),
        {"decide-department": parks.pk, "decide-reason": "", "_approve_reassignment": "1"},
    )
    new = Assignment.objects.get(is_current=True)
    assert new.department == parks
    assert response.status_code == 302 and response["Location"] == workroom(new)
    assert ReassignmentRequest.objects.get().status == ReassignmentStatus.APPROVED
    # the old department's official goes back to a queue without it
    assert shown(logged_in(clerk).get(QUEUE)) == []


def test_an_operator_refuses_a_reassignment_only_with_a_reason():
    assignment = assigned()
    services.reassignment_request(
        assignment=assignment, user=clerk_of(assignment), reason="소관 아님"
    )
    browser = logged_in(operator())
    response = browser.post(
        workroom(assignment), {"decide-reason": "", "_refuse_reassignment": "1"}
    )
    assert response.status_code == 400
    assert ReassignmentRequest.objects.get().status == ReassignmentStatus.PENDING
    browser.post(
        workroom(assignment),
        {"decide-reason": "도로 소관이 맞습니다.", "_refuse_reassignment": "1"},
    )
    assert ReassignmentRequest.objects.get().status == ReassignmentStatus.REFUSED
    assert Assignment.objects.get().is_current


def test_an_operator_refuses_requests_from_the_list():
    assignment = assigned()
    services.reassignment_request(
        assignment=assignment, user=clerk_of(assignment), reason="소관 아님"
    )
    request = ReassignmentRequest.objects.get()
    logged_in(operator()).post(
        reverse("admin:answers_reassignmentrequest_changelist"),
        {
            "action": "refuse_requests",
            "_selected_action": [request.pk],
            "apply": "yes",
            "reason": "도로 소관입니다.",
        },
    )
    request.refresh_from_db()
    assert (request.status, request.decision_reason) == (
        ReassignmentStatus.REFUSED,
        "도로 소관입니다.",
    )


def test_an_operator_reassigns_directly_from_the_workroom():
    assignment = assigned()
    parks = DepartmentFactory()
    logged_in(operator()).post(
        workroom(assignment),
        {"reassign-department": parks.pk, "reassign-reason": "공원 소관", "_reassign": "1"},
    )
    assert Assignment.objects.get(is_current=True).department == parks


def test_opening_an_answer_or_request_leads_to_its_workroom():
    assignment = assigned()
    answer = drafted(assignment)
    request = services.reassignment_request(
        assignment=assignment, user=clerk_of(assignment), reason="소관 아님"
    )
    browser = logged_in(clerk_of(assignment))
    for url in (
        reverse("admin:answers_answer_change", args=[answer.pk]),
        reverse("admin:answers_reassignmentrequest_change", args=[request.pk]),
    ):
        response = browser.get(url)
        assert response.status_code == 302 and response["Location"] == workroom(assignment)


def test_nothing_is_added_or_deleted_through_the_admin():
    assignment = assigned()
    browser = logged_in(operator())
    assert browser.get(reverse("admin:answers_assignment_add")).status_code == 403
    assert browser.get(reverse("admin:answers_answer_add")).status_code == 403
    assert (
        browser.get(reverse("admin:answers_assignment_delete", args=[assignment.pk])).status_code
        == 403
    )
