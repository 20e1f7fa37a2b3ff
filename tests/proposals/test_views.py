"""The proposal room as a member uses it: through URLs and forms with the test
client, asserting what the page shows and what the database holds."""

import datetime as dt
import html
import re
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from PIL import Image

from proposals import services
from proposals.models import (
    Comment,
    Endorsement,
    EventKind,
    Proposal,
    ProposalAttachment,
    ProposalPhoto,
    ProposalStatus,
    Report,
)
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    gps_exif,
    image_file,
    office_file,
    official,
    operator,
    pdf_file,
    png_bomb,
    txt_file,
    upload,
)
from tests.pages import english, flash, logged_in, page_html

pytestmark = pytest.mark.django_db

CREATE = "/proposals/new/"
BODY = "한강 다리를 걷고 싶은 다리로 만들면 좋겠습니다."


# --- helpers ----------------------------------------------------------------------


@pytest.fixture
def client(client):
    return english(client)


def errors(response) -> str:
    """Form errors shown next to the fields or above the form."""
    page = response.content.decode()
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    found += re.findall(r'<div class="errorlist" role="alert">(.*?)</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", " ".join(found)))


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def proposal_form(**overrides) -> dict:
    data = {
        "title": "걷고 싶은 한강다리",
        "body": BODY,
        "category": CategoryFactory(code="transport", name="교통").pk,
        "district": "",
        "tags": "",
    }
    data.update(overrides)
    return data


def endorsement_count(response) -> int:
    match = re.search(r'data-testid="endorsement-count">([\d,]+)<', response.content.decode())
    return int(match.group(1).replace(",", ""))


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
    assert "Proposed by 한강러버" in text
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


# --- the proposal page --------------------------------------------------------------


def _with_uploads(**kwargs) -> Proposal:
    return services.proposal_create(
        author=kwargs.pop("author", None) or UserFactory(display_name="김영희"),
        title=kwargs.pop("title", "한강 다리를 걷고 싶게"),
        body=BODY,
        category=CategoryFactory(name="교통", name_en="Transport"),
        photos=[image_file("a.jpg")],
        files=[pdf_file("계획서.pdf")],
        tag_names=["한강"],
        **kwargs,
    )


def test_the_page_shows_status_timeline_uploads_counts_and_comments(client):
    # Given a proposal with a photo, a file, endorsements and comments
    proposal = _with_uploads()
    for member in UserFactory.create_batch(2):
        services.proposal_endorse(proposal=proposal, user=member)
    services.comment_create(
        proposal=proposal, author=UserFactory(nickname="산책러"), body="꼭 됐으면!"
    )
    # When a visitor opens it
    response = client.get(f"/proposals/{proposal.pk}/")
    page, text = response.content.decode(), page_html(response)
    # Then everything a citizen needs is there
    assert response.status_code == 200
    assert 'class="badge badge-status-open">Gathering endorsements<' in page
    assert "What has happened" in text and "Proposed" in text
    assert "Transport" in text
    assert f'src="{proposal.photos.get().get_thumbnail_url()}"' in page
    assert "계획서.pdf" in text and "(PDF, " in text
    assert endorsement_count(response) == 2
    assert re.search(r"<dt>Comments</dt><dd>1</dd>", page)
    assert "산책러" in text and "꼭 됐으면!" in text
    assert "Proposed by 김*희" in text
    assert re.search(r"<dt>Views</dt><dd>1</dd>", page)
    assert "Log in to endorse" in text and "Log in to comment." in text


def test_a_proposal_that_does_not_exist_or_is_in_the_trash_is_404(client):
    trashed = ProposalFactory(deleted_at=timezone.now())
    assert client.get("/proposals/999999/").status_code == 404
    assert client.get(f"/proposals/{trashed.pk}/").status_code == 404
    assert logged_in(operator()).get(f"/proposals/{trashed.pk}/").status_code == 404
    assert logged_in(trashed.author).get(f"/proposals/{trashed.pk}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/proposals/99999999999999999999/",
        "/proposals/99999999999999999999/edit/",
        "/proposals/comments/99999999999999999999/edit/",
    ],
)
def test_an_id_out_of_range_is_404_not_an_error(path):
    assert logged_in().get(path).status_code == 404


