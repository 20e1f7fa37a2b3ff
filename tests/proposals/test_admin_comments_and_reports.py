"""The admin's comment and report lists: hiding comments with a reason,
reports linked to their target."""

import pytest
from django.urls import reverse

from proposals.models import Comment, EventKind, ProposalEvent, Report, ReportReason
from tests.factories import (
    CommentFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    official,
)

from .helpers import run_action, shown

pytestmark = pytest.mark.django_db


COMMENTS = "admin:proposals_comment_changelist"


# --- comments ---------------------------------------------------------------------


def test_comment_list_shows_proposal_author_and_department_badge(operator_client):
    dept = DepartmentFactory(code="dept-water", name="물순환정책과")
    proposal = ProposalFactory(title="빗물 정원")
    CommentFactory(proposal=proposal, author=official(department=dept), author_department=dept)
    CommentFactory(proposal=proposal, author=UserFactory(display_name="이영희"))
    response = operator_client.get(reverse(COMMENTS))
    content = response.content.decode()
    assert len(shown(response)) == 2
    for text in ["빗물 정원", "물순환정책과", "이*희"]:
        assert text in content

    official_only = operator_client.get(reverse(COMMENTS) + "?official=yes")
    assert [c.author_department for c in official_only.context["cl"].result_list] == [dept]


def test_hide_and_restore_comments_with_a_reason(operator_client, operator_user):
    comment = CommentFactory(body="광고 댓글입니다")
    run_action(operator_client, "hide_comments", [comment], url_name=COMMENTS, reason="광고")
    comment.refresh_from_db()
    assert (comment.is_hidden, comment.hidden_reason) == (True, "광고")
    event = ProposalEvent.objects.get(proposal=comment.proposal, kind=EventKind.COMMENT_HIDDEN)
    assert (event.reason, event.actor) == ("광고", operator_user)

    run_action(operator_client, "unhide_comments", [comment], url_name=COMMENTS, reason="오해")
    comment.refresh_from_db()
    assert (comment.is_hidden, comment.hidden_reason) == (False, "")
    assert ProposalEvent.objects.filter(kind=EventKind.COMMENT_UNHIDDEN).count() == 1


def test_comment_hide_without_a_reason_changes_nothing(operator_client):
    comment = CommentFactory()
    run_action(operator_client, "hide_comments", [comment], url_name=COMMENTS, reason="")
    comment.refresh_from_db()
    assert comment.is_hidden is False
    assert not Comment.objects.filter(is_hidden=True).exists()


# --- reports ----------------------------------------------------------------------


def test_report_list_links_to_the_target_and_filters_by_handled(operator_client):
    proposal = ProposalFactory(title="신고된 제안")
    comment = CommentFactory(body="신고된 댓글")
    on_proposal = Report.objects.create(
        reporter=UserFactory(), proposal=proposal, reason=ReportReason.SPAM
    )
    on_comment = Report.objects.create(
        reporter=UserFactory(), comment=comment, reason=ReportReason.ABUSE
    )
    response = operator_client.get(reverse("admin:proposals_report_changelist"))
    content = response.content.decode()
    assert shown(response) == {on_proposal.pk, on_comment.pk}
    assert reverse("admin:proposals_proposal_change", args=[proposal.pk]) in content
    assert reverse("admin:proposals_comment_change", args=[comment.pk]) in content

    # Hiding the proposal handles its report
    run_action(operator_client, "hide_proposals", [proposal], reason="스팸")
    url = reverse("admin:proposals_report_changelist")
    assert shown(operator_client.get(url + "?handled=yes")) == {on_proposal.pk}
    assert shown(operator_client.get(url + "?handled=no")) == {on_comment.pk}
    assert shown(operator_client.get(url + "?reason__exact=abuse")) == {on_comment.pk}
