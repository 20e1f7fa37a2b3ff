"""The department's response to a poll's result (polls/services/responses.py)
through the staff screen (polls/response_admin.py): who may write and
publish it (two departments), when (after voting), the audit rows, the
voters told once, nothing saved when refused."""

import pytest
from django.urls import reverse

from accounts.models import AuditRecord
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError
from polls.models import Poll, PollStatus
from polls.results_audit_words import RESPONSE_CORRECTED, RESPONSE_PUBLISHED, RESPONSE_WRITTEN
from polls.services import responses
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tests.pages import form_fields, logged_in, messages_sent, page_text
from tests.polls.results_world import make_poll, vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments():
    ours, theirs = DepartmentFactory(name="동물보호과"), DepartmentFactory(name="교통정책과")
    return ours, theirs


def _screen(poll):
    return reverse("admin:polls_pollresponse_change", args=[poll.pk])


def test_an_official_of_the_department_writes_and_publishes_the_response(
    two_departments, django_capture_on_commit_callbacks
):
    # given a closed poll of our department with two voters (one has left)
    ours, _theirs = two_departments
    poll = make_poll(department=ours, status=PollStatus.CLOSED)
    voter = UserFactory()
    vote(poll, "A", member=voter)
    vote(poll, "B")
    staff = official(department=ours)
    browser = logged_in(staff, csrf_checks=True)

    # when they fill in the form as shown and save and publish
    page = browser.get(_screen(poll))
    assert page.status_code == 200
    fields = form_fields(page)
    fields["response"] = "결과에 따라 급식소를 늘리겠습니다."
    fields["_publish"] = "Save and publish"
    with django_capture_on_commit_callbacks(execute=True):
        done = browser.post(_screen(poll), fields)

    # then it is public, audited, and the voter is told once
    assert done.status_code == 302
    assert "The response is published; the voters are being told." in messages_sent(done)
    poll.refresh_from_db()
    assert poll.response == "결과에 따라 급식소를 늘리겠습니다."
    assert poll.response_published_at is not None
    actions = list(AuditRecord.objects.filter(actor=staff).values_list("action", flat=True))
    assert sorted(actions) == sorted([RESPONSE_WRITTEN, RESPONSE_PUBLISHED])
    told = Notification.objects.filter(kind="poll_response_published")
    assert [n.recipient_id for n in told] == [voter.pk]
    assert told[0].url == reverse("polls:results", args=[poll.pk])
    public = logged_in(voter).get(reverse("polls:results", args=[poll.pk]))
    assert "결과에 따라 급식소를 늘리겠습니다." in page_text(public)

    # a correction is audited and tells nobody again
    responses.poll_respond(poll=poll, actor=staff, response="고쳐 쓴 응답")
    assert AuditRecord.objects.filter(action=RESPONSE_CORRECTED).count() == 1
    assert told.count() == 1
    with pytest.raises(ServiceError):
        responses.poll_response_publish(poll=poll, actor=staff)


def test_another_department_can_neither_see_nor_respond(two_departments):
    ours, theirs = two_departments
    poll = make_poll(department=ours, status=PollStatus.CLOSED)
    outsider = official(department=theirs)

    assert logged_in(outsider).get(_screen(poll)).status_code == 404
    listing = logged_in(outsider).get(reverse("admin:polls_pollresponse_changelist"))
    assert listing.status_code == 200
    assert poll.title not in page_text(listing)
    with pytest.raises(PermissionDenied):
        responses.poll_respond(poll=poll, actor=outsider, response="남의 부서 응답")
    with pytest.raises(PermissionDenied):
        responses.poll_respond(poll=poll, actor=UserFactory(), response="시민")
    assert Poll.objects.get(pk=poll.pk).response == ""
    # the department's own official and an operator see it listed
    for staff in (official(department=ours), operator()):
        listing = logged_in(staff).get(reverse("admin:polls_pollresponse_changelist"))
        assert poll.title in page_text(listing)


def test_an_operator_responds_for_any_department():
    poll = make_poll(status=PollStatus.CLOSED)
    responses.poll_respond(poll=poll, actor=operator(), response="운영자가 대신 씁니다")
    responses.poll_response_publish(poll=poll, actor=operator())
    assert Poll.objects.get(pk=poll.pk).response_published_at is not None


def test_no_response_while_voting_runs_and_nothing_saved():
    poll = make_poll(open_now=True)
    staff = official(department=poll.department)

    with pytest.raises(ServiceError) as refused:
        responses.poll_respond(poll=poll, actor=staff, response="너무 이른 응답")

    assert refused.value.code == "voting_not_over"
    assert Poll.objects.get(pk=poll.pk).response == ""
    assert not AuditRecord.objects.filter(action=RESPONSE_WRITTEN).exists()
    page = logged_in(staff).get(_screen(poll))
    assert "write it once voting has ended" in page_text(page)


def test_an_empty_response_is_refused_with_a_message():
    poll = make_poll(status=PollStatus.CLOSED)
    staff = official(department=poll.department)
    browser = logged_in(staff, csrf_checks=True)
    page = browser.get(_screen(poll))
    fields = {**form_fields(page), "response": "   ", "_publish": "Save and publish"}

    again = browser.post(_screen(poll), fields)

    assert again.status_code == 200
    assert "This field is required." in page_text(again)
    assert Poll.objects.get(pk=poll.pk).response_published_at is None
    with pytest.raises(ServiceError):
        responses.poll_response_publish(poll=poll, actor=staff)


def test_the_voters_notice_reads_in_korean_and_english(django_capture_on_commit_callbacks):
    from django.utils import translation

    from notifications.messages import render_message, render_title

    poll = make_poll(status=PollStatus.CLOSED, title="길고양이 급식소")
    vote(poll, "A", member=UserFactory())
    responses.poll_respond(poll=poll, actor=operator(), response="응답")
    with django_capture_on_commit_callbacks(execute=True):
        responses.poll_response_publish(poll=poll, actor=operator())
    notice = Notification.objects.get(kind="poll_response_published")
    with translation.override("en"):
        assert "길고양이 급식소" in render_message(notice)
        assert render_title(notice) == "The city responded to a poll you took part in"
    with translation.override("ko"):
        assert render_title(notice) != "The city responded to a poll you took part in"
