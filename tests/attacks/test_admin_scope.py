"""Staff reaching past their role in the admin: officials and the mayor's
office reading hidden or trashed proposals, or finding members by e-mail or
real name (unmasking the masked names the public sees); officials and
internal experts rewriting a working review's own record while they record
their decisions in it."""

import pytest

from meetings.models import ReviewDecision, WorkingReview
from proposals import services
from tests.factories import CommentFactory, ProposalFactory, UserFactory, official, operator
from tests.meetings.helpers import internal_expert, mayor_office, review
from tests.pages import form_fields, logged_in, page_text

pytestmark = pytest.mark.django_db

PROPOSALS = "/admin/proposals/proposal/"
COMMENTS = "/admin/proposals/comment/"
OUTSIDE_STAFF = [official, mayor_office]


@pytest.fixture
def hidden_and_trashed():
    boss = operator()
    hidden = ProposalFactory(title="숨겨진 제안 개인정보 노출")
    services.proposal_hide(proposal=hidden, user=boss, reason="개인정보 노출")
    trashed = ProposalFactory(title="휴지통 제안 광고")
    services.proposal_trash(proposal=trashed, user=boss, reason="광고")
    return hidden, trashed


def listed(client, url, **params) -> str:
    """The list's text; a filter the list does not offer sends back to the
    list unfiltered (Django's ?e=1), which is followed."""
    response = client.get(url, params, follow=True)
    assert response.status_code == 200
    return page_text(response)


@pytest.mark.parametrize("make_staff", OUTSIDE_STAFF)
def test_other_staff_do_not_read_hidden_or_trashed_proposals(make_staff, hidden_and_trashed):
    client = logged_in(make_staff())
    public = ProposalFactory(title="공개 제안 한강 산책로")
    for params in ({}, {"trash": "all"}, {"trash": "yes"}, {"is_hidden__exact": "1"}):
        text = listed(client, PROPOSALS, **params)
        assert "숨겨진 제안" not in text and "휴지통 제안" not in text, params
    assert "공개 제안" in listed(client, PROPOSALS)
    for proposal in hidden_and_trashed:
        response = client.get(f"{PROPOSALS}{proposal.pk}/change/", follow=True)
        assert proposal.title not in page_text(response)
        assert "개인정보 노출" not in page_text(response)
    assert public.title in page_text(client.get(f"{PROPOSALS}{public.pk}/change/"))


def test_operators_still_see_hidden_and_trashed_proposals(hidden_and_trashed):
    client = logged_in(operator())
    assert "숨겨진 제안" in listed(client, PROPOSALS)
    assert "휴지통 제안" in listed(client, PROPOSALS, trash="yes")


def test_an_official_does_not_read_hidden_comments_or_comments_of_hidden_proposals(
    hidden_and_trashed,
):
    hidden_proposal, _trashed = hidden_and_trashed
    CommentFactory(proposal=hidden_proposal, body="숨은 제안의 댓글입니다")
    hidden_comment = CommentFactory(body="숨긴 댓글 전화번호 010")
    services.comment_set_hidden(
        comment=hidden_comment, user=operator(), reason="개인정보", hidden=True
    )
    CommentFactory(body="보이는 댓글입니다")
    text = listed(logged_in(official()), COMMENTS, is_hidden__exact="1")
    text += listed(logged_in(official()), COMMENTS)
    assert "숨은 제안의 댓글" not in text and "숨긴 댓글" not in text
    assert "보이는 댓글" in text


@pytest.fixture
def masked_author():
    author = UserFactory(email="secret.author@example.com", display_name="박비밀")
    ProposalFactory(author=author, title="작성자를 찾아라 제안")
    CommentFactory(author=author, body="작성자를 찾아라 댓글")
    return author


@pytest.mark.parametrize("make_staff", OUTSIDE_STAFF)
@pytest.mark.parametrize("query", ["secret.author@example.com", "secret.author", "박비밀"])
def test_other_staff_cannot_find_members_by_email_or_real_name(make_staff, query, masked_author):
    client = logged_in(make_staff())
    assert "작성자를 찾아라" not in listed(client, PROPOSALS, q=query)
    if make_staff is official:  # the mayor's office has no comment list at all
        assert "작성자를 찾아라" not in listed(client, COMMENTS, q=query)
    # The member list itself is not theirs.
    assert client.get("/admin/accounts/user/", {"q": query}).status_code == 403


def test_other_staff_still_search_by_title_and_operators_by_email(masked_author):
    assert "작성자를 찾아라" in listed(logged_in(official()), PROPOSALS, q="찾아라")
    client = logged_in(operator())
    assert "작성자를 찾아라" in listed(client, PROPOSALS, q="secret.author@example.com")
    assert "작성자를 찾아라" in listed(client, COMMENTS, q="박비밀")


@pytest.mark.parametrize("make_member", [official, internal_expert])
def test_review_members_cannot_rewrite_the_working_reviews_record(make_member):
    working_review = review(place="시청 3층 회의실", notes="원래 기록", attendees="김위원")
    proposal = ProposalFactory(status="review")
    client = logged_in(make_member(), csrf_checks=True)
    url = f"/admin/meetings/workingreview/{working_review.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="place"' not in page.content.decode()
    fields = form_fields(page)
    # They still record a decision in the inline, as the review flow lets them ...
    prefix = "decisions"
    fields.update(
        {
            f"{prefix}-0-position": "0",
            f"{prefix}-0-proposal": str(proposal.pk),
            f"{prefix}-0-selected": "on",
            f"{prefix}-0-reason": "시민 공감이 큽니다.",
            # ... but the review's own fields, added by hand, change nothing.
            "held_on": "2020-01-01",
            "place": "아무 데나",
            "notes": "고쳐 쓴 기록",
            "attendees": "가짜 참석자",
        }
    )
    response = client.post(url, fields)
    assert response.status_code == 302
    working_review = WorkingReview.objects.get(pk=working_review.pk)
    assert (working_review.place, working_review.notes, working_review.attendees) == (
        "시청 3층 회의실",
        "원래 기록",
        "김위원",
    )
    assert ReviewDecision.objects.get().proposal == proposal


def test_the_operator_still_edits_the_review_record():
    working_review = review(place="시청 3층 회의실")
    client = logged_in(operator(), csrf_checks=True)
    url = f"/admin/meetings/workingreview/{working_review.pk}/change/"
    fields = form_fields(client.get(url))
    assert client.post(url, {**fields, "place": "서소문청사 회의실"}).status_code == 302
    assert WorkingReview.objects.get().place == "서소문청사 회의실"
