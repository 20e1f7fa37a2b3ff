"""Photos and documents attached to a management card."""

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oasis.errors import PermissionDenied, ServiceError
from oasis.files import delete_files_on_commit, files_removed_on_error
from proposals import uploads

from .. import timeline_texts
from ..models import (
    AttachmentKind,
    CardAttachment,
    CardEvent,
    CardEventKind,
    ManagementCard,
)

ATTACHMENT_TITLE_MAX_LENGTH = 200


def card_attachment_check(*, title: str, photo=None, document=None):
    """Check one upload the way proposals check theirs (proposals.uploads):
    return (title, CleanPhoto or None, file kind or None), or raise
    ValidationError naming the field. Nothing is stored."""
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Please give the photo or document a title.")
    elif len(title) > ATTACHMENT_TITLE_MAX_LENGTH:
        errors["title"] = _("The title may be up to %(n)d characters.") % {
            "n": ATTACHMENT_TITLE_MAX_LENGTH
        }
    if (photo is None) == (document is None):
        errors["__all__"] = _("Attach either one photo or one document.")
    if errors:
        raise ValidationError(errors)
    clean_photo, file_kind = None, None
    if photo is not None:
        photo.seek(0)
        try:
            clean_photo = uploads.clean_photo(photo)
        except ValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from None
    else:
        document.seek(0)
        try:
            file_kind = uploads.clean_attachment(document)
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from None
    return title, clean_photo, file_kind


def card_attach(*, card: ManagementCard, user, title: str, photo=None, document=None):
    """Attach one photo or one document to the card. Requires the operator
    or an official of the card's department. The upload is checked like a
    proposal's (photos re-encoded without EXIF, with a thumbnail; documents
    by their contents); a bad one raises ValidationError and nothing is
    stored. Leaves an `attached` history row."""
    if not rules.has_perm("tracking.change_card", user, card):
        raise PermissionDenied
    title, clean_photo, file_kind = card_attachment_check(
        title=title, photo=photo, document=document
    )
    with files_removed_on_error() as written, transaction.atomic():
        card = ManagementCard.objects.select_for_update().get(pk=card.pk)
        item = store_attachment(
            card=card,
            user=user,
            title=title,
            clean_photo=clean_photo,
            document=document,
            file_kind=file_kind,
            written=written,
        )
        CardEvent.objects.create(
            card=card,
            kind=CardEventKind.ATTACHED,
            actor=user,
            params={"text": timeline_texts.ATTACHED, "photo": item.is_photo, "title": title},
        )
    return item


def store_attachment(
    *, card, user, title, written, clean_photo=None, document=None, file_kind=None, report=None
) -> CardAttachment:
    """Write one checked photo (or document) of `card` and its row; the
    stored names go into `written` so a failure later in the caller's
    transaction removes them."""
    item = CardAttachment(card=card, report=report, title=title, uploaded_by=user)
    if clean_photo is not None:
        item.kind = AttachmentKind.PHOTO
        item.image.save(clean_photo.image.name, clean_photo.image, save=False)
        written.append(item.image.name)
        item.thumbnail.save(clean_photo.thumbnail.name, clean_photo.thumbnail, save=False)
        written.append(item.thumbnail.name)
    else:
        document.seek(0)
        item.kind = AttachmentKind.DOCUMENT
        item.original_name = (document.name or f"file.{file_kind}").rsplit("/", 1)[-1][-200:]
        item.size = document.size
        item.file_kind = file_kind
        item.file.save(f"file.{file_kind}", document, save=False)
        written.append(item.file.name)
    item.save()
    return item


def card_detach(*, attachment: CardAttachment, user) -> None:
    """Remove a photo or document from its card (a wrong or private
    picture, an outdated plan). Requires the operator or an official of the
    card's department. The row goes, its files leave the disk once the
    removal is committed, and a public `detached` history row keeps who
    removed what and when."""
    card = attachment.card
    if not rules.has_perm("tracking.change_card", user, card):
        raise PermissionDenied
    with transaction.atomic():
        ManagementCard.objects.select_for_update().get(pk=card.pk)
        item = CardAttachment.objects.filter(pk=attachment.pk, card=card).first()
        if item is None:
            raise ServiceError(_("This photo or document has already been removed."))
        names = [f.name for f in (item.image, item.thumbnail, item.file) if f]
        title, is_photo = item.title, item.is_photo
        item.delete()
        CardEvent.objects.create(
            card=card,
            kind=CardEventKind.DETACHED,
            actor=user,
            params={"text": timeline_texts.DETACHED, "photo": is_photo, "title": title},
        )
        delete_files_on_commit(names)
