"""Ownership that follows people (issue 12): an official moved, deactivated
or stripped of the role on the 직원 관리 screen leaves no work behind. Their
cards, pending report requests and draft answers are flagged at once with
history, the head and the operators are told once, the work falls to the
head (or the operators), and the unowned count stays 0. Two departments
throughout: B's work is never touched and B's official never sees A's."""

import pytest
import rules
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.models import AuditRecord, Department
from accounts.ownership import unowned_total
from accounts.predicates import heads_department
from accounts.roles import Role
from accounts.selectors import operators
from accounts.signals import staff_left_post
from answers import services as answer_services
from answers.models import AnswerStatus
from notifications.models import Notification
from pipeline.services import unowned_work_check
from proposals.models import EventKind
from tests.answers.helpers import COMPLETE, assigned
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tests.pages import form_posting_to, forms_posting_to, logged_in, page_text
from tests.tracking.helpers import adopted_card, requested_report
from tracking import services as card_services
from tracking.models import CardEvent, CardEventKind, ManagementCard

pytestmark = pytest.mark.django_db


class World:
    """Department A (head, clerk who carries a card with an open report
    request and writes a draft answer) and department B (its own official
    and card), and an operator."""

    def __init__(self):
        self.boss = operator(display_name="운영자")
        self.dept_a = DepartmentFactory(name="도시교통실", name_en="Urban Transport")
        self.dept_b = DepartmentFactory(name="복지정책실", name_en="Welfare Policy")
        self.head = official(self.dept_a, display_name="박실장")
        self.clerk = official(self.dept_a, display_name="김주무")
        self.dept_a.head = self.head
        self.dept_a.save(update_fields=["head"])
        self.official_b = official(self.dept_b, display_name="이복지")
        self.dept_b.head = self.official_b
        self.dept_b.save(update_fields=["head"])
        self.card = adopted_card(self.dept_a)
        card_services.card_handoff(
            card=self.card, user=self.boss, to_official=self.clerk, note="담당 지정"
        )
        self.report = requested_report(self.card)
        self.card_b = adopted_card(self.dept_b)
        self.assignment = assigned(self.dept_a)
        self.answer = answer_services.answer_save(
            assignment=self.assignment, user=self.clerk, **COMPLETE
        )


@pytest.fixture
def world():
    return World()


def _page(member):
    return reverse("admin:accounts_staffmember_change", args=[member.pk])


def _do(client, member, step, role=None, **changes):
    """Press the 직원 관리 page's button for `step` as a browser sends it."""
    page = client.get(_page(member))
    for form in forms_posting_to(page, None):
        fields = form["fields"]
        if fields.get("step", step) == step and (role is None or fields.get("role") == role):
            posted = {**fields, "step": step, **{k: str(v) for k, v in changes.items()}}
            response = client.post(_page(member), posted)
            assert response.status_code in (200, 302)
            return response
    raise AssertionError(f"no form for {step}")


def _leave(world, how):
    client = logged_in(world.boss, csrf_checks=True)
    if how == "moved":
        _do(client, world.clerk, "department", department=world.dept_b.pk)
    elif how == "deactivated":
        _do(client, world.clerk, "deactivate")
    else:
        _do(client, world.clerk, "withdraw", Role.OFFICIAL)


def _told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def _operators(*also):
    """The active operators' ids (the helpers make one per decision) and `also`."""
    return sorted({*operators().values_list("pk", flat=True), *(m.pk for m in also)})


LEAVINGS = ["moved", "deactivated", "role_withdrawn"]


