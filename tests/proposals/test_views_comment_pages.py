"""A long comment thread on a proposal's page comes in pages of
COMMENTS_PER_PAGE, oldest first, with plain links between them; the page
runs the same queries whatever the thread's length, and a member's page
carries no report form per comment (a link to the report page instead)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals.models import Comment, PipelineSettings, Proposal, Report
from proposals.selectors import COMMENTS_PER_PAGE
from tests.factories import CommentFactory, ProposalFactory, UserFactory
from tests.pages import english_client, form_posting_to, logged_in

pytestmark = pytest.mark.django_db

LONG = 2 * COMMENTS_PER_PAGE + 20


def with_comments(count: int) -> Proposal:
    proposal = ProposalFactory()
    authors = UserFactory.create_batch(3)
    for number in range(count):
        CommentFactory(proposal=proposal, author=authors[number % 3], body=f"댓글 {number + 1}번")
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=count)
    return proposal


def shown(response) -> list[str]:
    return re.findall(r"<p>(댓글 \d+번)</p>", response.content.decode())


def comment_page_link(response, label: str) -> str:
    found = re.search(
        rf'<a href="(\?comments=\d+#comments)"[^>]*>{label}</a>', response.content.decode()
    )
    assert found, f"no {label!r} link"
    return found[1]


def test_a_long_thread_is_read_page_by_page_oldest_first():
    proposal = with_comments(LONG)
    reader = english_client()
    url = proposal.get_absolute_url()

    first = reader.get(url)
    assert shown(first) == [f"댓글 {n}번" for n in range(1, COMMENTS_PER_PAGE + 1)]
    assert "Page 1 of 3" in first.content.decode()

    # following "Next" as rendered (a plain link to the thread, no script)
    second = reader.get(url + comment_page_link(first, "Next").split("#")[0])
    assert shown(second)[0] == f"댓글 {COMMENTS_PER_PAGE + 1}번"
    assert len(shown(second)) == COMMENTS_PER_PAGE

    newest = reader.get(url + comment_page_link(first, "Newest comments").split("#")[0])
    assert shown(newest)[-1] == f"댓글 {LONG}번"
    assert len(shown(newest)) == 20

    # a page number past the end or not a number shows a real page
    assert shown(reader.get(url + "?comments=999"))[-1] == f"댓글 {LONG}번"
    assert shown(reader.get(url + "?comments=abc"))[0] == "댓글 1번"


@pytest.mark.parametrize("who", ["anonymous", "member", "author of comments"])
def test_the_page_runs_the_same_queries_whatever_the_threads_length(
    who, django_assert_max_num_queries
):
    short, long = with_comments(3), with_comments(LONG)
    author = Comment.objects.filter(proposal=long).first().author

    make = {
        "anonymous": english_client,
        "member": logged_in,
        "author of comments": lambda: logged_in(author),
    }[who]
    clients = [make() for _ in range(3)]
    # The page's bar conditions read the pipeline settings from the cache,
    # as a running site has them (one query a minute per process): warm.
    PipelineSettings.cached()

    with CaptureQueriesContext(connection) as on_short:
        clients[0].get(short.get_absolute_url())
    with django_assert_max_num_queries(len(on_short.captured_queries)):
        page = clients[1].get(long.get_absolute_url())
    assert len(shown(page)) == COMMENTS_PER_PAGE
    with django_assert_max_num_queries(len(on_short.captured_queries)):
        clients[2].get(long.get_absolute_url() + "?comments=3")
    # and that is a handful, whoever reads
    assert len(on_short.captured_queries) <= 20


def test_a_members_page_has_a_report_link_per_comment_not_a_form():
    proposal = with_comments(LONG)
    page = logged_in().get(proposal.get_absolute_url())
    html = page.content.decode()
    assert html.count("<form") < 10
    assert len(re.findall(r'href="/proposals/comments/\d+/report/"', html)) == COMMENTS_PER_PAGE


def test_a_member_reports_a_comment_from_its_link_and_returns_to_its_page():
    proposal = with_comments(LONG)
    target = Comment.objects.filter(proposal=proposal).order_by("created_at", "id")[60]
    member = logged_in(UserFactory(), csrf_checks=True)
    thread = member.get(proposal.get_absolute_url() + "?comments=2")

    # the comment's own "Report" link, then its form as rendered
    report_url = f"/proposals/comments/{target.pk}/report/"
    assert f'href="{report_url}"' in thread.content.decode()
    page = member.get(report_url)
    assert target.body in page.content.decode()
    form = form_posting_to(page, report_url)
    reason = next(value for value in form["options"]["reason"] if value)
    sent = member.post(report_url, {**form["fields"], "reason": reason})

    assert Report.objects.filter(comment=target).count() == 1
    assert sent["Location"] == f"{proposal.get_absolute_url()}?comments=2#comment-{target.pk}"


def test_a_new_comment_on_a_long_thread_takes_its_author_to_the_last_page():
    proposal = with_comments(LONG)
    member = logged_in()
    page = member.get(proposal.get_absolute_url())
    form = form_posting_to(page, f"/proposals/{proposal.pk}/comments/")
    sent = member.post(form["action"], {**form["fields"], "body": "늦게 온 댓글"}, follow=True)
    last, _status = sent.redirect_chain[-1]
    assert last.startswith(f"{proposal.get_absolute_url()}?comments=3#comment-")
    assert "늦게 온 댓글" in sent.content.decode()