def test_the_page_runs_a_fixed_number_of_queries_however_many_comments(
    django_assert_max_num_queries,
):
    proposal = _with_uploads()
    staff = official()
    browser = logged_in()
    counts = []
    for n in (5, 25):
        while proposal.comments.count() < n:
            author = staff if proposal.comments.count() % 2 else UserFactory()
            services.comment_create(proposal=proposal, author=author, body="의견입니다")
        browser.get(f"/proposals/{proposal.pk}/")  # today's view is counted on the first visit
        with django_assert_max_num_queries(15) as captured:
            assert browser.get(f"/proposals/{proposal.pk}/").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def _views(proposal) -> int:
    proposal.refresh_from_db()
    return proposal.view_count


def test_views_are_counted_once_per_visitor_per_day(client):
    proposal = ProposalFactory()
    url = f"/proposals/{proposal.pk}/"
    with time_machine.travel(dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        # the same visitor twice: one view
        client.get(url)
        response = client.get(url)
        assert _views(proposal) == 1
        assert re.search(r"<dt>Views</dt><dd>1</dd>", response.content.decode())
        # another visitor (another address, no cookies): two
        english(Client(REMOTE_ADDR="203.0.113.9")).get(url)
        assert _views(proposal) == 2
        # a member, twice: three
        member = logged_in()
        member.get(url)
        member.get(url)
        assert _views(proposal) == 3
    with time_machine.travel(dt.datetime(2025, 5, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        # the next day the first visitor counts again
        response = client.get(url)
        assert _views(proposal) == 4
        assert re.search(r"<dt>Views</dt><dd>4</dd>", response.content.decode())


def test_views_of_a_hidden_proposal_are_not_counted_for_the_public(client):
    proposal = ProposalFactory(is_hidden=True, hidden_reason="광고")
    client.get(f"/proposals/{proposal.pk}/")
    assert _views(proposal) == 0


# --- editing, withdrawing, deleting ---------------------------------------------------


def test_the_author_edits_before_anyone_endorses():
    proposal = _with_uploads()
    browser = logged_in(proposal.author)
    form = browser.get(f"/proposals/{proposal.pk}/edit/")
    assert form.status_code == 200
    assert 'value="한강 다리를 걷고 싶게"' in form.content.decode()
    assert 'value="한강"' in form.content.decode()  # the tags
    photo, attachment = proposal.photos.get(), proposal.attachments.get()
    response = browser.post(
        f"/proposals/{proposal.pk}/edit/",
        proposal_form(
            title="걷고 싶은 한강다리 (수정)",
            body="보행로를 넓히고 그늘을 만들어 주세요.",
            category=proposal.category_id,
            tags="한강 그늘",
            remove_photos=[photo.pk],
            photos=[image_file("new.png", fmt="PNG")],
            remove_files=[attachment.pk],
            files=[txt_file("메모.txt")],
        ),
        follow=True,
    )
    assert flash(response) == ["Your changes are saved."]
    proposal.refresh_from_db()
    assert proposal.title == "걷고 싶은 한강다리 (수정)"
    assert set(proposal.tags.values_list("name", flat=True)) == {"한강", "그늘"}
    (new_photo,) = proposal.photos.all()
    assert new_photo.pk != photo.pk and new_photo.image.name.endswith(".png")
    assert list(proposal.attachments.values_list("original_name", flat=True)) == ["메모.txt"]
    text = page_html(response)
    assert "Edited by the proposer" in text and "메모.txt" in text and "계획서.pdf" not in text


def test_editing_someone_elses_proposal_is_404():
    proposal = ProposalFactory(title="남의 제안")
    browser = logged_in()
    assert browser.get(f"/proposals/{proposal.pk}/edit/").status_code == 404
    response = browser.post(
        f"/proposals/{proposal.pk}/edit/", proposal_form(category=proposal.category_id)
    )
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.title == "남의 제안"


def test_editing_after_the_first_endorsement_is_refused_and_nothing_changes():
    # Given a proposal someone has endorsed
    proposal = ProposalFactory(title="원래 제목")
    services.proposal_endorse(proposal=proposal, user=UserFactory())
    browser = logged_in(proposal.author)
    # Then the page no longer offers to edit
    page = page_html(browser.get(f"/proposals/{proposal.pk}/"))
    assert f"/proposals/{proposal.pk}/edit/" not in page
    assert "It has been endorsed, so it can no longer be edited." in page
    # When the author posts an edit anyway
    response = browser.post(
        f"/proposals/{proposal.pk}/edit/",
        proposal_form(title="바꾼 제목", category=proposal.category_id),
        follow=True,
    )
    # Then it is refused with the reason, and nothing changed
    assert response.redirect_chain[-1][0] == f"/proposals/{proposal.pk}/"
    assert flash(response) == [
        "This proposal has already been endorsed, so it can no longer be edited."
    ]
    proposal.refresh_from_db()
    assert proposal.title == "원래 제목"
    assert not proposal.events.filter(kind=EventKind.EDITED).exists()


def test_a_hidden_proposal_cannot_be_edited_by_its_author():
    proposal = ProposalFactory(title="원래 제목", is_hidden=True, hidden_reason="개인정보 노출")
    browser = logged_in(proposal.author)
    page = page_html(browser.get(f"/proposals/{proposal.pk}/"))
    assert f"/proposals/{proposal.pk}/edit/" not in page
    assert "It has been endorsed" not in page
    assert "Reason: 개인정보 노출" in page
    response = browser.post(
        f"/proposals/{proposal.pk}/edit/",
        proposal_form(title="바꾼 제목", category=proposal.category_id),
        follow=True,
    )
    assert flash(response) == ["A proposal hidden by the operators cannot be edited."]
    proposal.refresh_from_db()
    assert proposal.title == "원래 제목"


def test_the_author_withdraws_at_any_time_even_after_endorsements(client):
    # Given an endorsed proposal
    proposal = ProposalFactory()
    endorser = UserFactory()
    services.proposal_endorse(proposal=proposal, user=endorser)
    browser = logged_in(proposal.author)
    # When the author withdraws it with a reason
    response = browser.post(
        f"/proposals/{proposal.pk}/withdraw/", {"reason": "비슷한 제안이 이미 있어요"}, follow=True
    )
    # Then it is withdrawn, publicly, with the reason on the timeline
    assert flash(response) == ["Your proposal is withdrawn."]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    public = page_html(client.get(f"/proposals/{proposal.pk}/"))
    assert "Withdrawn by the proposer" in public and "비슷한 제안이 이미 있어요" in public
    # And it can no longer be endorsed or withdrawn again
    assert "This proposal is no longer gathering endorsements." in page_html(
        logged_in().get(f"/proposals/{proposal.pk}/")
    )
    again = browser.post(f"/proposals/{proposal.pk}/withdraw/", follow=True)
    assert "cannot become" in flash(again)[0]
    # And the endorsement already given is kept
    assert Endorsement.objects.filter(proposal=proposal, user=endorser).exists()


def test_only_the_author_can_withdraw():
    proposal = ProposalFactory()
    assert logged_in().post(f"/proposals/{proposal.pk}/withdraw/").status_code == 404
    assert logged_in(operator()).post(f"/proposals/{proposal.pk}/withdraw/").status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


def test_the_author_deletes_a_proposal_which_leaves_the_site_but_stays_stored(client):
    proposal = ProposalFactory(title="지울 제안")
    browser = logged_in(proposal.author)
    response = browser.post(f"/proposals/{proposal.pk}/delete/", follow=True)
    assert response.redirect_chain[-1][0] == "/me/"
    assert "지울 제안" not in page_html(response)
    assert client.get(f"/proposals/{proposal.pk}/").status_code == 404
    assert "지울 제안" not in page_html(client.get("/proposals/"))
    assert Proposal.objects.in_trash().get().title == "지울 제안"
    assert logged_in().post(f"/proposals/{ProposalFactory().pk}/delete/").status_code == 404


# --- endorsing --------------------------------------------------------------------


def test_a_member_endorses_once_and_can_take_it_back():
    proposal = ProposalFactory()
    member = UserFactory()
    browser = logged_in(member)
    url = f"/proposals/{proposal.pk}/endorse/"
    # endorse
    response = browser.post(url, follow=True)
    assert response.redirect_chain == [(f"/proposals/{proposal.pk}/#endorse", 302)]
    assert flash(response) == ["You endorsed this proposal."]
    assert endorsement_count(response) == 1
    assert "Take back my endorsement" in page_html(response)
    # twice: refused, still one
    response = browser.post(url, follow=True)
    assert flash(response) == ["You have already endorsed this proposal."]
    assert endorsement_count(response) == 1
    assert Endorsement.objects.filter(proposal=proposal).count() == 1
    # take it back
    response = browser.post(url, {"action": "withdraw"}, follow=True)
    assert flash(response) == ["Your endorsement is taken back."]
    assert endorsement_count(response) == 0
    assert not Endorsement.objects.exists()


def test_counts_are_exact_with_many_members():
    proposal = ProposalFactory()
    members = UserFactory.create_batch(7)
    for member in members:
        logged_in(member).post(f"/proposals/{proposal.pk}/endorse/")
    logged_in(members[0]).post(f"/proposals/{proposal.pk}/endorse/", {"action": "withdraw"})
    response = logged_in().get(f"/proposals/{proposal.pk}/")
    assert endorsement_count(response) == 6 == proposal.endorsements.count()


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("own", "You cannot endorse your own proposal."),
        ("withdrawn", "This proposal is no longer gathering endorsements."),
        ("hidden", "This proposal is no longer gathering endorsements."),
    ],
)
def test_endorsing_is_refused_with_a_message(state, message):
    proposal = ProposalFactory(
        status="withdrawn" if state == "withdrawn" else "open",
        withdrawn_at=timezone.now() if state == "withdrawn" else None,
        is_hidden=state == "hidden",
    )
    browser = logged_in(proposal.author if state == "own" else UserFactory())
    response = browser.post(f"/proposals/{proposal.pk}/endorse/", follow=True)
    assert flash(response) == [message]
    assert not Endorsement.objects.exists()
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 0


def test_the_author_sees_no_endorse_button_on_their_own_proposal():
    proposal = ProposalFactory()
    page = page_html(logged_in(proposal.author).get(f"/proposals/{proposal.pk}/"))
    assert f'action="/proposals/{proposal.pk}/endorse/"' not in page
    assert "This is your proposal." in page


def test_endorsing_needs_login_post_and_a_live_proposal(client):
    proposal = ProposalFactory()
    response = client.post(f"/proposals/{proposal.pk}/endorse/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert logged_in().get(f"/proposals/{proposal.pk}/endorse/").status_code == 405
    trashed = ProposalFactory(deleted_at=timezone.now())
    assert logged_in().post(f"/proposals/{trashed.pk}/endorse/").status_code == 404
    assert not Endorsement.objects.exists()


def test_endorsing_without_a_csrf_token_is_refused():
    proposal = ProposalFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    assert browser.post(f"/proposals/{proposal.pk}/endorse/").status_code == 403
    assert not Endorsement.objects.exists()


# --- comments -------------------------------------------------------------------------


def test_a_member_writes_edits_and_deletes_their_comment(client):
    proposal = ProposalFactory()
    member = UserFactory(nickname="댓글러")
    browser = logged_in(member)
    # write
    response = browser.post(
        f"/proposals/{proposal.pk}/comments/", {"body": "좋아요 <script>x</script>"}, follow=True
    )
    comment = Comment.objects.get()
    assert response.redirect_chain == [(f"/proposals/{proposal.pk}/#comment-{comment.pk}", 302)]
    assert flash(response) == ["Your comment is posted."]
    assert "좋아요 &lt;script&gt;x&lt;/script&gt;" in response.content.decode()
    assert "1 comment" in page_html(response)
    # edit
    form = browser.get(f"/proposals/comments/{comment.pk}/edit/")
    assert "좋아요 &lt;script&gt;" in form.content.decode()
    response = browser.post(
        f"/proposals/comments/{comment.pk}/edit/", {"body": "정말 좋아요"}, follow=True
    )
    assert flash(response) == ["Your comment is updated."]
    assert "정말 좋아요" in page_html(response)
    # delete: gone from the page and the count, kept in the database
    response = browser.post(f"/proposals/comments/{comment.pk}/delete/", follow=True)
    assert flash(response) == ["Your comment is deleted."]
    assert "정말 좋아요" not in page_html(response)
    assert "0 comments" in page_html(response)
    comment.refresh_from_db()
    assert comment.deleted_at is not None and comment.body == "정말 좋아요"
    assert "No comments yet." in page_html(client.get(f"/proposals/{proposal.pk}/"))


def test_an_empty_comment_gets_a_message():
    proposal = ProposalFactory()
    response = logged_in().post(f"/proposals/{proposal.pk}/comments/", {"body": "   "}, follow=True)
    assert flash(response) == ["This field is required."]
    assert not Comment.objects.exists()


def test_someone_elses_comment_cannot_be_edited_or_deleted():
    comment = CommentFactory(body="원래 댓글")
    browser = logged_in()
    assert browser.get(f"/proposals/comments/{comment.pk}/edit/").status_code == 404
    assert (
        browser.post(f"/proposals/comments/{comment.pk}/edit/", {"body": "바꿈"}).status_code == 404
    )
    assert browser.post(f"/proposals/comments/{comment.pk}/delete/").status_code == 404
    comment.refresh_from_db()
    assert comment.body == "원래 댓글" and comment.deleted_at is None


def test_an_officials_comment_shows_their_department_badge(client):
    department = DepartmentFactory(name="보행정책과")
    staff = official(department=department, display_name="이공무")
    proposal = ProposalFactory()
    logged_in(staff).post(f"/proposals/{proposal.pk}/comments/", {"body": "검토 중입니다."})
    logged_in().post(f"/proposals/{proposal.pk}/comments/", {"body": "기대돼요"})
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert page.count("badge-official") == 1
    assert '<span class="badge badge-official">Official · 보행정책과</span>' in page


def test_commenting_needs_login_and_a_csrf_token(client):
    proposal = ProposalFactory()
    assert client.post(f"/proposals/{proposal.pk}/comments/", {"body": "글"}).status_code == 302
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    assert browser.post(f"/proposals/{proposal.pk}/comments/", {"body": "글"}).status_code == 403
    assert not Comment.objects.exists()


# --- reports and moderation -------------------------------------------------------------


def test_a_proposal_and_a_comment_are_reported_once_each():
    comment = CommentFactory()
    proposal = comment.proposal
    browser = logged_in()
    response = browser.post(f"/proposals/{proposal.pk}/report/", {"reason": "spam"}, follow=True)
    assert flash(response) == ["Thank you. The operators will look at your report."]
    response = browser.post(f"/proposals/{proposal.pk}/report/", {"reason": "abuse"}, follow=True)
    assert flash(response) == ["You have already reported this."]
    response = browser.post(
        f"/proposals/comments/{comment.pk}/report/",
        {"reason": "abuse", "detail": "욕설"},
        follow=True,
    )
    assert flash(response) == ["Thank you. The operators will look at your report."]
    response = browser.post(
        f"/proposals/comments/{comment.pk}/report/", {"reason": "abuse"}, follow=True
    )
    assert flash(response) == ["You have already reported this."]
    assert Report.objects.count() == 2
    response = browser.post(
        f"/proposals/{ProposalFactory().pk}/report/", {"reason": "??"}, follow=True
    )
    assert flash(response) == ["Please choose a reason for the report."]


def test_an_operator_hides_a_proposal_from_its_page_with_a_reason(client):
    # Given a reported proposal and an operator on its page
    proposal = ProposalFactory(
        title="전화번호가 적힌 제안", body="제 번호는 010-1234-5678 입니다. 연락 주세요."
    )
    staff = operator()
    browser = logged_in(staff)
    assert "Hide proposal" in page_html(browser.get(f"/proposals/{proposal.pk}/"))
    # When they hide it with a reason
    response = browser.post(
        f"/proposals/{proposal.pk}/moderate/",
        {"action": "hide", "reason": "개인정보 노출"},
        follow=True,
    )
    assert flash(response) == ["Hidden."]
    # Then the public sees that it was hidden and why, but not the text
    public = page_html(client.get(f"/proposals/{proposal.pk}/"))
    assert "This proposal was hidden by the operators" in public
    assert "Reason: 개인정보 노출" in public
    assert "010-1234-5678" not in public and "전화번호가 적힌 제안" not in public
    assert "전화번호가 적힌 제안" not in page_html(client.get("/proposals/"))
    # And the text stays stored, visible to operators
    proposal.refresh_from_db()
    assert proposal.is_hidden and "010-1234-5678" in proposal.body
    assert "010-1234-5678" in page_html(browser.get(f"/proposals/{proposal.pk}/"))
    # And it can be restored the same way
    response = browser.post(
        f"/proposals/{proposal.pk}/moderate/",
        {"action": "restore", "reason": "번호 삭제 확인"},
        follow=True,
    )
    assert flash(response) == ["Restored."]
    assert "전화번호가 적힌 제안" in page_html(client.get("/proposals/"))


def test_hiding_needs_a_reason():
    proposal = ProposalFactory()
    response = logged_in(operator()).post(
        f"/proposals/{proposal.pk}/moderate/", {"action": "hide", "reason": " "}, follow=True
    )
    assert flash(response) == ["Please give a reason."]
    proposal.refresh_from_db()
    assert not proposal.is_hidden


def test_only_operators_moderate():
    proposal = ProposalFactory()
    comment = CommentFactory(proposal=proposal)
    for user in (proposal.author, UserFactory(), official()):
        browser = logged_in(user)
        data = {"action": "hide", "reason": "x"}
        assert browser.post(f"/proposals/{proposal.pk}/moderate/", data).status_code == 404
        assert browser.post(f"/proposals/comments/{comment.pk}/moderate/", data).status_code == 404
        assert "Hide proposal" not in page_html(browser.get(f"/proposals/{proposal.pk}/"))
    proposal.refresh_from_db()
    comment.refresh_from_db()
    assert not proposal.is_hidden and not comment.is_hidden


def test_an_operator_hides_a_comment_which_shows_as_hidden_with_the_reason(client):
    comment = CommentFactory(body="욕설이 담긴 댓글")
    browser = logged_in(operator())
    response = browser.post(
        f"/proposals/comments/{comment.pk}/moderate/",
        {"action": "hide", "reason": "욕설"},
        follow=True,
    )
    assert flash(response) == ["Hidden."]
    public = page_html(client.get(f"/proposals/{comment.proposal_id}/"))
    assert "This comment was hidden by the operators. Reason: 욕설" in public
    assert "욕설이 담긴 댓글" not in public
    comment.refresh_from_db()
    assert comment.is_hidden and comment.body == "욕설이 담긴 댓글"
    assert "욕설이 담긴 댓글" in page_html(browser.get(f"/proposals/{comment.proposal_id}/"))


# --- my activity ----------------------------------------------------------------------------


def test_my_activity_lists_my_proposals_endorsements_and_comments(client):
    # Given a member who proposed, endorsed and commented
    member = UserFactory()
    mine = ProposalFactory(author=member, title="내 제안", status="assigned", endorsement_count=3)
    ProposalFactory(author=member, title="지운 내 제안", deleted_at=timezone.now())
    theirs = ProposalFactory(title="남의 제안")
    services.proposal_endorse(proposal=theirs, user=member)
    services.comment_create(proposal=theirs, author=member, body="응원합니다")
    ProposalFactory(title="상관없는 제안")
    # When they open /me/
    response = logged_in(member).get("/me/")
    text = page_html(response)
    # Then they see their proposals with status, endorsements and comments
    assert "내 제안" in text and "Awaiting department answer" in text
    assert "지운 내 제안" not in text
    assert f'href="/proposals/{theirs.pk}/"' in response.content.decode()
    assert "남의 제안" in text and "응원합니다" in text
    assert "상관없는 제안" not in text
    assert mine.get_absolute_url() in response.content.decode()
    # And a visitor is asked to log in
    assert client.get("/me/")["Location"] == "/accounts/login/?next=/me/"


# --- rate limits ------------------------------------------------------------------------------


def _hammer(browser, url, times, data=None):
    return [browser.post(url, data or {}).status_code for _ in range(times)]


def test_proposing_too_often_gets_the_friendly_429_page():
    # Given a member who posted the form ten times in an hour (valid or not)
    browser = logged_in()
    assert 429 not in _hammer(browser, CREATE, 10)
    # When they post again
    response = browser.post(CREATE, proposal_form())
    # Then they are asked to wait, on a page of the site, and nothing is saved
    assert response.status_code == 429
    assert "Too many requests. Please wait a little and try again." in page_html(response)
    assert '<html lang="en">' in response.content.decode()
    assert not Proposal.objects.exists()


def test_proposing_is_limited_per_ip_across_accounts():
    # Three accounts from one address use up its 30 posts an hour
    for _ in range(3):
        assert 429 not in _hammer(logged_in(), CREATE, 10)
    assert logged_in().post(CREATE, proposal_form()).status_code == 429
    # while another address is not affected
    other = logged_in()
    assert other.post(CREATE, {}, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_commenting_too_often_gets_429():
    proposal = ProposalFactory()
    browser = logged_in()
    assert 429 not in _hammer(browser, f"/proposals/{proposal.pk}/comments/", 30, {"body": ""})
    assert browser.post(f"/proposals/{proposal.pk}/comments/", {"body": "또"}).status_code == 429
    assert not Comment.objects.exists()


def test_endorsing_too_often_gets_429():
    proposal = ProposalFactory()
    browser = logged_in()
    url = f"/proposals/{proposal.pk}/endorse/"
    statuses = _hammer(browser, url, 120, {"action": "endorse"})
    assert 429 not in statuses
    assert browser.post(url).status_code == 429
    assert proposal.endorsements.count() == 1
