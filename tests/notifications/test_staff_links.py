"""Every notice and e-mail sent to staff opens the page where the work is
done: followed by that staff member's own browser, its link shows the form
they act with (the answer workroom, the card, the report, the proposal to
assign), not the public proposal page."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from answers import services as answer_services
from notifications.models import Notification
from pipeline.services import promote_if_due
from proposals.models import PipelineSettings, ProposalStatus
from tests.accounts.home_helpers import overdue
from tests.answers.helpers import assigned, clerk_of, submitted
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory, official, operator
from tests.pages import _FormReader, logged_in
from tests.tracking.helpers import adopted_card, requested_report
from tracking import services as card_services

pytestmark = pytest.mark.django_db


def notice_to(user, kind: str) -> Notification:
    return Notification.objects.get(recipient=user, kind=kind)


def opens_form_with(user, url: str, *fields: str) -> None:
    """`user`'s browser follows `url` and finds a form with `fields`."""
    assert url.startswith("/admin/"), url
    page = logged_in(user).get(url)
    assert page.status_code == 200, url
    reader = _FormReader()
    reader.feed(page.content.decode())
    shown = {name for form in reader.forms for name in form["fields"]}
    missing = [name for name in fields if name not in shown]
    assert not missing, f"{url} has no {missing}"


def test_the_departments_assignment_notice_and_email_open_the_workroom(
    django_capture_on_commit_callbacks,
):
    department = DepartmentFactory()
    clerk = official(department)
    the_operator = operator()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assigned(department)
    workroom = f"/admin/answers/assignment/{assignment.pk}/change/"
    notice = notice_to(clerk, "assigned_department")
    assert notice.url == workroom
    opens_form_with(clerk, notice.url, "summary", "decision")
    # The e-mail carries the same link, on the site's address.
    (message,) = [m for m in mail.outbox if m.to == [clerk.email]]
    link = settings.OASIS_SITE_URL.rstrip("/") + workroom
    assert link in message.body
    assert re.search(re.escape(link), message.alternatives[0][0])
    # The operators' copy opens the workroom too; the proposer's notice
    # stays on the public page.
    assert notice_to(the_operator, "assigned_operator").url == workroom
    proposer_notice = notice_to(assignment.proposal.author, "assigned")
    assert proposer_notice.url == assignment.proposal.get_absolute_url()


def test_an_answer_waiting_for_approval_opens_the_operators_review_form():
    assignment = assigned()
    the_operator = operator()
    submitted(assignment)
    notice = notice_to(the_operator, "answer_submitted")
    opens_form_with(the_operator, notice.url, "return-reason")


def test_a_returned_answer_opens_the_workroom_to_correct_it():
    assignment = assigned()
    clerk = clerk_of(assignment)
    answer = submitted(assignment, by=clerk)
    answer_services.answer_return(answer=answer, user=operator(), reason="근거를 보완해 주세요.")
    opens_form_with(clerk, notice_to(clerk, "answer_returned").url, "summary", "decision")


def test_a_reassignment_request_opens_the_operators_decision_form():
    assignment = assigned()
    the_operator = operator()
    answer_services.reassignment_request(
        assignment=assignment, user=clerk_of(assignment), reason="다른 부서 소관입니다."
    )
    notice = notice_to(the_operator, "reassignment_requested")
    opens_form_with(the_operator, notice.url, "decide-department")


def test_an_overdue_answer_opens_the_workroom_for_the_operators():
    # Past the department's and the head's steps: the operators' turn.
    assignment = overdue(assigned(), days=20)
    the_operator = operator()
    answer_services.deadlines_sweep()
    notice = notice_to(the_operator, "answer_overdue")
    assert notice.url == f"/admin/answers/assignment/{assignment.pk}/change/"
    opens_form_with(the_operator, notice.url, "reassign-department")


def test_a_blocked_assignment_opens_the_hand_assignment_screen():
    the_operator = operator()
    proposal = ProposalFactory(
        status=ProposalStatus.OPEN,
        category=CategoryFactory(default_department=None),
        endorsement_count=PipelineSettings.load().answer_threshold,
    )
    assert promote_if_due(proposal_id=proposal.pk) is None
    notice = notice_to(the_operator, "assignment_blocked")
    # The operators' screen where it is given to a department by hand.
    assert notice.url == f"/admin/proposals/proposal/{proposal.pk}/assign/"
    opens_form_with(the_operator, notice.url, "department", "reason")


def test_a_new_card_opens_the_card_page_for_its_department():
    department = DepartmentFactory()
    clerk = official(department)
    card = adopted_card(department)
    notice = notice_to(clerk, "card_opened")
    assert notice.url == f"/admin/tracking/managementcard/{card.pk}/change/"
    opens_form_with(clerk, notice.url, "planned_budget", "target_date")


def test_a_requested_report_opens_its_form_and_an_overdue_one_the_operators_too():
    department = DepartmentFactory()
    clerk = official(department)
    the_operator = operator()
    card = card_services.card_handoff(
        card=adopted_card(department), user=the_operator, to_official=clerk, note="담당 지정"
    )
    report = requested_report(card)
    notice = notice_to(clerk, "report_requested")
    assert notice.url == f"/admin/tracking/progressreport/{report.pk}/change/"
    opens_form_with(clerk, notice.url, "done", "percent_complete")
    # The due date passes: the operators are told, and land on the same form.
    after = timezone.make_aware(dt.datetime.combine(report.due_date, dt.time(9)))
    card_services.reports_remind_and_escalate(now=after + dt.timedelta(days=1))
    notice = notice_to(the_operator, "report_overdue")
    opens_form_with(the_operator, notice.url, "done", "percent_complete")
