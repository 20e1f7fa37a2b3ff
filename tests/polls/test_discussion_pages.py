"""The discussion block of a discussion poll's page (토론형), used as a member
does: read the arguments, post one through the form as rendered, endorse
and take back with the page's buttons (CSRF enforced)."""

import pytest
from django.utils import translation

from polls.models import PollArgument, PollArgumentEndorsement, PollStatus
from polls.services import discussion as services
from tests.factories import UserFactory, operator
from tests.pages import english_client, flash, form_posting_to, forms_on, logged_in, page_text

from .discussion_helpers import closed_poll, discussion_poll

pytestmark = pytest.mark.django_db


def _page(poll):
    return f"/polls/{poll.pk}/"


def _argue(poll, body, side="for", author=None):
    return services.argument_post(poll=poll, author=author or UserFactory(), side=side, body=body)


def _endorse(argument, times):
    for _ in range(times):
        services.argument_endorse(argument=argument, member=UserFactory())


def test_a_visitor_reads_the_visible_arguments_most_endorsed_first_then_newest():
    poll = discussion_poll()
    older = _argue(poll, "먼저 쓴 의견입니다.", side="against")
    newer = _argue(poll, "나중에 쓴 의견입니다.", side="")
    leader = _argue(poll, "가장 공감받은 의견입니다.")
    _endorse(leader, 2)
    hidden = _argue(poll, "광고 글입니다 광고.")
    _endorse(hidden, 3)
    services.argument_hide(argument=hidden, actor=operator(), reason="광고")

    page = english_client().get(_page(poll))

    text = page_text(page)
    assert page.status_code == 200
    assert "길고양이 급식소를 늘려야 할까요?" in text  # the question
    order = [text.index(body) for body in (leader.body, newer.body, older.body)]
    assert order == sorted(order)
    assert hidden.body not in text
    # the tallies leave the hidden argument out
    assert "For 1 argument 2 endorsements" in text
    assert "Against 1 argument 0 endorsements" in text
    assert "Neither 1 argument 0 endorsements" in text
    # no form for a visitor, but the way to log in
    assert [form["action"] for form in forms_on(page) if "/polls/" in form["action"]] == []
    assert "Log in to endorse arguments and give your own" in text


def test_a_member_posts_an_argument_through_the_form_as_rendered():
    poll = discussion_poll()
    member = UserFactory()
    browser = logged_in(member, csrf_checks=True)
    page = browser.get(_page(poll))
    action = f"/polls/{poll.pk}/arguments/"
    form = form_posting_to(page, action)
    assert form["options"].get("side") in (None, ["for", "against", "neither"])
    fields = {**form["fields"], "side": "neither", "body": "급식소와 중성화를 함께 해야 합니다."}

    posted = browser.post(action, fields, follow=True)

    argument = PollArgument.objects.get(poll=poll)
    assert (argument.author, argument.side) == (member, "")
    assert flash(posted) == ["Your argument is posted."]
    assert "급식소와 중성화를 함께 해야 합니다." in page_text(posted)
    # sent again (a double click), it posts once
    browser.post(action, fields)
    assert PollArgument.objects.filter(poll=poll).count() == 1


def test_a_refused_argument_comes_back_as_written():
    poll = discussion_poll()
    browser = logged_in(UserFactory(), csrf_checks=True)
    action = f"/polls/{poll.pk}/arguments/"
    page = browser.get(_page(poll))
    long_text = "길" * 2001
    fields = {**form_posting_to(page, action)["fields"], "side": "against", "body": long_text}

    refused = browser.post(action, fields, follow=True)

    assert flash(refused) == ["An argument may be at most 2000 characters."]
    again = form_posting_to(refused, action)["fields"]
    assert (again["body"], again["side"]) == (long_text, "against")
    assert again["submission_token"] == fields["submission_token"]
    assert not PollArgument.objects.exists()


def test_without_a_side_the_form_says_so_and_keeps_the_text():
    poll = discussion_poll()
    browser = logged_in(UserFactory(), csrf_checks=True)
    action = f"/polls/{poll.pk}/arguments/"
    fields = form_posting_to(browser.get(_page(poll)), action)["fields"]
    fields.pop("side", None)
    refused = browser.post(action, {**fields, "body": "편이 없는 글입니다."}, follow=True)
    assert flash(refused) == ["This field is required."]
    assert form_posting_to(refused, action)["fields"]["body"] == "편이 없는 글입니다."
    assert not PollArgument.objects.exists()


def test_a_member_endorses_and_takes_back_with_the_pages_buttons():
    poll = discussion_poll()
    mine = _argue(poll, "제가 쓴 의견입니다.")
    theirs = _argue(poll, "다른 사람의 의견입니다.")
    browser = logged_in(mine.author, csrf_checks=True)
    page = browser.get(_page(poll))
    endorse = f"/polls/arguments/{theirs.pk}/endorse/"
    # one's own argument has no button
    assert forms_on(page) and not [
        f for f in forms_on(page) if f["action"] == f"/polls/arguments/{mine.pk}/endorse/"
    ]

    endorsed = browser.post(endorse, form_posting_to(page, endorse)["fields"], follow=True)

    assert flash(endorsed) == ["You endorsed this argument."]
    theirs.refresh_from_db()
    assert theirs.endorsement_count == 1
    take_back = f"/polls/arguments/{theirs.pk}/unendorse/"
    taken = browser.post(take_back, form_posting_to(endorsed, take_back)["fields"], follow=True)
    assert flash(taken) == ["You took back your endorsement."]
    assert not PollArgumentEndorsement.objects.exists()
    # a stale page's second endorsement is refused with words, not an error
    browser.post(endorse, form_posting_to(page, endorse)["fields"])
    twice = browser.post(endorse, form_posting_to(page, endorse)["fields"], follow=True)
    assert flash(twice)[-1] == "You have already endorsed this argument."


