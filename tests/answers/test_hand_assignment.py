"""Operators assign proposals to a department by hand: one from its page
or from the "could not be assigned" notice, many from the list. The
category's default department is suggested, any active one may be chosen;
all of a batch is assigned or none is, and each refusal is named."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from answers.models import Assignment
from notifications.models import Notification
from pipeline import services as pipeline
from proposals.models import PipelineSettings, Proposal, ProposalEvent, ProposalStatus
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    ProposalFactory,
    official,
    operator,
)
from tests.pages import form_fields, logged_in, messages_sent, page_html, page_text

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:proposals_proposal_changelist")


def _assign_page(proposal_id):
    return reverse("admin:proposals_proposal_assign", args=[proposal_id])


@pytest.fixture
def departments():
    transport = DepartmentFactory(name="교통정책과", name_en="Transport Policy")
    parks = DepartmentFactory(name="공원조성과", name_en="Parks")
    return transport, parks


def _selected_department(response) -> str:
    return form_fields(response).get("department", "")


def test_the_blocked_notice_opens_the_screen_and_the_operator_assigns_it(departments):
    transport, _parks = departments
    clerk = official(department=transport)
    staff = operator()
    settings_row = PipelineSettings.load()
    settings_row.answer_threshold = 3
    settings_row.save()
    orphan = ProposalFactory(category=CategoryFactory(default_department=None), endorsement_count=4)
    # Given the sweep could not assign it and told the operators
    assert pipeline.sweep()["promoted"] == 0
    notice = Notification.objects.get(recipient=staff, kind="assignment_blocked")
    assert notice.url == _assign_page(orphan.pk)
    client = logged_in(staff, csrf_checks=True)
    assert "“Assign to a department” page" in page_text(client.get("/notifications/"))
    # When the operator opens it: no suggestion (the category has no department)
    page = client.get(notice.url)
    assert page.status_code == 200
    assert "Suggested department: none" in page_text(page)
    assert _selected_department(page) == ""
    # and gives it to the transport department with a reason
    fields = {**form_fields(page), "department": str(transport.pk), "reason": "교통 분야 제안"}
    done = client.post(notice.url, fields)
    # Then it waits for that department's answer, with the reason on its timeline
    assert done.status_code == 302
    assert done.url == reverse("admin:proposals_proposal_change", args=[orphan.pk])
    assert "1 proposal was assigned to Transport Policy." in messages_sent(done)
    orphan.refresh_from_db()
    assert (orphan.status, orphan.department) == (ProposalStatus.ASSIGNED, transport)
    assert Assignment.objects.get(proposal=orphan).department == transport
    row = ProposalEvent.objects.get(proposal=orphan, to_status=ProposalStatus.ASSIGNED)
    assert (row.actor, row.actor_department, row.reason) == (staff, transport, "교통 분야 제안")
    assert Notification.objects.filter(recipient=clerk, kind="assigned_department").count() == 1


def test_the_default_department_is_suggested_and_another_may_be_chosen(departments):
    transport, parks = departments
    proposal = ProposalFactory(category=CategoryFactory(default_department=transport))
    client = logged_in(operator(), csrf_checks=True)
    change_page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
    assert f'href="{_assign_page(proposal.pk)}"' in page_html(change_page)
    page = client.get(_assign_page(proposal.pk))
    assert _selected_department(page) == str(transport.pk)
    assert "Suggested: Transport Policy, the default department of the category." in page_text(page)
    client.post(
        _assign_page(proposal.pk),
        {**form_fields(page), "department": str(parks.pk), "reason": "공원 안의 길이라서"},
    )
    proposal.refresh_from_db()
    assert proposal.department == parks
    # and an assigned proposal's page offers no second assignment
    change_page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
    assert _assign_page(proposal.pk) not in page_html(change_page)


def _run_assign_action(client, proposals):
    return client.post(
        CHANGELIST,
        {"action": "assign_to_department", "_selected_action": [p.pk for p in proposals]},
    )


def test_many_proposals_from_the_list_are_assigned_together(departments):
    transport, _parks = departments
    proposals = [ProposalFactory() for _ in range(3)]
    client = logged_in(operator())
    redirect = _run_assign_action(client, proposals)
    assert redirect.status_code == 302
    page = client.get(redirect.url)
    assert page_text(page).count("Suggested department:") == 3
    # each has its own category's department: none is pre-selected
    assert _selected_department(page) == ""
    done = client.post(
        redirect.url,
        {**form_fields(page), "department": str(transport.pk), "reason": "한 부서가 맡기로"},
    )
    assert "3 proposals were assigned to Transport Policy." in messages_sent(done)
    assert set(Proposal.objects.values_list("status", "department")) == {
        (ProposalStatus.ASSIGNED, transport.pk)
    }
    assert ProposalEvent.objects.filter(to_status=ProposalStatus.ASSIGNED).count() == 3


def test_a_batch_with_a_closed_and_an_assigned_proposal_assigns_none_and_names_them(departments):
    transport, parks = departments
    fine = ProposalFactory(title="괜찮은 제안")
    closed = ProposalFactory(
        title="철회한 제안", status=ProposalStatus.WITHDRAWN, withdrawn_at=timezone.now()
    )
    taken = ProposalFactory(title="이미 배정된 제안")
    client = logged_in(operator())
    page = client.get(_assign_page(taken.pk))
    client.post(
        _assign_page(taken.pk),
        {**form_fields(page), "department": str(parks.pk), "reason": "먼저 배정"},
    )
    before = ProposalEvent.objects.count(), Notification.objects.count()
    redirect = _run_assign_action(client, [fine, closed, taken])
    page = client.get(redirect.url)
    text = page_text(page)
    assert "2 of these cannot be assigned." in text
    response = client.post(
        redirect.url,
        {**form_fields(page), "department": str(transport.pk), "reason": "일괄 배정"},
    )
    assert response.status_code == 200
    assert "2 proposals cannot be assigned, so none was. Nothing has been changed." in (
        messages_sent(response)
    )
    text = page_text(response)
    assert re.search(r"철회한 제안 .*Cannot be assigned: It is “Withdrawn by the proposer”", text)
    assert re.search(r"이미 배정된 제안 .*Cannot be assigned: It is already with Parks", text)
    fine.refresh_from_db()
    assert fine.status == ProposalStatus.OPEN and fine.department is None
    assert Assignment.objects.count() == 1
    assert (ProposalEvent.objects.count(), Notification.objects.count()) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"department": ""}, "Choose the department that should answer."),
        ({"reason": "  "}, "Please give a reason."),
    ],
    ids=["no department", "no reason"],
)
def test_a_form_without_department_or_reason_says_so_and_saves_nothing(
    departments, change, message
):
    transport, _parks = departments
    proposal = ProposalFactory()
    client = logged_in(operator())
    page = client.get(_assign_page(proposal.pk))
    fields = {**form_fields(page), "department": str(transport.pk), "reason": "이유", **change}
    response = client.post(_assign_page(proposal.pk), fields)
    assert response.status_code == 200
    assert message in page_text(response)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    assert not Assignment.objects.exists()
    assert not ProposalEvent.objects.filter(proposal=proposal).exists()


def test_an_inactive_department_cannot_be_chosen(departments):
    transport, _parks = departments
    transport.is_active = False
    transport.save()
    proposal = ProposalFactory()
    client = logged_in(operator())
    page = client.get(_assign_page(proposal.pk))
    response = client.post(
        _assign_page(proposal.pk),
        {**form_fields(page), "department": str(transport.pk), "reason": "이유"},
    )
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_officials_cannot_assign_by_hand(departments):
    transport, parks = departments
    proposal = ProposalFactory(category=CategoryFactory(default_department=transport))
    for department in (transport, parks):
        client = logged_in(official(department=department))
        assert client.get(_assign_page(proposal.pk)).status_code == 403
        response = client.post(
            _assign_page(proposal.pk), {"department": transport.pk, "reason": "x"}
        )
        assert response.status_code == 403
        listing = client.get(CHANGELIST)
        assert "assign_to_department" not in listing.content.decode()
    assert not Assignment.objects.exists()


def test_the_screen_reads_in_korean(departments):
    from django.conf import settings

    transport, _parks = departments
    proposal = ProposalFactory(category=CategoryFactory(default_department=transport))
    client = logged_in(operator())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    text = page_text(client.get(_assign_page(proposal.pk)))
    for words in (
        "부서에 배정하기",
        "고른 부서가 기한 안에 답변해요.",
        "제안 1건",
        "추천 부서",
        "답변할 부서",
        "추천: 교통정책과 (정책 분야의 담당 부서)",
    ):
        assert words in text


@pytest.mark.parametrize(
    "address",
    [
        # Characters str.isdigit() accepts but int() refuses (superscripts),
        # typed or pasted into the address: a 404, not a 500.
        "/admin/proposals/proposal/²/assign/",
        "/admin/proposals/proposal/1,²/assign/",
        "/admin/proposals/proposal/assign/?ids=1,²",
        "/admin/proposals/proposal/assign/?ids=abc,-1",
    ],
)
def test_an_address_with_odd_ids_is_not_found(address):
    client = logged_in(operator())
    assert client.get(address).status_code == 404
    assert client.post(address, {"department": "1", "reason": "x"}).status_code == 404
    assert not Assignment.objects.exists()
