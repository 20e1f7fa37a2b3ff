"""Photos are re-encoded without metadata; files are judged by their contents,
not by their names (proposals/uploads.py)."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image

from proposals import uploads
from tests.factories import (
    gps_exif,
    hwp_file,
    image_file,
    office_file,
    pdf_file,
    png_bomb,
    txt_file,
    upload,
    zip_file,
)


def _open(content_file) -> Image.Image:
    content_file.seek(0)
    return Image.open(io.BytesIO(content_file.read()))


def _refusal(func, item) -> str:
    with pytest.raises(ValidationError) as exc:
        func(item)
    return " ".join(exc.value.messages)


# --- photos -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "stored_format"),
    [
        ("JPEG", "a.jpg", "JPEG"),
        ("PNG", "a.png", "PNG"),
        ("WEBP", "a.webp", "WEBP"),
        ("GIF", "a.gif", "PNG"),  # first frame, as a PNG
    ],
)
def test_every_accepted_photo_format_is_re_encoded_with_a_jpeg_thumbnail(fmt, name, stored_format):
    # Given a small photo in an accepted format
    photo = image_file(name, fmt=fmt, size=(64, 48))
    # When it is cleaned
    clean = uploads.clean_photo(photo)
    # Then a re-encoded copy and a JPEG thumbnail come back
    assert _open(clean.image).format == stored_format
    assert _open(clean.image).size == (64, 48)
    assert _open(clean.thumbnail).format == "JPEG"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_and_gps_are_stripped(fmt):
    # Given a photo carrying the camera make and a GPS position
    photo = image_file(f"a.{fmt.lower()}", fmt=fmt, exif=gps_exif())
    assert Image.open(io.BytesIO(photo.read())).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    photo.seek(0)
    # When it is cleaned
    clean = uploads.clean_photo(photo)
    # Then neither the photo nor its thumbnail carries any EXIF at all
    for stored in (clean.image, clean.thumbnail):
        image = _open(stored)
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info


def test_a_phone_jpeg_with_multi_picture_data_is_accepted_as_a_jpeg():
    # Given a JPEG as many phones write it: with an MPF second image (Pillow calls it MPO)
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(
        buf,
        format="MPO",
        save_all=True,
        append_images=[Image.new("RGB", (32, 24))],
        exif=gps_exif(),
    )
    assert Image.open(io.BytesIO(buf.getvalue())).format == "MPO"
    # When it is cleaned
    clean = uploads.clean_photo(upload("IMG_0001.jpg", buf.getvalue(), "image/jpeg"))
    # Then it is stored as a plain JPEG without the location
    stored = _open(clean.image)
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}


def test_the_exif_orientation_is_applied_before_it_is_dropped():
    # Given a portrait photo stored sideways with "rotate 90°" in its EXIF
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    photo = image_file("side.jpg", size=(64, 48), exif=exif)
    # When it is cleaned
    clean = uploads.clean_photo(photo)
    # Then the stored photo stands upright
    assert _open(clean.image).size == (48, 64)


def test_a_large_photo_is_scaled_down_and_its_thumbnail_is_small():
    photo = image_file("big.png", fmt="PNG", size=(3000, 1000))
    clean = uploads.clean_photo(photo)
    assert _open(clean.image).size == (uploads.MAX_EDGE, uploads.MAX_EDGE // 3)
    assert max(_open(clean.thumbnail).size) == uploads.THUMB_EDGE


def test_a_transparent_png_keeps_its_transparency_and_gets_a_white_thumbnail():
    buf = io.BytesIO()
    Image.new("RGBA", (10, 10), (255, 0, 0, 0)).save(buf, format="PNG")
    clean = uploads.clean_photo(upload("clear.png", buf.getvalue(), "image/png"))
    assert _open(clean.image).mode == "RGBA"
    assert _open(clean.thumbnail).getpixel((0, 0)) == (255, 255, 255)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.jpg", "그냥 글자입니다. 사진이 아니에요.".encode()),
        ("virus.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
        ("page.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
        ),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_by_its_contents(name, content):
    message = _refusal(uploads.clean_photo, upload(name, content, "image/jpeg"))
    assert name in message
    assert "JPEG, PNG, WebP" in message


def test_a_bmp_is_a_real_image_but_not_an_accepted_format():
    message = _refusal(uploads.clean_photo, image_file("old.bmp", fmt="BMP"))
    assert "old.bmp is not a JPEG, PNG, WebP or GIF photo." in message


def test_a_decompression_bomb_is_refused_without_being_decoded():
    # Given a PNG of a few KB that declares 20,000 × 20,000 pixels
    bomb = png_bomb()
    assert bomb.size < 100_000
    # When it is cleaned, Then it is refused with a message
    message = _refusal(uploads.clean_photo, bomb)
    assert "bomb.png" in message


def test_a_photo_with_more_pixels_than_a_phone_takes_is_refused():
    # 8000 × 6000 = 48 megapixels: under Pillow's own bomb limit, over ours
    message = _refusal(uploads.clean_photo, png_bomb("huge.png", width=8000, height=6000))
    assert "huge.png has too many pixels to be a photo." in message


@pytest.mark.parametrize(
    ("size", "decoded"),
    [
        ((4000, 3000), (4000, 3000)),  # 12 MP: decoded whole, it is kept large
        ((8064, 6048), (4032, 3024)),  # a 48 MP phone photo: at half scale
        ((16320, 12240), (4080, 3060)),  # over the ceiling, but the sum is right
    ],
)
def test_a_large_jpeg_is_decoded_at_a_reduced_scale(size, decoded):
    assert uploads._jpeg_decode_size(size) == decoded


def test_a_48_megapixel_jpeg_is_probed_cheaply_and_decoded_at_half_scale():
    photo = image_file("phone.jpg", size=(8064, 6048))
    probe = uploads.probe_photo(photo)
    assert probe.size == (8064, 6048) and probe.decode_size == (4032, 3024)
    clean = uploads.decode_photo(probe)
    assert _open(clean.image).size == (uploads.MAX_EDGE, 1920)


def test_a_png_over_the_full_decode_ceiling_is_refused_from_its_header():
    # 5000 × 4000 = 20 MP: fine as a JPEG, too costly for a PNG decoded whole
    message = _refusal(uploads.clean_photo, png_bomb("shot.png", width=5000, height=4000))
    assert "shot.png has too many pixels to be a photo." in message


def test_photos_over_the_request_budget_together_are_refused_before_any_is_decoded():
    photos = [png_bomb(f"{i}.png", width=4000, height=4000) for i in range(5)]  # 80 MP
    message = _refusal(uploads.clean_photos, photos)
    assert "too large to be sent together" in message
    assert uploads.clean_photos(photos[:3])  # 48 MP: within the budget


def test_a_jpeg_comment_segment_does_not_survive():
    buf = io.BytesIO()
    Image.new("RGB", (64, 48)).save(buf, format="JPEG", comment=b"MARKER-COM-123")
    clean = uploads.clean_photo(upload("c.jpg", buf.getvalue(), "image/jpeg"))
    for stored in (clean.image, clean.thumbnail):
        stored.seek(0)
        assert b"MARKER-COM-123" not in stored.read()


def test_a_truncated_photo_is_refused_as_damaged():
    data = image_file("cut.jpg", size=(200, 200)).read()
    message = _refusal(uploads.clean_photo, upload("cut.jpg", data[: len(data) // 2], "image/jpeg"))
    assert "cut.jpg" in message


def test_a_photo_over_the_size_limit_is_refused_before_it_is_read():
    big = upload("big.jpg", b"\xff\xd8\xff" + b"\x00" * uploads.MAX_PHOTO_BYTES, "image/jpeg")
    message = _refusal(uploads.clean_photo, big)
    assert "big.jpg is too large. Photos may be up to 10 MB." in message


# --- files ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "kind"),
    [
        (pdf_file(), "pdf"),
        (hwp_file(), "hwp"),
        (office_file("hwpx"), "hwpx"),
        (office_file("docx"), "docx"),
        (office_file("xlsx"), "xlsx"),
        (office_file("pptx"), "pptx"),
        (txt_file(), "txt"),
        (txt_file("euc-kr.txt", encoding="cp949"), "txt"),
        (pdf_file("UPPER.PDF"), "pdf"),
    ],
    ids=lambda value: getattr(value, "name", value),
)
def test_every_accepted_file_kind_is_recognised_by_its_contents(item, kind):
    assert uploads.clean_attachment(item) == kind
    # and the file is left ready to be stored from its first byte
    assert item.tell() == 0


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (upload("setup.exe", b"MZ\x90\x00"), "setup.exe: only PDF, HWP"),
        (upload("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "logo.svg: only PDF"),
        (upload("page.html", b"<html><script>alert(1)</script></html>"), "page.html: only PDF"),
        (upload("archive.zip", b"PK\x03\x04"), "archive.zip: only PDF"),
        (upload("no-extension", b"%PDF-1.4"), "no-extension: only PDF"),
        (
            upload("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),
            "report.pdf does not contain what its name says (PDF).",
        ),
        (
            upload("letter.docx", b"<html><body>hi</body></html>"),
            "letter.docx does not contain what its name says (DOCX).",
        ),
        (
            zip_file("sheet.xlsx", {"word/document.xml": b"<x/>"}),
            "sheet.xlsx does not contain what its name says (XLSX).",
        ),
        (upload("broken.pptx", b"PK\x03\x04not really a zip"), "broken.pptx does not contain"),
        (upload("doc.hwp", b"%PDF-1.4 not an hwp"), "doc.hwp does not contain"),
        (
            upload("page.txt", b"<html><script>alert(1)</script></html>"),
            "page.txt does not contain",
        ),
        (upload("binary.txt", b"abc\x00\x01\x02"), "binary.txt does not contain"),
        (upload("empty.pdf", b""), "empty.pdf is empty."),
    ],
    ids=lambda value: getattr(value, "name", "message"),
)
def test_a_file_that_lies_about_its_type_or_is_not_allowed_is_refused(item, expected):
    assert expected in _refusal(uploads.clean_attachment, item)


def test_a_file_over_the_size_limit_is_refused():
    big = upload("big.pdf", b"%PDF-1.4" + b"\x00" * uploads.MAX_FILE_BYTES)
    assert "big.pdf is too large. Files may be up to 20 MB." in _refusal(
        uploads.clean_attachment, big
    )


def test_a_path_in_the_file_name_is_not_kept():
    assert "../../etc/passwd.exe" not in _refusal(
        uploads.clean_attachment, upload("../../etc/passwd.exe", b"MZ")
    )
