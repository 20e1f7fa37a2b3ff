"""The department head (부서장) hands the department's adopted items from one
official to another, as the operator does; nobody else may, and a head only
within their own department. The operator names the head in the admin."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.models import Department
from accounts.selectors import operators
from notifications.models import Notification
from oasis.errors import PermissionDenied
from tests.factories import DepartmentFactory, official, operator
from tests.pages import logged_in
from tracking import services
from tracking.models import CardEvent, ManagementCard, ProgressReport

from .helpers import adopted_card

pytestmark = pytest.mark.django_db

LIST = reverse("admin:tracking_managementcard_changelist")


def head_of(department) -> object:
    head = official(department)
    Department.objects.filter(pk=department.pk).update(head=head)
    return head


def test_the_head_hands_a_card_to_another_official_of_the_department():
    card = adopted_card()
    head = head_of(card.department)
    leaving, arriving = official(card.department), official(card.department)
    boss = operator()
    services.card_handoff(card=card, user=boss, to_official=leaving, note="담당 지정")

    services.card_handoff(card=card, user=head, to_official=arriving, note="인사이동")

    card.refresh_from_db()
    assert card.responsible_official == arriving
    event = CardEvent.objects.filter(card=card, kind="handoff").last()
    assert (event.actor, event.from_official, event.to_official, event.is_public) == (
        head,
        leaving,
        arriving,
        False,
    )
    told = set(
        Notification.objects.filter(
            kind="card_handoff", key=f"card_handoff:{event.pk}"
        ).values_list("recipient_id", flat=True)
    )
    assert told == {leaving.pk, arriving.pk, boss.pk, *(u.pk for u in operators())}


def test_an_open_report_request_follows_the_card_to_the_new_official():
    card = adopted_card()
    head = head_of(card.department)
    leaving, arriving = official(card.department), official(card.department)
    services.card_handoff(card=card, user=operator(), to_official=leaving, note="지정")
    services.report_request_due(now=services.report_next_request_at(card))
    report = ProgressReport.objects.get(card=card)

    services.card_handoff(card=card, user=head, to_official=arriving, note="휴직")
    # The new official is given the open request at once …
    request = Notification.objects.get(kind="report_requested", recipient=arriving)
    assert request.key == f"report_requested:{report.pk}"
    # … and its reminder goes to whoever carries the card now.
    day_before = dt.datetime.combine(
        report.due_date - dt.timedelta(days=1), dt.time(9), tzinfo=ZoneInfo("Asia/Seoul")
    )
    services.reports_remind_and_escalate(now=day_before)

    reminder = Notification.objects.get(kind="report_reminder")
    assert reminder.recipient == arriving


@pytest.mark.parametrize("who", ["plain official", "head of another department", "former head"])
def test_others_may_not_hand_over(who):
    card = adopted_card()
    target = official(card.department)
    if who == "plain official":
        user = official(card.department)
    elif who == "head of another department":
        user = head_of(DepartmentFactory())
    else:
        # Named head, then moved to another department: the power stays behind.
        user = head_of(card.department)
        user.department = DepartmentFactory()
        user.save(update_fields=["department"])

    with pytest.raises(PermissionDenied):
        services.card_handoff(card=card, user=user, to_official=target, note="x")
    card.refresh_from_db()
    assert card.responsible_official is None
    assert not CardEvent.objects.filter(kind="handoff").exists()


def test_the_head_uses_the_admin_action_for_their_departments_cards_only():
    card = adopted_card()
    other_card = adopted_card(DepartmentFactory())
    head = head_of(card.department)
    target = official(card.department)
    client = logged_in(head)

    listing = client.get(LIST)
    assert "hand_off" in dict(listing.context["action_form"].fields["action"].choices)
    # Ownerless cards of the department are pointed out to the head, too.
    assert "no responsible official who can carry" in listing.content.decode()

    client.post(
        LIST,
        {
            "action": "hand_off",
            "_selected_action": [card.pk, other_card.pk],
            "apply": "yes",
            "to_official": target.pk,
            "note": "담당 지정",
        },
    )
    assert ManagementCard.objects.get(pk=card.pk).responsible_official == target
    # Not even selectable: the head's list holds only their department's cards.
    assert ManagementCard.objects.get(pk=other_card.pk).responsible_official is None


def test_a_plain_official_is_not_offered_the_handoff():
    card = adopted_card()
    listing = logged_in(official(card.department)).get(LIST)
    assert "hand_off" not in dict(listing.context["action_form"].fields["action"].choices)


def test_the_operator_names_only_an_official_of_the_department_as_head():
    department = DepartmentFactory()
    member = official(department)
    outsider = official(DepartmentFactory())
    client = logged_in(operator())
    url = reverse("admin:accounts_department_change", args=[department.pk])
    data = {
        "code": department.code,
        "name": department.name,
        "name_en": "",
        "email": "",
        "is_active": "on",
    }

    refused = client.post(url, {**data, "head": outsider.pk})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["head"]
    department.refresh_from_db()
    assert department.head is None

    client.post(url, {**data, "head": member.pk})
    department.refresh_from_db()
    assert department.head == member