@pytest.mark.parametrize("how", LEAVINGS)
def test_every_kind_of_held_work_is_flagged_at_once_and_falls_to_the_head(world, how):
    _leave(world, how)

    # The card: flagged, its owner's name kept, a history row says who left and why
    assert list(ManagementCard.objects.without_usable_owner()) == [world.card]
    world.card.refresh_from_db()
    assert world.card.responsible_official == world.clerk
    row = CardEvent.objects.get(card=world.card, kind=CardEventKind.OWNER_LEFT)
    assert (row.from_official, row.actor, row.is_public) == (world.clerk, world.boss, False)
    assert row.params == {"text": "owner_left", "reason": how, "fallback": "head"}
    # The open report request goes to the head now (once each)
    asked = Notification.objects.filter(key=f"report_requested:{world.report.pk}")
    assert {n.recipient_id for n in asked} == {world.clerk.pk, world.head.pk}
    # The draft answer: an internal timeline row, the head and operators told
    row = world.assignment.proposal.events.get(kind=EventKind.ANSWER_AUTHOR_LEFT)
    assert row.is_public is False and row.params["reason"] == how
    assert row.params["fallback"] == "head"
    world.answer.refresh_from_db()
    assert world.answer.status == AnswerStatus.DRAFT  # kept as written
    assert _told("answer_author_left") == _operators(world.head)
    assert _told("cards_owner_left") == _operators(world.head)
    # A clerk who was not head leaves no department headless
    assert not Notification.objects.filter(kind="department_headless").exists()
    # Department B is untouched, and nothing is without an owner or fallback
    assert not world.card_b.events.filter(kind=CardEventKind.OWNER_LEFT).exists()
    assert sum(unowned_total().values()) == 0
    # The audit row of the change
    assert AuditRecord.objects.filter(target_id=str(world.clerk.pk)).exists()


def test_the_signal_sent_again_flags_nothing_twice(world):
    _leave(world, "deactivated")
    before = (Notification.objects.count(), CardEvent.objects.count())
    world.clerk.refresh_from_db()
    staff_left_post.send(
        sender=type(world.clerk),
        member=world.clerk,
        actor=world.boss,
        reason="deactivated",
        old_department_id=world.dept_a.pk,
        role="",
        now=None,
    )
    assert (Notification.objects.count(), CardEvent.objects.count()) == before


def test_the_card_page_the_list_and_the_homes_agree_on_who_it_falls_to(world):
    _leave(world, "moved")
    client = logged_in(world.boss)
    falls = "Without owner — falls to 박실장 (head) until handed on"
    card_page = client.get(reverse("admin:tracking_managementcard_change", args=[world.card.pk]))
    assert "김주무 (moved to another department)" in page_text(card_page)
    assert falls in page_text(card_page)
    listing = client.get(reverse("admin:tracking_managementcard_changelist"))
    assert falls in page_text(listing)
    home = client.get(reverse("admin:index"))
    assert falls in page_text(home)
    assert "Work without an owner or a fallback: 0" in page_text(home)
    dashboard = client.get(reverse("admin:tracking_managementcard_dashboard"))
    assert "Work without an owner or a fallback: 0" in page_text(dashboard)
    assert falls in page_text(dashboard)
    # The head finds it on their home as well
    head_home = logged_in(world.head).get(reverse("admin:index"))
    assert falls in page_text(head_home)


def test_an_official_of_another_department_cannot_see_the_flagged_card(world):
    _leave(world, "deactivated")
    client = logged_in(world.official_b)
    page = client.get(reverse("admin:tracking_managementcard_change", args=[world.card.pk]))
    assert page.status_code in (302, 403, 404)
    listing = client.get(reverse("admin:tracking_managementcard_changelist"))
    assert world.card.proposal.title not in page_text(listing)


def test_a_head_who_moves_is_no_longer_head_and_the_work_falls_to_the_operators(world):
    # The head carries a card of their own (opened under them)
    own = adopted_card(world.dept_a)
    assert own.responsible_official == world.head
    client = logged_in(world.boss, csrf_checks=True)
    _do(client, world.head, "department", department=world.dept_b.pk)

    world.dept_a.refresh_from_db()
    assert world.dept_a.head is None
    world.head.refresh_from_db()
    assert not heads_department(world.head, world.dept_a.pk)
    assert not rules.has_perm("tracking.hand_off_card", world.head, own)
    row = own.events.get(kind=CardEventKind.OWNER_LEFT)
    assert row.params["fallback"] == "operators"
    assert _told("cards_owner_left") == _operators()
    assert _told("department_headless") == _operators()
    # The department shows headless: the admin list and the operator's home
    departments = client.get(reverse("admin:accounts_department_changelist"))
    assert "No head: falls to the operators" in page_text(departments)
    home = page_text(client.get(reverse("admin:index")))
    assert "Departments without a head" in home and "Urban Transport" in home
    # Reports of the flagged card now go to the operators
    report = requested_report(own)
    asked = Notification.objects.filter(key=f"report_requested:{report.pk}")
    assert sorted(n.recipient_id for n in asked) == _operators()
    assert sum(unowned_total().values()) == 0


