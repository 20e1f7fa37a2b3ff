"""Uploads are served only through views that check their proposal may be seen."""

import pytest

from proposals import services
from tests.factories import CategoryFactory, UserFactory, image_file, operator, pdf_file
from tests.pages import log_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal():
    return services.proposal_create(
        author=UserFactory(),
        title="청혼의 벽",
        body="한강 다리 아래에 청혼의 벽을 만들어 주세요.",
        category=CategoryFactory(),
        photos=[image_file("wall.jpg")],
        files=[pdf_file("계획서.pdf")],
    )


def _urls(proposal):
    photo, item = proposal.photos.get(), proposal.attachments.get()
    return photo.get_thumbnail_url(), photo.get_absolute_url(), item.get_absolute_url()


def test_photos_and_files_of_a_public_proposal_are_served_safely(client, proposal):
    thumb, full, attachment = _urls(proposal)
    response = client.get(thumb)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert client.get(full).status_code == 200
    response = client.get(attachment)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%EA%B3%84%ED%9A%8D%EC%84%9C.pdf" in response["Content-Disposition"]  # 계획서.pdf


def test_media_of_a_hidden_proposal_is_gone_for_the_public_but_not_for_operators(client, proposal):
    services.proposal_hide(proposal=proposal, user=operator(), reason="개인정보 노출")
    for url in _urls(proposal):
        assert client.get(url).status_code == 404
    log_in_with_second_factor(client, operator())
    for url in _urls(proposal):
        assert client.get(url).status_code == 200


def test_media_of_a_trashed_proposal_is_gone(client, proposal):
    services.proposal_trash(proposal=proposal, user=proposal.author)
    for url in _urls(proposal):
        assert client.get(url).status_code == 404


def test_behind_nginx_the_file_is_handed_to_the_internal_location(client, proposal, settings):
    settings.OASIS_MEDIA_ACCEL_PREFIX = "/protected-media/"
    photo = proposal.photos.get()
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
    assert response.content == b""


def test_unknown_sizes_and_ids_are_404(client, proposal):
    photo = proposal.photos.get()
    assert client.get(f"/proposals/photos/{photo.pk}/huge/").status_code == 404
    assert client.get("/proposals/photos/999999/full/").status_code == 404
    assert client.get("/proposals/files/999999/").status_code == 404
    assert client.get("/media/" + photo.image.name).status_code == 404
