"""Operators move a wrongly filed proposal to another category, with a
reason: a timeline row keeps both categories (as ids, named when read) and
the reason as typed; a proposal that waited for a department because its
category had none goes to the new category's department at once."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from pipeline import services as pipeline
from proposals.models import EventKind, PipelineSettings, ProposalEvent, ProposalStatus
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory, official, operator
from tests.pages import form_fields, form_posting_to, logged_in, messages_sent, page_html, page_text

pytestmark = pytest.mark.django_db


def _page(proposal):
    return reverse("admin:proposals_proposal_recategorise", args=[proposal.pk])


@pytest.fixture
def categories():
    roads = CategoryFactory(
        name="교통",
        name_en="Transport",
        default_department=DepartmentFactory(name="교통정책과", name_en="Transport Policy"),
    )
    parks = CategoryFactory(
        name="공원",
        name_en="Parks",
        default_department=DepartmentFactory(name="공원조성과", name_en="Parks Department"),
    )
    return roads, parks


def test_the_operator_moves_a_proposal_from_its_page_with_a_reason(categories):
    roads, parks = categories
    proposal = ProposalFactory(category=roads)
    staff = operator()
    client = logged_in(staff, csrf_checks=True)
    change = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
    assert f'href="{_page(proposal)}"' in page_html(change)
    page = client.get(_page(proposal))
    assert "Category now: Transport" in page_text(page)
    done = client.post(
        _page(proposal), {**form_fields(page), "category": str(parks.pk), "reason": "공원 안의 길"}
    )
    assert done.status_code == 302
    assert "The proposal was moved to “Parks”." in messages_sent(done)
    proposal.refresh_from_db()
    assert proposal.category == parks
    row = ProposalEvent.objects.get(proposal=proposal, kind=EventKind.RECATEGORISED)
    assert (row.actor, row.reason, row.is_public) == (staff, "공원 안의 길", True)
    assert row.params == {
        "text": "recategorised",
        "from_category": roads.pk,
        "to_category": parks.pk,
    }
    # The public timeline shows the move and the reason
    public = client.get(proposal.get_absolute_url())
    assert "Moved to another category" in page_text(public)
    assert "Moved from “Transport” to “Parks”." in page_text(public)
    assert "공원 안의 길" in page_text(public)


def test_a_blocked_proposal_moved_to_a_category_with_a_department_is_assigned(
    categories, django_capture_on_commit_callbacks
):
    roads, _parks = categories
    clerk = official(department=roads.default_department)
    settings_row = PipelineSettings.load()
    settings_row.answer_threshold = 3
    settings_row.save()
    orphan = ProposalFactory(category=CategoryFactory(default_department=None), endorsement_count=5)
    assert pipeline.sweep()["promoted"] == 0
    client = logged_in(operator())
    page = client.get(_page(orphan))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_page(orphan), {**form_fields(page), "category": roads.pk, "reason": "교통"})
    orphan.refresh_from_db()
    assert (orphan.category, orphan.status) == (roads, ProposalStatus.ASSIGNED)
    assert orphan.department == roads.default_department
    kinds = list(orphan.events.values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.RECATEGORISED, EventKind.STATUS_CHANGED]
    assert Notification.objects.filter(recipient=clerk, kind="assigned_department").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": ""}, "Choose the category to move it to."),
        ({"reason": " "}, "Please give a reason."),
    ],
    ids=["no category", "no reason"],
)
def test_bad_input_says_so_and_changes_nothing(categories, change, message):
    roads, parks = categories
    proposal = ProposalFactory(category=roads)
    client = logged_in(operator())
    page = client.get(_page(proposal))
    fields = {**form_fields(page), "category": str(parks.pk), "reason": "이유", **change}
    response = client.post(_page(proposal), fields)
    assert response.status_code == 200
    assert message in page_text(response)
    proposal.refresh_from_db()
    assert proposal.category == roads
    assert not ProposalEvent.objects.filter(kind=EventKind.RECATEGORISED).exists()


def test_the_same_category_is_not_offered_and_is_refused(categories):
    roads, parks = categories
    proposal = ProposalFactory(category=roads)
    client = logged_in(operator())
    page = client.get(_page(proposal))
    offered = form_posting_to(page, None)["options"]["category"]
    assert str(parks.pk) in offered and str(roads.pk) not in offered
    response = client.post(_page(proposal), {"category": roads.pk, "reason": "그대로"})
    assert response.status_code == 200
    assert not ProposalEvent.objects.filter(kind=EventKind.RECATEGORISED).exists()


def test_a_trashed_proposal_is_not_moved(categories):
    roads, parks = categories
    proposal = ProposalFactory(category=roads, deleted_at=timezone.now())
    client = logged_in(operator())
    response = client.post(_page(proposal), {"category": parks.pk, "reason": "이유"})
    assert response.status_code == 200
    assert "A proposal in the trash cannot be moved; restore it first." in page_text(response)
    proposal.refresh_from_db()
    assert proposal.category == roads


def test_officials_cannot_move_a_proposal(categories):
    roads, parks = categories
    proposal = ProposalFactory(category=roads)
    for department in (roads.default_department, parks.default_department):
        client = logged_in(official(department=department))
        assert client.get(_page(proposal)).status_code == 403
        assert (
            client.post(_page(proposal), {"category": parks.pk, "reason": "x"}).status_code == 403
        )
        change = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
        assert _page(proposal) not in page_html(change)
    proposal.refresh_from_db()
    assert proposal.category == roads


def test_the_screen_reads_in_korean(categories):
    from django.conf import settings

    roads, _parks = categories
    proposal = ProposalFactory(category=roads, department=roads.default_department)
    client = logged_in(operator())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    text = page_text(client.get(_page(proposal)))
    for words in (
        "다른 정책 분야로 옮기기",
        "지금 정책 분야: 교통",
        "답변 중인 부서: 교통정책과",
        "옮긴 사실과 이유는 제안의 진행 기록에 보여요.",
        "이미 답변 중인 부서는 그대로예요.",
        "공원 (담당: 공원조성과)",
    ):
        assert words in text
