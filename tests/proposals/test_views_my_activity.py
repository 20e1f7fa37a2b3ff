"""The member's own activity page."""

import pytest
from django.utils import timezone

from proposals import services
from tests.factories import ProposalFactory, UserFactory
from tests.pages import logged_in, page_html

from .helpers import english_page_client  # noqa: F401 (the `client` fixture, reading English)

pytestmark = pytest.mark.django_db


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
