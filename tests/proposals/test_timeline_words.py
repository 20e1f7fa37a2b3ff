"""The words the system writes on a proposal's timeline, a card's history
and in the admin are stored as codes and written in the reader's language
when read; what a person typed stays as typed."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client

from answers import services as answer_services
from pipeline.services import promote_if_due
from proposals.models import EventKind, PipelineSettings, ProposalEvent, ProposalStatus
from proposals.timeline import event_record
from tests.answers.helpers import published
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    official,
    operator,
)
from tests.pages import english_client, log_in_with_second_factor, page_text
from tests.tracking.helpers import adopted_card
from tests.tracking.helpers import clerk_of as clerk_of_card
from tracking import services as card_services
from tracking.models import CardEvent

pytestmark = pytest.mark.django_db

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Member-written text in these tests; any other Hangul on an English page is
# the system's own words or a name it should have given in English.
TITLE = "A shaded path along the river"


@pytest.fixture
def roads():
    return DepartmentFactory(name="도로계획과", name_en="Road Planning Division")


def _timeline_text(response) -> str:
    html = response.content.decode()
    section = html[html.index('id="timeline-title"') : html.index("</ol>", html.index("timeline"))]
    return page_text(section)


def _answered_and_rated(roads):
    """A proposal that passed the answer bar, was answered on time and rated,
    each step written by the services as on the site."""
    bar = PipelineSettings.load().answer_threshold
    proposal = ProposalFactory(
        title=TITLE,
        status=ProposalStatus.OPEN,
        category=CategoryFactory(default_department=roads, name="교통", name_en="Transport"),
        endorsement_count=bar,
        author=UserFactory(display_name="Jamie Park", nickname="Jamie"),
    )
    assert promote_if_due(proposal_id=proposal.pk) == ProposalStatus.ASSIGNED
    assignment = proposal.assignments.get()
    official(department=roads, display_name="Sam Lee")
    answer = published(assignment)
    answer_services.answer_rate(answer=answer, user=proposal.author, score=4, comment="")
    return proposal, bar


def test_the_proposal_timeline_reads_in_english_for_an_english_reader(roads):
    proposal, bar = _answered_and_rated(roads)

    # The rows store codes, not sentences
    endorsed = proposal.events.get(to_status=ProposalStatus.ASSIGNED)
    assert (endorsed.reason, endorsed.params) == ("", {"text": "endorsed", "count": bar})

    # An English reader reads every row in English …
    english = _timeline_text(english_client().get(proposal.get_absolute_url()))
    assert f"{bar} citizens endorsed it." in english
    assert "Decision: Accepted. Answered by the deadline." in english
    assert "4 out of 5" in english
    assert "Road Planning Division" in english
    assert not HANGUL.search(english), english
    # … and a Korean reader in Korean
    korean = _timeline_text(Client().get(proposal.get_absolute_url()))
    assert f"시민 {bar}명이 추천했어요." in korean and "결정: 수용. 기한 안에 답변했어요." in korean


def test_the_admin_timeline_and_filters_read_in_english(roads):
    proposal, bar = _answered_and_rated(roads)
    browser = log_in_with_second_factor(english_client(), operator(display_name="Alex Kim"))

    change = browser.get(f"/admin/proposals/proposal/{proposal.pk}/change/")
    text = page_text(change)
    assert f"{bar} citizens endorsed it." in text and "결정" not in text

    listing = page_text(browser.get("/admin/proposals/proposal/"))
    # The category filter names the category in English
    assert "Transport" in listing and "교통" not in listing
    # and the admin's lists and filters have no Korean but what people wrote
    for path in (
        "/admin/proposals/proposal/",
        "/admin/answers/assignment/",
        "/admin/answers/answer/",
        "/admin/debates/debate/",
        "/admin/meetings/realizationmeeting/",
        "/admin/tracking/managementcard/",
    ):
        response = browser.get(path)
        assert response.status_code == 200, path
        assert not HANGUL.search(page_text(response)), (path, HANGUL.findall(page_text(response)))


def test_the_adopted_item_page_and_list_read_in_english(roads):
    card = adopted_card(roads, title=TITLE)
    card_services.card_update(
        card=card, user=clerk_of_card(card), planned_budget=120_000_000, note=""
    )
    card_services.card_change_stage(
        card=card, user=clerk_of_card(card), to_stage="planning", note="Design starts in May."
    )

    page = english_client().get(f"/adopted/{card.pk}/")
    text = page_text(page)
    assert "Road Planning Division" in text and "도로계획과" not in text
    assert "Changed: planned budget" in text and "바뀐 항목" not in text
    # The conditions and the meeting's reason are what the secretary typed
    # (and the language switch offers 한국어 in Korean, on purpose)
    member_written = ("2027년 예산 반영", "효과가 큽니다.", "한국어")
    for typed in member_written:
        text = text.replace(typed, "")
    assert not HANGUL.search(text), HANGUL.findall(text)

    listing = page_text(english_client().get("/adopted/"))
    assert "Road Planning Division" in listing and "도로계획과" not in listing

    # and the card's history in the admin too
    browser = log_in_with_second_factor(english_client(), operator(display_name="Alex Kim"))
    change = browser.get(f"/admin/tracking/managementcard/{card.pk}/change/")
    assert change.status_code == 200
    assert "Changed: planned budget" in page_text(change) and "바뀐 항목" not in page_text(change)


def test_a_reason_typed_by_a_person_stays_as_typed_after_the_systems_words(roads):
    card = adopted_card(roads, title=TITLE)
    card_services.card_change_stage(
        card=card, user=clerk_of_card(card), to_stage="planning", note="주민 설명회 후 설계 착수"
    )
    row = card.proposal.events.get(kind=EventKind.CARD_STAGE_CHANGED)
    assert row.reason == "주민 설명회 후 설계 착수"
    assert row.text == "Adopted item: “Under review” → “Planning”. 주민 설명회 후 설계 착수"


def test_the_data_migration_rewrites_the_korean_rows_it_recognises():
    proposal = ProposalFactory(title=TITLE)
    card = adopted_card(title=TITLE)
    stored = {
        "status_changed": "시민 52명이 추천했어요.",
        "answer_rated": "5점 만점에 3점",
        "debate_closed": "찬성 2, 반대 1, 유보 0. 일정이 당겨졌습니다.",
        "card_stage_changed": "채택 과제: ‘검토’ → ‘계획수립’. 2차 진행 보고: 설계 완료",
        "card_report": "2차 진행 보고: 40% 진행. 설계 완료",
        "comment_hidden": "토론 의견 #7: 광고",
        "hidden": "운영원칙 위반: 광고",  # typed by an operator: left alone
    }
    with transaction.atomic():
        rows = {
            kind: event_record(proposal=proposal, kind=kind, reason=reason)
            for kind, reason in stored.items()
        }
        card_row = CardEvent.objects.create(
            card=card, kind="edited", note="바뀐 항목: 집행 예산(원). 영수증 첨부"
        )
        unknown = event_record(
            proposal=proposal, kind="status_changed", reason="결정: 없는결정. 기한 안에 답변했어요."
        )
    migration = importlib.import_module("tracking.migrations.0009_system_rows_as_codes")

    migration.forwards(apps, None)

    for row in [*rows.values(), card_row, unknown]:
        row.refresh_from_db()
    assert [(r.params, r.reason) for r in rows.values()] == [
        ({"text": "endorsed", "count": 52}, ""),
        ({"text": "answer_rated", "score": 3}, ""),
        (
            {"text": "debate_counts", "for": 2, "against": 1, "undecided": 0, "withdrawn": False},
            "일정이 당겨졌습니다.",
        ),
        ({"text": "card_stage", "from": "review", "to": "planning", "period": 2}, "설계 완료"),
        ({"text": "card_report", "period": 2, "percent": 40}, "설계 완료"),
        ({"text": "argument_moderated", "id": 7}, "광고"),
        ({}, "운영원칙 위반: 광고"),
    ]
    assert (card_row.params, card_row.note) == (
        {"text": "card_edited", "fields": ["spent_budget"]},
        "영수증 첨부",
    )
    assert (unknown.params, unknown.reason) == ({}, "결정: 없는결정. 기한 안에 답변했어요.")
    # and the rewritten rows read in English
    assert rows["card_report"].text == "Progress report 2: 40% complete. 설계 완료"
    assert (
        ProposalEvent.objects.get(pk=rows["status_changed"].pk).text == "52 citizens endorsed it."
    )


@pytest.mark.parametrize("params", ["x", 5, [["text", "endorsed"]], {"text": "card_stage"}])
def test_a_row_whose_stored_params_are_odd_shows_its_reason_instead_of_a_500(params):
    # A row written by hand or by a script that got it wrong (params not a
    # JSON object, or a code without its parameters) must not break the page.
    proposal = ProposalFactory(title=TITLE)
    ProposalEvent.objects.create(
        proposal=proposal, kind=EventKind.STATUS_CHANGED, reason="typed by hand", params=params
    )
    response = english_client().get(proposal.get_absolute_url())
    assert response.status_code == 200
    assert "typed by hand" in page_text(response)
