"""Reporting a proposal or a comment, and an operator hiding them from the
pages with a reason."""

import pytest

from proposals import services
from proposals.models import Report
from tests.factories import CommentFactory, ProposalFactory, UserFactory, official, operator
from tests.pages import flash, logged_in, page_html

from .helpers import english_page_client  # noqa: F401 (the `client` fixture, reading English)

pytestmark = pytest.mark.django_db


# --- reports and moderation -------------------------------------------------------------


def test_a_proposal_and_a_comment_are_reported_once_each():
    comment = CommentFactory()
    proposal = comment.proposal
    browser = logged_in()
    response = browser.post(f"/proposals/{proposal.pk}/report/", {"reason": "spam"}, follow=True)
    assert flash(response) == ["Thank you. The operators will look at your report."]
    response = browser.post(f"/proposals/{proposal.pk}/report/", {"reason": "abuse"}, follow=True)
    assert flash(response) == ["You have already reported this."]
    response = browser.post(
        f"/proposals/comments/{comment.pk}/report/",
        {"reason": "abuse", "detail": "욕설"},
        follow=True,
    )
    assert flash(response) == ["Thank you. The operators will look at your report."]
    response = browser.post(
        f"/proposals/comments/{comment.pk}/report/", {"reason": "abuse"}, follow=True
    )
    assert flash(response) == ["You have already reported this."]
    assert Report.objects.count() == 2
    response = browser.post(
        f"/proposals/{ProposalFactory().pk}/report/", {"reason": "??"}, follow=True
    )
    assert flash(response) == ["Please choose a reason for the report."]


def test_an_operator_hides_a_proposal_from_its_page_with_a_reason(client):
    # Given a reported proposal and an operator on its page
    proposal = ProposalFactory(
        title="전화번호가 적힌 제안", body="제 번호는 010-1234-5678 입니다. 연락 주세요."
    )
    staff = operator()
    browser = logged_in(staff)
    assert "Hide proposal" in page_html(browser.get(f"/proposals/{proposal.pk}/"))
    # When they hide it with a reason
    response = browser.post(
        f"/proposals/{proposal.pk}/moderate/",
        {"action": "hide", "reason": "개인정보 노출"},
        follow=True,
    )
    assert flash(response) == ["Hidden."]
    # Then the public sees that it was hidden and why, but not the text
    public = page_html(client.get(f"/proposals/{proposal.pk}/"))
    assert "This proposal was hidden by the operators" in public
    assert "Reason: 개인정보 노출" in public
    assert "010-1234-5678" not in public and "전화번호가 적힌 제안" not in public
    assert "전화번호가 적힌 제안" not in page_html(client.get("/proposals/"))
    # And the text stays stored, visible to operators
    proposal.refresh_from_db()
    assert proposal.is_hidden and "010-1234-5678" in proposal.body
    assert "010-1234-5678" in page_html(browser.get(f"/proposals/{proposal.pk}/"))
    # And it can be restored the same way
    response = browser.post(
        f"/proposals/{proposal.pk}/moderate/",
        {"action": "restore", "reason": "번호 삭제 확인"},
        follow=True,
    )
    assert flash(response) == ["Restored."]
    assert "전화번호가 적힌 제안" in page_html(client.get("/proposals/"))


def test_hiding_needs_a_reason():
    proposal = ProposalFactory()
    response = logged_in(operator()).post(
        f"/proposals/{proposal.pk}/moderate/", {"action": "hide", "reason": " "}, follow=True
    )
    assert flash(response) == ["Please give a reason."]
    proposal.refresh_from_db()
    assert not proposal.is_hidden


def test_only_operators_moderate():
    proposal = ProposalFactory()
    comment = CommentFactory(proposal=proposal)
    for user in (proposal.author, UserFactory(), official()):
        browser = logged_in(user)
        data = {"action": "hide", "reason": "x"}
        assert browser.post(f"/proposals/{proposal.pk}/moderate/", data).status_code == 404
        assert browser.post(f"/proposals/comments/{comment.pk}/moderate/", data).status_code == 404
        assert "Hide proposal" not in page_html(browser.get(f"/proposals/{proposal.pk}/"))
    proposal.refresh_from_db()
    comment.refresh_from_db()
    assert not proposal.is_hidden and not comment.is_hidden


def test_an_operator_hides_a_comment_which_shows_as_hidden_with_the_reason(client):
    comment = CommentFactory(body="욕설이 담긴 댓글")
    browser = logged_in(operator())
    response = browser.post(
        f"/proposals/comments/{comment.pk}/moderate/",
        {"action": "hide", "reason": "욕설"},
        follow=True,
    )
    assert flash(response) == ["Hidden."]
    public = page_html(client.get(f"/proposals/{comment.proposal_id}/"))
    assert "This comment was hidden by the operators. Reason: 욕설" in public
    assert "욕설이 담긴 댓글" not in public
    comment.refresh_from_db()
    assert comment.is_hidden and comment.body == "욕설이 담긴 댓글"
    assert "욕설이 담긴 댓글" in page_html(browser.get(f"/proposals/{comment.proposal_id}/"))


def test_a_comment_on_a_trashed_proposal_has_no_report_page():
    # The report page shows the proposal's title and the comment: gone with
    # the proposal's own page when its author trashes it.
    proposal = ProposalFactory()
    comment = CommentFactory(proposal=proposal)
    member = logged_in(UserFactory())
    assert member.get(f"/proposals/comments/{comment.pk}/report/").status_code == 200
    services.proposal_trash(proposal=proposal, user=proposal.author)
    assert member.get(proposal.get_absolute_url()).status_code == 404
    assert member.get(f"/proposals/comments/{comment.pk}/report/").status_code == 404
    assert member.get(f"/proposals/{proposal.pk}/report/").status_code == 404
