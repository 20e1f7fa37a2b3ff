"""The proposal page: what it shows, when it is 404, how many queries it runs
and how views are counted."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from proposals import services
from tests.factories import ProposalFactory, UserFactory, official, operator
from tests.pages import english, logged_in, page_html, page_text

from .helpers import (
    _with_uploads,
    endorsement_count,
    english_page_client,  # noqa: F401 (the `client` fixture, reading English)
)

pytestmark = pytest.mark.django_db


# --- the proposal page --------------------------------------------------------------


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
    assert "Proposed by 김*희" in page_text(response)
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


def test_a_script_changing_its_browser_name_and_cookies_counts_once_a_day():
    # Given a proposal and a script visiting it from one address
    proposal = ProposalFactory()
    url = f"/proposals/{proposal.pk}/"
    # When it comes back fifty times, each time with a new User-Agent and no cookies
    for n in range(50):
        Client(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT=f"Mozilla/5.0 bot/{n}").get(url)
    # Then it is one view
    assert _views(proposal) == 1


def test_an_ipv6_visitor_is_one_visitor_across_the_addresses_of_their_block():
    proposal = ProposalFactory()
    url = f"/proposals/{proposal.pk}/"
    for n in range(1, 20):
        Client(REMOTE_ADDR=f"2001:db8:0:1::{n:x}").get(url)
    Client(REMOTE_ADDR="2001:db8:0:2::1").get(url)  # another household
    assert _views(proposal) == 2


def test_views_of_a_hidden_proposal_are_not_counted_for_the_public(client):
    proposal = ProposalFactory(is_hidden=True, hidden_reason="광고")
    client.get(f"/proposals/{proposal.pk}/")
    assert _views(proposal) == 0
