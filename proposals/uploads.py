"""Checking and cleaning uploaded photos and files.

Photos are decoded and re-encoded by Pillow, which drops EXIF (including GPS)
and any payload hidden after the image data; only the re-encoded copy is
stored. Files are checked by their contents, not by the name or the type the
browser claims."""

import io
import os
import warnings
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 5
MAX_FILES = 3
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_FILE_BYTES = 20 * 1024 * 1024
# About 40 megapixels: plenty for a phone photo, far below a decompression bomb.
MAX_PIXELS = 40_000_000
MAX_EDGE = 2560
THUMB_EDGE = 480

PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# Many phones write JPEGs with a second, multi-picture (MPF) image for depth or
# HDR; Pillow names them MPO. They are JPEGs, and only the main picture is kept.
FORMAT_ALIASES = {"MPO": "JPEG"}
FILE_KINDS = {
    ".pdf": "pdf",
    ".hwp": "hwp",
    ".hwpx": "hwpx",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".pptx": "pptx",
    ".txt": "txt",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The part every genuine Office Open XML / HWPX package must contain.
ZIP_MARKERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "hwpx": "Contents/content.hpf",
}


@dataclass
class CleanPhoto:
    image: ContentFile
    thumbnail: ContentFile


def _mb(n: int) -> int:
    return n // (1024 * 1024)


def clean_photo(upload) -> CleanPhoto:
    """Return re-encoded image and thumbnail, or raise ValidationError."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("%(name)s is too large. Photos may be up to %(mb)d MB.")
            % {"name": upload.name, "mb": _mb(MAX_PHOTO_BYTES)}
        )
    data = upload.read()
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat
            # the warning as the refusal it should be.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = FORMAT_ALIASES.get(probe.format, probe.format)
                if fmt not in PHOTO_FORMATS:
                    raise ValidationError(
                        _("%(name)s is not a JPEG, PNG, WebP or GIF photo.") % {"name": upload.name}
                    )
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(
                        _("%(name)s has too many pixels to be a photo.") % {"name": upload.name}
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                img = ImageOps.exif_transpose(img)
                return _reencode(img, fmt)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("%(name)s is not a photo we can read (JPEG, PNG, WebP or GIF).")
            % {"name": upload.name}
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("%(name)s looks damaged and could not be read.") % {"name": upload.name}
        ) from exc


def _reencode(img: Image.Image, fmt: str) -> CleanPhoto:
    # Everything is saved without `exif=`/`pnginfo=`, which is what drops the
    # metadata. Animated GIFs keep only their first frame: enough for a proposal.
    if fmt in ("JPEG",):
        img = img.convert("RGB")
    elif img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        img = img.convert("RGBA")
    img.thumbnail((MAX_EDGE, MAX_EDGE))
    out_format = "PNG" if fmt == "GIF" else fmt
    ext = PHOTO_FORMATS[out_format] if out_format in PHOTO_FORMATS else "png"
    main = _save(img, out_format)
    thumb_img = img.copy()
    thumb_img.thumbnail((THUMB_EDGE, THUMB_EDGE))
    if thumb_img.mode not in ("RGB", "L"):
        thumb_img = thumb_img.convert("RGBA")
        background = Image.new("RGB", thumb_img.size, (255, 255, 255))
        background.paste(thumb_img, mask=thumb_img.getchannel("A"))
        thumb_img = background
    thumb = _save(thumb_img, "JPEG")
    return CleanPhoto(
        image=ContentFile(main, name=f"photo.{ext}"),
        thumbnail=ContentFile(thumb, name="thumb.jpg"),
    )


def _save(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True}, "WEBP": {"quality": 85}}.get(fmt, {})
    if fmt == "JPEG" and img.mode != "RGB":
        img = img.convert("RGB")
    img.save(buf, format=fmt, **options)
    return buf.getvalue()


def clean_attachment(upload) -> str:
    """Return the file kind ('pdf', 'hwp', …) or raise ValidationError."""
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lower()
    kind = FILE_KINDS.get(ext)
    if kind is None:
        raise ValidationError(
            _("%(name)s: only PDF, HWP, HWPX, DOCX, XLSX, PPTX and TXT files can be attached.")
            % {"name": name}
        )
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("%(name)s is too large. Files may be up to %(mb)d MB.")
            % {"name": name, "mb": _mb(MAX_FILE_BYTES)}
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not _content_matches(kind, head, upload):
        raise ValidationError(
            _("%(name)s does not contain what its name says (%(kind)s).")
            % {"name": name, "kind": kind.upper()}
        )
    upload.seek(0)
    return kind


def _content_matches(kind: str, head: bytes, upload) -> bool:
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind == "hwp":
        return head == OLE_MAGIC
    if kind in ZIP_MARKERS:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(upload) as archive:
                return ZIP_MARKERS[kind] in archive.namelist()
        except zipfile.BadZipFile:
            return False
    if kind == "txt":
        data = upload.read()
        if b"\x00" in data:
            return False
        for encoding in ("utf-8", "cp949"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            # A text file that is really a web page is refused like .html is.
            return "<script" not in text.lower() and "<html" not in text.lower()
        return False
    return False
