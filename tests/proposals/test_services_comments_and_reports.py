"""proposals/services.py, comments and reports: counts, rules, moderation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oasis.errors import PermissionDenied, ServiceError
from proposals import services
from proposals.models import Comment, EventKind, ProposalEvent, Report
from tests.factories import CommentFactory, ProposalFactory, UserFactory, official, operator
from tests.pages import logged_in, page_text

pytestmark = pytest.mark.django_db


# --- comments -----------------------------------------------------------------


def test_comments_count_exactly_through_create_and_delete():
    proposal = ProposalFactory()
    member = UserFactory()
    first = services.comment_create(proposal=proposal, author=member, body="  좋아요  ")
    services.comment_create(proposal=proposal, author=member, body="두 번째")
    services.comment_delete(comment=first, user=member)
    proposal.refresh_from_db()
    first.refresh_from_db()
    assert first.body == "좋아요"
    assert first.deleted_at is not None  # stays stored
    assert proposal.comment_count == 1 == Comment.objects.not_deleted().count()
    with pytest.raises(ServiceError):
        services.comment_delete(comment=first, user=member)
    proposal.refresh_from_db()
    assert proposal.comment_count == 1


def test_an_officials_comment_carries_the_department_as_it_was():
    staff = official()
    department = staff.department
    comment = services.comment_create(
        proposal=ProposalFactory(), author=staff, body="검토하겠습니다."
    )
    staff.department = None
    staff.save()
    comment.refresh_from_db()
    assert comment.author_department == department
    citizen_comment = services.comment_create(
        proposal=ProposalFactory(), author=UserFactory(), body="저도요"
    )
    assert citizen_comment.author_department is None


@pytest.mark.parametrize("body", ["", "   ", "가" * 2001])
def test_an_empty_or_over_long_comment_is_refused(body):
    with pytest.raises(ValidationError):
        services.comment_create(proposal=ProposalFactory(), author=UserFactory(), body=body)
    assert not Comment.objects.exists()


def test_comments_are_closed_on_a_hidden_proposal():
    with pytest.raises(ServiceError):
        services.comment_create(
            proposal=ProposalFactory(is_hidden=True), author=UserFactory(), body="글"
        )


def test_only_the_author_edits_or_deletes_a_comment():
    comment = CommentFactory()
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        services.comment_update(comment=comment, user=other, body="바꿔치기")
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=comment, user=other)
    services.comment_update(comment=comment, user=comment.author, body="고쳤어요")
    comment.refresh_from_db()
    assert comment.body == "고쳤어요"


def test_an_operator_hides_a_comment_with_a_private_timeline_entry():
    comment = CommentFactory()
    services.comment_set_hidden(comment=comment, user=operator(), reason="욕설", hidden=True)
    comment.refresh_from_db()
    assert (comment.is_hidden, comment.hidden_reason) == (True, "욕설")
    event = ProposalEvent.objects.get(kind=EventKind.COMMENT_HIDDEN)
    assert event.is_public is False


# --- reports ------------------------------------------------------------------


def test_a_member_reports_a_proposal_and_a_comment_once_each():
    member = UserFactory()
    comment = CommentFactory()
    services.report_create(reporter=member, reason="spam", proposal=comment.proposal)
    services.report_create(reporter=member, reason="abuse", comment=comment)
    with pytest.raises(ServiceError, match="already reported"):
        services.report_create(reporter=member, reason="other", proposal=comment.proposal)
    with pytest.raises(ServiceError, match="already reported"):
        services.report_create(reporter=member, reason="other", comment=comment)
    assert Report.objects.count() == 2


def test_what_the_operators_hid_cannot_be_reported_through_its_id():
    # The page shows no report form for hidden content; a member posting to
    # its report URL by id (the attacker's way) is refused and nothing stored.
    member = UserFactory()
    hidden_proposal = ProposalFactory()
    services.proposal_hide(proposal=hidden_proposal, user=operator(), reason="광고")
    hidden_comment = CommentFactory()
    services.comment_set_hidden(comment=hidden_comment, user=operator(), reason="욕설", hidden=True)
    browser = logged_in(member, csrf_checks=False)
    for url in (
        reverse("proposals:report", args=[hidden_proposal.pk]),
        reverse("proposals:comment_report", args=[hidden_comment.pk]),
    ):
        response = browser.post(url, {"reason": "spam"}, follow=True)
        assert "already been hidden by the operators" in page_text(response)
    assert Report.objects.count() == 0


def test_a_hidden_comment_cannot_be_rewritten_and_moderation_does_not_mark_it_edited():
    comment = CommentFactory()
    services.comment_set_hidden(comment=comment, user=operator(), reason="욕설", hidden=True)
    comment.refresh_from_db()
    with pytest.raises(ServiceError, match="hidden by the operators"):
        services.comment_update(comment=comment, user=comment.author, body="다른 말")
    services.comment_set_hidden(comment=comment, user=operator(), reason="오해였음", hidden=False)
    comment.refresh_from_db()
    assert comment.body == "좋은 생각이에요!"
    assert comment.is_edited is False
    services.comment_update(comment=comment, user=comment.author, body="고친 댓글")
    comment.refresh_from_db()
    assert comment.is_edited is True


def test_an_operator_closes_a_report_without_hiding_and_only_once():
    proposal = ProposalFactory()
    report = services.report_create(reporter=UserFactory(), reason="spam", proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.report_dismiss(report=report, user=UserFactory(), reason="문제없음")
    with pytest.raises(ServiceError):
        services.report_dismiss(report=report, user=operator(), reason=" ")
    services.report_dismiss(report=report, user=operator(), reason="운영 원칙에 맞음")
    report.refresh_from_db()
    proposal.refresh_from_db()
    assert report.resolved_at is not None and report.resolution == "운영 원칙에 맞음"
    assert proposal.is_hidden is False
    with pytest.raises(ServiceError, match="already been handled"):
        services.report_dismiss(report=report, user=operator(), reason="다시")
