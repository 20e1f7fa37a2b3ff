"""The tracking admin: officials see and change only their own department's
cards (list, change page by URL, POST), the operator all; stage changes and
handoffs through actions that ask for a note; edits through card_update;
ownerless cards first with a warning for the operator."""

import pytest
from django.urls import reverse

from tests.factories import official, operator
from tests.meetings.helpers import mayor_office
from tests.pages import logged_in, messages_sent
from tracking import services
from tracking.models import CardEvent, CardStage, ManagementCard

from .helpers import adopted_card, at_stage, clerk_of

pytestmark = pytest.mark.django_db

LIST = reverse("admin:tracking_managementcard_changelist")


def change_url(card) -> str:
    return reverse("admin:tracking_managementcard_change", args=[card.pk])


def shown(response) -> list[int]:
    assert response.status_code == 200
    return [obj.pk for obj in response.context["cl"].result_list]


def form_data(card, **values):
    data = {
        "planned_budget": "" if card.planned_budget is None else card.planned_budget,
        "spent_budget": "" if card.spent_budget is None else card.spent_budget,
        "target_date": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "0",
    }
    data.update(values)
    return data


def test_an_official_lists_opens_and_changes_only_their_departments_cards():
    mine = adopted_card()
    other = adopted_card()
    browser = logged_in(clerk_of(mine))

    assert shown(browser.get(LIST)) == [mine.pk]
    assert browser.get(change_url(mine)).status_code == 200
    assert browser.get(change_url(other)).status_code == 403
    response = browser.post(change_url(other), form_data(other, planned_budget="5"))
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.planned_budget is None


def test_the_operator_and_the_mayors_office_see_all_cards():
    first, second = adopted_card(), adopted_card()

    assert set(shown(logged_in(operator()).get(LIST))) == {first.pk, second.pk}
    assert set(shown(logged_in(mayor_office()).get(LIST))) == {first.pk, second.pk}


def test_the_mayors_office_cannot_change_a_card():
    card = adopted_card()
    browser = logged_in(mayor_office())

    browser.post(change_url(card), form_data(card, planned_budget="5"))

    card.refresh_from_db()
    assert card.planned_budget is None


def test_an_official_edits_budget_and_target_date_through_the_service():
    card = adopted_card()
    clerk = clerk_of(card)

    response = logged_in(clerk).post(
        change_url(card), form_data(card, planned_budget="3000000", target_date="2027-03-31")
    )

    assert response.status_code == 302
    card.refresh_from_db()
    assert card.planned_budget == 3_000_000 and str(card.target_date) == "2027-03-31"
    event = CardEvent.objects.get(card=card, kind="edited")
    assert event.actor == clerk and set(event.changes) == {"planned_budget", "target_date"}


@pytest.mark.parametrize("value", ["-1", "많이"])
def test_a_negative_or_non_numeric_budget_is_refused_on_the_form(value):
    card = adopted_card()

    response = logged_in(clerk_of(card)).post(change_url(card), form_data(card, spent_budget=value))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["spent_budget"]
    card.refresh_from_db()
    assert card.spent_budget is None
    assert not CardEvent.objects.filter(kind="edited").exists()


def test_the_history_is_shown_read_only_on_the_change_page():
    card = adopted_card()
    services.card_change_stage(card=card, user=operator(), to_stage="planning", note="설계 착수")

    content = logged_in(clerk_of(card)).get(change_url(card)).content.decode()

    assert "설계 착수" in content


def test_an_official_changes_the_stage_through_the_action_with_a_note():
    card = adopted_card()
    other = adopted_card()
    browser = logged_in(clerk_of(card))
    selection = {"action": "change_stage", "_selected_action": [card.pk, other.pk]}

    asked = browser.post(LIST, selection)
    assert asked.status_code == 200 and "Change the stage" in asked.content.decode()

    without_note = browser.post(
        LIST, {**selection, "apply": "yes", "to_stage": "planning", "note": ""}
    )
    card.refresh_from_db()
    assert card.stage == "review"
    assert without_note.status_code == 200

    browser.post(LIST, {**selection, "apply": "yes", "to_stage": "planning", "note": "설계 착수"})
    card.refresh_from_db()
    other.refresh_from_db()
    assert card.stage == "planning"
    assert other.stage == "review"  # another department's card is never in the selection


