"""Changing the pipeline's bars in the admin: the operator first sees what
the change does ("promotes N proposals now and notifies these departments"),
computed as the sweep computes it, and confirms; the confirmed change is
saved with an audit row. The preview's N is what the sweep then promotes,
and its departments are those the sweep notifies."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.audit import describe
from accounts.models import AuditRecord
from notifications.models import Notification
from pipeline import services as pipeline
from proposals.models import PipelineSettings, Proposal, ProposalStatus
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory, official, operator
from tests.pages import form_fields, logged_in, messages_sent, page_text

pytestmark = pytest.mark.django_db

URL = reverse("admin:proposals_pipelinesettings_change", args=[1])


@pytest.fixture
def world():
    """Bars at 50 and 500; proposals below them in two departments, one in a
    category nobody answers for, one answered proposal near a debate."""
    PipelineSettings.load()
    transport = DepartmentFactory(name="교통정책과", name_en="Transport Policy")
    parks = DepartmentFactory(name="공원조성과", name_en="Parks")
    idle = DepartmentFactory(name="한가한과", name_en="Idle")
    for department in (transport, parks, idle):
        official(department=department)
    roads = CategoryFactory(default_department=transport)
    green = CategoryFactory(default_department=parks)
    orphan = CategoryFactory(default_department=None)
    calm = CategoryFactory(default_department=idle)
    proposals = {
        "road": ProposalFactory(category=roads, endorsement_count=12),
        "park": ProposalFactory(category=green, endorsement_count=15),
        "orphan": ProposalFactory(category=orphan, endorsement_count=11),
        "quiet": ProposalFactory(category=calm, endorsement_count=5),
        "answered": ProposalFactory(
            category=roads, status=ProposalStatus.ANSWERED, endorsement_count=40
        ),
    }
    return {"departments": (transport, parks, idle), "proposals": proposals}


def _changed(client, **values):
    page = client.get(URL)
    form = form_fields(page)
    form.update({name: str(value) for name, value in values.items()})
    return form


def test_a_lowered_bar_is_previewed_then_confirmed_and_the_sweep_does_what_it_said(
    world, django_capture_on_commit_callbacks
):
    transport, parks, _idle = world["departments"]
    client = logged_in(operator(), csrf_checks=True)
    # When the operator lowers the bars and saves
    preview = client.post(URL, _changed(client, answer_threshold=10, debate_threshold=20))
    # Then nothing is saved yet, and the page says what the change does
    assert preview.status_code == 200
    assert PipelineSettings.load().answer_threshold == 50
    text = page_text(preview)
    assert "This change promotes 3 proposals now." in text
    assert "To a department for an answer: 2. To debate: 1." in text
    assert (
        "These departments will be notified of their new assignments: Parks Transport Policy"
        in (text)
    )
    assert "Idle" not in text
    assert "1 proposal passes the answer bar but its category has no active default department" in (
        text
    )
    # When they confirm (the sweep it queues is left for the test to run)
    confirm = form_fields(preview)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        done = client.post(URL, {**confirm, "_confirm": "yes"})
    assert done.status_code == 302
    assert "The sweep is promoting 3 proposals now." in " ".join(messages_sent(done))
    assert [c for c in queued if "enqueue_on_commit" in c.__qualname__]
    settings_row = PipelineSettings.load()
    assert (settings_row.answer_threshold, settings_row.debate_threshold) == (10, 20)
    # and the next sweep promotes exactly what was previewed, notifying those departments
    assert pipeline.sweep()["promoted"] == 3
    moved = dict(Proposal.objects.values_list("pk", "status"))
    proposals = world["proposals"]
    assert moved[proposals["road"].pk] == ProposalStatus.ASSIGNED
    assert moved[proposals["park"].pk] == ProposalStatus.ASSIGNED
    assert moved[proposals["answered"].pk] == ProposalStatus.DEBATE
    assert moved[proposals["orphan"].pk] == moved[proposals["quiet"].pk] == ProposalStatus.OPEN
    notified = set(
        Notification.objects.filter(kind="assigned_department").values_list(
            "recipient__department", flat=True
        )
    )
    assert notified == {transport.pk, parks.pk}
    # and the audit row says who changed what, from what to what, and what it previewed
    record = AuditRecord.objects.get(action=pipeline.SETTINGS_CHANGED)
    assert record.actor.has_role("operator")
    assert record.params["changes"] == {"answer_threshold": [50, 10], "debate_threshold": [500, 20]}
    assert record.params["promoted"] == 3
    assert set(record.params["departments"]) == {transport.pk, parks.pk}
    assert "endorsements for a department answer: 50 → 10" in describe(record)
    assert "3 proposals to promote" in describe(record)


def test_a_preview_the_world_moved_past_is_shown_again_not_saved(world):
    client = logged_in(operator(), csrf_checks=True)
    preview = client.post(URL, _changed(client, answer_threshold=10, debate_threshold=20))
    confirm = form_fields(preview)
    # Meanwhile another proposal passes the new bar
    ProposalFactory(category=world["proposals"]["road"].category, endorsement_count=10)
    again = client.post(URL, {**confirm, "_confirm": "yes"})
    assert again.status_code == 200
    assert "This change promotes 4 proposals now." in page_text(again)
    assert "have changed since the preview" in page_text(again)
    assert PipelineSettings.load().answer_threshold == 50
    assert not AuditRecord.objects.exists()


def test_a_change_of_periods_only_saves_at_once_with_an_audit_row(world):
    client = logged_in(operator(), csrf_checks=True)
    done = client.post(URL, _changed(client, debate_length_days=14))
    assert done.status_code == 302
    assert PipelineSettings.load().debate_length_days == 14
    record = AuditRecord.objects.get()
    assert record.params == {"changes": {"debate_length_days": [30, 14]}}
    assert not Proposal.objects.exclude(status__in=[ProposalStatus.OPEN, ProposalStatus.ANSWERED])


def test_bad_values_show_the_form_with_errors_and_save_nothing(world):
    client = logged_in(operator(), csrf_checks=True)
    response = client.post(URL, _changed(client, answer_threshold=600))
    assert response.status_code == 200
    assert "The debate bar cannot be lower than the answer bar." in page_text(response)
    assert PipelineSettings.load().answer_threshold == 50
    assert not AuditRecord.objects.exists()


def test_an_official_cannot_change_the_bars(world):
    clerk = official(department=world["departments"][0])
    client = logged_in(clerk)
    response = client.post(URL, {"answer_threshold": 1, "_confirm": "yes"})
    assert response.status_code == 403
    assert PipelineSettings.load().answer_threshold == 50


def test_the_preview_reads_in_korean(world):
    client = logged_in(operator(), csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    preview = client.post(URL, _changed(client, answer_threshold=10, debate_threshold=20))
    text = page_text(preview)
    assert "이 변경으로 지금 제안 3건이 다음 단계로 가요." in text
    assert "부서 답변으로: 2건. 토론으로: 1건." in text
    assert "새로 배정받았다는 알림을 받을 부서:" in text
    assert "제안 1건은 답변 기준을 넘었지만" in text
    assert "확인하고 저장" in page_text(preview.content.decode().replace('value="', ">"))


def test_a_preview_of_bars_another_operator_changed_since_is_shown_again_not_saved(world):
    # The proposals moved are the same, but the bars the preview started
    # from are not: confirming would overwrite the other operator's change
    # unseen ("50 → 10" on the preview, "40 → 10" in fact).
    client = logged_in(operator(), csrf_checks=True)
    preview = client.post(URL, _changed(client, answer_threshold=10, debate_threshold=20))
    confirm = form_fields(preview)
    PipelineSettings.objects.filter(pk=1).update(answer_threshold=40)
    again = client.post(URL, {**confirm, "_confirm": "yes"})
    assert again.status_code == 200
    assert "have changed since the preview" in page_text(again)
    assert PipelineSettings.objects.get(pk=1).answer_threshold == 40
    assert not AuditRecord.objects.exists()
    # The preview shown again starts from the bars as they are now; confirmed, it saves
    done = client.post(URL, {**form_fields(again), "_confirm": "yes"})
    assert done.status_code == 302
    record = AuditRecord.objects.get(action=pipeline.SETTINGS_CHANGED)
    assert record.params["changes"]["answer_threshold"] == [40, 10]
