"""Who may do what with an adopted item's card: every role against every card
stage and report state, the services agreeing with the permissions, and the
admin's card list showing a card exactly when the rule lets the user see it."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from accounts.models import Department
from accounts.roles import Role
from tests.factories import DepartmentFactory, UserFactory, official, operator
from tracking import selectors, services
from tracking.models import CardStage, ManagementCard, ProgressReport, ReportStatus

from .helpers import PATH_TO, adopted_card, clerk_of, requested_report

pytestmark = pytest.mark.django_db

ROLES = [
    "operator",
    "card_official",
    "other_official",
    "department_head",
    "mayor_office",
    "expert",
    "citizen",
    "anonymous",
]
STAGES = list(CardStage.values)


def head_of(department):
    head = official(department)
    Department.objects.filter(pk=department.pk).update(head=head)
    return head


def user_for(role, card):
    return {
        "operator": operator,
        "card_official": lambda: clerk_of(card),
        "other_official": lambda: official(DepartmentFactory()),
        "department_head": lambda: head_of(card.department),
        "mayor_office": lambda: UserFactory(roles=[Role.MAYOR_OFFICE]),
        "expert": lambda: UserFactory(roles=[Role.EXPERT_INTERNAL]),
        "citizen": UserFactory,
        "anonymous": AnonymousUser,
    }[role]()


def move_to(card, stage) -> ManagementCard:
    for step in PATH_TO[stage]:
        card = services.card_change_stage(
            card=card, user=operator(), to_stage=step, note=f"{step} 단계로 변경"
        )
    return ManagementCard.objects.select_related("department").get(pk=card.pk)


# permission → the roles for whom it holds, at every stage
EXPECTED = {
    "tracking.see_card": {"operator", "card_official", "department_head", "mayor_office"},
    "tracking.change_card": {"operator", "card_official", "department_head"},
    "tracking.hand_off_card": {"operator", "department_head"},
}


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_exactly_what_the_table_says_at_each_stage(role, stage):
    # given a card at `stage` and a user in `role`
    card = move_to(adopted_card(), stage)
    clerk_of(card)  # the department has an official before the head is named
    user = user_for(role, card)

    # then the permissions hold for exactly the table's roles, whatever the stage
    for permission, allowed in EXPECTED.items():
        assert rules.has_perm(permission, user, card) is (role in allowed), permission

    # and the services agree with the permissions they ask
    try:
        services.card_update(card=card, user=user, planned_budget=1_000_000)
    except Exception:  # noqa: BLE001 - any refusal
        changed = False
    else:
        changed = True
    assert changed is (role in EXPECTED["tracking.change_card"])
    newcomer = official(card.department)
    try:
        services.card_handoff(card=card, user=user, to_official=newcomer, note="인사이동")
    except Exception:  # noqa: BLE001 - any refusal
        handed = False
    else:
        handed = True
    assert handed is (role in EXPECTED["tracking.hand_off_card"])


@pytest.mark.parametrize("card_state", ["open", "completed"])
@pytest.mark.parametrize("report_state", ["requested", "submitted"])
@pytest.mark.parametrize("role", ROLES)
def test_a_report_is_submitted_by_who_changes_the_card_while_both_are_open(
    role, report_state, card_state
):
    # given a requested report, perhaps already submitted, of a card that
    # perhaps was completed since
    card = adopted_card()
    report = requested_report(card)
    if report_state == "submitted":
        services.report_submit(report=report, user=operator(), done="설계 완료", percent=30)
    card = move_to(card, CardStage.COMPLETED if card_state == "completed" else CardStage.PLANNING)
    report = ProgressReport.objects.select_related("card").get(pk=report.pk)
    user = user_for(role, card)

    expected = (
        role in EXPECTED["tracking.change_card"]
        and report_state == "requested"
        and card_state == "open"
    )
    assert rules.has_perm("tracking.submit_report", user, report) is expected

    # and the service agrees
    try:
        services.report_submit(report=report, user=user, done="공사 착수", percent=40)
    except Exception:  # noqa: BLE001 - any refusal
        submitted = False
    else:
        submitted = True
    assert submitted is expected
    report.refresh_from_db()
    assert (report.status == ReportStatus.SUBMITTED) is (expected or report_state == "submitted")


@pytest.mark.parametrize("role", ROLES)
def test_asked_without_a_card_a_permission_says_whether_some_card_is_allowed(role):
    card = adopted_card()
    user = user_for(role, card)
    for permission, allowed in EXPECTED.items():
        # another department's official changes no card of this one, but
        # some cards (their own department's) are theirs
        some = allowed | ({"other_official"} if permission != "tracking.hand_off_card" else set())
        assert rules.has_perm(permission, user) is (role in some), permission


@pytest.mark.parametrize("role", ROLES)
def test_a_card_is_listed_exactly_when_it_may_be_seen(role):
    # given cards of two departments, one of them with a requested report
    mine = adopted_card()
    user = user_for(role, mine)
    theirs = adopted_card()
    requested_report(theirs)
    requested_report(mine)

    listed = set(selectors.cards_visible_to(user))

    for card in ManagementCard.objects.all():
        assert (card in listed) is rules.has_perm("tracking.see_card", user, card)
    # and the reports list follows the cards list
    assert set(selectors.reports_visible_to(user)) == {
        report for report in ProgressReport.objects.all() if report.card in listed
    }
    if role in ("card_official", "department_head"):
        assert listed == {mine}
    if role in ("operator", "mayor_office"):
        assert listed == {mine, theirs}
