"""The admin's moderation actions on proposals, through the services: hide
with a reason, restore, the trash; no hard delete and no add."""

import pytest
from django.urls import reverse

from proposals.models import EventKind, Proposal, ProposalEvent, Report, ReportReason
from tests.factories import CommentFactory, ProposalFactory, UserFactory
from tests.pages import messages_sent

from .helpers import CHANGELIST, run_action, shown

pytestmark = pytest.mark.django_db


# --- hide and restore -----------------------------------------------------------


def test_hide_asks_for_a_reason_first(operator_client):
    proposal = ProposalFactory(title="광고 글")
    response = run_action(operator_client, "hide_proposals", [proposal])
    assert response.status_code == 200
    assert response.templates[0].name == "admin/moderation_reason.html"
    assert "광고 글" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_hidden is False


def test_bulk_hide_with_a_reason_hides_and_records_the_reason(operator_client, operator_user):
    # Given two visible proposals
    first, second = ProposalFactory(), ProposalFactory()
    # When the operator hides both, giving a reason
    response = run_action(
        operator_client, "hide_proposals", [first, second], reason="운영원칙 위반: 광고"
    )
    # Then both are hidden with the reason, each with an event on its timeline
    assert response.status_code == 200
    assert "2 proposals were hidden." in messages_sent(response)
    for proposal in (first, second):
        proposal.refresh_from_db()
        assert proposal.is_hidden is True
        assert proposal.hidden_reason == "운영원칙 위반: 광고"
        event = ProposalEvent.objects.get(proposal=proposal, kind=EventKind.HIDDEN)
        assert event.reason == "운영원칙 위반: 광고"
        assert event.actor == operator_user


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_bulk_hide_without_a_reason_changes_nothing(operator_client, reason):
    proposal = ProposalFactory()
    response = run_action(operator_client, "hide_proposals", [proposal], reason=reason)
    # The page asks again and says nothing was changed
    assert response.status_code == 200
    assert response.templates[0].name == "admin/moderation_reason.html"
    assert "Please give a reason. Nothing has been changed." in messages_sent(response)
    assert response.context["form"].errors["reason"]
    proposal.refresh_from_db()
    assert proposal.is_hidden is False
    assert not ProposalEvent.objects.filter(proposal=proposal).exists()


def test_bulk_hide_skips_what_is_already_hidden_and_says_why(operator_client):
    visible = ProposalFactory()
    hidden = ProposalFactory(title="이미 숨김", is_hidden=True, hidden_reason="스팸")
    response = run_action(operator_client, "hide_proposals", [visible, hidden], reason="스팸")
    texts = messages_sent(response)
    assert "1 proposal was hidden." in texts
    assert any("이미 숨김" in t and "This proposal is already hidden." in t for t in texts)
    hidden.refresh_from_db()
    assert hidden.hidden_reason == "스팸"
    assert ProposalEvent.objects.filter(kind=EventKind.HIDDEN).count() == 1


def test_restore_shows_a_hidden_proposal_again(operator_client, operator_user):
    proposal = ProposalFactory(is_hidden=True, hidden_reason="오해")
    run_action(operator_client, "unhide_proposals", [proposal], reason="재검토 결과 문제없음")
    proposal.refresh_from_db()
    assert proposal.is_hidden is False
    assert proposal.hidden_reason == ""
    event = ProposalEvent.objects.get(proposal=proposal, kind=EventKind.UNHIDDEN)
    assert (event.reason, event.actor) == ("재검토 결과 문제없음", operator_user)


# --- trash ----------------------------------------------------------------------


def test_move_to_trash_and_restore_from_trash(operator_client, client):
    # Given a public proposal
    proposal = ProposalFactory()
    # When the operator moves it to the trash
    run_action(operator_client, "trash_proposals", [proposal], reason="중복 제안")
    # Then it is stored with the date, gone from the list and the public site,
    # and found under the trash filter
    proposal.refresh_from_db()
    assert proposal.deleted_at is not None
    assert ProposalEvent.objects.filter(proposal=proposal, kind=EventKind.TRASHED).exists()
    assert proposal.pk not in shown(operator_client.get(reverse(CHANGELIST)))
    assert shown(operator_client.get(reverse(CHANGELIST) + "?trash=yes")) == {proposal.pk}
    assert not Proposal.objects.public().filter(pk=proposal.pk).exists()

    # When the operator restores it from the trash
    run_action(
        operator_client, "restore_from_trash", [proposal], query="?trash=yes", reason="실수로 삭제"
    )
    # Then it is back
    proposal.refresh_from_db()
    assert proposal.deleted_at is None
    event = ProposalEvent.objects.get(proposal=proposal, kind=EventKind.UNTRASHED)
    assert event.reason == "실수로 삭제"
    assert proposal.pk in shown(operator_client.get(reverse(CHANGELIST)))


def test_restore_from_trash_skips_proposals_not_in_the_trash(operator_client):
    proposal = ProposalFactory()
    response = run_action(
        operator_client, "restore_from_trash", [proposal], query="?trash=all", reason="확인"
    )
    assert any("This proposal is not in the trash." in t for t in messages_sent(response))
    assert not ProposalEvent.objects.filter(proposal=proposal).exists()


# --- no hard delete, no add -----------------------------------------------------


@pytest.mark.parametrize("model", ["proposal", "comment", "report"])
def test_hard_delete_is_not_offered(operator_client, model):
    proposal = ProposalFactory()
    comment = CommentFactory(proposal=proposal)
    report = Report.objects.create(
        reporter=UserFactory(), comment=comment, reason=ReportReason.SPAM
    )
    obj = {"proposal": proposal, "comment": comment, "report": report}[model]
    changelist = operator_client.get(reverse(f"admin:proposals_{model}_changelist"))
    actions = dict(changelist.context["cl"].model_admin.get_actions(changelist.wsgi_request))
    assert "delete_selected" not in actions
    delete_url = reverse(f"admin:proposals_{model}_delete", args=[obj.pk])
    assert operator_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_proposals_cannot_be_added_in_the_admin(operator_client):
    assert operator_client.get(reverse("admin:proposals_proposal_add")).status_code == 403
