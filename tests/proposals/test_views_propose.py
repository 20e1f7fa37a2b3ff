"""The proposal form as a member uses it: what the page offers, what is saved,
and the clear message for every kind of bad input."""

import html
import re
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from proposals.models import Comment, EventKind, Proposal, ProposalAttachment, ProposalPhoto
from tests.factories import (
    UserFactory,
    gps_exif,
    image_file,
    office_file,
    pdf_file,
    png_bomb,
    txt_file,
    upload,
)
from tests.pages import flash, logged_in, page_html, page_text

from .helpers import (
    CREATE,
    english_page_client,  # noqa: F401 (the `client` fixture, reading English)
    proposal_form,
)

pytestmark = pytest.mark.django_db


def errors(response) -> str:
    """Form errors shown next to the fields or above the form."""
    page = response.content.decode()
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    found += re.findall(r'<div class="errorlist" role="alert">(.*?)</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", " ".join(found)))


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- proposing ----------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in_before_proposing(client):
    response = client.get(CREATE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/proposals/new/"
    response = client.post(CREATE, proposal_form())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Proposal.objects.exists()


def test_posting_without_a_csrf_token_is_refused():
    # Given a logged-in member whose browser did not send the form's token
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    # When they post a proposal
    response = browser.post(CREATE, proposal_form())
    # Then it is refused and nothing is saved
    assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_the_form_offers_every_field():
    browser = logged_in()
    page = browser.get(CREATE).content.decode()
    for name in ("title", "body", "category", "district", "tags", "photos", "files"):
        assert f'name="{name}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'name="photos" accept="image/jpeg,image/png,image/webp,image/gif"' in page


def test_a_member_proposes_with_text_photos_and_files(settings):
    # Given a member with a photo that carries GPS data and two files
    member = UserFactory(nickname="한강러버")
    browser = logged_in(member)
    body = (
        "첫 문단입니다.\n\n"
        "둘째 문단, 자세한 내용은 https://news.seoul.go.kr/walk 참고.\n"
        "<script>alert('x')</script> <b>굵게</b>"
    )
    # When they publish the proposal
    response = browser.post(
        CREATE,
        proposal_form(
            title="걷고 싶은 <i>한강</i>다리",
            body=body,
            district="mapo",
            tags="#한강, 보행 산책",
            photos=[image_file("bridge.jpg", exif=gps_exif()), image_file("view.png", fmt="PNG")],
            files=[pdf_file("계획서.pdf"), office_file("docx", "설명.docx")],
        ),
        follow=True,
    )
    # Then they land on the proposal's page, which says so
    proposal = Proposal.objects.get()
    assert response.redirect_chain == [(f"/proposals/{proposal.pk}/", 302)]
    assert flash(response) == ["Your proposal is published. Thank you!"]
    page = response.content.decode()
    # the text as paragraphs and links, never raw HTML
    assert "<p>첫 문단입니다.</p>" in page
    assert (
        '<a href="https://news.seoul.go.kr/walk" rel="nofollow">https://news.seoul.go.kr/walk</a>'
        in page
    )
    assert "<script>alert" not in page and "<b>굵게</b>" not in page and "<i>한강</i>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "걷고 싶은 &lt;i&gt;한강&lt;/i&gt;다리" in page
    # status, place, tags, author, photos and files
    text = page_html(response)
    assert "Gathering endorsements" in text and "Mapo-gu" in text
    assert "#한강" in text and "#보행" in text and "#산책" in text
    assert "Proposed by 한강러버" in page_text(response)
    photos = list(proposal.photos.all())
    assert len(photos) == 2
    for photo in photos:
        assert f'src="{photo.get_thumbnail_url()}"' in page
        assert f'href="{photo.get_absolute_url()}"' in page
    assert "계획서.pdf" in text and "설명.docx" in text
    assert sorted(proposal.attachments.values_list("kind", flat=True)) == ["docx", "pdf"]
    # and the stored photo keeps no location, and has a thumbnail beside it
    stored = Image.open(photos[0].image.path)
    assert stored.format == "JPEG" and dict(stored.getexif()) == {}
    assert b"PhoneCam" not in Path(photos[0].image.path).read_bytes()
    assert Path(photos[0].thumbnail.path).is_file()
    assert proposal.events.get().kind == EventKind.CREATED


def test_a_city_wide_proposal_is_shown_as_such():
    browser = logged_in()
    response = browser.post(CREATE, proposal_form(district=""), follow=True)
    assert Proposal.objects.get().district == ""
    assert "Whole city" in page_html(response)


def _many(factory, n):
    return [factory(i) for i in range(n)]


BAD_INPUT = {
    "empty title": ({"title": ""}, "This field is required."),
    "blank title": ({"title": "   "}, "This field is required."),
    "one-letter title": ({"title": "길"}, "at least 2 characters"),
    "over-long title": ({"title": "제" * 101}, "at most 100 characters"),
    "empty body": ({"body": ""}, "This field is required."),
    "short body": ({"body": "짧아요"}, "at least 10 characters"),
    "huge body": ({"body": "가" * 10_001}, "at most 10000 characters"),
    "no category": ({"category": ""}, "This field is required."),
    "unknown category": ({"category": "99999"}, "Select a valid choice."),
    "unknown district": ({"district": "atlantis"}, "Select a valid choice."),
    "eleven tags": ({"tags": " ".join(f"태그{i}" for i in range(11))}, "at most 10 tags"),
    "exe renamed pdf": (
        {"files": lambda: [upload("plan.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64)]},
        "plan.pdf does not contain what its name says (PDF).",
    ),
    "html renamed docx": (
        {"files": lambda: [upload("plan.docx", b"<html><script>alert(1)</script></html>")]},
        "plan.docx does not contain what its name says (DOCX).",
    ),
    "text renamed jpg": (
        {"photos": lambda: [upload("photo.jpg", "사진이 아니에요".encode(), "image/jpeg")]},
        "photo.jpg is not a photo we can read",
    ),
    "decompression bomb": ({"photos": lambda: [png_bomb()]}, "bomb.png is not a photo we can read"),
    "exe file": ({"files": lambda: [upload("setup.exe", b"MZ")]}, "setup.exe: only PDF, HWP"),
    "svg file": ({"files": lambda: [upload("logo.svg", b"<svg/>")]}, "logo.svg: only PDF, HWP"),
    "html file": (
        {"files": lambda: [upload("page.html", b"<html></html>")]},
        "page.html: only PDF",
    ),
    "svg photo": (
        {
            "photos": lambda: [
                upload("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml")
            ]
        },
        "logo.svg is not a photo we can read",
    ),
    "six photos": (
        {"photos": lambda: _many(lambda i: image_file(f"{i}.jpg"), 6)},
        "You can attach at most 5 photos.",
    ),
    "four files": (
        {"files": lambda: _many(lambda i: pdf_file(f"{i}.pdf"), 4)},
        "You can attach at most 3 files.",
    ),
    "good and bad photos": (
        {
            "photos": lambda: [image_file("good.jpg"), upload("bad.jpg", b"nope")],
            "files": lambda: [pdf_file()],
        },
        "bad.jpg is not a photo we can read",
    ),
    "empty file": ({"files": lambda: [upload("empty.txt", b"")]}, "The submitted file is empty."),
}


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(settings, overrides, message):
    # Given a member filling in the form with one thing wrong
    browser = logged_in()
    data = proposal_form(**{k: v() if callable(v) else v for k, v in overrides.items()})
    # When they publish
    response = browser.post(CREATE, data)
    # Then the form comes back with the reason, keeping what they typed
    assert response.status_code == 200
    assert message in errors(response)
    if data["title"].strip():
        assert f'value="{html.escape(data["title"], quote=True)}"' in response.content.decode()
    # And nothing was saved, not even a file
    assert not Proposal.objects.exists()
    assert not ProposalPhoto.objects.exists() and not ProposalAttachment.objects.exists()
    assert stored_files(settings) == []


def test_line_breaks_count_as_one_character_as_the_browser_counts_them():
    # Given a body of exactly 10,000 characters as the page's textarea counts
    # them, which the browser sends with CRLF line breaks (10,099 characters)
    body = "\r\n".join(["가" * 99] * 100) + "가"
    # When it is published, Then it is accepted and stored with plain line breaks
    response = logged_in().post(CREATE, proposal_form(body=body))
    assert response.status_code == 302, errors(response)
    stored = Proposal.objects.get().body
    assert len(stored) == 10_000 and "\r" not in stored
    # And the same for comments (2,000)
    comment = "\r\n".join(["댓" * 99] * 20) + "댓"  # 1,980 + 19 breaks + 1
    logged_in().post(f"/proposals/{Proposal.objects.get().pk}/comments/", {"body": comment})
    assert len(Comment.objects.get().body) == 2_000


def test_a_request_larger_than_the_server_accepts_is_refused_with_400():
    browser = logged_in()
    response = browser.post(CREATE, proposal_form(body="가" * 2_000_000))  # 6 MB of text
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_an_oversized_photo_gets_a_message_not_an_error_page(settings):
    browser = logged_in()
    big = upload("big.jpg", b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024), "image/jpeg")
    response = browser.post(CREATE, proposal_form(photos=[big]))
    assert response.status_code == 200
    assert "big.jpg is too large. Photos may be up to 10 MB." in errors(response)
    assert not Proposal.objects.exists() and stored_files(settings) == []


def test_every_accepted_file_kind_can_be_attached_through_the_form():
    browser = logged_in()
    browser.post(
        CREATE, proposal_form(files=[office_file("xlsx"), office_file("pptx"), txt_file()])
    )
    assert sorted(ProposalAttachment.objects.values_list("kind", flat=True)) == [
        "pptx",
        "txt",
        "xlsx",
    ]
