"""Amending a published answer, as staff do it in the workroom: the
department writes the amendment with a reason, an operator approves or
returns it; the public panel shows the current text and the history, the
timeline gets a row, the proposer and followers are told once."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from answers import services
from answers.models import AmendmentStatus, AnswerAmendment, AnswerRating
from answers.notices import AnswerNotice
from answers.signals import answer_amended
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError
from proposals.models import EventKind, ProposalEvent
from tests.clock import at
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tests.pages import english, form_fields, logged_in, messages_sent, page_text

from .helpers import COMPLETE, assigned, clerk_of, published, submitted

pytestmark = pytest.mark.django_db

ADMIN_HOME = reverse("admin:index")


def workroom(assignment) -> str:
    return reverse("admin:answers_assignment_change", args=[assignment.pk])


def panel(response) -> str:
    """The text of the public answer section alone."""
    assert response.status_code == 200
    content = response.content.decode()
    start = content.find('id="answer"')
    end = content.find("</section>", start)
    return page_text(content[start:end])


@pytest.fixture
def roads():
    return DepartmentFactory(name="도로계획과", name_en="Road Planning Division")


@pytest.fixture
def answered(roads):
    """A proposal answered 수용 on March 1st, rated 4 by its proposer, with
    one follower."""
    with at(2025, 3, 1, 10, 0):
        assignment = assigned(roads)
        answer = published(assignment)
        services.answer_rate(answer=answer, user=assignment.proposal.author, score=4)
    assignment.proposal.follows.create(user=UserFactory())
    return assignment


def amend(browser, assignment, *, submit=True, **changes):
    """Open the workroom, fill the amendment form as it is drawn (it starts
    from the current answer) with `changes` and press a button."""
    page = browser.get(workroom(assignment))
    assert page.status_code == 200
    fields = form_fields(page, "amendment-form")
    for name, value in changes.items():
        fields[f"amend-{name}"] = value
    fields["_submit_amendment" if submit else "_save_amendment"] = "1"
    return browser.post(workroom(assignment), fields)


def decide(browser, assignment, *, approve=True, reason=""):
    page = browser.get(workroom(assignment))
    if approve:
        fields = form_fields(page, "amendment-approve-form")
        fields["_approve_amendment"] = "1"
    else:
        fields = form_fields(page, "amendment-return-form")
        fields["amendment_return-reason"] = reason
        fields["_return_amendment"] = "1"
    return browser.post(workroom(assignment), fields)


# --- the whole road ----------------------------------------------------------------------


def test_the_department_amends_the_operator_approves_and_the_public_sees_both(answered):
    assignment = answered
    proposal = assignment.proposal
    clerk = logged_in(clerk_of(assignment), csrf_checks=True)
    boss = operator()

    with at(2025, 4, 2, 10, 0):
        response = amend(
            clerk,
            assignment,
            reason="예산 변경",
            estimated_budget="150000000",
            summary="보행로를 넓히겠습니다. 설계는 내년 하반기에 시작합니다.",
        )
    assert response.status_code == 302
    assert "The amendment is submitted to the operators for approval." in messages_sent(response)
    waiting = Notification.objects.get(kind=AnswerNotice.AMENDMENT_SUBMITTED, recipient=boss)
    assert waiting.url == workroom(assignment)

    # Nothing public changes before the approval.
    text = panel(english(Client()).get(proposal.get_absolute_url()))
    assert COMPLETE["summary"] in text and "Amended" not in text

    # The operator's home lists it; the workroom shows what changes.
    operator_browser = logged_in(boss, csrf_checks=True)
    home = page_text(operator_browser.get(ADMIN_HOME))
    assert "Answer amendments waiting for your approval" in home
    assert f"{proposal.title}" in home and "예산 변경" in home
    page = page_text(operator_browser.get(workroom(assignment)))
    assert "Before: ₩120,000,000 After: ₩150,000,000" in page

    old_tab = form_fields(operator_browser.get(workroom(assignment)), "amendment-approve-form")
    with at(2025, 4, 3, 15, 0):
        response = decide(operator_browser, assignment)
    assert "The amendment is approved: the answer now reads as amended." in messages_sent(response)

    answer = assignment.answer
    answer.refresh_from_db()
    assert answer.estimated_budget == 150_000_000
    (amendment,) = AnswerAmendment.objects.all()
    assert amendment.status == AmendmentStatus.APPROVED
    assert amendment.previous == {
        "summary": COMPLETE["summary"],
        "estimated_budget": 120_000_000,
    }

    # English: the current text, the date and reason, the history, the rating kept.
    text = panel(english(Client()).get(proposal.get_absolute_url()))
    assert "Amended on April 3 (예산 변경)" in text
    assert "설계는 내년 하반기에 시작합니다." in text
    assert "Estimated budget ₩150,000,000" in text
    assert "Amendment history (1 amendment)" in text
    assert "Amended on 2025-04-03 · Reason: 예산 변경" in text
    assert "Estimated budget Before: ₩120,000,000 After: ₩150,000,000" in text
    assert "First published on 2025-03-01" in text
    assert "4 out of 5" in text and "a rating given before it stays" in text
    # Korean (the default).
    korean = panel(Client().get(proposal.get_absolute_url()))
    assert "4월 3일 수정됨 (예산 변경)" in korean
    assert "수정 이력" in korean
    # The history reads without JavaScript: a <details> element.
    assert (
        '<details class="answer-history"'
        in Client().get(proposal.get_absolute_url()).content.decode()
    )

    # The public timeline row.
    event = ProposalEvent.objects.get(kind=EventKind.ANSWER_AMENDED)
    assert event.is_public and event.reason == "예산 변경"
    assert event.params["fields"] == ["summary", "estimated_budget"]
    page = page_text(english(Client()).get(proposal.get_absolute_url()))
    assert "Changed: answer in short, estimated budget." in page
    assert "수정한 부분: 답변 요약, 예상 예산." in page_text(
        Client().get(proposal.get_absolute_url())
    )

    # The proposer and the follower are told, once.
    told = Notification.objects.filter(kind=AnswerNotice.ANSWER_AMENDED)
    assert {n.recipient_id for n in told} == {
        proposal.author_id,
        proposal.follows.get().user_id,
    }
    # The same button pressed again from another tab: nothing twice.
    response = operator_browser.post(workroom(assignment), {**old_tab, "_approve_amendment": "1"})
    assert "No amendment waits for approval." in messages_sent(response)
    assert Notification.objects.filter(kind=AnswerNotice.ANSWER_AMENDED).count() == 2
    assert AnswerRating.objects.get().score == 4


def test_a_decision_change_needs_its_basis_is_said_publicly_and_signalled(answered):
    assignment = answered
    received = []

    def receiver(sender, **kwargs):
        received.append((kwargs["old_decision"], kwargs["new_decision"], kwargs["amendment"].pk))

    answer_amended.connect(receiver)
    try:
        clerk = logged_in(clerk_of(assignment), csrf_checks=True)
        # Not accepting without a basis is refused; the draft is kept.
        response = amend(clerk, assignment, reason="국토부 협의 결과", decision="not_accept")
        assert response.status_code == 400
        assert "must cite its basis" in page_text(response)
        assert AnswerAmendment.objects.get().status == AmendmentStatus.DRAFT
        response = amend(
            clerk,
            assignment,
            reason="국토부 협의 결과",
            decision="not_accept",
            refusal_basis_kind="law",
            refusal_basis="도로법상 국토교통부 승인이 필요한데 승인되지 않았습니다.",
        )
        assert response.status_code == 302
        with at(2025, 5, 7, 11, 0):
            decide(logged_in(operator(), csrf_checks=True), assignment)
    finally:
        answer_amended.disconnect(receiver)

    amendment = AnswerAmendment.objects.get()
    assert received == [("accept", "not_accept", amendment.pk)]
    text = panel(english(Client()).get(assignment.proposal.get_absolute_url()))
    assert "Not accepted" in text
    assert (
        "On May 7 the department changed its decision from “Accepted” to “Not accepted”. "
        "Reason: 국토부 협의 결과"
    ) in text
    page = page_text(english(Client()).get(assignment.proposal.get_absolute_url()))
    assert "The decision changed from Accepted to Not accepted." in page
    assert Notification.objects.filter(kind=AnswerNotice.ANSWER_AMENDED_DECISION).count() == 2


# --- refusals -------------------------------------------------------------------------------


def test_another_departments_official_can_neither_see_nor_amend(answered):
    intruder = official(DepartmentFactory())
    browser = logged_in(intruder, csrf_checks=False)
    assert browser.get(workroom(answered)).status_code == 404
    response = browser.post(
        workroom(answered),
        {
            "amend-reason": "오타",
            **{f"amend-{k}": v for k, v in COMPLETE.items()},
            "_submit_amendment": "1",
        },
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.amendment_save(answer=answered.answer, user=intruder, reason="오타", **COMPLETE)
    assert not AnswerAmendment.objects.exists()


def test_an_unpublished_answer_cannot_be_amended(roads):
    assignment = assigned(roads)
    submitted(assignment)
    clerk = clerk_of(assignment)
    browser = logged_in(clerk)
    page = browser.get(workroom(assignment))
    assert 'id="amendment-form"' not in page.content.decode()
    response = browser.post(
        workroom(assignment),
        {
            "amend-reason": "오타 수정",
            **{f"amend-{k}": v for k, v in COMPLETE.items()},
            "_submit_amendment": "1",
        },
    )
    assert "Only a published answer can be amended." in messages_sent(response)
    assert not AnswerAmendment.objects.exists()


def test_a_second_open_amendment_is_refused(answered):
    clerk = logged_in(clerk_of(answered), csrf_checks=True)
    old_tab = form_fields(clerk.get(workroom(answered)), "amendment-form")
    amend(clerk, answered, reason="오타 수정", necessity="오타를 고친 필요성")
    page = clerk.get(workroom(answered))
    assert 'id="amendment-form"' not in page.content.decode()
    assert "waits for approval" in page_text(page)
    # A form sent anyway (an old tab) is refused and changes nothing.
    response = clerk.post(
        workroom(answered),
        {
            **old_tab,
            "amend-reason": "예산 변경",
            "amend-estimated_budget": "1",
            "_submit_amendment": "1",
        },
    )
    assert any("already waits for the operators' approval" in m for m in messages_sent(response))
    assert AnswerAmendment.objects.count() == 1
    # And the database holds the rule even past the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerAmendment.objects.create(answer=answered.answer, reason="둘째")


def test_an_empty_reason_is_refused_and_nothing_is_saved(answered):
    clerk = logged_in(clerk_of(answered), csrf_checks=True)
    response = amend(clerk, answered, reason="   ", estimated_budget="99")
    assert response.status_code == 400
    assert "Please give a reason." in page_text(response)
    response = amend(clerk, answered, submit=False, reason="", estimated_budget="99")
    assert response.status_code == 400
    assert not AnswerAmendment.objects.exists()
    with pytest.raises(ServiceError):
        services.amendment_save(
            answer=answered.answer, user=clerk_of(answered), reason=" ", **COMPLETE
        )
    assert not AnswerAmendment.objects.exists()


def test_an_amendment_that_changes_nothing_is_not_submitted(answered):
    clerk = logged_in(clerk_of(answered), csrf_checks=True)
    response = amend(clerk, answered, reason="오타 수정")
    assert "The amendment changes nothing in the published answer." in messages_sent(response)
    assert AnswerAmendment.objects.get().status == AmendmentStatus.DRAFT


def test_the_operator_returns_an_amendment_with_a_reason(answered):
    clerk = logged_in(clerk_of(answered), csrf_checks=True)
    amend(clerk, answered, reason="예산 변경", estimated_budget="130000000")
    boss = logged_in(operator(), csrf_checks=True)

    response = decide(boss, answered, approve=False, reason="")
    assert response.status_code == 400
    assert AnswerAmendment.objects.get().status == AmendmentStatus.SUBMITTED

    response = decide(boss, answered, approve=False, reason="근거 자료를 붙여 주세요.")
    assert "The amendment is returned to the department." in messages_sent(response)
    amendment = AnswerAmendment.objects.get()
    assert amendment.status == AmendmentStatus.RETURNED
    (told,) = Notification.objects.filter(kind=AnswerNotice.AMENDMENT_RETURNED)
    assert told.recipient == clerk_of(answered)
    # Nothing public changed; no public timeline row.
    text = panel(english(Client()).get(answered.proposal.get_absolute_url()))
    assert "Amended" not in text and "₩120,000,000" in text
    assert not ProposalEvent.objects.filter(kind=EventKind.ANSWER_AMENDED).exists()
    assert not ProposalEvent.objects.get(kind=EventKind.AMENDMENT_RETURNED).is_public
    # The department sees why and writes it again from the returned text.
    page = clerk.get(workroom(answered))
    assert "근거 자료를 붙여 주세요." in page_text(page)
    assert form_fields(page, "amendment-form")["amend-estimated_budget"] == "130000000"
    response = amend(clerk, answered, reason="예산 변경 (근거: 추경 예산서)")
    assert response.status_code == 302
    assert AnswerAmendment.objects.filter(status=AmendmentStatus.SUBMITTED).count() == 1


def test_only_operators_approve(answered):
    clerk_user = clerk_of(answered)
    clerk = logged_in(clerk_user, csrf_checks=True)
    amend(clerk, answered, reason="오타 수정", necessity="고친 필요성")
    page = clerk.get(workroom(answered))
    assert 'id="amendment-approve-form"' not in page.content.decode()
    with pytest.raises(PermissionDenied):
        services.amendment_approve(amendment=AnswerAmendment.objects.get(), user=clerk_user)


# --- the proposal page's cost ----------------------------------------------------------------


def test_the_proposal_page_does_not_grow_with_amendments(answered):
    clerk = clerk_of(answered)
    boss = operator()
    url = answered.proposal.get_absolute_url()
    browser = english(Client())
    counts = []
    for n, budget in enumerate((130_000_000, 140_000_000, 150_000_000, 160_000_000), start=1):
        amendment = services.amendment_save(
            answer=answered.answer,
            user=clerk,
            reason=f"예산 변경 {n}",
            **{**COMPLETE, "estimated_budget": budget},
        )
        services.amendment_submit(amendment=amendment, user=clerk)
        services.amendment_approve(amendment=amendment, user=boss)
        if n in (1, 4):
            browser.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = browser.get(url)
            assert f"Amendment history ({n} amendment" in panel(response)
            counts.append(len(captured))
    assert counts[0] == counts[1], counts


# --- review: nobody approves their own amendment ----------------------------------------------


def test_an_official_who_is_also_operator_cannot_approve_their_own_amendment(answered, roads):
    """Roles combine: a member may be both an official of the department and
    an operator. The amendment they wrote needs another operator's eyes —
    no approve button for them, and the service refuses; the answer stays."""
    from accounts.roles import Role

    both = UserFactory(roles=[Role.OFFICIAL, Role.OPERATOR], department=roads, is_staff=True)
    browser = logged_in(both, csrf_checks=True)
    amend(browser, answered, reason="오타 수정", necessity="고친 필요성")
    amendment = AnswerAmendment.objects.get()
    assert amendment.status == AmendmentStatus.SUBMITTED
    page = browser.get(workroom(answered))
    assert 'id="amendment-approve-form"' not in page.content.decode()
    with pytest.raises(ServiceError):
        services.amendment_approve(amendment=amendment, user=both)
    with pytest.raises(ServiceError):
        services.amendment_return(amendment=amendment, user=both, reason="스스로 반려")
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.SUBMITTED
    assert answered.answer.__class__.objects.get(pk=answered.answer.pk).necessity != "고친 필요성"
    # Another operator may.
    services.amendment_approve(amendment=amendment, user=operator())
