"""The secretary's meeting page: every item's decision in one table, saved at
once with the one-item page's checks (all rows or none, each refusal next to
its row); the "meeting held" button on the meeting's own page."""

import re

import pytest

from meetings import services
from meetings.models import AgendaItem
from notifications.models import Notification
from proposals.models import ProposalEvent
from tests.factories import official, operator
from tests.pages import form_posting_to, logged_in, messages_sent, page_text
from tracking.models import ManagementCard

from .helpers import internal_expert, mayor_office, meeting, on_agenda

pytestmark = pytest.mark.django_db

ADMIN = "/admin/meetings/realizationmeeting"


def table_url(target) -> str:
    return f"{ADMIN}/{target.pk}/decisions/"


def row_html(page, item) -> str:
    """The table row of `item`, as the page drew it."""
    html = page.content.decode()
    return re.search(rf'<tr[^>]*id="row-{item.pk}".*?</tr>', html, re.S).group(0)


def fill(fields: dict, item, decision: str, reason: str = "", conditions: str = "") -> None:
    fields[f"item-{item.pk}-decision"] = decision
    fields[f"item-{item.pk}-reason"] = reason
    fields[f"item-{item.pk}-conditions"] = conditions


def test_the_secretary_records_every_decision_of_the_meeting_in_one_table():
    # Given the meeting's day and three items on its agenda
    target = meeting(days=-0.01)
    adopted, held, refused = on_agenda(target, 3)
    client = logged_in(mayor_office(), csrf_checks=True)

    # When the secretary fills the table as it is drawn and saves it once
    page = client.get(table_url(target))
    form = form_posting_to(page, table_url(target))
    fields = form["fields"]
    fill(fields, adopted, "adopted", "시민 공감이 크고 효과가 큽니다.", "예산 확보 후 추진")
    fill(fields, held, "held_over", "교통영향 분석 뒤 다시 논의합니다.")
    fill(fields, refused, "not_adopted", "법령상 시가 할 수 없는 일입니다.")
    response = client.post(table_url(target), fields, follow=True)

    # Then each is recorded as on its own page, with its effects
    assert page.status_code == 200
    assert "3 decisions recorded." in messages_sent(response)
    decisions = dict(AgendaItem.objects.filter(meeting=target).values_list("pk", "decision"))
    assert decisions == {adopted.pk: "adopted", held.pk: "held_over", refused.pk: "not_adopted"}
    adopted.refresh_from_db()
    assert adopted.conditions == "예산 확보 후 추진"
    assert ManagementCard.objects.filter(proposal=adopted.proposal).count() == 1
    assert AgendaItem.objects.filter(proposal=held.proposal, held_over_from=held).count() == 1
    assert Notification.objects.filter(kind__startswith="decision_").count() == 3
    # and the page it returns to is the meeting's, which now offers "held"
    assert response.request["PATH_INFO"] == f"{ADMIN}/{target.pk}/change/"
    assert form_posting_to(response, f"{ADMIN}/{target.pk}/held/")


def test_a_row_left_on_later_stays_undecided():
    target = meeting(days=-0.01)
    decided, later = on_agenda(target, 2)
    client = logged_in(operator())
    fields = form_posting_to(client.get(table_url(target)), table_url(target))["fields"]

    # "Later" is what the table starts with
    assert fields[f"item-{later.pk}-decision"] == "later"
    fill(fields, decided, "adopted", "효과가 큽니다.")
    client.post(table_url(target), fields)

    decided.refresh_from_db()
    later.refresh_from_db()
    assert decided.decision == "adopted" and later.is_pending


def test_a_refused_row_says_why_next_to_it_and_nothing_of_the_table_is_saved():
    # Given a table with one good row and one without a reason
    target = meeting(days=-0.01)
    good, bad = on_agenda(target, 2)
    events_before = ProposalEvent.objects.count()
    client = logged_in(mayor_office())
    fields = form_posting_to(client.get(table_url(target)), table_url(target))["fields"]
    fill(fields, good, "adopted", "효과가 큽니다.")
    fill(fields, bad, "not_adopted", "   ")

    # When it is saved
    response = client.post(table_url(target), fields)

    # Then the page comes back with the error on the bad row only
    assert response.status_code == 200
    assert "Please give a reason." in page_text(row_html(response, bad))
    assert "Please give a reason." not in page_text(row_html(response, good))
    assert any("Nothing was recorded" in message for message in messages_sent(response))
    # what was typed is kept
    assert "효과가 큽니다." in row_html(response, good)
    # and nothing at all was written: no decision, no event, no card, no notice
    assert set(AgendaItem.objects.filter(meeting=target).values_list("decision", flat=True)) == {
        "pending"
    }
    assert ProposalEvent.objects.count() == events_before
    assert not ManagementCard.objects.exists()
    assert not Notification.objects.filter(kind__startswith="decision_").exists()


def test_a_reason_without_a_decision_is_pointed_out_rather_than_dropped():
    target = meeting(days=-0.01)
    first, second = on_agenda(target, 2)
    client = logged_in(operator())
    fields = form_posting_to(client.get(table_url(target)), table_url(target))["fields"]
    fill(fields, first, "adopted", "효과가 큽니다.")
    fill(fields, second, "later", "결정을 고르지 않은 사유")

    response = client.post(table_url(target), fields)

    assert response.status_code == 200
    assert "Choose a decision for this reason" in page_text(row_html(response, second))
    first.refresh_from_db()
    assert first.is_pending


