"""The report forms on a proposal's page, filled and sent as a browser sends
them: the page's own CSRF token included and enforced (the forms live in a
component included `with … only`, which drops the token unless it is
passed)."""

import pytest

from proposals.models import Report
from tests.factories import CommentFactory, ProposalFactory, UserFactory
from tests.pages import flash, form_posting_to, logged_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", ["proposal", "comment"])
def test_a_member_reports_with_the_form_the_page_shows(target):
    # given a member on a proposal's page with someone else's comment
    proposal = ProposalFactory()
    comment = CommentFactory(proposal=proposal)
    member = UserFactory()
    browser = logged_in(member, csrf_checks=True)
    page = browser.get(proposal.get_absolute_url())
    action = (
        f"/proposals/{proposal.pk}/report/"
        if target == "proposal"
        else f"/proposals/comments/{comment.pk}/report/"
    )
    form = form_posting_to(page, action)

    # when they choose the first reason the form offers and send it
    reason = next(value for value in form["options"]["reason"] if value)
    sent = browser.post(action, {**form["fields"], "reason": reason}, follow=True)

    # then the report is stored and the page thanks them
    assert sent.status_code == 200
    report = Report.objects.get(reporter=member)
    assert (report.reason, report.proposal_id, report.comment_id) == (
        (reason, proposal.pk, None) if target == "proposal" else (reason, None, comment.pk)
    )
    assert "Thank you. The operators will look at your report." in flash(sent)