def test_the_superusers_own_change_on_the_member_admin_is_audited_and_flags_the_work(world):
    root = UserFactory(is_superuser=True, is_staff=True)
    client = logged_in(root)
    url = reverse("admin:accounts_user_change", args=[world.clerk.pk])
    page = client.get(url)
    assert page.status_code == 200
    fields = forms_posting_to(page, None)[0]["fields"]
    fields["department"] = str(world.dept_b.pk)
    response = client.post(url, fields)
    assert response.status_code == 302, page_text(response)[:2000]
    record = AuditRecord.objects.get(action="accounts.department_set")
    assert (record.actor, record.params) == (
        root,
        {"from": world.dept_a.pk, "to": world.dept_b.pk},
    )
    assert world.card.events.filter(kind=CardEventKind.OWNER_LEFT).count() == 1


# --- new cards ------------------------------------------------------------------------


def _owner_of_new_card(department, **decide):
    from meetings import services as meeting_services
    from tests.meetings.helpers import meeting, on_agenda

    (item,) = on_agenda(meeting(days=-0.01), department=department)
    meeting_services.agenda_item_decide(
        item=item, decision="adopted", reason="효과가 큽니다.", user=operator(), **decide
    )
    return ManagementCard.objects.get(proposal=item.proposal)


def test_a_new_card_is_owned_by_the_official_the_meeting_named_else_the_head(world):
    # The meeting's explicit choice comes first, even with a head there
    card = _owner_of_new_card(world.dept_a, responsible_official=world.clerk)
    assert card.responsible_official == world.clerk
    assert card.events.get(kind=CardEventKind.HANDOFF).params["chosen_as"] == "meeting_named"
    # Nobody named: the head
    card = _owner_of_new_card(world.dept_a)
    assert card.responsible_official == world.head
    assert card.events.get(kind=CardEventKind.HANDOFF).params["chosen_as"] == "department_head"
    Department.objects.filter(pk=world.dept_a.pk).update(head=None)
    # Nobody: flagged (it falls to the operators), never lost
    card = _owner_of_new_card(world.dept_a)
    assert card.responsible_official is None
    assert card in ManagementCard.objects.without_usable_owner()
    assert sum(unowned_total().values()) == 0


