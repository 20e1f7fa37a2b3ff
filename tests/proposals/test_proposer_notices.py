"""The proposer hears about their own proposal: new comments (one notice an
hour, its count moved by each comment) and endorsement milestones, in the
site only."""

import datetime as dt

import pytest
import time_machine

from notifications.models import Notification
from proposals import services
from proposals.models import PipelineSettings
from proposals.notices import ProposalNotice
from tests.clock import seoul
from tests.factories import CategoryFactory, ProposalFactory, UserFactory
from tests.pages import english_client, logged_in, page_text

pytestmark = pytest.mark.django_db


def _comments_notices(proposal):
    return list(
        Notification.objects.filter(
            recipient=proposal.author, kind=ProposalNotice.NEW_COMMENTS
        ).order_by("created_at")
    )


def _comment_from_the_page(proposal, member, body):
    return logged_in(member).post(f"/proposals/{proposal.pk}/comments/", {"body": body})


def test_comments_within_an_hour_make_one_notice_that_counts_them(mailoutbox):
    proposal = ProposalFactory()
    start = seoul(2026, 5, 1, 10, 0)
    # Given three comments by others in the same hour
    for minutes, body in ((0, "좋아요"), (20, "찬성합니다"), (59, "저도요")):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            _comment_from_the_page(proposal, UserFactory(), body)

    # Then the proposer has one unread in-site notice saying three, no e-mail
    (notice,) = _comments_notices(proposal)
    assert (notice.count, notice.read_at) == (3, None)
    assert notice.emailed_at is not None and mailoutbox == []
    reader = english_client()
    reader.force_login(proposal.author)
    text = page_text(reader.get("/notifications/"))
    assert "has 3 new comment(s)" in text

    # When a comment comes after the hour, a new notice counts from one
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        _comment_from_the_page(proposal, UserFactory(), "한 시간 뒤")
    assert [n.count for n in _comments_notices(proposal)] == [3, 1]


def test_a_comment_after_the_notice_was_read_counts_afresh_in_the_same_notice():
    proposal = ProposalFactory()
    start = seoul(2026, 5, 1, 10, 0)
    with time_machine.travel(start, tick=False):
        services.comment_create(proposal=proposal, author=UserFactory(), body="첫 댓글")
        services.comment_create(proposal=proposal, author=UserFactory(), body="둘째 댓글")
    (notice,) = _comments_notices(proposal)
    Notification.objects.filter(pk=notice.pk).update(read_at=start)

    with time_machine.travel(start + dt.timedelta(minutes=30), tick=False):
        services.comment_create(proposal=proposal, author=UserFactory(), body="읽은 뒤 댓글")

    (notice,) = _comments_notices(proposal)
    assert (notice.count, notice.read_at) == (1, None)


def test_a_notice_made_unread_again_comes_first_dated_by_the_new_comment():
    # Given the proposer read the comments notice, then got another notice
    proposal = ProposalFactory()
    start = seoul(2026, 5, 1, 10, 0)
    with time_machine.travel(start, tick=False):
        services.comment_create(proposal=proposal, author=UserFactory(), body="첫 댓글")
    Notification.objects.filter(recipient=proposal.author).update(read_at=start)
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        other = Notification.objects.create(
            recipient=proposal.author, kind="proposal_endorsements_reached", key="other"
        )
    # When a new comment comes within the hour
    later = start + dt.timedelta(minutes=30)
    with time_machine.travel(later, tick=False):
        services.comment_create(proposal=proposal, author=UserFactory(), body="읽은 뒤 댓글")
    # Then its notice, unread again, is listed first, at the new comment's time
    first, second = Notification.objects.filter(recipient=proposal.author)
    assert (first.kind, first.count, first.read_at) == (ProposalNotice.NEW_COMMENTS, 1, None)
    assert first.created_at == later
    assert second == other


def test_the_proposers_own_comment_does_not_notify_them():
    proposal = ProposalFactory()
    _comment_from_the_page(proposal, proposal.author, "제가 덧붙입니다")
    assert _comments_notices(proposal) == []


def test_endorsement_milestones_reach_the_proposer_once_in_site():
    # Given an answer bar of 30: milestones at 10 and 15 (half the bar)
    settings_row = PipelineSettings.load()
    settings_row.answer_threshold = 30
    settings_row.debate_threshold = max(settings_row.debate_threshold, 30)
    settings_row.save()
    proposal = ProposalFactory(category=CategoryFactory())
    members = UserFactory.create_batch(16)

    # When 16 members endorse, and the tenth takes it back and endorses again
    for member in members:
        services.proposal_endorse(proposal=proposal, user=member)
    services.proposal_unendorse(proposal=proposal, user=members[0])
    services.proposal_endorse(proposal=proposal, user=members[0])

    # Then the proposer was told of 10 and of halfway, once each, without e-mail
    notices = Notification.objects.filter(recipient=proposal.author).order_by("id")
    assert [(n.kind, n.params["endorsements"]) for n in notices] == [
        (ProposalNotice.ENDORSEMENTS_REACHED, 10),
        (ProposalNotice.HALFWAY_TO_ANSWER, 15),
    ]
    assert all(n.emailed_at is not None for n in notices)
    assert "half of the 30 a department answer needs" in notices[1].message


def test_halfway_reaches_the_proposer_once_even_if_the_bar_moves_after():
    # Given an answer bar of 30 and a proposal told it is halfway (15)
    settings_row = PipelineSettings.load()
    settings_row.answer_threshold = 30
    settings_row.debate_threshold = max(settings_row.debate_threshold, 60)
    settings_row.save()
    proposal = ProposalFactory(category=CategoryFactory())
    members = UserFactory.create_batch(20)
    for member in members[:16]:
        services.proposal_endorse(proposal=proposal, user=member)
    # When the operators raise the bar to 40 and it passes 20, its new half
    settings_row = PipelineSettings.load()
    settings_row.answer_threshold = 40
    settings_row.save()
    for member in members[16:]:
        services.proposal_endorse(proposal=proposal, user=member)
    # Then "halfway" was said once, not twice
    halfway = Notification.objects.filter(
        recipient=proposal.author, kind=ProposalNotice.HALFWAY_TO_ANSWER
    )
    assert [n.params["endorsements"] for n in halfway] == [15]
