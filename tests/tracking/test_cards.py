"""Management cards: opened exactly once per adopted proposal, with the
meeting's conditions, and listed in the admin by department."""

import pytest

from meetings import services as meeting_services
from notifications.models import Notification
from tests.factories import CategoryFactory, DepartmentFactory, official, operator
from tests.meetings.helpers import mayor_office, meeting, on_agenda
from tests.pages import logged_in
from tracking.models import CardStage, ManagementCard
from tracking.services import management_card_open

pytestmark = pytest.mark.django_db


def adopted_item(**proposal_kwargs):
    """The adopted agenda item (helpers.adopted_card always gives the
    proposal a department; some tests here need one without)."""
    (item,) = on_agenda(meeting(days=-0.01), **proposal_kwargs)
    return meeting_services.agenda_item_decide(
        item=item,
        decision="adopted",
        reason="효과가 큽니다.",
        conditions="2027년 예산 반영",
        user=operator(),
    )


def test_adoption_opens_one_card_and_opening_again_changes_nothing():
    department = DepartmentFactory()
    officer = official(department=department)
    item = adopted_item(department=department)

    again = management_card_open(agenda_item=item)

    card = ManagementCard.objects.get()
    assert again == card
    assert card.proposal == item.proposal and card.agenda_item == item
    assert card.department == department and card.responsible_official is None
    assert card.stage == CardStage.REVIEW and card.conditions == "2027년 예산 반영"
    assert Notification.objects.filter(kind="card_opened").get().recipient == officer


def test_without_a_department_the_categorys_default_keeps_the_card():
    category = CategoryFactory()
    item = adopted_item(category=category)

    assert (
        ManagementCard.objects.get(proposal=item.proposal).department == category.default_department
    )


def test_not_adopted_and_held_over_items_get_no_card():
    for decision in ("not_adopted", "held_over"):
        (item,) = on_agenda(meeting(days=-0.01))
        meeting_services.agenda_item_decide(
            item=item, decision=decision, reason="이유", user=operator()
        )

    assert not ManagementCard.objects.exists()


def test_officials_list_their_own_departments_cards_and_the_operator_all():
    mine, other = DepartmentFactory(), DepartmentFactory()
    own_card = ManagementCard.objects.get(proposal=adopted_item(department=mine).proposal)
    other_card = ManagementCard.objects.get(proposal=adopted_item(department=other).proposal)

    def listed(user):
        content = logged_in(user).get("/admin/tracking/managementcard/").content.decode()
        return {
            card.pk
            for card in (own_card, other_card)
            if f"/managementcard/{card.pk}/change/" in content
        }

    assert listed(official(department=mine)) == {own_card.pk}
    assert listed(operator()) == {own_card.pk, other_card.pk}
    assert listed(mayor_office()) == {own_card.pk, other_card.pk}
    assert (
        logged_in(official(department=mine)).get("/admin/tracking/managementcard/add/").status_code
        == 403
    )
