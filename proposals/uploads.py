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

from oasis.ratelimits import count_and_check

MAX_PHOTOS = 5
MAX_FILES = 3
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_FILE_BYTES = 20 * 1024 * 1024
# How much decoding one photo, and one request, may cost the web worker.
# A JPEG is decoded at a reduced scale (Image.draft: the decoder skips the
# detail the stored copy would throw away), so a phone's 48-50 MP photo costs
# about as much as a 12 MP one, and no JPEG, whatever its size, costs more
# than about (2 × MAX_EDGE)² ≈ 26 MP. PNG, WebP and GIF are decoded whole, so
# they are held to what a screenshot needs (a 5K screen is 14.7 MP); a
# 4.7 KB PNG declaring 40 MP used to take over a second of a worker's time.
MAX_PIXELS = 52_000_000
MAX_FULL_DECODE_PIXELS = 16_000_000
# Five 12 MP phone photos (or five 48 MP ones, decoded at half scale) fit.
REQUEST_PIXEL_BUDGET = 64_000_000
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


@dataclass
class PhotoProbe:
    """What the header says, read without decoding a single pixel."""

    name: str
    data: bytes
    format: str
    size: tuple[int, int]
    decode_size: tuple[int, int]

    @property
    def decode_pixels(self) -> int:
        return self.decode_size[0] * self.decode_size[1]


def _unreadable(name) -> ValidationError:
    return ValidationError(
        _("%(name)s is not a photo we can read (JPEG, PNG, WebP or GIF).") % {"name": name}
    )


def _damaged(name) -> ValidationError:
    return ValidationError(_("%(name)s looks damaged and could not be read.") % {"name": name})


def _fitted(size: tuple[int, int], edge: int) -> tuple[int, int]:
    """The size `size` shrinks to inside an edge × edge box (never larger)."""
    width, height = size
    scale = min(1.0, edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _jpeg_decode_size(size: tuple[int, int]) -> tuple[int, int]:
    """The size the JPEG decoder produces once asked for MAX_EDGE (as
    Pillow's JpegImageFile.draft computes it: 1/2, 1/4 or 1/8 scale)."""
    target = _fitted(size, MAX_EDGE)
    scale = min(size[0] // target[0], size[1] // target[1])
    step = next(s for s in (8, 4, 2, 1) if scale >= s)
    return (size[0] + step - 1) // step, (size[1] + step - 1) // step


def probe_photo(upload) -> PhotoProbe:
    """Check a photo from its header: byte size, format and pixel count, all
    before anything is decoded. Raise ValidationError naming the file."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("%(name)s is too large. Photos may be up to %(mb)d MB.")
            % {"name": upload.name, "mb": _mb(MAX_PHOTO_BYTES)}
        )
    upload.seek(0)
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
                pixels = probe.width * probe.height
                ceiling = MAX_PIXELS if fmt == "JPEG" else MAX_FULL_DECODE_PIXELS
                if pixels > ceiling or min(probe.size) < 1:
                    raise ValidationError(
                        _("%(name)s has too many pixels to be a photo.") % {"name": upload.name}
                    )
                size = probe.size
                probe.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _unreadable(upload.name) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise _damaged(upload.name) from exc
    decode_size = _jpeg_decode_size(size) if fmt == "JPEG" else size
    return PhotoProbe(name=upload.name, data=data, format=fmt, size=size, decode_size=decode_size)


def decode_photo(probe: PhotoProbe) -> CleanPhoto:
    """Decode a probed photo (a JPEG at reduced scale) and re-encode it."""
    try:
        with Image.open(io.BytesIO(probe.data)) as img:
            if probe.format == "JPEG":
                img.draft(img.mode, _fitted(probe.size, MAX_EDGE))
            if img.width * img.height > probe.decode_pixels:
                # The decoder would not reduce as the header promised: refuse
                # rather than decode more than was budgeted.
                raise _damaged(probe.name)
            img.load()
            img = ImageOps.exif_transpose(img)
            return _reencode(img, probe.format)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _unreadable(probe.name) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise _damaged(probe.name) from exc


def clean_photo(upload) -> CleanPhoto:
    """Return re-encoded image and thumbnail, or raise ValidationError."""
    return decode_photo(probe_photo(upload))


def clean_photos(uploads) -> list[CleanPhoto]:
    """Clean several photos sent together. Every header is checked first, and
    the pixels they would cost to decode, added up, must fit the request's
    budget: nothing is decoded for a set that does not. Raise one
    ValidationError with a message per refused file."""
    probes, messages = [], []
    for upload in uploads:
        try:
            probes.append(probe_photo(upload))
        except ValidationError as exc:
            messages.extend(exc.messages)
    if messages:
        raise ValidationError(messages)
    if sum(probe.decode_pixels for probe in probes) > REQUEST_PIXEL_BUDGET:
        raise ValidationError(
            _("These photos are too large to be sent together. Please send fewer at a time.")
        )
    cleaned = []
    for probe in probes:
        try:
            cleaned.append(decode_photo(probe))
        except ValidationError as exc:
            messages.extend(exc.messages)
    if messages:
        raise ValidationError(messages)
    return cleaned


def _reencode(img: Image.Image, fmt: str) -> CleanPhoto:
    # Everything is saved without `exif=`/`pnginfo=`, and with none of what
    # the decoder read into `info` but a palette's transparency: Pillow's
    # JPEG writer would otherwise copy the original's comment (COM) segment,
    # whatever it holds. Animated GIFs keep only their first frame.
    if fmt in ("JPEG",):
        img = img.convert("RGB")
    elif img.mode == "1":
        img = img.convert("L")  # a quarter of RGBA's memory, same picture
    elif img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        img = img.convert("RGBA")
    img.info = {k: v for k, v in img.info.items() if k == "transparency"}
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


def photo_allowance_check(request, photos) -> None:
    """Count `photos` (a proposal form's, free or to a theme) against the hourly allowances before any is decoded;
    refuse them (a message on the form, the text kept) when they go over
    one. Counted first and compared after, each count one atomic increment
    in the cache, so requests arriving together cannot all pass a check
    made before any of them counted; photos refused still count, as tries."""
    if not photos:
        return
    if count_and_check(request, "photos", times=len(photos)):
        raise ValidationError(
            {
                "photos": _(
                    "You have sent many photos in the last hour. Please wait a little "
                    "and add them later; your text is kept."
                )
            }
        )
