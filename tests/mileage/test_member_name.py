"""The grade's emoticon beside a member's public name: `{% member_name %}`."""

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from accounts.grades import GRADE_EMOTICONS, Grade
from tests.factories import CommentFactory, ProposalFactory, UserFactory, official
from tests.pages import english_client, page_html, page_text


def render(user, language="ko") -> str:
    with translation.override(language):
        return Template("{% load members %}{% member_name user %}").render(Context({"user": user}))


@pytest.mark.parametrize("grade", list(Grade))
def test_every_grade_shows_its_emoticon_named_in_words(db, grade):
    member = UserFactory(display_name="홍길동", mileage_grade=grade)
    html = render(member)
    assert html.startswith('<span class="member-name">홍*동 <span class="grade grade-')
    assert f'class="grade grade-{grade.value}"' in html
    assert 'role="img"' in html
    assert GRADE_EMOTICONS[grade] in html
    with translation.override("en"):
        label = str(grade.label)
    english = render(member, "en")
    assert f'aria-label="Grade: {label}" title="{label}"' in english


def test_korean_reads_the_grade_in_korean(db):
    member = UserFactory(display_name="홍길동", mileage_grade=Grade.TREE)
    assert render(member) == (
        '<span class="member-name">홍*동 <span class="grade grade-2" role="img" '
        'aria-label="등급: 나무" title="나무">🌳</span></span>'
    )


def test_a_withdrawn_member_or_none_shows_no_grade(db):
    gone = UserFactory(mileage_grade=Grade.FOREST, withdrawn_at=timezone.now())
    assert render(gone) == '<span class="member-name">탈퇴한 회원</span>'
    assert render(None) == '<span class="member-name">탈퇴한 회원</span>'


def test_staff_names_stay_plain(db):
    assert 'class="grade' not in render(official(mileage_grade=Grade.TREE))


def test_a_nickname_is_escaped(db):
    member = UserFactory(nickname="<script>alert(1)</script>", mileage_grade=Grade.SPROUT)
    html = render(member)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_public_pages_show_the_grade_beside_names(db):
    # Given a proposal by a 숲 member with a comment by a 새싹 member
    author = UserFactory(nickname="숲지기", mileage_grade=Grade.FOREST)
    proposal = ProposalFactory(author=author)
    CommentFactory(
        proposal=proposal, author=UserFactory(nickname="새싹이", mileage_grade=Grade.SPROUT)
    )
    client = english_client()
    # The list and the proposal page name them with their grade
    listed = page_html(client.get("/proposals/"))
    assert 'aria-label="Grade: Forest"' in listed
    page = client.get(proposal.get_absolute_url())
    html = page_html(page)
    assert 'aria-label="Grade: Forest"' in html
    assert 'aria-label="Grade: Sprout"' in html
    assert "숲지기" in page_text(page) and "새싹이" in page_text(page)
