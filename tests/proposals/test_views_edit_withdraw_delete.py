"""The author's edit, withdraw and delete pages: who may, and until when."""

import pytest

from proposals import services
from proposals.models import Endorsement, EventKind, Proposal, ProposalStatus
from tests.factories import ProposalFactory, UserFactory, image_file, operator, txt_file
from tests.pages import flash, logged_in, page_html

from .helpers import (
    _with_uploads,
    english_page_client,  # noqa: F401 (the `client` fixture, reading English)
    proposal_form,
)

pytestmark = pytest.mark.django_db


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
