"""Photos and documents on management cards: attached through
services.card_attach with the proposals' upload checks, served only while
the card is public, shown on /adopted/<id>/."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from oasis.errors import PermissionDenied
from tests.factories import (
    DepartmentFactory,
    gps_exif,
    image_file,
    operator,
    pdf_file,
    png_bomb,
    upload,
)
from tests.pages import form_fields, logged_in
from tracking import services
from tracking.models import CardAttachment, CardEvent, CardStage

from .helpers import adopted_card, at_stage, clerk_of

pytestmark = pytest.mark.django_db


def _read(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_official_of_the_department_attaches_a_photo_without_exif():
    card = adopted_card()
    item = services.card_attach(
        card=card, user=clerk_of(card), title="완공된 다리", photo=image_file(exif=gps_exif())
    )
    assert item.is_photo and item.image.name.startswith(f"adopted/{card.pk}/photos/")
    for field in (item.image, item.thumbnail):
        with Image.open(default_storage.open(field.name)) as image:
            assert dict(image.getexif()) == {}
    event = CardEvent.objects.get(card=card, kind="attached")
    assert "완공된 다리" in event.text and event.is_public


def test_the_operator_attaches_a_document():
    card = adopted_card()
    item = services.card_attach(card=card, user=operator(), title="설계도", document=pdf_file())
    assert (item.kind, item.file_kind, item.original_name) == ("document", "pdf", "plan.pdf")
    assert item.size > 0


def test_an_official_of_another_department_is_refused():
    card = adopted_card()
    other = clerk_of(adopted_card(DepartmentFactory()))
    with pytest.raises(PermissionDenied):
        services.card_attach(card=card, user=other, title="x", photo=image_file())
    assert not CardAttachment.objects.exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"document": upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 100)},
        {"document": upload("plan.pdf", b"MZ\x90\x00not a pdf")},
        {"photo": png_bomb()},
        {"photo": png_bomb("huge.png", width=8000, height=6000)},
        {},
        {"photo": image_file(), "document": pdf_file()},
    ],
)
def test_a_bad_upload_is_refused_and_nothing_is_stored(kwargs):
    card = adopted_card()
    with pytest.raises(ValidationError):
        services.card_attach(card=card, user=operator(), title="x", **kwargs)
    assert not CardAttachment.objects.exists()
    assert not CardEvent.objects.filter(kind="attached").exists()
    assert not default_storage.exists(f"adopted/{card.pk}")


def test_a_title_is_required():
    card = adopted_card()
    with pytest.raises(ValidationError) as exc:
        services.card_attach(card=card, user=operator(), title=" ", photo=image_file())
    assert "title" in exc.value.message_dict


def test_files_are_served_for_a_public_card(client):
    card = adopted_card()
    photo = services.card_attach(card=card, user=operator(), title="사진", photo=image_file())
    document = services.card_attach(card=card, user=operator(), title="문서", document=pdf_file())
    full = client.get(f"/adopted/photos/{photo.pk}/full/")
    thumb = client.get(f"/adopted/photos/{photo.pk}/thumb/")
    assert full.status_code == thumb.status_code == 200
    Image.open(io.BytesIO(_read(thumb))).verify()
    response = client.get(f"/adopted/files/{document.pk}/")
    assert response.status_code == 200
    assert _read(response).startswith(b"%PDF-")
    assert "plan.pdf" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get(f"/adopted/photos/{photo.pk}/huge/").status_code == 404
    # A photo is not served as a file, nor a file as a photo
    assert client.get(f"/adopted/files/{photo.pk}/").status_code == 404
    assert client.get(f"/adopted/photos/{document.pk}/full/").status_code == 404


@pytest.mark.parametrize("field", ["is_hidden", "deleted_at"])
def test_files_of_a_hidden_or_trashed_proposal_are_404(client, field):
    card = adopted_card()
    photo = services.card_attach(card=card, user=operator(), title="사진", photo=image_file())
    document = services.card_attach(card=card, user=operator(), title="문서", document=pdf_file())
    from django.utils import timezone

    setattr(card.proposal, field, True if field == "is_hidden" else timezone.now())
    card.proposal.save(update_fields=[field])
    # Not even for the operator: the same rule as the card page
    for c in (client, logged_in(operator())):
        assert c.get(f"/adopted/photos/{photo.pk}/full/").status_code == 404
        assert c.get(f"/adopted/photos/{photo.pk}/thumb/").status_code == 404
        assert c.get(f"/adopted/files/{document.pk}/").status_code == 404


def test_the_card_page_shows_photos_and_documents(client):
    card = at_stage(CardStage.COMPLETED)
    photo = services.card_attach(card=card, user=operator(), title="새 다리", photo=image_file())
    document = services.card_attach(
        card=card, user=operator(), title="준공 보고서", document=pdf_file()
    )
    client.cookies["django_language"] = "en"
    html = client.get(f"/adopted/{card.pk}/").content.decode()
    assert "What was realised" in html
    assert f'href="/adopted/photos/{photo.pk}/full/"' in html
    assert f'src="/adopted/photos/{photo.pk}/thumb/" alt="새 다리"' in html
    assert f'href="/adopted/files/{document.pk}/">준공 보고서</a>' in html


def test_an_open_cards_page_has_no_realised_heading(client):
    card = adopted_card()
    services.card_attach(card=card, user=operator(), title="현장", photo=image_file())
    html = logged_in(operator()).get(f"/adopted/{card.pk}/").content.decode()
    assert "What was realised" not in html
    assert 'alt="현장"' in html


def test_the_admin_inline_attaches_through_the_service():
    card = adopted_card()
    clerk = clerk_of(card)
    client = logged_in(clerk)
    url = f"/admin/tracking/managementcard/{card.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    prefix = next(
        fs.formset.prefix
        for fs in page.context["inline_admin_formsets"]
        if fs.formset.model is CardAttachment
    )
    data = {
        **form_fields(page),
        f"{prefix}-0-title": "현장 사진",
        f"{prefix}-0-photo": image_file(exif=gps_exif()),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    item = CardAttachment.objects.get(card=card)
    assert (item.title, item.uploaded_by, item.kind) == ("현장 사진", clerk, "photo")
    # A .exe is refused on the form, and nothing is stored
    data[f"{prefix}-0-photo"] = ""
    data[f"{prefix}-0-document"] = upload("setup.exe", b"MZ\x90\x00")
    response = client.post(url, data)
    assert response.status_code == 200
    assert CardAttachment.objects.count() == 1


def test_the_card_page_in_the_admin_shows_existing_files_not_empty_fields():
    card = adopted_card()
    clerk = clerk_of(card)
    photo = services.card_attach(card=card, user=clerk, title="현장", photo=image_file())
    document = services.card_attach(card=card, user=clerk, title="설계도", document=pdf_file())

    html = logged_in(clerk).get(f"/admin/tracking/managementcard/{card.pk}/change/")
    html = html.content.decode()

    assert photo.get_thumbnail_url() in html
    assert f'href="{document.get_absolute_url()}">plan.pdf</a>' in html
    assert "None" not in html.split('id="attachments-group"')[1].split("</fieldset>")[0]