def test_the_meeting_may_name_only_an_official_of_the_items_department(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _owner_of_new_card(world.dept_a, responsible_official=world.official_b)


def test_the_unowned_count_and_the_beat_when_nobody_is_left(world):
    Department.objects.filter(pk=world.dept_a.pk).update(head=None)
    world.clerk.is_active = False
    world.clerk.save(update_fields=["is_active"])
    Group.objects.get(name=Role.OPERATOR).user_set.clear()  # nobody left to fall to
    root = UserFactory(is_superuser=True, is_staff=True)
    counts = unowned_total()
    assert counts["tracking.cards"] == 1 and counts["tracking.report_requests"] == 1
    assert unowned_work_check() == 2
    assert unowned_work_check() == 2  # told once a day
    assert _told("unowned_work") == [root.pk]


# --- departments that cannot be silent ----------------------------------------------


def test_an_assignment_to_an_empty_department_is_mailed_to_it_and_the_operators_warned(
    django_capture_on_commit_callbacks,
):
    boss = operator()
    empty = DepartmentFactory(name="공원조성과", name_en="Parks", email="parks@seoul.go.kr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assigned(empty)

    to_department = [m for m in mail.outbox if m.to == ["parks@seoul.go.kr"]]
    assert len(to_department) == 1
    message = to_department[0]
    assert "공원조성과" in message.body and "답변" in message.body
    assert reverse("admin:answers_assignment_change", args=[assignment.pk]) in message.body
    assert _told("assigned_nobody") == [boss.pk]
    assert not Notification.objects.filter(kind="assigned_operator").exists()
    # The task run again sends nothing twice
    from answers.tasks import mail_empty_department

    assert mail_empty_department(assignment.pk) is False

    # The operator's home warns until the department has someone
    client = logged_in(boss)
    home = page_text(client.get(reverse("admin:index")))
    assert "A department has no official" in home and "Parks" in home
    official(empty)
    home = page_text(client.get(reverse("admin:index")))
    assert "Every department with proposals to answer has an official." in home


def test_reminders_of_an_empty_department_go_to_the_operators():
    boss = operator()
    empty = DepartmentFactory()
    assignment = assigned(empty)
    from answers import notices as answer_notices

    answer_notices.tell_answer_reminder(assignment=assignment, days_left=2)
    assert _told("answer_reminder") == [boss.pk]


def test_the_blocked_row_of_the_operator_home_opens_the_filtered_proposal_list():
    from tests.factories import CategoryFactory, ProposalFactory

    boss = operator()
    blocked = ProposalFactory(
        status="open", endorsement_count=500, category=CategoryFactory(default_department=None)
    )
    other = ProposalFactory(status="open", endorsement_count=0)
    client = logged_in(boss)
    listing = client.get(reverse("admin:proposals_proposal_changelist"), {"blocked": "yes"})
    text = page_text(listing)
    assert blocked.title in text and other.title not in text
    home = client.get(reverse("admin:index")).content.decode()
    assert "?blocked=yes" in home


def test_the_decision_table_names_the_cards_official_among_the_items_department_only(world):
    from meetings.models import AgendaItem
    from tests.meetings.helpers import mayor_office, meeting, on_agenda

    Department.objects.filter(pk=world.dept_a.pk).update(head=None)
    target = meeting(days=-0.01)
    (item,) = on_agenda(target, department=world.dept_a)
    url = reverse("admin:meetings_realizationmeeting_decisions", args=[target.pk])
    client = logged_in(mayor_office(), csrf_checks=True)
    page = client.get(url)
    row = page_text(page)
    # Only department A's officials are offered
    assert "김주무" in row and "이복지" not in row
    fields = form_posting_to(page, url)["fields"]
    fields[f"item-{item.pk}-decision"] = "adopted"
    fields[f"item-{item.pk}-reason"] = "효과가 큽니다."
    # A browser could still send B's official: refused, nothing saved
    fields[f"item-{item.pk}-responsible_official"] = str(world.official_b.pk)
    refused = client.post(url, fields)
    assert refused.status_code == 200
    assert AgendaItem.objects.get(pk=item.pk).is_pending
    fields[f"item-{item.pk}-responsible_official"] = str(world.clerk.pk)
    assert client.post(url, fields).status_code == 302
    card = ManagementCard.objects.get(proposal=item.proposal)
    assert card.responsible_official == world.clerk


@pytest.mark.parametrize("how", LEAVINGS)
def test_when_the_head_who_took_the_work_leaves_too_it_goes_to_the_operators_at_once(world, how):
    """Found by the year simulation: an official leaves (their report request
    falls to the head), then the head leaves. The request must reach the
    operators now, not only with the reminder days later."""
    _leave(world, "deactivated")
    client = logged_in(world.boss, csrf_checks=True)
    if how == "moved":
        _do(client, world.head, "department", department=world.dept_b.pk)
    elif how == "deactivated":
        _do(client, world.head, "deactivate")
    else:
        _do(client, world.head, "withdraw", Role.OFFICIAL)

    asked = Notification.objects.filter(key=f"report_requested:{world.report.pk}")
    assert sorted(n.recipient_id for n in asked) == sorted(
        {world.clerk.pk, world.head.pk, *operators().values_list("pk", flat=True)}
    )
    assert sum(unowned_total().values()) == 0


def test_the_unowned_count_catches_a_leaver_nothing_noticed_even_with_operators_there(world):
    """Operators are everyone's last fallback, so "no fallback" alone would
    always read 0. A card whose owner left around the services (here a
    direct write, no signal) is counted until the leaving is noticed."""
    assert operators().exists()
    type(world.clerk).objects.filter(pk=world.clerk.pk).update(department=world.dept_b)
    counts = unowned_total()
    assert counts["tracking.cards"] == 1 and counts["tracking.report_requests"] == 1

    world.clerk.refresh_from_db()
    staff_left_post.send(
        sender=None,
        member=world.clerk,
        actor=world.boss,
        reason="moved",
        old_department_id=world.dept_a.pk,
        role="",
        now=None,
    )
    assert sum(unowned_total().values()) == 0
    # Handed back to them after they left, and they leave again: counted again
    card_services.card_handoff(
        card=world.card, user=world.boss, to_official=world.head, note="부서장이 맡습니다"
    )
    Department.objects.filter(pk=world.dept_a.pk).update(head=None)
    type(world.head).objects.filter(pk=world.head.pk).update(is_active=False)
    assert unowned_total()["tracking.cards"] == 1
