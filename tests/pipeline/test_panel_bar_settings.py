"""An operator sets the citizen panel's score as a debate condition on the
pipeline settings page: absurd values are refused with a clear message and
nothing saved; a sensible one is previewed (the proposals it lets through),
confirmed, audited, and the sweep then does what the preview said."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.audit import describe
from accounts.models import AuditRecord
from pipeline import services as pipeline
from proposals.models import PipelineSettings, ProposalStatus
from tests.factories import ProposalFactory, operator
from tests.pages import form_fields, logged_in, page_text

pytestmark = pytest.mark.django_db

URL = reverse("admin:proposals_pipelinesettings_change", args=[1])


@pytest.fixture
def client():
    PipelineSettings.load()
    return logged_in(operator(), csrf_checks=True)


def _changed(client, **values):
    form = form_fields(client.get(URL))
    form.update({name: str(value) for name, value in values.items()})
    return form


def test_the_settings_page_shows_the_panel_condition(client):
    form = form_fields(client.get(URL))
    assert form["debate_min_panel_score"] == "0.00"
    assert form["debate_min_panel_raters"] == "3"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"debate_min_panel_score": "7"}, "Enter 0 (not required) or a score from 1.00 to 5.00."),
        (
            {"debate_min_panel_score": "5.01"},
            "Enter 0 (not required) or a score from 1.00 to 5.00.",
        ),
        ({"debate_min_panel_score": "-1"}, "Enter 0 (not required) or a score from 1.00 to 5.00."),
        ({"debate_min_panel_score": "0.5"}, "Enter 0 (not required) or a score from 1.00 to 5.00."),
        ({"debate_min_panel_score": "3.555"}, "no more than 3 digits"),
        ({"debate_min_panel_score": "abc"}, "Enter a number."),
        ({"debate_min_panel_raters": "0"}, "Enter a number of panel ratings from 1 to 1000."),
        ({"debate_min_panel_raters": "5000"}, "Enter a number of panel ratings from 1 to 1000."),
    ],
)
def test_absurd_panel_bars_are_refused_and_nothing_is_saved(client, values, message):
    response = client.post(URL, _changed(client, **values))
    assert response.status_code == 200
    assert message in page_text(response)
    row = PipelineSettings.load()
    assert (row.debate_min_panel_score, row.debate_min_panel_raters) == (Decimal("0"), 3)
    assert not AuditRecord.objects.exists()


def test_the_refusal_reads_in_korean(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    response = client.post(URL, _changed(client, debate_min_panel_score="9"))
    assert "0(조건 없음)이나 1.00부터 5.00 사이의 점수를 입력해 주세요." in page_text(response)


def test_a_panel_bar_is_previewed_confirmed_audited_and_swept(client):
    # Given answered proposals past the endorsement bar, rated by the panel
    # (the panel's rating service keeps these two counters on the proposal)
    liked = ProposalFactory(
        status=ProposalStatus.ANSWERED, endorsement_count=600, panel_score=420, panel_rating_count=3
    )
    disliked = ProposalFactory(
        status=ProposalStatus.ANSWERED, endorsement_count=600, panel_score=250, panel_rating_count=5
    )
    # When the operator asks for a score of 3.5 from 3 raters
    preview = client.post(
        URL, _changed(client, debate_min_panel_score="3.5", debate_min_panel_raters=3)
    )
    # Then the preview says what the sweep will do (both were due before)
    assert preview.status_code == 200
    assert "To debate: 1." in page_text(preview)
    assert PipelineSettings.load().debate_min_panel_score == 0
    # When they confirm
    done = client.post(URL, {**form_fields(preview), "_confirm": "yes"})
    assert done.status_code == 302
    row = PipelineSettings.load()
    assert (row.debate_min_panel_score, row.debate_min_panel_raters) == (Decimal("3.50"), 3)
    record = AuditRecord.objects.get(action=pipeline.SETTINGS_CHANGED)
    assert record.params["changes"] == {"debate_min_panel_score": ["0.00", "3.50"]}
    assert "minimum panel score for a debate: 0.00 → 3.50" in describe(record)
    # and the sweep opens the debate only for the proposal the panel liked
    assert pipeline.sweep()["promoted"] == 1
    liked.refresh_from_db()
    disliked.refresh_from_db()
    assert (liked.status, disliked.status) == (ProposalStatus.DEBATE, ProposalStatus.ANSWERED)


@pytest.mark.parametrize(
    "values",
    [
        {"debate_min_panel_score": Decimal("6")},
        {"debate_min_panel_score": Decimal("NaN")},
        {"debate_min_panel_score": Decimal("1e40")},
        {"debate_min_panel_raters": 0},
    ],
    ids=str,
)
def test_the_service_refuses_them_too_whoever_calls_it(values):
    with pytest.raises(ValidationError):
        pipeline.pipeline_settings_change(user=operator(), values=values, preview_seen="")
    row = PipelineSettings.load()
    assert (row.debate_min_panel_score, row.debate_min_panel_raters) == (Decimal("0"), 3)