def test_the_arguments_page_on_and_keep_their_page_after_an_endorsement():
    poll = discussion_poll()
    arguments = [_argue(poll, f"의견 {n:02d}호입니다.") for n in range(23)]
    browser = logged_in(UserFactory(), csrf_checks=True)
    first = browser.get(_page(poll))
    assert "의견 22호입니다." in page_text(first)
    assert "의견 00호입니다." not in page_text(first)
    second = browser.get(_page(poll) + "?apage=2")
    assert "의견 00호입니다." in page_text(second)
    endorse = f"/polls/arguments/{arguments[0].pk}/endorse/"
    back = browser.post(endorse, form_posting_to(second, endorse)["fields"])
    assert back.url == f"{_page(poll)}?apage=2#argument-{arguments[0].pk}"
    assert browser.get(_page(poll) + "?apage=x").status_code == 200


def test_a_closed_poll_shows_its_arguments_without_forms_and_refuses_posts():
    poll = discussion_poll()
    argument = _argue(poll, "마감 전에 쓴 의견입니다.")
    from polls.models import Poll

    Poll.objects.filter(pk=poll.pk).update(status=PollStatus.CLOSED)
    browser = logged_in(UserFactory(), csrf_checks=False)
    page = browser.get(_page(poll))
    assert "마감 전에 쓴 의견입니다." in page_text(page)
    assert "Votes are no longer taken." in page_text(page)
    assert not [f for f in forms_on(page) if f["action"].startswith("/polls/")]
    refused = browser.post(f"/polls/arguments/{argument.pk}/endorse/", follow=True)
    assert "Votes are no longer taken." in flash(refused)[0]
    assert not PollArgumentEndorsement.objects.exists()


def test_a_member_outside_the_target_reads_why_they_cannot_take_part():
    poll = discussion_poll(target_districts=["jongno"])
    page = logged_in(UserFactory(district="mapo")).get(_page(poll))
    assert "This poll asks residents of Jongno-gu." in page_text(page)
    assert not [f for f in forms_on(page) if f["action"].startswith("/polls/")]


def test_a_draft_or_another_kind_of_poll_has_no_discussion():
    draft = discussion_poll(status=PollStatus.DRAFT)
    assert english_client().get(_page(draft)).status_code == 404
    assert logged_in().post(f"/polls/{draft.pk}/arguments/").status_code == 404


def test_a_visitor_posting_is_sent_to_log_in():
    poll = discussion_poll()
    response = english_client().post(f"/polls/{poll.pk}/arguments/", {"body": "익명 글"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not PollArgument.objects.exists()


def test_the_page_speaks_korean_by_default():
    poll = discussion_poll()
    _argue(poll, "한국어 화면을 확인합니다.")
    browser = logged_in(UserFactory())
    browser.cookies.pop("django_language", None)
    with translation.override("ko"):
        text = page_text(browser.get(_page(poll)))
    assert "토론에 참여해 주세요" in text
    assert "공감하기" in text and "공감 0" in text and "기타 의견" in text


@pytest.mark.parametrize("rows", [3, 25])
def test_the_page_reads_a_fixed_number_of_queries(rows, django_assert_max_num_queries):
    poll = discussion_poll()
    member = UserFactory()
    arguments = [
        _argue(poll, f"{n}번째 의견입니다.", side=("for", "against", "")[n % 3])
        for n in range(rows)
    ]
    for argument in arguments[:10]:
        services.argument_endorse(argument=argument, member=member)
    browser = logged_in(member)
    # The poll page's own ten (the session, the member and their roles, the
    # poll, its questions and material, the member's ballot, the unread
    # notices…); then the block's five: the count, a page of ids, their rows
    # with authors, the member's endorsements among them, the tallies; the
    # question comes from the page; and the results summary's eight (the
    # poll's questions with their choices, the discussion's tallies and each
    # side's top arguments: a discussion poll's results are live, as its
    # endorsements on this page are), none growing with the arguments.
    with django_assert_max_num_queries(24):
        page = browser.get(_page(poll))
    assert page.status_code == 200
    assert page_text(page).count("Take back my endorsement") == min(rows, 10)


def test_closed_poll_helper_is_closed():
    assert closed_poll().status == PollStatus.CLOSED


@pytest.mark.parametrize("page", ["²", "٣", "9" * 5000, "-1", "x"])
def test_a_forged_page_number_in_an_endorsement_is_no_error(page):
    """The endorse and take-back buttons send the arguments' page back; a
    forged one ("²" is a digit to str.isdigit, int() refuses it; a
    5,000-digit number is past int()'s limit) still endorses and returns to
    the first page, never a server error."""
    poll = discussion_poll()
    argument = _argue(poll, "급식소를 늘리면 좋겠습니다.")
    browser = logged_in(UserFactory())
    for action in ("endorse", "unendorse"):
        back = browser.post(f"/polls/arguments/{argument.pk}/{action}/", {"apage": page})
        assert back.status_code == 302
        assert back.url == f"{_page(poll)}#argument-{argument.pk}"
    assert PollArgumentEndorsement.objects.filter(argument=argument).count() == 0
