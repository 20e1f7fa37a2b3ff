"""Comments on the proposal page: writing, editing, deleting, badges."""

import pytest
from django.test import Client

from proposals.models import Comment
from tests.factories import (
    CommentFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    official,
)
from tests.pages import flash, logged_in, page_html

from .helpers import english_page_client  # noqa: F401 (the `client` fixture, reading English)

pytestmark = pytest.mark.django_db


# --- comments -------------------------------------------------------------------------


def test_a_member_writes_edits_and_deletes_their_comment(client):
    proposal = ProposalFactory()
    member = UserFactory(nickname="댓글러")
    browser = logged_in(member)
    # write
    response = browser.post(
        f"/proposals/{proposal.pk}/comments/", {"body": "좋아요 <script>x</script>"}, follow=True
    )
    comment = Comment.objects.get()
    assert response.redirect_chain == [(f"/proposals/{proposal.pk}/#comment-{comment.pk}", 302)]
    assert flash(response) == ["Your comment is posted."]
    assert "좋아요 &lt;script&gt;x&lt;/script&gt;" in response.content.decode()
    assert "1 comment" in page_html(response)
    # edit
    form = browser.get(f"/proposals/comments/{comment.pk}/edit/")
    assert "좋아요 &lt;script&gt;" in form.content.decode()
    response = browser.post(
        f"/proposals/comments/{comment.pk}/edit/", {"body": "정말 좋아요"}, follow=True
    )
    assert flash(response) == ["Your comment is updated."]
    assert "정말 좋아요" in page_html(response)
    # delete: gone from the page and the count, kept in the database
    response = browser.post(f"/proposals/comments/{comment.pk}/delete/", follow=True)
    assert flash(response) == ["Your comment is deleted."]
    assert "정말 좋아요" not in page_html(response)
    assert "0 comments" in page_html(response)
    comment.refresh_from_db()
    assert comment.deleted_at is not None and comment.body == "정말 좋아요"
    assert "No comments yet." in page_html(client.get(f"/proposals/{proposal.pk}/"))


def test_an_empty_comment_gets_a_message():
    proposal = ProposalFactory()
    response = logged_in().post(f"/proposals/{proposal.pk}/comments/", {"body": "   "}, follow=True)
    assert flash(response) == ["This field is required."]
    assert not Comment.objects.exists()


def test_someone_elses_comment_cannot_be_edited_or_deleted():
    comment = CommentFactory(body="원래 댓글")
    browser = logged_in()
    assert browser.get(f"/proposals/comments/{comment.pk}/edit/").status_code == 404
    assert (
        browser.post(f"/proposals/comments/{comment.pk}/edit/", {"body": "바꿈"}).status_code == 404
    )
    assert browser.post(f"/proposals/comments/{comment.pk}/delete/").status_code == 404
    comment.refresh_from_db()
    assert comment.body == "원래 댓글" and comment.deleted_at is None


def test_an_officials_comment_shows_their_department_badge(client):
    department = DepartmentFactory(name="보행정책과")
    staff = official(department=department, display_name="이공무")
    proposal = ProposalFactory()
    logged_in(staff).post(f"/proposals/{proposal.pk}/comments/", {"body": "검토 중입니다."})
    logged_in().post(f"/proposals/{proposal.pk}/comments/", {"body": "기대돼요"})
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert page.count("badge-official") == 1
    assert '<span class="badge badge-official">Official · 보행정책과</span>' in page


def test_commenting_needs_login_and_a_csrf_token(client):
    proposal = ProposalFactory()
    assert client.post(f"/proposals/{proposal.pk}/comments/", {"body": "글"}).status_code == 302
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    assert browser.post(f"/proposals/{proposal.pk}/comments/", {"body": "글"}).status_code == 403
    assert not Comment.objects.exists()
