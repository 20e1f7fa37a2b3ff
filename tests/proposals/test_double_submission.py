"""A create form sent twice (a double click, the browser's retry, a second
tab with the same page) makes one thing; a form refused for its upload comes
back with everything else the member wrote. Each test loads the page, fills
the form it shows and sends what the browser would (accounts/once.py)."""

import pytest

from accounts.models import SubmittedForm
from proposals.models import Comment, Proposal, ProposalPhoto
from tests.factories import CategoryFactory, ProposalFactory, image_file, png_bomb, upload
from tests.pages import flash, form_fields, form_posting_to, logged_in

from .helpers import BODY, CREATE

pytestmark = pytest.mark.django_db


def _filled_proposal_form(browser, url=CREATE, **changes) -> dict:
    page = browser.get(url)
    assert page.status_code == 200
    fields = form_fields(page)
    category = CategoryFactory(code="environment", name="환경")
    fields.update(
        title="걷고 싶은 한강다리",
        body=BODY,
        category=str(category.pk),
        district="mapo",
        tags="한강, 산책",
    )
    fields.update(changes)
    return fields


def test_a_proposal_form_sent_twice_proposes_once():
    # Given a member who filled in the proposal form as the page shows it
    browser = logged_in(csrf_checks=True)
    fields = _filled_proposal_form(browser)
    assert fields["submission_token"]

    # When the form is sent twice (a double click)
    first = browser.post(CREATE, fields)
    second = browser.post(CREATE, fields, follow=True)

    # Then one proposal exists, and the second sending shows it
    proposal = Proposal.objects.get()
    assert first.status_code == 302 and first["Location"] == proposal.get_absolute_url()
    assert second.redirect_chain[-1][0] == proposal.get_absolute_url()
    assert "This form was already sent; here is what it made." in flash(second)


def test_two_proposal_pages_opened_separately_are_two_proposals():
    browser = logged_in(csrf_checks=True)
    one = _filled_proposal_form(browser, title="첫 번째 제안입니다")
    two = _filled_proposal_form(browser, title="두 번째 제안입니다")
    assert one["submission_token"] != two["submission_token"]
    browser.post(CREATE, one)
    browser.post(CREATE, two)
    assert Proposal.objects.count() == 2


def test_a_refused_proposal_form_corrected_and_sent_again_is_published():
    # Given a form refused for its photo, which comes back with the same token
    browser = logged_in(csrf_checks=True)
    fields = _filled_proposal_form(browser)
    refused = browser.post(CREATE, {**fields, "photos": [upload("a.jpg", b"not a photo")]})
    assert refused.status_code == 200 and not Proposal.objects.exists()
    again = form_fields(refused)
    assert again["submission_token"] == fields["submission_token"]
    # When the member sends it again without the photo, Then it is published
    assert browser.post(CREATE, again).status_code == 302
    assert Proposal.objects.count() == 1


@pytest.mark.parametrize(
    "photo",
    [
        lambda: upload("a.jpg", b"not a photo", "image/jpeg"),
        lambda: png_bomb("huge.png", width=8000, height=6000),
        lambda: upload("big.jpg", b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024), "image/jpeg"),
    ],
    ids=["not-a-photo", "too-many-pixels", "too-large"],
)
def test_a_refused_photo_gives_the_proposal_form_back_with_everything_else_kept(photo, settings):
    # Given a member who wrote a proposal and chose a photo the site refuses
    browser = logged_in(csrf_checks=True)
    fields = _filled_proposal_form(browser)
    # When they publish
    response = browser.post(CREATE, {**fields, "photos": [photo()]})
    # Then the form comes back with what they wrote, and nothing is saved
    assert response.status_code == 200
    kept = form_fields(response)
    for name in ("title", "body", "category", "district", "tags", "submission_token"):
        assert kept[name] == fields[name], name
    assert not Proposal.objects.exists() and not ProposalPhoto.objects.exists()


def test_a_refused_photo_gives_the_edit_form_back_with_the_new_text_kept():
    # Given the author editing their proposal, with a refused photo chosen
    proposal = ProposalFactory(title="원래 제목입니다")
    browser = logged_in(proposal.author, csrf_checks=True)
    url = f"/proposals/{proposal.pk}/edit/"
    fields = _filled_proposal_form(browser, url, title="고친 제목입니다")
    # When they save
    response = browser.post(url, {**fields, "photos": [upload("a.jpg", b"nope", "image/jpeg")]})
    # Then the form comes back with their changes, and nothing is saved
    assert response.status_code == 200
    kept = form_fields(response)
    for name in ("title", "body", "category", "district", "tags"):
        assert kept[name] == fields[name], name
    proposal.refresh_from_db()
    assert proposal.title == "원래 제목입니다" and not proposal.photos.exists()


def test_a_comment_form_sent_twice_comments_once():
    # Given a member on a proposal's page, with the comment form filled in
    proposal = ProposalFactory()
    browser = logged_in(csrf_checks=True)
    page = browser.get(proposal.get_absolute_url())
    action = f"/proposals/{proposal.pk}/comments/"
    fields = {**form_posting_to(page, action)["fields"], "body": "좋은 생각이에요!"}

    # When it is sent twice
    first = browser.post(action, fields)
    second = browser.post(action, fields, follow=True)

    # Then there is one comment, and the second sending is shown it
    comment = Comment.objects.get()
    assert first["Location"].endswith(f"#comment-{comment.pk}")
    assert second.status_code == 200
    assert "This form was already sent; here is what it made." in flash(second)
    proposal.refresh_from_db()
    assert proposal.comment_count == 1


def test_old_form_tokens_are_purged():
    from datetime import timedelta

    from django.utils import timezone

    from accounts.once import submitted_forms_purge

    browser = logged_in(csrf_checks=True)
    browser.post(CREATE, _filled_proposal_form(browser))
    SubmittedForm.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert submitted_forms_purge() == 1
    assert not SubmittedForm.objects.exists()


def test_photos_over_the_hourly_allowance_are_refused_with_the_text_kept():
    # Given a member who sent 30 photos this hour (six proposals of five)
    browser = logged_in()
    for n in range(6):
        photos = [image_file(f"{n}-{i}.jpg") for i in range(5)]
        fields = _filled_proposal_form(browser, title=f"제안 {n}번입니다")
        assert browser.post(CREATE, {**fields, "photos": photos}).status_code == 302
    # When they send one more
    fields = _filled_proposal_form(browser, title="일곱 번째 제안")
    response = browser.post(CREATE, {**fields, "photos": [image_file("last.jpg")]})
    # Then it is refused with a message, and their text comes back
    assert response.status_code == 200
    assert "You have sent many photos in the last hour." in response.content.decode()
    assert form_fields(response)["title"] == "일곱 번째 제안"
    assert Proposal.objects.count() == 6
