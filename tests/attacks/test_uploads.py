"""An attacker's uploads, sent through the proposal form as a browser sends
them: polyglots (a GIF that is also JavaScript, a PNG that is also a web
page), decompression bombs, decode-cost bombs (tiny PNGs declaring tens of
megapixels, five to a request, edit after edit), SVG, oversized files, wrong
extensions, and metadata (EXIF, GPS, a JPEG comment) that must not be
published. What is stored is always a re-encoded picture, served as one."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from proposals import uploads
from proposals.models import Proposal, ProposalAttachment, ProposalPhoto
from tests.factories import CategoryFactory, ProposalFactory, gps_exif, png_bomb, upload
from tests.pages import english_client, logged_in

pytestmark = pytest.mark.django_db

CREATE = "/proposals/new/"
PAYLOAD = b"<script>alert(document.cookie)</script>"
MARKER = b"ATTACKER-MARKER-7f3a"


def _form(**files) -> dict:
    return {
        "title": "악성 업로드 시험",
        "body": "이 제안에는 수상한 사진이 붙어 있습니다.",
        "category": CategoryFactory().pk,
        "district": "",
        "tags": "",
        **files,
    }


def _stored_bytes(settings) -> bytes:
    root = Path(settings.MEDIA_ROOT)
    files = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return b"".join(p.read_bytes() for p in files)


def _refused(response, *words) -> None:
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    for word in words:
        assert word in text, word
    assert not Proposal.objects.exists()
    assert not ProposalPhoto.objects.exists() and not ProposalAttachment.objects.exists()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(size=(8, 8)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buf, format="PNG")
    return buf.getvalue()


# --- polyglots -----------------------------------------------------------------


def gif_js_polyglot() -> bytes:
    """A GIF whose header is also the start of a JavaScript statement
    (GIF89a=…;), with the script in a comment extension and after the end."""
    buf = io.BytesIO()
    Image.new("P", (10, 10)).save(buf, format="GIF", comment=b"*/=1;" + PAYLOAD + b"/*")
    return buf.getvalue() + b"*/;" + PAYLOAD


def png_html_polyglot() -> bytes:
    """A PNG that is also a web page: the markup in a text chunk and after IEND."""
    png = _png()
    iend = png.rindex(b"IEND") - 4
    text = _chunk(b"tEXt", b"Comment\x00<html><body>" + PAYLOAD + b"</body></html>")
    return png[:iend] + text + png[iend:] + b"<html>" + PAYLOAD + b"</html>"


@pytest.mark.parametrize(
    ("name", "data", "stored_type"),
    [
        ("cat.gif", gif_js_polyglot, "image/png"),
        ("cat.png", png_html_polyglot, "image/png"),
        ("cat.html", png_html_polyglot, "image/png"),  # a photo named as a page
    ],
    ids=["gif-js", "png-html", "png-named-html"],
)
def test_a_polyglot_is_stored_as_a_clean_picture_and_served_as_one(
    name, data, stored_type, settings
):
    # Given an attacker who uploads a picture that is also a script or a page
    attacker = logged_in()
    response = attacker.post(CREATE, _form(photos=[upload(name, data(), "text/html")]))
    assert response.status_code == 302
    # Then only a re-encoded copy is stored: the payload is gone
    photo = ProposalPhoto.objects.get()
    assert PAYLOAD not in _stored_bytes(settings)
    assert b"<html" not in _stored_bytes(settings)
    assert not photo.image.name.endswith(".html")
    # And it is served as a picture that no browser may run
    served = english_client().get(f"/proposals/photos/{photo.pk}/full/")
    assert served["Content-Type"] == stored_type
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]


def test_a_page_named_as_a_photo_is_refused():
    attacker = logged_in()
    page = b"<!DOCTYPE html><html>" + PAYLOAD + b"</html>"
    _refused(
        attacker.post(CREATE, _form(photos=[upload("cat.jpg", page, "image/jpeg")])),
        "cat.jpg is not a photo we can read",
    )


def test_a_script_named_as_a_document_is_refused():
    attacker = logged_in()
    _refused(
        attacker.post(CREATE, _form(files=[upload("plan.pdf", b"<script>" + PAYLOAD)])),
        "plan.pdf does not contain what its name says (PDF).",
    )


@pytest.mark.parametrize(
    "name", ["logo.svg", "logo.svgz", "logo.jpg"], ids=["svg", "svgz", "svg-named-jpg"]
)
def test_svg_is_refused_as_a_photo(name):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
    attacker = logged_in()
    _refused(attacker.post(CREATE, _form(photos=[upload(name, svg, "image/svg+xml")])), name)


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "logo.svg", "run.js", "x.php"])
def test_files_of_kinds_not_offered_are_refused(name):
    attacker = logged_in()
    _refused(
        attacker.post(CREATE, _form(files=[upload(name, b"MZ" + PAYLOAD)])),
        f"{name}: only PDF, HWP",
    )


# --- size, bombs and decoding cost ------------------------------------------------------


def test_an_oversized_photo_is_refused_before_it_is_decoded():
    big = upload("big.jpg", b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024), "image/jpeg")
    _refused(logged_in().post(CREATE, _form(photos=[big])), "big.jpg is too large.")


def test_a_decompression_bomb_is_refused():
    # 400 megapixels in a few KB: over Pillow's own bomb limit
    bomb = png_bomb("bomb.png", 20_000, 20_000)
    assert bomb.size < 100_000
    _refused(logged_in().post(CREATE, _form(photos=[bomb])), "bomb.png")


def test_five_tiny_pngs_declaring_forty_megapixels_each_are_refused_from_their_headers():
    # The attack that held every worker: 4.9 KB PNGs of 6400 × 6250 pixels,
    # five to a request. Each is refused from its header, before decoding.
    bombs = [png_bomb(f"b{i}.png", 6400, 6250) for i in range(5)]
    assert all(b.size < 6_000 for b in bombs)
    response = logged_in().post(CREATE, _form(photos=bombs))
    _refused(response, "b0.png has too many pixels to be a photo.")


def test_photos_each_allowed_but_too_costly_together_are_refused_before_decoding():
    # Five PNGs at the full-decode ceiling: each alone is accepted, together
    # they are over what one request may decode.
    side = int(uploads.MAX_FULL_DECODE_PIXELS**0.5)
    photos = [png_bomb(f"s{i}.png", side, side) for i in range(5)]
    _refused(
        logged_in().post(CREATE, _form(photos=photos)),
        "These photos are too large to be sent together.",
    )


def test_a_phone_photo_of_fifty_megapixels_is_accepted_and_scaled_down():
    buf = io.BytesIO()
    Image.new("RGB", (8160, 6120), (90, 140, 60)).save(buf, format="JPEG", quality=50)
    attacker = logged_in()  # a member with a new phone, not an attacker
    response = attacker.post(CREATE, _form(photos=[upload("IMG_0001.jpg", buf.getvalue())]))
    assert response.status_code == 302
    stored = Image.open(ProposalPhoto.objects.get().image)
    assert max(stored.size) == uploads.MAX_EDGE


def test_a_member_editing_over_and_over_with_photos_runs_out_of_photo_allowance():
    # Edit after edit, each adding and removing photos, is held to 30 photos an
    # hour: the 31st is refused before it is decoded, and nothing changes
    proposal = ProposalFactory()
    attacker = logged_in(proposal.author)
    url = f"/proposals/{proposal.pk}/edit/"
    base = {
        "title": proposal.title,
        "body": proposal.body,
        "category": proposal.category_id,
        "district": "",
        "tags": "",
    }
    for round_ in range(6):
        photos = [upload(f"{round_}-{i}.png", _png(), "image/png") for i in range(5)]
        remove = [str(pk) for pk in proposal.photos.values_list("pk", flat=True)]
        response = attacker.post(url, {**base, "photos": photos, "remove_photos": remove})
        assert response.status_code == 302, round_
    response = attacker.post(url, {**base, "photos": [upload("more.png", _png(), "image/png")]})
    assert response.status_code == 200
    assert "You have sent many photos in the last hour." in response.content.decode()
    assert proposal.photos.count() == 5


# --- metadata ----------------------------------------------------------------------


def test_a_jpeg_comment_and_exif_do_not_survive(settings):
    # Given a JPEG carrying a comment segment (COM) and EXIF with a GPS position
    buf = io.BytesIO()
    exif = gps_exif()
    exif[0x010E] = MARKER.decode()  # ImageDescription
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buf, format="JPEG", comment=MARKER, exif=exif)
    data = buf.getvalue()
    assert data.count(MARKER) == 2 and b"\xff\xfe" in data  # COM and EXIF both hold it
    # When it is published
    response = logged_in().post(CREATE, _form(photos=[upload("a.jpg", data, "image/jpeg")]))
    assert response.status_code == 302
    # Then neither the stored photo nor its thumbnail carries the marker or EXIF
    assert MARKER not in _stored_bytes(settings)
    photo = ProposalPhoto.objects.get()
    for stored in (photo.image, photo.thumbnail):
        image = Image.open(stored)
        assert "comment" not in image.info and "exif" not in image.info
        assert dict(image.getexif()) == {}


def test_png_text_chunks_do_not_survive(settings):
    png = _png()
    iend = png.rindex(b"IEND") - 4
    tagged = png[:iend] + _chunk(b"tEXt", b"Author\x00" + MARKER) + png[iend:]
    response = logged_in().post(CREATE, _form(photos=[upload("a.png", tagged, "image/png")]))
    assert response.status_code == 302
    assert MARKER not in _stored_bytes(settings)


def test_many_accounts_from_one_address_share_one_photo_allowance(settings):
    # Given an address allowed 100 photos an hour (OASIS_RATE_LIMIT_PHOTOS_IP)
    settings.OASIS_RATE_LIMITS = {
        **settings.OASIS_RATE_LIMITS,
        "photos": {"user": "30/h", "ip": "100/h"},
    }
    # Four accounts from one address send 100 photos in an hour (20 proposals of 5)
    for account in range(4):
        member = logged_in()
        for n in range(5):
            photos = [upload(f"{account}-{n}-{i}.png", _png(), "image/png") for i in range(5)]
            assert member.post(CREATE, _form(photos=photos)).status_code == 302
    # A fifth account from the same address is refused, with its text kept
    response = logged_in().post(CREATE, _form(photos=[upload("x.png", _png(), "image/png")]))
    assert response.status_code == 200
    assert "You have sent many photos in the last hour." in response.content.decode()
    assert Proposal.objects.count() == 20
