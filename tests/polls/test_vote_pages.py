"""Voting through the poll page as a member does: load it, fill the form as
rendered, send what a browser sends."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.participation import Action
from mileage.models import MileageEntry
from polls.forms import field_name
from polls.models import Answer, Ballot, Choice, PollKind, PollStatus, Question
from tests.factories import official, operator
from tests.pages import english_client, flash, form_posting_to, logged_in, page_text
from tests.polls.vote_helpers import choice_ids, choice_poll, citizen, survey_poll, yes_no_poll

pytestmark = pytest.mark.django_db


def _vote_form(client, poll):
    response = client.get(poll.get_absolute_url())
    assert response.status_code == 200
    return form_posting_to(response, reverse("polls:vote", args=[poll.pk]))["fields"]


def test_a_member_votes_yes_or_no_with_a_reason_through_the_page():
    # Given an open yes/no poll and a member
    poll = yes_no_poll()
    question = poll.questions.get()
    member = citizen()
    client = logged_in(member, csrf_checks=True)

    # When they load the page, pick "against" and give a reason
    fields = _vote_form(client, poll)
    fields[field_name(question.pk)] = str(choice_ids(question, "보호조치 반대")[0])
    fields["reason"] = "구청 예산이 먼저입니다"
    response = client.post(reverse("polls:vote", args=[poll.pk]), fields, follow=True)

    # Then the vote is counted once, the reason kept, and the page says so
    assert response.status_code == 200
    assert "Thank you! Your vote was recorded." in flash(response)
    answer = Answer.objects.get(ballot__poll=poll, ballot__member=member)
    assert answer.choice.label == "보호조치 반대"
    assert answer.text == "구청 예산이 먼저입니다"
    assert Choice.objects.get(pk=answer.choice_id).vote_count == 1
    assert Question.objects.get(pk=question.pk).answer_count == 1
    poll.refresh_from_db()
    assert poll.voter_count == 1
    text = page_text(response)
    assert "You voted" in text and "보호조치 반대" in text and "구청 예산이 먼저입니다" in text
    # No second form once voted in a poll that does not allow a change
    assert 'id="vote-form"' not in response.content.decode()


def test_a_member_picks_up_to_the_most_choices_in_a_multiple_choice_poll():
    poll = choice_poll(max_choices=3)
    question = poll.questions.get()
    member = citizen()
    client = logged_in(member, csrf_checks=True)

    response = client.get(poll.get_absolute_url())
    assert "Pick up to 3." in page_text(response)
    fields = _vote_form(client, poll)
    fields[field_name(question.pk)] = [
        str(i) for i in choice_ids(question, "아파트 공동 관리", "시민단체 협조")
    ]
    response = client.post(reverse("polls:vote", args=[poll.pk]), fields)

    assert response.status_code == 302
    assert sorted(
        Answer.objects.filter(ballot__member=member).values_list("choice__label", flat=True)
    ) == [
        "시민단체 협조",
        "아파트 공동 관리",
    ]
    assert Question.objects.get(pk=question.pk).answer_count == 1


def test_too_many_choices_are_refused_with_the_choices_kept_and_nothing_recorded():
    poll = choice_poll(max_choices=2)
    question = poll.questions.get()
    member = citizen()
    client = logged_in(member, csrf_checks=True)

    fields = _vote_form(client, poll)
    picked = [
        str(i)
        for i in choice_ids(question, "아파트 공동 관리", "시민단체 협조", "자치구 행정 신청")
    ]
    fields[field_name(question.pk)] = picked
    response = client.post(reverse("polls:vote", args=[poll.pk]), fields)

    assert response.status_code == 400
    assert "Please pick at most 2 choices." in page_text(response)
    # What the member chose is still ticked, to untick one
    kept = form_posting_to(response, reverse("polls:vote", args=[poll.pk]))["fields"]
    assert sorted(kept[field_name(question.pk)]) == sorted(picked)
    assert not Ballot.objects.exists()
    assert Choice.objects.filter(vote_count__gt=0).count() == 0


def test_a_member_answers_a_survey_of_several_questions():
    poll = survey_poll()
    q1, q2, q3 = poll.questions.all()
    member = citizen()
    client = logged_in(member, csrf_checks=True)

    fields = _vote_form(client, poll)
    fields[field_name(q1.pk)] = str(choice_ids(q1, "민관이 협조해야")[0])
    fields[field_name(q2.pk)] = [str(i) for i in choice_ids(q2, "급식소", "중성화")]
    fields[field_name(q3.pk)] = "  급식소를 늘려 주세요  "
    response = client.post(reverse("polls:vote", args=[poll.pk]), fields, follow=True)

    assert response.status_code == 200
    assert Answer.objects.filter(ballot__member=member).count() == 4
    assert Answer.objects.get(question=q3).text == "급식소를 늘려 주세요"
    assert [q.answer_count for q in Question.objects.filter(poll=poll).order_by("position")] == [
        1,
        1,
        1,
    ]


def test_a_survey_leaves_an_optional_question_unanswered_but_not_a_required_one():
    poll = survey_poll()
    q1, q2, q3 = poll.questions.all()
    client = logged_in(citizen(), csrf_checks=True)

    fields = _vote_form(client, poll)
    fields[field_name(q2.pk)] = [str(choice_ids(q2, "입양")[0])]
    response = client.post(reverse("polls:vote", args=[poll.pk]), fields)

    assert response.status_code == 400
    assert "This field is required." in page_text(response) or "Please answer" in page_text(
        response
    )
    assert not Ballot.objects.exists()

    fields[field_name(q1.pk)] = str(choice_ids(q1, "관심 없다")[0])
    response = client.post(reverse("polls:vote", args=[poll.pk]), fields)
    assert response.status_code == 302
    assert Question.objects.get(pk=q3.pk).answer_count == 0


def test_voting_twice_is_refused_when_the_poll_does_not_allow_a_change():
    poll = yes_no_poll()
    question = poll.questions.get()
    member = citizen()
    client = logged_in(member, csrf_checks=True)
    fields = _vote_form(client, poll)
    fields[field_name(question.pk)] = str(choice_ids(question, "보호조치 찬성")[0])
    client.post(reverse("polls:vote", args=[poll.pk]), fields)

    # The same form sent again (a second tab, the back button)
    fields[field_name(question.pk)] = str(choice_ids(question, "보호조치 반대")[0])
    response = client.post(reverse("polls:vote", args=[poll.pk]), fields)

    assert response.status_code == 403
    assert "You have already voted in this poll." in page_text(response)
    assert Answer.objects.get().choice.label == "보호조치 찬성"
    assert Choice.objects.get(label="보호조치 반대").vote_count == 0
    poll.refresh_from_db()
    assert poll.voter_count == 1


def test_a_member_changes_their_vote_where_allowed_and_earns_the_mileage_once():
    poll = choice_poll(max_choices=2, allow_vote_change=True)
    question = poll.questions.get()
    member = citizen()
    client = logged_in(member, csrf_checks=True)
    fields = _vote_form(client, poll)
    fields[field_name(question.pk)] = [
        str(i) for i in choice_ids(question, "아파트 공동 관리", "시민단체 협조")
    ]
    client.post(reverse("polls:vote", args=[poll.pk]), fields)

    # When they come back, ask to change, and pick otherwise
    response = client.get(poll.get_absolute_url())
    assert "Change my vote" in page_text(response)
    response = client.get(poll.get_absolute_url() + "?change=1")
    fields = form_posting_to(response, reverse("polls:vote", args=[poll.pk]))["fields"]
    # The form shows their vote
    assert sorted(fields[field_name(question.pk)]) == sorted(
        str(i) for i in choice_ids(question, "아파트 공동 관리", "시민단체 협조")
    )
    fields[field_name(question.pk)] = [
        str(i) for i in choice_ids(question, "시민단체 협조", "협약체 구성 및 토론")
    ]
    response = client.post(reverse("polls:vote", args=[poll.pk]), fields, follow=True)

    # Then the counts moved exactly, one ballot, one voter, mileage once
    assert "Your vote was changed." in flash(response)
    counts = dict(Choice.objects.filter(question=question).values_list("label", "vote_count"))
    assert counts == {
        "아파트 공동 관리": 0,
        "시민단체 협조": 1,
        "자치구 행정 신청": 0,
        "시민 개개인의 솔선수범": 0,
        "협약체 구성 및 토론": 1,
    }
    assert Question.objects.get(pk=question.pk).answer_count == 1
    poll.refresh_from_db()
    assert poll.voter_count == 1 and Ballot.objects.count() == 1
    assert MileageEntry.objects.filter(member=member, action=Action.POLL_VOTE).count() == 1


def test_voting_after_the_close_is_refused_and_nothing_recorded():
    poll = yes_no_poll()
    question = poll.questions.get()
    client = logged_in(citizen(), csrf_checks=True)
    fields = _vote_form(client, poll)
    fields[field_name(question.pk)] = str(choice_ids(question, "보호조치 찬성")[0])

    # The poll closes while the page is open
    poll.ends_at = timezone.now() - dt.timedelta(minutes=1)
    poll.starts_at = poll.ends_at - dt.timedelta(days=5)
    poll.save()
    response = client.post(reverse("polls:vote", args=[poll.pk]), fields)

    assert response.status_code == 403
    assert "This poll closed on" in page_text(response)
    assert not Ballot.objects.exists()


def test_a_closed_poll_shows_no_form_but_says_it_closed():
    poll = yes_no_poll(status=PollStatus.CLOSED)
    response = logged_in(citizen()).get(poll.get_absolute_url())
    assert response.status_code == 200
    assert 'id="vote-form"' not in response.content.decode()
    assert "This poll closed on" in page_text(response)


def test_a_poll_not_yet_open_says_when_it_opens():
    now = timezone.now()
    poll = yes_no_poll(starts=now + dt.timedelta(days=2), ends=now + dt.timedelta(days=9))
    response = logged_in(citizen()).get(poll.get_absolute_url())
    assert "This poll opens on" in page_text(response)
    assert 'id="vote-form"' not in response.content.decode()


def test_a_draft_poll_is_not_found():
    poll = yes_no_poll(status=PollStatus.DRAFT)
    assert english_client().get(poll.get_absolute_url()).status_code == 404
    assert logged_in(citizen()).post(reverse("polls:vote", args=[poll.pk]), {}).status_code == 404


def test_a_visitor_is_asked_to_log_in_and_a_post_goes_to_the_login():
    poll = yes_no_poll()
    response = english_client().get(poll.get_absolute_url())
    assert "Please log in to take part in this poll." in page_text(response)
    assert "Log in to vote" in page_text(response)
    response = english_client().post(reverse("polls:vote", args=[poll.pk]), {})
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("make_staff", [official, operator])
def test_staff_accounts_do_not_vote(make_staff):
    poll = yes_no_poll()
    question = poll.questions.get()
    client = logged_in(make_staff(), csrf_checks=True)
    response = client.get(poll.get_absolute_url())
    assert "Staff accounts do not vote in city polls" in page_text(response)
    assert 'id="vote-form"' not in response.content.decode()

    response = client.post(
        reverse("polls:vote", args=[poll.pk]),
        {field_name(question.pk): str(choice_ids(question, "보호조치 찬성")[0])},
    )
    assert response.status_code in (403,)
    assert not Ballot.objects.exists()


def test_a_member_outside_the_target_is_told_why_and_cannot_vote():
    poll = yes_no_poll(target_districts=["jongno"])
    question = poll.questions.get()
    member = citizen(district="gangnam")
    client = logged_in(member, csrf_checks=True)

    response = client.get(poll.get_absolute_url())
    assert "This poll asks residents of Jongno-gu." in page_text(response)
    assert "you are not in this group, so you cannot vote" in page_text(response)
    # said once, by the target's box, not again where the vote would be
    assert page_text(response).count("so you cannot vote") == 1
    assert 'id="vote-form"' not in response.content.decode()

    response = client.post(
        reverse("polls:vote", args=[poll.pk]),
        {field_name(question.pk): str(choice_ids(question, "보호조치 찬성")[0])},
    )
    assert response.status_code == 403
    assert not Ballot.objects.exists()


def test_a_choice_of_another_question_is_refused():
    poll = survey_poll()
    q1, q2, _q3 = poll.questions.all()
    client = logged_in(citizen(), csrf_checks=True)
    fields = _vote_form(client, poll)
    fields[field_name(q1.pk)] = str(choice_ids(q2, "급식소")[0])  # another question's choice
    fields[field_name(q2.pk)] = [str(choice_ids(q2, "입양")[0])]
    response = client.post(reverse("polls:vote", args=[poll.pk]), fields)
    assert response.status_code == 400
    assert "Please pick from the choices given." in page_text(response)
    assert not Ballot.objects.exists()


def test_a_discussion_poll_shows_no_vote_form():
    from tests.polls.vote_helpers import add_question, make_poll

    poll = make_poll(kind=PollKind.DISCUSSION)
    add_question(poll, "길고양이와의 공존을 위해 우리는 무엇을 해야 할까요?")
    client = logged_in(citizen(), csrf_checks=True)
    response = client.get(poll.get_absolute_url())
    assert response.status_code == 200
    assert 'id="vote-form"' not in response.content.decode()
    response = client.post(reverse("polls:vote", args=[poll.pk]), {})
    assert response.status_code == 403
    assert not Ballot.objects.exists()


def test_the_poll_page_speaks_korean_by_default():
    from django.test import Client

    poll = choice_poll(max_choices=3)
    member = citizen()
    client = Client()
    client.force_login(member)

    response = client.get(poll.get_absolute_url())

    text = page_text(response)
    assert "문답형" in text and "투표 기간" in text and "최대 3개까지 고를 수 있어요." in text
    assert "서울시가 묻습니다" in page_text(client.get(reverse("polls:list")))


def test_the_background_shows_images_with_their_text_and_links_files_while_public():
    from polls.models import PollAttachment
    from tests.factories import image_file, pdf_file

    poll = yes_no_poll(background="재개발 지역의 길고양이 현황입니다.")
    image = PollAttachment.objects.create(
        poll=poll, kind="image", file=image_file(), title="재개발 지역 길고양이 분포 지도"
    )
    document = PollAttachment.objects.create(
        poll=poll, kind="file", file=pdf_file(), title="길고양이 실태 조사 보고서", position=1
    )
    visitor = english_client()

    response = visitor.get(poll.get_absolute_url())

    markup = response.content.decode()
    image_url = reverse("polls:attachment", args=[image.pk])
    assert f'src="{image_url}" alt="재개발 지역 길고양이 분포 지도"' in markup
    assert "길고양이 실태 조사 보고서" in page_text(response)
    assert visitor.get(image_url).status_code == 200
    assert visitor.get(reverse("polls:attachment", args=[document.pk])).status_code == 200

    # A draft's material is not served
    poll.status = PollStatus.DRAFT
    poll.save()
    assert visitor.get(image_url).status_code == 404
