"""A full or read-only media disk: a proposal with photos and files is
refused cleanly, in the member's language, with what they typed still in
the form, no file left on the disk (not even a partly written one) and
nothing in the database.

The full disk is a storage that writes the first part of a file and then
meets ENOSPC, as a file system does when it fills up in the middle of a
write; where this machine lets us mount one, the disk is a real, tiny tmpfs
(full) and then the same tmpfs remounted read-only."""

import errno
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import File

from oasis.files import MediaStorage
from proposals.models import Proposal, ProposalAttachment, ProposalEvent, ProposalPhoto
from tests.factories import UserFactory, image_file, pdf_file
from tests.pages import logged_in, page_html

from .helpers import BODY, CREATE, proposal_form

pytestmark = pytest.mark.django_db


class _FillsUp(File):
    """Content of which the disk takes the first kilobyte, then is full."""

    def chunks(self, chunk_size=None):
        self.file.seek(0)
        yield self.file.read(1024)
        raise OSError(errno.ENOSPC, "No space left on device")


class DiskFullAfterTwoFiles(MediaStorage):
    """The media disk: two files fit, the third fills it up halfway."""

    saved = 0

    def _save(self, name, content):
        DiskFullAfterTwoFiles.saved += 1
        if DiskFullAfterTwoFiles.saved > 2:
            content = _FillsUp(content)
        return super()._save(name, content)


def files_on(root) -> list[Path]:
    root = Path(root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def propose_with_uploads(member):
    browser = logged_in(member, csrf_checks=True)
    browser.cookies["django_language"] = "ko"
    page = browser.get(CREATE)
    token = page.context["form"]["submission_token"].value()
    return browser.post(
        CREATE,
        proposal_form(
            title="한강 다리 그늘막",
            submission_token=token,
            csrfmiddlewaretoken=browser.cookies["csrftoken"].value,
            photos=[image_file("a.jpg"), image_file("b.png", fmt="PNG")],
            files=[pdf_file("계획서.pdf")],
        ),
    )


def assert_refused_cleanly(response, media_root):
    # Refused on the form, in Korean, with the member's text kept
    assert response.status_code == 200
    page = page_html(response)
    assert "사진과 파일을 지금 저장하지 못해" in page
    assert 'value="한강 다리 그늘막"' in page and BODY in page
    # Nothing half-saved: no proposal, photo, file or event, and no file on disk
    assert not Proposal.objects.exists()
    assert not ProposalPhoto.objects.exists() and not ProposalAttachment.objects.exists()
    assert not ProposalEvent.objects.exists()
    assert files_on(media_root) == []


def test_a_disk_that_fills_up_mid_write_refuses_cleanly(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.proposals.test_media_disk_refuses.DiskFullAfterTwoFiles"},
    }
    DiskFullAfterTwoFiles.saved = 0
    response = propose_with_uploads(UserFactory())
    assert DiskFullAfterTwoFiles.saved == 3  # two whole files and a partial one were written
    assert_refused_cleanly(response, settings.MEDIA_ROOT)


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 64 KB tmpfs, where the machine allows mounting one (root)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root and the mount capability)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_real_full_disk_and_a_read_only_one_refuse_cleanly(settings, tiny_disk):
    settings.MEDIA_ROOT = tiny_disk
    # Full: a file fills all but a few kilobytes of it
    (tiny_disk / "filler").write_bytes(b"x" * (60 * 1024))
    response = propose_with_uploads(UserFactory())
    (tiny_disk / "filler").unlink()
    assert_refused_cleanly(response, tiny_disk)

    # Read-only: the same disk remounted so
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    response = propose_with_uploads(UserFactory())
    assert_refused_cleanly(response, tiny_disk)
