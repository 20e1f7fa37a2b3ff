"""Exact counts under concurrency, on the real PostgreSQL server."""

import pytest
from celery.signals import task_prerun
from django.core.exceptions import ValidationError

from accounts.once import AlreadySubmitted, create_once
from oasis.errors import ServiceError
from proposals import services, tasks, uploads
from proposals.models import (
    Comment,
    Endorsement,
    PipelineSettings,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from proposals.timeline import PROMOTION_CHECK_TASK
from tests.factories import CategoryFactory, ProposalFactory, UserFactory, image_file
from tests.threads import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_many_members_endorsing_at_once_are_all_counted():
    # Given a proposal and 40 members
    proposal = ProposalFactory()
    members = [UserFactory() for _ in range(40)]

    # When they all endorse at the same moment
    results = run_at_once(
        [lambda m=m: services.proposal_endorse(proposal=proposal, user=m) for m in members]
    )

    # Then every endorsement is stored once and the count shown equals the
    # rows as soon as the last request has answered: none is left uncounted
    assert [r for r in results if isinstance(r, Exception)] == []
    proposal.refresh_from_db()
    assert Endorsement.objects.filter(proposal=proposal).count() == 40
    assert proposal.endorsement_count == 40
    assert not Endorsement.objects.filter(pending=True).exists()


def test_one_member_endorsing_many_times_at_once_counts_once():
    # Given a proposal and one member with many tabs open
    proposal = ProposalFactory()
    member = UserFactory()

    # When the member's 10 requests arrive together
    results = run_at_once(
        [lambda: services.proposal_endorse(proposal=proposal, user=member) for _ in range(10)]
    )

    # Then exactly one succeeds and the others are told they already endorsed
    successes = [r for r in results if isinstance(r, Proposal)]
    refusals = [r for r in results if isinstance(r, ServiceError)]
    assert len(successes) == 1
    assert len(refusals) == 9
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 1 == Endorsement.objects.filter(proposal=proposal).count()


def test_endorse_and_take_back_racing_keeps_count_exact():
    # Given 20 members who endorsed and 20 who have not
    proposal = ProposalFactory()
    endorsers = [UserFactory() for _ in range(20)]
    for member in endorsers:
        services.proposal_endorse(proposal=proposal, user=member)
    newcomers = [UserFactory() for _ in range(20)]

    # When the first group takes theirs back while the second endorses
    calls = [lambda m=m: services.proposal_unendorse(proposal=proposal, user=m) for m in endorsers]
    calls += [lambda m=m: services.proposal_endorse(proposal=proposal, user=m) for m in newcomers]
    results = run_at_once(calls)

    # Then the count is exactly the endorsements that remain
    assert [r for r in results if isinstance(r, Exception)] == []
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 20 == Endorsement.objects.filter(proposal=proposal).count()


def test_a_bar_crossed_by_members_endorsing_at_once_wakes_the_conductor_once():
    # Given an answer bar of 10, a proposal whose department can take it, and 30 members
    bars = PipelineSettings.load()
    bars.answer_threshold, bars.debate_threshold = 10, 1000
    bars.save()
    proposal = ProposalFactory(category=CategoryFactory())
    members = [UserFactory() for _ in range(30)]
    woken = []

    def count_wakeups(sender=None, **kwargs):
        if sender.name == PROMOTION_CHECK_TASK:
            woken.append(list(kwargs["args"]))

    task_prerun.connect(count_wakeups, weak=False)
    try:
        # When all 30 endorse at the same moment
        results = run_at_once(
            [lambda m=m: services.proposal_endorse(proposal=proposal, user=m) for m in members]
        )
    finally:
        task_prerun.disconnect(count_wakeups)

    # Then all are counted, the conductor was told once, and it moved once
    assert [r for r in results if isinstance(r, Exception)] == []
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 30 == proposal.endorsements.count()
    assert woken == [[proposal.pk]]
    assert proposal.status == ProposalStatus.ASSIGNED
    moves = ProposalEvent.objects.filter(proposal=proposal, to_status=ProposalStatus.ASSIGNED)
    assert moves.count() == 1


def test_a_closed_proposal_is_not_endorsed():
    # Given a proposal its author withdrew
    proposal = ProposalFactory()
    services.proposal_withdraw(proposal=proposal, user=proposal.author)

    # When ten members try to endorse it at once
    results = run_at_once(
        [
            lambda m=m: services.proposal_endorse(proposal=proposal, user=m)
            for m in [UserFactory() for _ in range(10)]
        ]
    )

    # Then each is told it no longer gathers endorsements and nothing is stored
    assert all(isinstance(r, ServiceError) for r in results)
    assert {r.message for r in results} == {"This proposal is no longer gathering endorsements."}
    assert not Endorsement.objects.exists()


def test_endorsing_while_the_author_withdraws_stores_only_what_members_were_told():
    # Given 20 members about to endorse a proposal whose author is withdrawing it
    proposal = ProposalFactory()
    members = [UserFactory() for _ in range(20)]

    # When the withdrawal and the endorsements arrive together
    calls = [lambda m=m: services.proposal_endorse(proposal=proposal, user=m) for m in members]
    calls.append(lambda: services.proposal_withdraw(proposal=proposal, user=proposal.author))
    results = run_at_once(calls)

    # Then exactly the members told "endorsed" are stored and counted, and
    # none was stored after the withdrawal
    told = sum(isinstance(r, Proposal) for r in results[:-1])
    refused = [r for r in results[:-1] if isinstance(r, ServiceError)]
    assert told + len(refused) == 20
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert proposal.endorsement_count == told == proposal.endorsements.count()
    withdrawn = ProposalEvent.objects.get(proposal=proposal, to_status=ProposalStatus.WITHDRAWN)
    assert not proposal.endorsements.filter(created_at__gt=withdrawn.created_at).exists()


def test_endorsements_left_uncounted_by_a_stopped_process_are_counted_once_by_the_sweep():
    # Given three endorsements stored by requests that stopped before counting them
    proposal = ProposalFactory()
    for member in [UserFactory() for _ in range(3)]:
        assert services._endorsement_insert(proposal_id=proposal.pk, user_id=member.pk)
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 0

    # When the sweep runs, four times at once and then again
    run_at_once([tasks.reconcile_endorsement_counts for _ in range(4)])
    tasks.reconcile_endorsement_counts()

    # Then each is counted exactly once
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 3 == proposal.endorsements.count()
    assert not proposal.endorsements.filter(pending=True).exists()


def test_taking_back_an_endorsement_not_yet_counted_leaves_the_count_exact():
    # Given one endorsement counted and one stored but not yet counted
    proposal = ProposalFactory()
    counted, uncounted = UserFactory(), UserFactory()
    services.proposal_endorse(proposal=proposal, user=counted)
    assert services._endorsement_insert(proposal_id=proposal.pk, user_id=uncounted.pk)

    # When the second member takes theirs back and the sweep runs
    services.proposal_unendorse(proposal=proposal, user=uncounted)
    tasks.reconcile_endorsement_counts()

    # Then the count is the one endorsement left
    proposal.refresh_from_db()
    assert proposal.endorsement_count == 1 == proposal.endorsements.count()


def test_edits_sent_at_once_never_store_more_photos_than_the_limit():
    # Given a proposal without photos
    proposal = ProposalFactory(category=CategoryFactory())

    # When its author sends three edits, each with five photos, at the same moment
    def edit(tab):
        return services.proposal_update(
            proposal=proposal,
            user=proposal.author,
            title="세 탭에서 고친 제목",
            body="세 탭에서 동시에 고친 본문입니다.",
            category=proposal.category,
            photos=[image_file(f"{tab}-{i}.jpg") for i in range(5)],
        )

    results = run_at_once([lambda tab=tab: edit(tab) for tab in range(3)])

    # Then one edit stores its five photos and the others are refused
    assert sum(isinstance(r, Proposal) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 2
    assert proposal.photos.count() == uploads.MAX_PHOTOS


def test_one_comment_form_sent_from_three_requests_at_once_comments_once():
    # Given a member whose comment form (one token) is sent three times at once
    proposal = ProposalFactory()
    member = UserFactory()

    def send():
        return create_once(
            user=member,
            token="one-rendered-form",
            create=lambda: services.comment_create(
                proposal=proposal, author=member, body="세 번 눌렀어요"
            ),
            url_of=lambda made: f"#comment-{made.pk}",
        )

    results = run_at_once([send, send, send])

    # Then one comment is made and the others are pointed at it
    comment = Comment.objects.get(proposal=proposal)
    assert sum(isinstance(r, Comment) for r in results) == 1
    others = [r for r in results if isinstance(r, AlreadySubmitted)]
    assert [r.url for r in others] == [f"#comment-{comment.pk}"] * 2
    proposal.refresh_from_db()
    assert proposal.comment_count == 1


def test_an_endorsement_stored_but_not_yet_counted_already_ends_editing():
    # Given a proposal with one endorsement stored, its count not yet moved
    proposal = ProposalFactory(category=CategoryFactory())
    assert services._endorsement_insert(proposal_id=proposal.pk, user_id=UserFactory().pk)

    # When its author tries to edit it
    with pytest.raises(ServiceError, match="already been endorsed"):
        services.proposal_update(
            proposal=proposal,
            user=proposal.author,
            title="고친 제목",
            body="추천받은 뒤에 고친 본문입니다.",
            category=proposal.category,
        )

    # Then the text people endorsed stays as it was
    assert Proposal.objects.get(pk=proposal.pk).title == proposal.title


def test_comments_written_at_once_are_all_counted_in_the_proposers_one_notice():
    # Given a proposal, and six members commenting on it at the same moment
    from notifications.models import Notification
    from proposals.notices import ProposalNotice

    proposal = ProposalFactory()
    members = UserFactory.create_batch(6)

    results = run_at_once(
        [
            lambda m=member: services.comment_create(
                proposal=proposal, author=m, body="동시에 씁니다"
            )
            for member in members
        ]
    )

    # Then every comment is made and the proposer has one notice counting six
    assert all(isinstance(r, Comment) for r in results), results
    (notice,) = Notification.objects.filter(
        recipient=proposal.author, kind=ProposalNotice.NEW_COMMENTS
    )
    assert notice.count == 6