def test_a_row_decided_elsewhere_meanwhile_is_refused_with_the_rest_of_the_table():
    # Given the table open on two screens
    target = meeting(days=-0.01)
    first, second = on_agenda(target, 2)
    client = logged_in(mayor_office())
    fields = form_posting_to(client.get(table_url(target)), table_url(target))["fields"]
    # and the second item decided on the other screen meanwhile
    services.agenda_item_decide(
        item=second, decision="not_adopted", reason="다른 화면에서", user=operator()
    )

    fill(fields, first, "adopted", "효과가 큽니다.")
    fill(fields, second, "adopted", "이쪽에서는 채택")
    response = client.post(table_url(target), fields)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_pending
    assert second.decision == "not_adopted"
    # The table drawn again shows the second item's decision, read-only
    assert "Nothing was recorded" in " ".join(messages_sent(response))
    assert "already decided" in page_text(row_html(response, second))
    assert f'name="item-{second.pk}-decision"' not in response.content.decode()


def test_decided_items_are_shown_read_only_and_open_ones_editable():
    target = meeting(days=-0.01)
    decided, open_item = on_agenda(target, 2)
    services.agenda_item_decide(
        item=decided, decision="adopted", reason="이미 결정", conditions="조건", user=operator()
    )

    page = logged_in(mayor_office()).get(table_url(target))

    assert f'name="item-{decided.pk}-decision"' not in page.content.decode()
    assert "Adopted" in page_text(row_html(page, decided))
    assert "이미 결정" in row_html(page, decided)
    assert f'name="item-{open_item.pk}-reason"' in page.content.decode()


def test_before_the_meeting_day_the_table_says_when_and_offers_nothing_to_save():
    target = meeting(days=5)
    (item,) = on_agenda(target)

    page = logged_in(mayor_office()).get(table_url(target))

    assert "Decisions can be recorded from the day of the meeting" in page_text(
        row_html(page, item)
    )
    assert "Save all decisions" not in page.content.decode()


@pytest.mark.parametrize("make_user", [official, internal_expert])
def test_only_those_who_record_decisions_open_the_table(make_user):
    target = meeting(days=-0.01)
    (item,) = on_agenda(target)
    client = logged_in(make_user())

    assert client.get(table_url(target)).status_code == 403
    response = client.post(
        table_url(target), {f"item-{item.pk}-decision": "adopted", f"item-{item.pk}-reason": "x"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.is_pending


def test_the_table_reads_a_fixed_number_of_queries_however_many_items(
    django_assert_max_num_queries,
):
    small, large = meeting(days=-0.01), meeting(days=-0.02)
    on_agenda(small, 1)
    on_agenda(large, 8)
    client = logged_in(mayor_office())
    client.get(table_url(small))  # sessions and permissions warmed up

    with django_assert_max_num_queries(30) as small_page:
        client.get(table_url(small))
    with django_assert_max_num_queries(len(small_page.captured_queries)):
        client.get(table_url(large))


# --- "meeting held" on the meeting's own page -----------------------------------------


def test_the_meeting_page_marks_the_meeting_held_once_every_item_is_decided():
    target = meeting(days=-0.01)
    (item,) = on_agenda(target)
    client = logged_in(mayor_office(), csrf_checks=True)
    change = f"{ADMIN}/{target.pk}/change/"

    # While an item waits, the page says why it cannot be marked held
    waiting = client.get(change)
    assert "no decision yet" in page_text(waiting)
    assert f'action="{ADMIN}/{target.pk}/held/"' not in waiting.content.decode()

    services.agenda_item_decide(item=item, decision="adopted", reason="효과", user=operator())
    page = client.get(change)
    form = form_posting_to(page, f"{ADMIN}/{target.pk}/held/")
    response = client.post(f"{ADMIN}/{target.pk}/held/", form["fields"], follow=True)

    target.refresh_from_db()
    assert target.is_held
    assert any("is marked as held" in message for message in messages_sent(response))
    assert "Marked as held on" in page_text(response)


def test_marking_held_is_a_post_for_those_who_record_decisions():
    target = meeting(days=-0.01)
    held_url = f"{ADMIN}/{target.pk}/held/"

    assert logged_in(operator()).get(held_url).status_code == 405
    assert logged_in(official()).post(held_url).status_code == 403
    target.refresh_from_db()
    assert not target.is_held


def test_a_meeting_not_yet_due_is_refused_with_the_reason():
    target = meeting(days=3)
    response = logged_in(operator()).post(f"{ADMIN}/{target.pk}/held/", follow=True)

    target.refresh_from_db()
    assert not target.is_held
    assert any("has not taken place yet" in message for message in messages_sent(response))


def test_a_decision_posted_for_an_item_decided_meanwhile_is_refused_even_without_a_reason():
    target = meeting(days=-0.01)
    first, second = on_agenda(target, 2)
    client = logged_in(mayor_office())
    fields = form_posting_to(client.get(table_url(target)), table_url(target))["fields"]
    services.agenda_item_decide(item=second, decision="adopted", reason="먼저", user=operator())

    fill(fields, first, "adopted", "효과가 큽니다.")
    fill(fields, second, "not_adopted", "")
    response = client.post(table_url(target), fields)

    assert response.status_code == 200
    assert "already decided" in page_text(row_html(response, second))
    first.refresh_from_db()
    assert first.is_pending
