"""Merging duplicates (issue 16): proposals.merging.proposal_merge and the
carry-over of endorsements, at the service level. Every refusal writes
nothing; a carried endorsement counts once."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from accounts.audit import describe
from accounts.models import AuditRecord, Institution
from notifications.models import NoticeTopic, Notification
from oasis.errors import PermissionDenied, ServiceError
from proposals import merging, services, tasks
from proposals.models import (
    CarryState,
    Endorsement,
    EndorsementCarry,
    EventKind,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from proposals.notices import ProposalNotice
from proposals.selectors import proposal_timeline
from tests.factories import ProposalFactory, UserFactory, official, operator

pytestmark = pytest.mark.django_db


def _endorsed_by(proposal, *members):
    for member in members:
        services.proposal_endorse(proposal=proposal, user=member)
    proposal.refresh_from_db()
    return proposal


def _written():
    """Everything a merge writes, to compare before and after a refusal."""
    return (
        list(Proposal.objects.order_by("pk").values_list("pk", "status", "merged_into_id")),
        ProposalEvent.objects.count(),
        EndorsementCarry.objects.count(),
        Notification.objects.count(),
        AuditRecord.objects.count(),
    )


@pytest.fixture(name="op")
def operator_fixture(role_groups):
    return operator()


def test_a_merge_asks_each_endorser_and_marks_those_who_endorse_both(op):
    # Given a duplicate endorsed by three members, one of whom endorses the target too
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    source = _endorsed_by(ProposalFactory(), a, b, c)
    target = _endorsed_by(ProposalFactory(), c)

    # When an operator merges it
    merged = merging.proposal_merge(actor=op, source=source, target=target, reason="같은 제안")

    # Then it is merged, points at the target, and each endorser has one carry row
    assert merged.status == ProposalStatus.MERGED
    source.refresh_from_db()
    assert source.merged_into_id == target.pk and source.merged_at is not None
    states = dict(EndorsementCarry.objects.filter(source=source).values_list("member_id", "state"))
    assert states == {a.pk: CarryState.ASKED, b.pk: CarryState.ASKED, c.pk: CarryState.ALREADY}
    # And no count moved: the target gains only what members carry
    target.refresh_from_db()
    assert target.endorsement_count == 1
    assert source.endorsement_count == 3
    # And both timelines say so; an audit row names both
    assert ProposalEvent.objects.filter(
        proposal=source, kind=EventKind.MERGED_INTO, params__into=target.pk
    ).exists()
    assert ProposalEvent.objects.filter(
        proposal=target, kind=EventKind.MERGED_FROM, params__from=source.pk
    ).exists()
    record = AuditRecord.objects.get(action=merging.MERGE_AUDIT)
    with translation.override("en"):
        assert describe(record) == f"#{source.pk} merged into #{target.pk}."


def test_the_asked_endorsers_are_told_personally_and_the_proposer_as_such(
    op, django_capture_on_commit_callbacks
):
    a, b = UserFactory(), UserFactory()
    source = _endorsed_by(ProposalFactory(), a, b)
    target = ProposalFactory()
    with django_capture_on_commit_callbacks(execute=True):
        merging.proposal_merge(actor=op, source=source, target=target, reason="중복")

    asked = Notification.objects.filter(kind=ProposalNotice.CARRY_ASKED)
    assert {n.recipient_id for n in asked} == {a.pk, b.pk}
    assert {n.topic for n in asked} == {NoticeTopic.PERSONAL}
    told = Notification.objects.get(kind=ProposalNotice.MERGED)
    assert told.recipient_id == source.author_id and told.topic == NoticeTopic.MY_PROPOSALS
    with translation.override("ko"):
        assert "다른 제안에 합쳐졌습니다" in asked.first().message
    # The notice leads to the merged page, where the one-click form is
    assert asked.first().url == source.get_absolute_url()
    # The task again sends nothing twice
    assert merging.carry_requests_tell(source.pk) == 0
    assert asked.count() == 2


def test_endorsers_not_told_when_the_broker_was_away_are_told_by_the_hourly_catch_up(
    op, monkeypatch
):
    # Given a merge whose task after commit never ran (the broker was away)
    monkeypatch.setattr(merging, "enqueue_on_commit", lambda *args, **kwargs: None)
    a, b = UserFactory(), UserFactory()
    source = _endorsed_by(ProposalFactory(), a, b)
    merging.proposal_merge(actor=op, source=source, target=ProposalFactory(), reason="중복")
    asked = Notification.objects.filter(kind=ProposalNotice.CARRY_ASKED)
    assert not asked.exists()

    # When the beat's catch-up runs, twice
    told = tasks.catch_up_carry_requests()
    again = tasks.catch_up_carry_requests()

    # Then each endorser is told once, and the second run writes nothing
    assert (told, again) == (2, 0)
    assert sorted(asked.values_list("recipient_id", flat=True)) == sorted([a.pk, b.pk])
    # And a merge older than a day is left alone (its endorsers see the request on /me/)
    Notification.objects.filter(kind=ProposalNotice.CARRY_ASKED).delete()
    Proposal.objects.filter(pk=source.pk).update(merged_at=timezone.now() - timedelta(days=2))
    assert tasks.catch_up_carry_requests() == 0


def test_the_timeline_shows_the_merge_in_korean_and_english(op):
    source = ProposalFactory(title="걷고 싶은 한강다리", status=ProposalStatus.ASSIGNED)
    target = ProposalFactory(title="한강 다리 보행로")
    merging.proposal_merge(actor=op, source=source, target=target, reason="같은 내용")

    with translation.override("en"):
        words = [e.text for e in proposal_timeline(source)]
        assert any(
            f"Merged into #{target.pk} “한강 다리 보행로”" in w
            and "“Awaiting department answer”" in w
            and "같은 내용" in w
            for w in words
        ), words
        target_words = [e.text for e in proposal_timeline(target)]
        assert any(
            f"#{source.pk} “걷고 싶은 한강다리” was merged into this proposal" in w
            for w in target_words
        )
    with translation.override("ko"):
        words = [e.text for e in proposal_timeline(source)]
        assert any(
            f"#{target.pk} “한강 다리 보행로”에 합쳐졌습니다" in w and "부서 답변 대기" in w
            for w in words
        ), words
        target_words = [e.text for e in proposal_timeline(target)]
        assert any("이 제안에 합쳐졌습니다" in w for w in target_words), target_words


# --- refusals: each writes nothing -------------------------------------------


def _refused(op, source, target, expected: str, actor=None):
    before = _written()
    with translation.override("en"), pytest.raises(ServiceError) as caught:
        merging.proposal_merge(actor=actor or op, source=source, target=target, reason="중복")
    assert expected in caught.value.message
    assert _written() == before


def test_a_proposal_cannot_be_merged_into_itself(op):
    p = ProposalFactory()
    _refused(op, p, p, "cannot be merged into itself")


def test_no_loop_and_no_chain(op):
    # Given A merged into B
    a, b, c = ProposalFactory(), ProposalFactory(), ProposalFactory()
    merging.proposal_merge(actor=op, source=a, target=b, reason="중복")
    a.refresh_from_db()
    # Then B cannot go into A (A is merged: no loop), A cannot be merged again,
    # and C cannot join A (a merged proposal is no target: no chain)
    _refused(op, b, a, f"#{a.pk} has itself been merged into #{b.pk}")
    _refused(op, a, c, f"#{a.pk} has already been merged into #{b.pk}")
    _refused(op, c, a, f"Merge into #{b.pk} instead")


def test_merging_across_institutions_is_refused(op):
    sisul = Institution.objects.create(slug="sisul", name="서울시설공단")
    _refused(op, ProposalFactory(institution=sisul), ProposalFactory(), "same place")
    _refused(op, ProposalFactory(), ProposalFactory(institution=sisul), "same place")


def test_an_institutions_operator_merges_only_its_own(role_groups):
    sisul = Institution.objects.create(slug="sisul", name="서울시설공단")
    theirs = operator(institution=sisul)
    _refused(theirs, ProposalFactory(), ProposalFactory(), "your own institution", actor=theirs)
    merging.proposal_merge(
        actor=theirs,
        source=ProposalFactory(institution=sisul),
        target=ProposalFactory(institution=sisul),
        reason="중복",
    )


@pytest.mark.parametrize(
    "status",
    [
        ProposalStatus.DEBATE,
        ProposalStatus.REVIEW,
        ProposalStatus.ON_AGENDA,
        ProposalStatus.ADOPTED,
        ProposalStatus.WITHDRAWN,
    ],
)
def test_a_source_past_the_merge_window_is_refused(op, status):
    extra = {"withdrawn_at": timezone.now()} if status == ProposalStatus.WITHDRAWN else {}
    _refused(
        op, ProposalFactory(status=status, **extra), ProposalFactory(), "can no longer be merged"
    )


def test_a_hidden_or_trashed_source_is_refused(op):
    _refused(op, ProposalFactory(is_hidden=True), ProposalFactory(), "hidden")
    _refused(op, ProposalFactory(deleted_at=timezone.now()), ProposalFactory(), "trash")


@pytest.mark.parametrize(
    "target_fields",
    [
        {"status": ProposalStatus.DEBATE},
        {"status": ProposalStatus.NOT_REACHED},
        {"status": ProposalStatus.WITHDRAWN, "withdrawn_at": timezone.now()},
        {"endorsement_deadline": timezone.now() - timedelta(days=1)},
    ],
    ids=["debate", "not-reached", "withdrawn", "window-closed"],
)
def test_a_target_that_no_longer_takes_endorsements_is_refused(op, target_fields):
    _refused(
        op, ProposalFactory(), ProposalFactory(**target_fields), "no longer takes endorsements"
    )


def test_a_hidden_target_is_refused(op):
    _refused(op, ProposalFactory(), ProposalFactory(is_hidden=True), "hidden or in the trash")


def test_only_operators_merge(role_groups):
    before = _written()
    for actor in (UserFactory(), official()):
        with pytest.raises(PermissionDenied):
            merging.proposal_merge(
                actor=actor, source=ProposalFactory(), target=ProposalFactory(), reason="중복"
            )
    assert _written()[1:] == before[1:]


def test_a_reason_is_required(op):
    with pytest.raises(ServiceError):
        merging.proposal_merge(
            actor=op, source=ProposalFactory(), target=ProposalFactory(), reason=" "
        )
    assert not Proposal.objects.filter(status=ProposalStatus.MERGED).exists()


# --- bars ------------------------------------------------------------------------


def test_an_answered_source_keeps_its_stage_and_gives_the_target_nothing_by_itself(op):
    # Given a duplicate past the answer bar and an open target below it
    members = [UserFactory() for _ in range(3)]
    source = _endorsed_by(ProposalFactory(status=ProposalStatus.ANSWERED), *members)
    target = ProposalFactory()
    merging.proposal_merge(actor=op, source=source, target=target, reason="중복")

    # Then the merged one keeps the stage it reached on record, the target its own
    row = ProposalEvent.objects.get(proposal=source, kind=EventKind.MERGED_INTO)
    assert row.from_status == ProposalStatus.ANSWERED and row.params["stage"] == "answered"
    target.refresh_from_db()
    assert target.status == ProposalStatus.OPEN and target.endorsement_count == 0

    # When two carry over, they count on the target through the ordinary path, once each
    for carry in EndorsementCarry.objects.filter(source=source)[:2]:
        merging.endorsement_carry(member=carry.member, carry=carry)
    target.refresh_from_db()
    assert target.endorsement_count == 2 == Endorsement.objects.filter(proposal=target).count()
    source.refresh_from_db()
    assert source.endorsement_count == 3


def test_a_carry_reaching_the_answer_bar_wakes_the_conductor(
    op, django_capture_on_commit_callbacks, monkeypatch
):
    from proposals import timeline

    woken = []
    monkeypatch.setattr(timeline, "_bars", lambda: {"open": {"endorsement_count": 1}})
    monkeypatch.setattr(merging.services, "queue_promotion_check", woken.append)
    member = UserFactory()
    source = _endorsed_by(ProposalFactory(), member)
    target = ProposalFactory()
    merging.proposal_merge(actor=op, source=source, target=target, reason="중복")
    woken.clear()
    merging.endorsement_carry(member=member, carry=EndorsementCarry.objects.get(member=member))
    assert woken == [target.pk]


# --- carrying ----------------------------------------------------------------------


@pytest.fixture(name="asked")
def asked_fixture(op):
    member = UserFactory()
    source = _endorsed_by(ProposalFactory(), member)
    target = ProposalFactory()
    merging.proposal_merge(actor=op, source=source, target=target, reason="중복")
    return EndorsementCarry.objects.get(member=member, source=source)


def test_carrying_twice_counts_once(asked):
    merging.endorsement_carry(member=asked.member, carry=asked)
    with pytest.raises(ServiceError):
        merging.endorsement_carry(member=asked.member, carry=asked)
    asked.refresh_from_db()
    assert asked.state == CarryState.CARRIED and asked.decided_at is not None
    assert asked.target.endorsements.count() == 1
    assert Proposal.objects.get(pk=asked.target_id).endorsement_count == 1


def test_a_member_who_endorsed_the_target_after_the_merge_is_already_counted(asked):
    services.proposal_endorse(proposal=asked.target, user=asked.member)
    merging.endorsement_carry(member=asked.member, carry=asked)
    asked.refresh_from_db()
    assert asked.state == CarryState.ALREADY
    assert Proposal.objects.get(pk=asked.target_id).endorsement_count == 1


def test_only_the_member_carries_their_own(asked):
    with pytest.raises(PermissionDenied):
        merging.endorsement_carry(member=UserFactory(), carry=asked)
    asked.refresh_from_db()
    assert asked.state == CarryState.ASKED
    assert not asked.target.endorsements.exists()


def test_a_target_whose_window_closed_takes_no_carry_and_nothing_is_written(asked):
    Proposal.objects.filter(pk=asked.target_id).update(
        endorsement_deadline=timezone.now() - timedelta(minutes=1)
    )
    with translation.override("en"), pytest.raises(ServiceError) as caught:
        merging.endorsement_carry(member=asked.member, carry=asked)
    assert "no longer takes endorsements" in caught.value.message
    asked.refresh_from_db()
    assert asked.state == CarryState.ASKED
    assert not Endorsement.objects.filter(proposal_id=asked.target_id).exists()


def test_declining_leaves_the_request_and_counts_nothing(asked):
    merging.endorsement_carry_decline(member=asked.member, carry=asked)
    asked.refresh_from_db()
    assert asked.state == CarryState.DECLINED
    assert not Endorsement.objects.filter(proposal_id=asked.target_id).exists()
    with pytest.raises(ServiceError):
        merging.endorsement_carry(member=asked.member, carry=asked)


def test_a_merged_proposal_takes_no_endorsement_or_comment(asked):
    source = Proposal.objects.get(pk=asked.source_id)
    with translation.override("en"):
        with pytest.raises(ServiceError, match="merged into"):
            services.proposal_endorse(proposal=source, user=UserFactory())
        with pytest.raises(ServiceError, match="merged into"):
            services.comment_create(proposal=source, author=UserFactory(), body="댓글")


def test_a_target_merged_later_takes_its_joined_proposals_and_waiting_carries_along(op):
    # Given A merged into B, with one member still asked and one who endorses C already
    waiting, both = UserFactory(), UserFactory()
    a = _endorsed_by(ProposalFactory(), waiting, both)
    b, c = ProposalFactory(), _endorsed_by(ProposalFactory(), both)
    merging.proposal_merge(actor=op, source=a, target=b, reason="중복")

    # When B is merged into C
    merging.proposal_merge(actor=op, source=b, target=c, reason="중복")

    # Then A points at C (never a chain) and its waiting carries go to C
    a.refresh_from_db()
    assert a.merged_into_id == c.pk
    carries = {x.member_id: x for x in EndorsementCarry.objects.filter(source=a)}
    assert carries[waiting.pk].target_id == c.pk and carries[waiting.pk].state == CarryState.ASKED
    assert carries[both.pk].state == CarryState.ALREADY
    assert ProposalEvent.objects.filter(
        proposal=c, kind=EventKind.MERGED_FROM, params__from=a.pk
    ).exists()
    merging.endorsement_carry(member=waiting, carry=carries[waiting.pk])
    c.refresh_from_db()
    assert c.endorsement_count == 2


def test_the_departments_open_assignment_is_closed(op):
    from answers.models import Assignment

    source = ProposalFactory(status=ProposalStatus.ASSIGNED)
    assignment = Assignment.objects.create(
        proposal=source,
        department=source.category.default_department,
        deadline=timezone.now() + timedelta(days=20),
    )
    assert Assignment.objects.awaiting_answer().filter(pk=assignment.pk).exists()
    merging.proposal_merge(actor=op, source=source, target=ProposalFactory(), reason="중복")
    assignment.refresh_from_db()
    assert assignment.closed_at is not None
    assert not Assignment.objects.awaiting_answer().filter(pk=assignment.pk).exists()


def test_thousands_of_endorsers_are_asked_in_batches(
    op, django_assert_max_num_queries, monkeypatch
):
    # The merge's own work is a fixed number of statements; the notices are
    # the task's, queued after commit (run here by hand).
    queued = []
    monkeypatch.setattr(merging, "enqueue_on_commit", lambda *args: queued.append(args))
    members = UserFactory.create_batch(1200)
    source = ProposalFactory(endorsement_count=1200)
    Endorsement.objects.bulk_create([Endorsement(proposal=source, user=m) for m in members])
    target = ProposalFactory()
    with django_assert_max_num_queries(40):
        merging.proposal_merge(actor=op, source=source, target=target, reason="중복")
    assert EndorsementCarry.objects.filter(source=source, state=CarryState.ASKED).count() == 1200
    assert queued == [(merging.TELL_CARRIES_TASK, source.pk)]
    assert merging.carry_requests_tell(source.pk) == 1200
