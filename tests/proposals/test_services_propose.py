"""proposals/services.py, proposing: the proposal, its tags and uploads, and
what is refused."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from oasis.errors import PermissionDenied
from proposals.models import (
    EventKind,
    Proposal,
    ProposalAttachment,
    ProposalPhoto,
    ProposalStatus,
    Tag,
)
from tests.factories import UserFactory, gps_exif, image_file, office_file, pdf_file, upload

from .helpers import BODY, _propose

pytestmark = pytest.mark.django_db


def _files_on_disk(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- proposing ----------------------------------------------------------------


def test_proposing_writes_the_proposal_its_tags_uploads_and_a_created_event(settings):
    # Given a member with a photo and a file
    author = UserFactory()
    # When they propose
    proposal = _propose(
        author,
        title="  걷고 싶은 한강다리  ",
        district="mapo",
        tag_names=["한강", "보행"],
        photos=[image_file("bridge.jpg", exif=gps_exif())],
        files=[pdf_file()],
    )
    # Then everything is stored, trimmed, and searchable without spaces
    proposal.refresh_from_db()
    assert proposal.title == "걷고 싶은 한강다리"
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.district == "mapo"
    assert sorted(proposal.tags.values_list("name", flat=True)) == ["보행", "한강"]
    assert "한강다리를걷고싶은" in proposal.search_text and "보행" in proposal.search_text
    photo = proposal.photos.get()
    assert (photo.width, photo.height) == (64, 48)
    assert Path(photo.image.path).is_file() and Path(photo.thumbnail.path).is_file()
    attachment = proposal.attachments.get()
    assert (attachment.original_name, attachment.kind) == ("plan.pdf", "pdf")
    assert attachment.size == Path(attachment.file.path).stat().st_size
    event = proposal.events.get()
    assert (event.kind, event.actor, event.to_status, event.actor_role) == (
        EventKind.CREATED,
        author,
        ProposalStatus.OPEN,
        "citizen",
    )


def test_existing_tags_are_reused():
    _propose(tag_names=["한강"])
    _propose(tag_names=["한강", "산책"])
    assert Tag.objects.count() == 2


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", BODY, "title"),
        ("한", BODY, "title"),
        ("제" * 101, BODY, "title"),
        ("좋은 제목", "짧아요", "body"),
        ("좋은 제목", "가" * 10_001, "body"),
        ("좋은 제목", "   \n\n  ", "body"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_saved(title, body, field):
    with pytest.raises(ValidationError) as exc:
        _propose(title=title, body=body)
    assert field in exc.value.message_dict
    assert not Proposal.objects.exists()


def test_more_than_ten_tags_are_refused():
    with pytest.raises(ValidationError) as exc:
        _propose(tag_names=[f"태그{i}" for i in range(11)])
    assert "tags" in exc.value.message_dict
    assert not Proposal.objects.exists() and not Tag.objects.exists()


@pytest.mark.parametrize(
    ("photos", "files", "field"),
    [
        (lambda: [image_file(f"{i}.jpg") for i in range(6)], list, "photos"),
        (list, lambda: [pdf_file(f"{i}.pdf") for i in range(4)], "files"),
        (lambda: [image_file("ok.jpg"), upload("fake.jpg", b"not a photo")], list, "photos"),
        (lambda: [image_file("ok.jpg")], lambda: [pdf_file(), upload("x.pdf", b"MZ")], "files"),
    ],
    ids=["six photos", "four files", "one bad photo", "one bad file"],
)
def test_a_bad_upload_leaves_nothing_half_saved(settings, photos, files, field):
    # Given good and bad uploads together, When proposing
    with pytest.raises(ValidationError) as exc:
        _propose(photos=photos(), files=files())
    # Then the error names the field, and no row and no file was written
    assert field in exc.value.message_dict
    assert not Proposal.objects.exists()
    assert not ProposalPhoto.objects.exists() and not ProposalAttachment.objects.exists()
    assert _files_on_disk(settings) == []


def test_five_photos_and_three_files_are_the_most_allowed():
    proposal = _propose(
        photos=[image_file(f"{i}.png", fmt="PNG") for i in range(5)],
        files=[pdf_file(), office_file("docx"), office_file("hwpx")],
    )
    assert list(proposal.photos.values_list("position", flat=True)) == [0, 1, 2, 3, 4]
    assert proposal.attachments.count() == 3


def test_an_inactive_member_cannot_propose():
    with pytest.raises(PermissionDenied):
        _propose(UserFactory(is_active=False))


def test_stored_file_names_cannot_be_guessed():
    proposal = _propose(photos=[image_file("a.jpg")], files=[pdf_file()])
    photo, attachment = proposal.photos.get(), proposal.attachments.get()
    for name in (photo.image.name, photo.thumbnail.name, attachment.file.name):
        stem = Path(name).stem
        assert len(stem) == 32 and int(stem, 16) >= 0
