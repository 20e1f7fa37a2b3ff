"""Findings of the issue-13 review: each test failed before its fix."""

import pytest

from accounts.grades import Grade
from accounts.participation import Action
from proposals import services as proposal_services
from proposals.models import Comment
from tests.factories import ProposalFactory, operator
from tests.pages import form_posting_to, logged_in

from .helpers import assert_exact, balance, entries, set_rule

pytestmark = pytest.mark.django_db


def _own_comment_on_hidden_proposal():
    """The author comments on their own proposal, which a moderator then
    hides (taking the comment's points back with everything else)."""
    set_rule(Action.COMMENT, 2)
    # Made by the factory, the proposal itself was never credited
    set_rule(Action.PROPOSE, 0)
    proposal = ProposalFactory()
    author = proposal.author
    browser = logged_in(author, csrf_checks=True)
    page = browser.get(proposal.get_absolute_url())
    create = f"/proposals/{proposal.pk}/comments/"
    browser.post(create, {**form_posting_to(page, create)["fields"], "body": "덧붙입니다."})
    comment = Comment.objects.get()
    assert balance(author) == 2
    moderator = operator()
    proposal_services.proposal_hide(proposal=proposal, user=moderator, reason="확인 중")
    assert balance(author) == 0
    return proposal, author, comment, moderator, browser


def test_a_comment_deleted_while_its_proposal_is_hidden_is_not_credited_again_on_showing():
    proposal, author, comment, moderator, browser = _own_comment_on_hidden_proposal()
    # The author deletes the comment while the proposal is hidden
    proposal_services.comment_delete(comment=comment, user=author)
    comment.refresh_from_db()
    assert comment.deleted_at is not None
    proposal_services.proposal_unhide(proposal=proposal, user=moderator, reason="문제없음")
    # Before the fix the deleted comment's 2 points came back with the proposal
    assert balance(author) == 0
    assert_exact()


def test_a_comment_hidden_while_its_proposal_is_hidden_comes_back_only_when_both_are_shown():
    proposal, author, comment, moderator, _browser = _own_comment_on_hidden_proposal()
    proposal_services.comment_set_hidden(comment=comment, user=moderator, reason="x", hidden=True)
    proposal_services.proposal_unhide(proposal=proposal, user=moderator, reason="y")
    assert balance(author) == 0
    proposal_services.comment_set_hidden(comment=comment, user=moderator, reason="z", hidden=False)
    assert balance(author) == 2
    assert sum(entries(author, Action.COMMENT)) == 2
    assert_exact()


def test_a_members_data_export_holds_their_mileage_and_no_one_elses():
    """The right to take one's data along covers the ledger the portal keeps
    about a member: balance, grade and every entry (review of issue 13: the
    export had none of it)."""
    set_rule(Action.COMMENT, 2)
    proposal = ProposalFactory()
    member, other = proposal.author, ProposalFactory().author
    comment = proposal_services.comment_create(proposal=proposal, author=member, body="좋아요")
    proposal_services.comment_create(proposal=proposal, author=other, body="저도요")
    proposal_services.comment_delete(comment=comment, user=member)
    proposal_services.comment_create(proposal=proposal, author=member, body="다시 씁니다")

    data = logged_in(member).get("/accounts/profile/export/").json()["mileage"]
    assert data["balance"] == 2
    assert data["grade"] == Grade.SEED
    assert [(e["action"], e["points"]) for e in data["entries"]] == [
        ("comment", 2),
        ("comment", -2),
        ("comment", 2),
    ]
    assert all(e["proposal"] == proposal.pk for e in data["entries"])
