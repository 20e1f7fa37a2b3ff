"""The public tracker: /adopted/ lists every adopted item and filters it by
stage, year, category, department and district with plain GET parameters, in
a fixed number of queries; /adopted/<id>/ shows the card and its public
history in order."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.clock import SEOUL
from tests.factories import CategoryFactory, DepartmentFactory, operator
from tests.pages import logged_in
from tracking import services
from tracking.models import CardStage

from .helpers import adopted_card, at_stage, clerk_of

pytestmark = pytest.mark.django_db


def listed(client, **params) -> list[int]:
    response = client.get("/adopted/", params)
    assert response.status_code == 200
    return [card.pk for card in response.context["page"]]


def test_the_tracker_filters_by_stage_year_category_department_and_district(client):
    roads, parks = DepartmentFactory(name="도로계획과"), DepartmentFactory(name="공원조성과")
    bridges = CategoryFactory()
    with time_machine.travel(dt.datetime(2025, 6, 1, 10, tzinfo=SEOUL), tick=False):
        old = adopted_card(roads, district="mapo", category=bridges)
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=SEOUL), tick=False):
        planning = at_stage(CardStage.PLANNING, parks, district="")
        done = at_stage(CardStage.COMPLETED, roads, district="gangnam")

    assert set(listed(client)) == {old.pk, planning.pk, done.pk}
    assert listed(client, stage="planning") == [planning.pk]
    assert listed(client, stage="completed") == [done.pk]
    assert listed(client, year="2025") == [old.pk]
    assert set(listed(client, year="2026")) == {planning.pk, done.pk}
    assert listed(client, category=bridges.code) == [old.pk]
    assert set(listed(client, department=roads.pk)) == {old.pk, done.pk}
    assert listed(client, district="mapo") == [old.pk]
    assert listed(client, district="citywide") == [planning.pk]
    assert listed(client, department=roads.pk, stage="review") == [old.pk]


def test_the_tracker_pages_and_counts_queries_whatever_the_number_of_cards(client):
    for _ in range(3):
        adopted_card()
    with CaptureQueriesContext(connection) as few:
        client.get("/adopted/")
    for _ in range(5):
        adopted_card()
    with CaptureQueriesContext(connection) as more:
        response = client.get("/adopted/", {"stage": "review"})

    assert response.status_code == 200
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_tracker_paginates(client, monkeypatch):
    monkeypatch.setattr("tracking.views.PAGE_SIZE", 2)
    cards = [adopted_card() for _ in range(3)]

    first = client.get("/adopted/")
    second = client.get("/adopted/", {"page": 2})

    assert len(first.context["page"]) == 2 and "page=2" in first.content.decode()
    assert [c.pk for c in second.context["page"]] == [cards[0].pk]


def test_a_hidden_proposals_card_is_not_public(client):
    card = adopted_card()
    card.proposal.is_hidden = True
    card.proposal.save(update_fields=["is_hidden"])

    assert listed(client) == []
    assert client.get(f"/adopted/{card.pk}/").status_code == 404


def test_the_card_page_shows_decision_budget_and_public_history_in_order(client):
    card = adopted_card()
    boss = operator()
    services.card_update(card=card, user=boss, planned_budget=120_000_000, target_date="2027-06-30")
    services.card_handoff(card=card, user=boss, to_official=clerk_of(card), note="내부 인사 메모")
    for stage, note in (
        ("planning", "설계 착수"),
        ("in_progress", "공사 시작"),
        ("completed", "준공"),
    ):
        services.card_change_stage(card=card, user=boss, to_stage=stage, note=note)

    response = logged_in(boss).get(f"/adopted/{card.pk}/")

    text = response.content.decode()
    assert response.status_code == 200
    assert card.proposal.get_absolute_url() in text
    assert "2027년 예산 반영" in text and "120,000,000" in text and "2027-06-30" in text
    assert "This adopted item has been completed." in text
    assert "내부 인사 메모" not in text
    kinds = [event.kind for event in response.context["history"]]
    assert kinds == ["opened", "edited", "stage_changed", "stage_changed", "stage_changed"]
    assert text.index("설계 착수") < text.index("공사 시작") < text.index("준공")


def test_an_unknown_card_is_404(client):
    assert client.get("/adopted/999999/").status_code == 404


def test_the_card_page_runs_the_same_queries_whatever_its_reports_and_photos(client):
    from tests.factories import image_file

    card = at_stage(CardStage.IN_PROGRESS)
    clerk = clerk_of(card)

    def report(percent, photos=0):
        services.report_request_due(now=services.report_next_request_at(card))
        services.report_submit(
            report=card.progress_reports.order_by("-period").first(),
            user=clerk,
            done="공사 진행",
            percent=percent,
            photos=[image_file(f"{n}.jpg") for n in range(photos)],
        )

    report(20, photos=1)
    services.card_attach(card=card, user=clerk, title="현장", photo=image_file())
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/adopted/{card.pk}/").status_code == 200
    for percent in (40, 60, 80):
        report(percent, photos=2)
    services.card_attach(card=card, user=clerk, title="현장 2", photo=image_file())
    with CaptureQueriesContext(connection) as more:
        response = client.get(f"/adopted/{card.pk}/")

    assert response.content.decode().count('data-testid="card-report"') == 4
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_proposal_page_shows_the_adopted_items_progress_and_links_to_its_card(client):
    card = at_stage(CardStage.IN_PROGRESS)
    services.report_request_due(now=services.report_next_request_at(card))
    services.report_submit(
        report=card.progress_reports.get(), user=clerk_of(card), done="공사 시작", percent=25
    )
    client.cookies["django_language"] = "en"

    html = client.get(card.proposal.get_absolute_url()).content.decode()

    panel = html.split('data-testid="card-panel"')[1].split("</section>")[0]
    assert "In progress" in panel and "25% complete" in panel
    assert f'href="/adopted/{card.pk}/"' in panel


def test_a_proposal_not_adopted_has_no_card_panel(client):
    from tests.factories import ProposalFactory

    proposal = ProposalFactory()
    page = client.get(proposal.get_absolute_url())
    assert page.status_code == 200 and proposal.title in page.content.decode()
    assert 'data-testid="card-panel"' not in page.content.decode()