def test_a_refused_transition_in_the_action_is_skipped_with_its_reason():
    card = adopted_card()
    under_way = at_stage(CardStage.IN_PROGRESS)
    browser = logged_in(operator())

    response = browser.post(
        LIST,
        {
            "action": "change_stage",
            "_selected_action": [card.pk, under_way.pk],
            "apply": "yes",
            "to_stage": "completed",
            "note": "완료",
        },
        follow=True,
    )

    card.refresh_from_db()
    under_way.refresh_from_db()
    assert (card.stage, under_way.stage) == ("review", "completed")
    assert any("Skipped" in message for message in messages_sent(response))


def test_for_one_card_the_action_offers_only_the_stages_it_can_reach():
    card = adopted_card()
    browser = logged_in(operator())
    data = {"action": "change_stage", "_selected_action": [card.pk]}

    form = browser.post(LIST, data).context["form"]
    assert [value for value, _ in form.fields["to_stage"].choices] == ["planning", "suspended"]

    refused = browser.post(LIST, {**data, "apply": "yes", "to_stage": "completed", "note": "끝"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["to_stage"]
    assert refused.context["form"]["note"].value() == "끝"  # what was typed stays
    card.refresh_from_db()
    assert card.stage == "review"


def test_the_operator_hands_over_through_the_action_and_officials_may_not():
    card = adopted_card()
    new_owner = official(card.department)
    data = {
        "action": "hand_off",
        "_selected_action": [card.pk],
        "apply": "yes",
        "to_official": new_owner.pk,
        "note": "인사이동",
    }

    logged_in(clerk_of(card)).post(LIST, data)
    card.refresh_from_db()
    assert card.responsible_official is None

    logged_in(operator()).post(LIST, data)
    card.refresh_from_db()
    assert card.responsible_official == new_owner
    assert CardEvent.objects.filter(card=card, kind="handoff").count() == 1


def test_ownerless_cards_come_first_with_a_warning_for_the_operator():
    boss = operator()
    unowned = adopted_card()
    owned = adopted_card()  # newer, so it would come first by date
    services.card_handoff(
        card=owned, user=boss, to_official=official(owned.department), note="지정"
    )

    response = logged_in(boss).get(LIST)

    assert shown(response) == [unowned.pk, owned.pk]
    assert any(
        "no responsible official who can carry" in message for message in messages_sent(response)
    )
    assert "No owner" in response.content.decode()


def test_no_card_is_added_or_deleted_in_the_admin():
    card = adopted_card()
    browser = logged_in(operator())

    assert browser.get(reverse("admin:tracking_managementcard_add")).status_code == 403
    assert (
        browser.post(
            reverse("admin:tracking_managementcard_delete", args=[card.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert ManagementCard.objects.filter(pk=card.pk).exists()


def test_the_admin_change_log_names_staff_by_name():
    card = adopted_card()
    clerk = clerk_of(card)
    clerk.display_name = "김담당"
    clerk.save(update_fields=["display_name"])
    saved = logged_in(clerk).post(change_url(card), form_data(card, spent_budget="1000"))
    assert saved.status_code == 302
    card.refresh_from_db()
    assert card.spent_budget == 1000

    # Read by the operator, so the clerk's name is not in the page's header.
    history = logged_in(operator()).get(
        reverse("admin:tracking_managementcard_history", args=[card.pk])
    )

    table = history.content.decode().split('id="change-history"')[1].split("</table>")[0]
    assert "김담당" in table
    assert "None None" not in table


def test_the_card_history_names_officials_by_their_names_for_staff():
    card = adopted_card()
    boss = operator()
    colleague = official(card.department, display_name="박인계")
    services.card_handoff(card=card, user=boss, to_official=colleague, note="인사이동")

    page = logged_in(boss).get(change_url(card)).content.decode()

    assert "박인계" in page
    assert "박*계" not in page
