"""Stored files: their unguessable names, sending them, and keeping them in
step with their transaction (written files go when the write fails, removed
files go once the removal is committed). Used by every app that stores
uploads (proposals, tracking)."""

import logging
import mimetypes
import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def unguessable_name(folder: str, filename: str) -> str:
    """A random file name in `folder`, keeping the upload's extension."""
    # Random names: media is only ever served through views that check the
    # object is visible, and a guessable path would be a way around them.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def serve_media(field_file, *, download_name: str | None = None):
    """Send a stored file, once the calling view has checked it may be seen.
    Behind nginx (OASIS_MEDIA_ACCEL_PREFIX set) nginx sends it from an
    internal location; otherwise Django streams it. 404 if it is missing."""
    if not field_file or not default_storage.exists(field_file.name):
        raise Http404
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    prefix = settings.OASIS_MEDIA_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + field_file.name
    else:
        response = FileResponse(
            default_storage.open(field_file.name, "rb"), content_type=content_type
        )
    if download_name:
        response["Content-Disposition"] = content_disposition_header(True, download_name)
    # Uploaded content is never a page: no scripts, no plugins, no framing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def delete_files(names: Iterable[str]) -> None:
    """Remove the stored files `names` (empty names are skipped) from the
    default storage, now."""
    for name in names:
        if name:
            default_storage.delete(name)


def _delete_what_can_be(names: Iterable[str]) -> None:
    """Remove stored files after a failed write, as far as the disk lets us:
    on a disk that turned read-only the removal fails too, and that must not
    hide the refusal the member should see."""
    for name in names:
        try:
            delete_files([name])
        except OSError:
            logger.error("Could not remove %s after a failed write", name, exc_info=True)


@contextmanager
def files_removed_on_error() -> Iterator[list[str]]:
    """Yield a list for the names of stored files; if the block fails (and its
    transaction rolls back), the files go too, so nothing is half-saved.

    A disk that refuses a write (full, read-only: an OSError from the
    storage) is not the member's fault nor a bug: it becomes a
    ValidationError saying so in the member's language, which the form shows
    above what they typed, and the operator finds it in the log."""
    written: list[str] = []
    try:
        yield written
    except OSError as error:
        _delete_what_can_be(written)
        logger.error("The media storage refused a write; nothing was saved: %s", error)
        raise ValidationError(
            _(
                "Your photos and files could not be stored just now, so nothing was "
                "saved. Please send the form again in a little while."
            )
        ) from error
    except BaseException:
        _delete_what_can_be(written)
        raise


class MediaStorage(FileSystemStorage):
    """Django's file system storage, except that a write the disk refuses
    halfway (ENOSPC when the disk fills up) leaves no partial file behind:
    Django's own removes nothing, and the name never reached the caller, so
    files_removed_on_error could not remove it either."""

    def _save(self, name, content):
        path = self.path(name)
        existed = os.path.lexists(path)
        try:
            return super()._save(name, content)
        except OSError:
            if not existed and os.path.lexists(path):
                try:
                    os.remove(path)
                except OSError:
                    logger.error("Could not remove the partial file %s", path, exc_info=True)
            raise


def delete_files_on_commit(names: Iterable[str]) -> None:
    """Removed photos and files leave the disk too, once the removal is
    committed (a rolled-back removal keeps them)."""
    names = list(names)
    transaction.on_commit(lambda: delete_files(names))
