"""Photos sent with a progress report (shown with that report on the public
card page), removing a photo or document from a card (with a history row),
and each submitted report as a row on the proposal's timeline."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from oasis.errors import PermissionDenied
from proposals.models import ProposalEvent
from tests.factories import DepartmentFactory, image_file, operator, pdf_file, png_bomb
from tests.pages import form_fields, logged_in
from tracking import services
from tracking.models import CardAttachment, CardEvent, CardStage, ReportStatus

from .helpers import adopted_card, at_stage, clerk_of, requested_report

pytestmark = pytest.mark.django_db


def submit(report, user, **kwargs):
    values = {"done": "포장 공사를 마쳤습니다.", "percent": 60, **kwargs}
    return services.report_submit(report=report, user=user, **values)


# --- photos on progress reports ------------------------------------------------


def test_a_reports_photos_are_stored_with_it_and_shown_under_it(client):
    card = at_stage(CardStage.IN_PROGRESS)
    clerk = clerk_of(card)
    report = requested_report(card)

    submit(report, clerk, photos=[image_file("a.jpg"), image_file("b.png", fmt="PNG")])

    photos = list(CardAttachment.objects.filter(report=report))
    assert [(p.card_id, p.kind, p.uploaded_by) for p in photos] == [(card.pk, "photo", clerk)] * 2
    assert all(default_storage.exists(p.thumbnail.name) for p in photos)
    html = client.get(f"/adopted/{card.pk}/").content.decode()
    report_block = html.split('data-testid="card-report"')[1]
    assert report_block.count('data-testid="report-photos"') == 1
    for photo in photos:
        assert photo.get_thumbnail_url() in report_block
    # Not repeated in the card's own photo section.
    assert 'data-testid="card-photos"' not in html
    assert client.get(photos[0].get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "photos",
    [
        [image_file(), png_bomb()],
        [pdf_file()],
        [image_file(f"{n}.jpg") for n in range(6)],
    ],
    ids=["one bad photo", "a document", "six photos"],
)
def test_a_bad_photo_refuses_the_whole_report_and_stores_nothing(photos):
    card = at_stage(CardStage.IN_PROGRESS)
    report = requested_report(card)

    with pytest.raises(ValidationError) as refused:
        submit(report, clerk_of(card), photos=photos)

    assert "photos" in refused.value.message_dict
    report.refresh_from_db()
    assert report.status == ReportStatus.REQUESTED
    assert not CardAttachment.objects.exists()
    assert not CardEvent.objects.filter(kind="report").exists()
    assert not default_storage.exists(f"adopted/{card.pk}")


def test_the_admin_report_form_takes_photos_and_shows_a_bad_one_as_a_field_error():
    card = at_stage(CardStage.IN_PROGRESS)
    report = requested_report(card)
    client = logged_in(clerk_of(card))
    url = reverse("admin:tracking_progressreport_change", args=[report.pk])
    page = client.get(url)
    assert 'type="file" name="photos"' in page.content.decode()
    assert 'enctype="multipart/form-data"' in page.content.decode()
    data = {
        "done": "보도 포장 완료",
        "stage": "",
        "percent_complete": "70",
        "spent_budget": "",
        "next_steps": "조명 설치",
    }

    refused = client.post(url, {**data, "photos": [image_file(), pdf_file()]})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["photos"]
    report.refresh_from_db()
    assert report.status == ReportStatus.REQUESTED and not CardAttachment.objects.exists()

    saved = client.post(
        url, {**data, "photos": [image_file("a.jpg"), image_file("b.jpg")]}, follow=True
    )
    assert saved.redirect_chain[-1][0] == reverse("admin:tracking_progressreport_changelist")
    assert f"Submitted: Report {report.period} · {card.proposal.title}. Thank you." in (
        saved.content.decode()
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert CardAttachment.objects.filter(report=report).count() == 2
    # The submitted report shows its photos, read-only.
    shown = client.get(url).content.decode()
    assert 'name="photos"' not in shown
    assert shown.count(reverse("tracking:photo", args=[report.photos.first().pk, "thumb"])) == 1


# --- removing a photo or document ------------------------------------------------


def test_an_official_removes_a_photo_and_the_history_keeps_it(
    client, django_capture_on_commit_callbacks
):
    card = adopted_card()
    clerk = clerk_of(card)
    item = services.card_attach(card=card, user=clerk, title="잘못 올린 사진", photo=image_file())
    names = [item.image.name, item.thumbnail.name]

    with django_capture_on_commit_callbacks(execute=True):
        services.card_detach(attachment=item, user=clerk)

    assert not CardAttachment.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
    event = CardEvent.objects.get(card=card, kind="detached")
    assert (event.actor, event.is_public) == (clerk, True)
    assert "잘못 올린 사진" in event.text
    assert client.get(item.get_absolute_url()).status_code == 404
    assert "잘못 올린 사진" in client.get(f"/adopted/{card.pk}/").content.decode()


def test_another_departments_official_may_not_remove_and_twice_is_refused():
    from oasis.errors import ServiceError

    card = adopted_card()
    item = services.card_attach(card=card, user=operator(), title="도면", document=pdf_file())
    outsider = clerk_of(adopted_card(DepartmentFactory()))

    with pytest.raises(PermissionDenied):
        services.card_detach(attachment=item, user=outsider)
    assert CardAttachment.objects.filter(pk=item.pk).exists()

    services.card_detach(attachment=item, user=operator())
    with pytest.raises(ServiceError):
        services.card_detach(attachment=item, user=operator())
    assert CardEvent.objects.filter(kind="detached").count() == 1


def test_the_admin_inline_removes_through_the_service():
    card = adopted_card()
    clerk = clerk_of(card)
    item = services.card_attach(card=card, user=clerk, title="현장", photo=image_file())
    client = logged_in(clerk)
    url = reverse("admin:tracking_managementcard_change", args=[card.pk])
    page = client.get(url)
    prefix = next(
        fs.formset.prefix
        for fs in page.context["inline_admin_formsets"]
        if fs.formset.model is CardAttachment
    )
    data = form_fields(page)
    assert data[f"{prefix}-0-id"] == str(item.pk)  # the attachment's row, as rendered
    data[f"{prefix}-0-DELETE"] = "on"

    response = client.post(url, data)

    assert response.status_code == 302
    assert not CardAttachment.objects.exists()
    assert CardEvent.objects.filter(card=card, kind="detached", actor=clerk).exists()


# --- the proposal's timeline -------------------------------------------------------


def test_each_report_is_a_row_on_the_proposals_timeline(client):
    card = at_stage(CardStage.IN_PROGRESS)
    clerk = clerk_of(card)

    submit(requested_report(card), clerk, done="가로등 스무 개를 바꿨습니다.", percent=45)

    row = ProposalEvent.objects.get(proposal=card.proposal, kind="card_report")
    assert (row.actor, row.actor_department, row.is_public) == (clerk, card.department, True)
    assert "45%" in row.text and "가로등 스무 개를 바꿨습니다." in row.text
    client.cookies["django_language"] = "en"
    html = client.get(card.proposal.get_absolute_url()).content.decode()
    assert "Progress report on the adopted item" in html
    assert "가로등 스무 개를 바꿨습니다." in html


def test_a_reports_photos_and_its_rows_read_in_english_for_an_english_reader():
    from tests.pages import english_client, page_text

    card = at_stage(CardStage.IN_PROGRESS)
    report = requested_report(card)
    submit(report, clerk_of(card), photos=[image_file("a.jpg")])

    html = english_client().get(f"/adopted/{card.pk}/").content.decode()

    assert f'alt="Progress report {report.period}, photo 1"' in html
    assert f"Progress report {report.period}: 60% complete." in page_text(html)
    assert "진행 보고" not in html
