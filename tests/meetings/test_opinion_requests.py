"""Expert opinions on request: the operator asks named experts from the
meeting's opinions page, the expert is told and answers by writing the
opinion, beat reminds once and reports overdue requests once, the meeting's
pages list what is missing, the agenda prints who was asked and who
answered, and an expert who leaves has their open requests flagged."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditRecord
from accounts.selectors import operators
from accounts.signals import staff_left_post
from meetings import services
from meetings.models import ExpertOpinion, ExpertOpinionRequest
from meetings.ownership import expert_requests_unowned
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError
from tests.clock import at, seoul
from tests.factories import official, operator
from tests.pages import (
    english_client,
    form_fields,
    form_posting_to,
    logged_in,
    messages_sent,
    page_text,
)

from .helpers import (
    citizen,
    external_expert,
    internal_expert,
    make,
    mayor_office,
    meeting,
    on_agenda,
)

pytestmark = pytest.mark.django_db

ADMIN = "/admin/meetings/realizationmeeting"


def opinions_url(target) -> str:
    return reverse("admin:meetings_realizationmeeting_opinions", args=[target.pk])


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def ask(item, experts, *, days=5, user=None):
    return services.expert_opinion_request(
        item=item, experts=experts, due_date=in_days(days), user=user or operator()
    )


def answer(expert, item, text="기술적으로 가능하며 예산도 적정합니다."):
    return services.expert_opinion_save(
        proposal=item.proposal, expert=expert, text=text, recommendation="adopt"
    )


# --- asking, as the operator does it ------------------------------------------------------


def test_the_operator_asks_two_experts_from_the_meetings_page_and_each_is_told():
    # Given a meeting in three weeks with two items, and two experts
    target = meeting(days=21)
    first, second = on_agenda(target, 2)
    kim = external_expert(display_name="김전문")
    lee = internal_expert(display_name="이전문")
    client = logged_in(operator(), csrf_checks=True)

    # When the operator follows the meeting page's link and fills the form as drawn
    change = client.get(f"{ADMIN}/{target.pk}/change/")
    assert opinions_url(target) in change.content.decode()
    page = client.get(opinions_url(target))
    form = form_posting_to(page, opinions_url(target))
    fields = form["fields"]
    assert str(second.pk) in form["options"]["item"]
    fields.update(item=str(second.pk), experts=[str(kim.pk), str(lee.pk)])
    fields["due_date"] = in_days(10).isoformat()
    response = client.post(opinions_url(target), fields, follow=True)

    # Then both are asked, by that date, and told with a link to the form
    assert "2 experts were asked; they are told by notice and e-mail." in messages_sent(response)
    requests = ExpertOpinionRequest.objects.filter(agenda_item=second)
    assert {(r.expert, r.due_date, r.status) for r in requests} == {
        (kim, in_days(10), "open"),
        (lee, in_days(10), "open"),
    }
    form_link = reverse("admin:meetings_expertopinion_add") + f"?proposal={second.proposal_id}"
    told = Notification.objects.filter(kind="opinion_requested")
    assert {(n.recipient, n.url) for n in told} == {(kim, form_link), (lee, form_link)}
    # And the page lists them as missing, the first item as nobody asked
    text = page_text(response)
    assert "2 requested opinions are still missing." in text
    assert "김전문" in text and "이전문" in text and "No expert has been asked yet." in text
    assert AuditRecord.objects.filter(action="meetings.opinion_requested").count() == 1
    # And the meeting page counts them
    change = client.get(f"{ADMIN}/{target.pk}/change/")
    assert "2 requested opinions are still missing." in page_text(change)
    assert not ExpertOpinionRequest.objects.filter(agenda_item=first).exists()


@pytest.mark.parametrize(
    ("days", "error"),
    [
        (-1, "The due date has already passed; choose today or a later day."),
        (21, "The due date must be before the meeting day"),
        (30, "The due date must be before the meeting day"),
    ],
)
def test_a_due_date_past_or_not_before_the_meeting_is_refused_and_nothing_is_written(days, error):
    target = meeting(days=21)
    (item,) = on_agenda(target)
    expert = external_expert()
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(opinions_url(target))
    fields = form_posting_to(page, opinions_url(target))["fields"]
    fields.update(item=str(item.pk), experts=[str(expert.pk)], due_date=in_days(days).isoformat())

    response = client.post(opinions_url(target), fields)

    assert response.status_code == 200
    assert error in page_text(response)
    assert "Nobody was asked: correct the form below." in messages_sent(response)
    assert not ExpertOpinionRequest.objects.exists()
    assert not Notification.objects.filter(kind="opinion_requested").exists()


def test_asking_the_same_expert_twice_is_refused_with_their_name_and_nobody_else_is_asked():
    target = meeting(days=21)
    (item,) = on_agenda(target)
    kim, lee = external_expert(display_name="김전문"), internal_expert(display_name="이전문")
    ask(item, [kim])
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(opinions_url(target))
    fields = form_posting_to(page, opinions_url(target))["fields"]
    fields.update(item=str(item.pk), experts=[str(lee.pk), str(kim.pk)])
    fields["due_date"] = in_days(5).isoformat()

    response = client.post(opinions_url(target), fields)

    assert "김전문 has already been asked for an opinion on this item." in page_text(response)
    assert list(ExpertOpinionRequest.objects.values_list("expert", flat=True)) == [kim.pk]


@pytest.mark.parametrize("make_member", [official, citizen, mayor_office, operator])
def test_only_experts_can_be_asked(make_member):
    (item,) = on_agenda(meeting(days=21))
    with pytest.raises(ValidationError) as caught:
        ask(item, [external_expert(), make_member(display_name="홍길동")])
    assert caught.value.message_dict["experts"] == ["홍길동 is not an expert."]
    assert not ExpertOpinionRequest.objects.exists()


def test_an_inactive_expert_and_an_expert_who_already_gave_the_opinion_are_refused():
    (item,) = on_agenda(meeting(days=21))
    gone = external_expert(display_name="박전문", is_active=False)
    done = internal_expert(display_name="최전문")
    answer(done, item)
    with pytest.raises(ValidationError) as caught:
        ask(item, [gone, done])
    assert caught.value.message_dict["experts"] == [
        "박전문 is not an expert.",
        "최전문 has already given an opinion on this proposal.",
    ]


def test_a_decided_item_or_a_held_meeting_takes_no_request():
    target = meeting(days=-0.01)
    (item,) = on_agenda(target)
    services.agenda_item_decide(
        item=item, decision="adopted", reason="시민 공감이 큽니다.", user=mayor_office()
    )
    with pytest.raises(ServiceError):
        ask(item, [external_expert()], days=0)
    assert not ExpertOpinionRequest.objects.exists()


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "may"),
    [
        ("operator", True),
        ("official", False),
        ("mayor_office", False),
        ("expert_internal", False),
        ("expert_external", False),
        ("citizen", False),
    ],
)
def test_only_the_operator_asks_for_opinions(role, may):
    target = meeting(days=21)
    (item,) = on_agenda(target)
    member = make(role)
    if may:
        assert len(ask(item, [external_expert()], user=member)) == 1
    else:
        with pytest.raises(PermissionDenied):
            ask(item, [external_expert()], user=member)
        assert not ExpertOpinionRequest.objects.exists()
    # The page: the operator's; staff without the right get 403, a citizen the login.
    status = logged_in(member).get(opinions_url(target)).status_code
    assert status == (200 if may else 302 if role == "citizen" else 403)


def test_an_expert_answers_by_writing_the_opinion_from_the_notices_link_and_only_their_own():
    # Given two experts asked on one item
    (item,) = on_agenda(meeting(days=21))
    kim, lee = external_expert(), internal_expert()
    ask(item, [kim, lee])
    link = Notification.objects.get(kind="opinion_requested", recipient=kim).url

    # When the first opens the notice's link and saves the form as drawn
    client = logged_in(kim, csrf_checks=True)
    page = client.get(link)
    fields = form_fields(page, "expertopinion_form")
    assert fields["proposal"] == str(item.proposal_id)  # filled in
    fields.update(recommendation="adopt_with_conditions", text="조건을 붙여 채택하길 권합니다.")
    response = client.post(link, fields, follow=True)
    assert response.status_code == 200

    # Then their request is answered with the opinion; the other's still waits
    mine = ExpertOpinionRequest.objects.get(expert=kim)
    assert mine.status == "answered" and mine.opinion == ExpertOpinion.objects.get(expert=kim)
    assert ExpertOpinionRequest.objects.get(expert=lee).status == "open"


# --- reminders ----------------------------------------------------------------------------


def test_beat_reminds_once_before_the_due_date_and_reports_the_overdue_once(settings):
    settings.OPINION_REMIND_DAYS = 3
    with at(2027, 3, 1, 10):
        target = meeting(days=30)
        first, second = on_agenda(target, 2)
        kim, lee = external_expert(), internal_expert()
        the_operator = operator()
        services.expert_opinion_request(
            item=first, experts=[kim, lee], due_date=dt.date(2027, 3, 10), user=the_operator
        )

    def sent(kind):
        return sorted(
            Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True)
        )

    # A week before: nothing yet
    assert services.opinion_requests_remind(now=seoul(2027, 3, 3, 9)) == {
        "reminded": 0,
        "overdue": 0,
    }
    # Lee answers in time; three days before, Kim alone is reminded, once
    with at(2027, 3, 6, 12):
        answer(lee, first)
    assert services.opinion_requests_remind(now=seoul(2027, 3, 7, 9))["reminded"] == 1
    assert services.opinion_requests_remind(now=seoul(2027, 3, 8, 9))["reminded"] == 0
    assert sent("opinion_reminder") == [kim.email]
    # On the due date itself nothing is overdue yet
    assert services.opinion_requests_remind(now=seoul(2027, 3, 10, 9))["overdue"] == 0
    # The day after: Kim and the operators are told, once however often beat runs
    assert services.opinion_requests_remind(now=seoul(2027, 3, 11, 9))["overdue"] == 1
    assert services.opinion_requests_remind(now=seoul(2027, 3, 12, 9)) == {
        "reminded": 0,
        "overdue": 0,
    }
    assert sent("opinion_overdue") == [kim.email]
    assert sent("opinion_missing") == sorted(operators().values_list("email", flat=True))
    assert the_operator.email in sent("opinion_missing")
    missing = Notification.objects.filter(kind="opinion_missing")
    assert {notice.url for notice in missing} == {opinions_url(target)}


def test_a_request_asked_inside_the_reminder_window_is_reminded_once_and_the_task_runs():
    from meetings.tasks import remind_opinion_requests

    (item,) = on_agenda(meeting(days=21))
    ask(item, [external_expert()], days=1)
    assert remind_opinion_requests() == {"reminded": 1, "overdue": 0}
    assert remind_opinion_requests() == {"reminded": 0, "overdue": 0}


# --- the meeting's pages ------------------------------------------------------------------


def _more_requests(target, count=3):
    for item in on_agenda(target, count):
        expert = external_expert()
        ask(item, [expert, internal_expert()])
        answer(expert, item)


@pytest.mark.parametrize(
    "page",
    [opinions_url, lambda target: f"{ADMIN}/{target.pk}/change/"],
    ids=["opinions", "change"],
)
def test_the_meeting_pages_cost_the_same_queries_however_many_requests(
    page, django_assert_max_num_queries
):
    target = meeting(days=21)
    _more_requests(target, 1)
    client = logged_in(operator())
    client.get(page(target))
    with CaptureQueriesContext(connection) as before:
        assert client.get(page(target)).status_code == 200
    _more_requests(target, 4)
    with django_assert_max_num_queries(len(before)):
        client.get(page(target))


def test_the_opinions_page_shows_each_items_requests_answered_or_missing_and_withdraws():
    target = meeting(days=21)
    first, second = on_agenda(target, 2)
    kim = external_expert(display_name="김전문")
    lee = internal_expert(display_name="이전문")
    ask(first, [kim, lee], days=4)
    answer(kim, first)
    client = logged_in(operator(), csrf_checks=True)

    page = client.get(opinions_url(target))

    text = page_text(page)
    assert "1 requested opinion is still missing." in text
    assert "Answered" in text and "D-4" in text
    # Withdrawing Lee's request through its button
    waiting = ExpertOpinionRequest.objects.get(expert=lee)
    withdraw = reverse(
        "admin:meetings_realizationmeeting_opinion_withdraw", args=[target.pk, waiting.pk]
    )
    fields = form_posting_to(page, withdraw)["fields"]
    response = client.post(withdraw, fields, follow=True)
    assert "The request was withdrawn." in messages_sent(response)
    assert "0 requested opinions are still missing." in page_text(response)
    # Withdrawn, Lee may be asked again
    assert len(ask(first, [lee], days=6)) == 1


# --- the agenda ---------------------------------------------------------------------------


@pytest.mark.parametrize("internal", [False, True])
def test_the_agenda_prints_who_was_asked_and_who_answered(internal):
    target = meeting(days=21)
    (item,) = on_agenda(target)
    kim = external_expert(nickname="도시계획가", display_name="김전문")
    lee = internal_expert(nickname="", display_name="이영희")
    ask(item, [kim, lee])
    answer(kim, item)
    if internal:
        client = logged_in(operator())
        url = reverse("admin:meetings_realizationmeeting_agenda_internal", args=[target.pk])
    else:
        client, url = english_client(), target.get_agenda_url()

    text = page_text(client.get(url))

    # Public names, as the opinions print them
    assert "Opinions requested of: 도시계획가 (answered), 이*희 (not answered yet)" in text
    assert "이영희" not in text.replace("이*희", "")


# --- an expert who leaves -------------------------------------------------------------------


def _left(member, reason, role="", actor=None):
    staff_left_post.send(
        sender=None,
        member=member,
        actor=actor,
        reason=reason,
        old_department_id=None,
        role=role,
        now=timezone.now(),
    )


def test_a_deactivated_experts_open_requests_are_flagged_with_history_and_the_operators_told():
    target = meeting(days=21)
    first, second = on_agenda(target, 2)
    kim = external_expert(display_name="김전문")
    the_operator = operator()
    ask(first, [kim], user=the_operator)
    ask(second, [kim], user=the_operator)
    answer(kim, second)

    kim.is_active = False
    kim.save(update_fields=["is_active"])
    assert expert_requests_unowned() == 1  # before the signal, the check sees it
    _left(kim, "deactivated", actor=the_operator)

    flagged = ExpertOpinionRequest.objects.get(agenda_item=first)
    assert flagged.status == "flagged" and flagged.flag_reason == "deactivated"
    assert ExpertOpinionRequest.objects.get(agenda_item=second).status == "answered"
    assert AuditRecord.objects.filter(action="meetings.opinion_request_flagged").count() == 1
    told = Notification.objects.filter(kind="opinion_request_flagged")
    assert {notice.recipient for notice in told} == set(operators())
    assert {notice.url for notice in told} == {opinions_url(target)}
    assert expert_requests_unowned() == 0
    # The operator sees it as missing, and why
    text = page_text(logged_in(the_operator).get(opinions_url(target)))
    assert "Expert no longer available" in text
    assert "1 requested opinion is still missing." in text


def test_losing_one_expert_role_while_keeping_another_or_another_role_flags_nothing():
    (item,) = on_agenda(meeting(days=21))
    kim = external_expert()
    ask(item, [kim])
    _left(kim, "role_withdrawn", role="official")
    _left(kim, "moved")
    _left(kim, "role_withdrawn", role="expert_internal")  # still an external expert
    assert ExpertOpinionRequest.objects.get().status == "open"

    kim.groups.clear()
    _left(kim, "role_withdrawn", role="expert_external")
    assert ExpertOpinionRequest.objects.get().status == "flagged"


@pytest.mark.parametrize("request_id", ["999999", "9" * 30])
def test_withdrawing_a_request_that_does_not_exist_is_a_404(request_id):
    target = meeting(days=21)
    client = logged_in(operator())
    client.raise_request_exception = False
    url = f"{ADMIN}/{target.pk}/opinions/{request_id}/withdraw/"
    assert client.post(url).status_code == 404
