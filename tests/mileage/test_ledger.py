"""The ledger from the participation signal: awards, caps, reversals,
re-credits, retries, grades and month totals (any database)."""

import datetime as dt

import pytest

from accounts.grades import Grade
from accounts.participation import Action, participated
from mileage import services, tasks
from mileage.models import MemberMonth, MileageClaim, MileageEntry, MileageSettings
from proposals.models import Endorsement
from tests.clock import at
from tests.factories import CommentFactory, ProposalFactory, UserFactory

from .helpers import assert_exact, balance, endorse, entries, set_rule

pytestmark = pytest.mark.django_db


def test_an_action_earns_its_rules_points_once_however_often_it_is_sent():
    # Given a comment worth 2 points
    set_rule(Action.COMMENT, 2)
    comment = CommentFactory()

    # When the signal for it arrives three times (a retried task, say)
    for _ in range(3):
        participated(
            action=Action.COMMENT,
            member_id=comment.author_id,
            source=comment,
            proposal_id=comment.proposal_id,
        )

    # Then the author earned 2 points, once, and the ledger adds up
    assert entries(comment.author) == [2]
    assert balance(comment.author) == 2
    assert_exact()


def test_no_rule_or_zero_points_writes_nothing():
    set_rule(Action.COMMENT, 0)
    comment = CommentFactory()
    participated(action=Action.COMMENT, member_id=comment.author_id, source=comment)
    participated(action="unknown", member_id=comment.author_id, source=comment)
    assert entries(comment.author) == []
    assert balance(comment.author) == 0
    assert_exact()


def test_the_daily_cap_limits_a_days_awards_and_the_next_day_starts_afresh():
    # Given comments worth 2 points, at most 5 a day
    set_rule(Action.COMMENT, 2, cap=5)
    member = UserFactory()
    proposal = ProposalFactory()

    # When the member writes four comments on one Seoul day (the last at
    # 23:59) and one the next morning
    with at(2026, 3, 2, 9, 0):
        for _ in range(3):
            c = CommentFactory(author=member, proposal=proposal)
            participated(action=Action.COMMENT, member_id=member.pk, source=c)
    with at(2026, 3, 2, 23, 59):
        c = CommentFactory(author=member, proposal=proposal)
        participated(action=Action.COMMENT, member_id=member.pk, source=c)
    with at(2026, 3, 3, 0, 1):
        c = CommentFactory(author=member, proposal=proposal)
        participated(action=Action.COMMENT, member_id=member.pk, source=c)

    # Then the first day gave 2 + 2 + 1 (the cap), the last nothing more,
    # and the next day 2 again
    assert entries(member) == [2, 2, 1, 2]
    assert balance(member) == 7
    assert_exact()


def test_taking_an_endorsement_back_takes_back_exactly_what_it_gave():
    # Given endorsing worth 1 a day up to 2, and receiving one worth 1
    set_rule(Action.ENDORSE, 1, cap=2)
    set_rule(Action.ENDORSED, 1)
    member = UserFactory()
    proposal = ProposalFactory()
    endorsement = Endorsement.objects.create(proposal=proposal, user=member)
    endorse(endorsement)

    # When the member takes it back (twice: a double click)
    endorse(endorsement, undo=True)
    endorse(endorsement, undo=True)

    # Then one reversal each, pointing at its award; balances back to 0
    reversal = MileageEntry.objects.get(member=member, points=-1)
    assert reversal.reverses.points == 1
    assert entries(member) == [1, -1]
    assert entries(proposal.author) == [1, -1]
    assert balance(member) == 0 and balance(proposal.author) == 0
    assert_exact()


def test_endorsing_and_taking_back_in_a_loop_earns_nothing():
    # Given endorsing worth 1, at most 3 a day
    set_rule(Action.ENDORSE, 1, cap=3)
    set_rule(Action.ENDORSED, 1)
    member = UserFactory()
    proposal = ProposalFactory()

    # When the member endorses and takes back 10 times (a new row each time)
    for _ in range(10):
        endorsement = Endorsement.objects.create(proposal=proposal, user=member)
        endorse(endorsement)
        endorse(endorsement, undo=True)
        pk = endorsement.pk
        endorsement.delete()
        endorsement.pk = pk

    # Then neither the member nor the proposer gained a point
    assert balance(member) == 0
    assert balance(proposal.author) == 0
    assert_exact()

    # And real endorsements afterwards still earn, up to the day's cap
    for other in ProposalFactory.create_batch(4):
        endorse(Endorsement.objects.create(proposal=other, user=member))
    assert balance(member) == 3


def test_a_hidden_comment_is_reversed_and_unhiding_gives_back_the_same_points():
    # Given a comment that earned 2 points, then the rule changed to 5
    set_rule(Action.COMMENT, 2, cap=2)
    comment = CommentFactory()
    send = dict(action=Action.COMMENT, member_id=comment.author_id, source=comment)
    participated(**send)
    set_rule(Action.COMMENT, 5, cap=5)

    # When it is hidden, unhidden, and the unhide repeated
    participated(**send, undo=True)
    participated(**send)
    participated(**send)

    # Then the unhide gave back exactly the 2 the hiding took (not today's 5,
    # and not refused by the cap the first award filled)
    assert entries(comment.author) == [2, -2, 2]
    assert balance(comment.author) == 2
    assert_exact()


def test_hiding_a_proposal_reverses_everything_it_brought_its_author_and_restoring_gives_it_back():
    # Given a proposal that earned its author 10 for proposing, 1 for an
    # endorsement and 20 for an answer, and the author's other proposal
    set_rule(Action.PROPOSE, 10)
    set_rule(Action.ENDORSED, 1)
    set_rule(Action.ENDORSE, 1)
    set_rule(Action.ANSWERED, 20)
    proposal = ProposalFactory()
    author = proposal.author
    other = ProposalFactory(author=author)
    for p in (proposal, other):
        participated(action=Action.PROPOSE, member_id=author.pk, source=p, proposal_id=p.pk)
    endorsement = Endorsement.objects.create(proposal=proposal, user=UserFactory())
    endorse(endorsement)
    participated(
        action=Action.ANSWERED, member_id=author.pk, source=proposal, proposal_id=proposal.pk
    )
    assert balance(author) == 41

    # When the proposal is hidden (twice), then restored (twice)
    hide = dict(
        action=Action.PROPOSE, member_id=author.pk, source=proposal, proposal_id=proposal.pk
    )
    participated(**hide, undo=True)
    participated(**hide, undo=True)
    assert balance(author) == 10
    participated(**hide)
    participated(**hide)

    # Then everything it brought came back once; the endorser kept theirs
    assert balance(author) == 41
    assert balance(endorsement.user) == 1
    assert MileageEntry.objects.filter(member=author, with_proposal=True).count() == 3
    assert_exact()

    # And hiding it again takes it all once more
    participated(**hide, undo=True)
    assert balance(author) == 10
    assert_exact()


def test_a_claim_folded_twice_writes_nothing_twice():
    # Given a claim stored but not folded (a process stopped in between)
    set_rule(Action.SIGNUP, 10)
    member = UserFactory()
    MileageClaim.objects.create(
        member=member,
        action=Action.SIGNUP,
        source_type_id=MileageEntry._meta.get_field("source_type")
        .related_model.objects.get_for_model(type(member))
        .pk,
        source_id=member.pk,
    )

    # When the sweep runs, and again, and the member's fold task twice
    tasks.fold_claims()
    tasks.fold_claims()
    tasks.fold_member(member.pk)
    tasks.fold_member(member.pk)

    # Then the member earned once
    assert entries(member) == [10]
    assert_exact()


def test_grades_go_up_and_down_with_the_balance():
    # Given thresholds 새싹 10, 나무 20, 숲 30, 오아시스 40
    MileageSettings.objects.update_or_create(
        pk=1, defaults=dict(sprout_from=10, tree_from=20, forest_from=30, oasis_from=40)
    )
    set_rule(Action.ADOPTED, 25)
    proposal = ProposalFactory()
    author = proposal.author
    adopted = dict(action=Action.ADOPTED, member_id=author.pk, source=proposal)

    # When the author earns 25 points, then loses them
    participated(**adopted)
    assert balance(author) == 25 and author.mileage_grade == Grade.TREE
    participated(**adopted, undo=True)

    # Then the grade follows: 나무, then back to 씨앗
    assert balance(author) == 0 and author.mileage_grade == Grade.SEED
    assert_exact()


def test_changing_the_thresholds_regrades_every_member():
    set_rule(Action.ADOPTED, 150)
    proposal = ProposalFactory()
    participated(action=Action.ADOPTED, member_id=proposal.author_id, source=proposal)
    balance(proposal.author)
    assert proposal.author.mileage_grade == Grade.SPROUT

    row = MileageSettings.load()
    row.tree_from = 120
    row.save()
    assert services.grades_recompute() == 1
    assert services.grades_recompute() == 0
    balance(proposal.author)
    assert proposal.author.mileage_grade == Grade.TREE
    assert_exact()


def test_the_month_totals_follow_the_seoul_month_of_each_entry():
    set_rule(Action.COMMENT, 2)
    member = UserFactory()
    with at(2026, 3, 31, 23, 30):
        c1 = CommentFactory(author=member)
        participated(action=Action.COMMENT, member_id=member.pk, source=c1)
    with at(2026, 4, 1, 0, 30):
        c2 = CommentFactory(author=member)
        participated(action=Action.COMMENT, member_id=member.pk, source=c2)
        participated(action=Action.COMMENT, member_id=member.pk, source=c1, undo=True)
    months = dict(MemberMonth.objects.filter(member=member).values_list("month", "points"))
    assert months == {dt.date(2026, 3, 1): 2, dt.date(2026, 4, 1): 0}
    assert_exact()


def test_signals_inside_a_transaction_that_rolls_back_leave_nothing():
    from django.db import transaction

    set_rule(Action.COMMENT, 2)
    comment = CommentFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        participated(action=Action.COMMENT, member_id=comment.author_id, source=comment)
        raise RuntimeError
    assert balance(comment.author) == 0
    assert not MileageEntry.objects.exists()
    assert_exact()


def test_the_check_command_finds_a_balance_grade_or_month_that_drifted():
    from django.core.management import CommandError, call_command

    from accounts.models import User

    set_rule(Action.COMMENT, 2)
    comment = CommentFactory()
    participated(action=Action.COMMENT, member_id=comment.author_id, source=comment)
    call_command("mileage_check")

    User.objects.filter(pk=comment.author_id).update(mileage_balance=5, mileage_grade=Grade.OASIS)
    MemberMonth.objects.update(points=7)
    with pytest.raises(CommandError) as found:
        call_command("mileage_check")
    assert "1 members whose balance differs" in str(found.value)
    assert "1 members whose grade does not match" in str(found.value)
    assert "1 monthly totals that differ" in str(found.value)


def test_an_award_and_its_undo_folded_together_write_an_entry_and_its_reversal():
    # Given an endorsement's award and its take-back stored as claims, not
    # yet folded (the endorsement path on PostgreSQL leaves them to a task)
    from django.contrib.contenttypes.models import ContentType

    set_rule(Action.ENDORSE, 1, cap=5)
    member = UserFactory()
    endorsement = Endorsement.objects.create(proposal=ProposalFactory(), user=member)
    kind = ContentType.objects.get_for_model(Endorsement)
    for undo in (False, True, False, True):
        MileageClaim.objects.create(
            member=member,
            action=Action.ENDORSE,
            source_type=kind,
            source_id=endorsement.pk,
            undo=undo,
        )

    # When the task folds them in one batch, twice
    tasks.fold_member(member.pk)
    tasks.fold_member(member.pk)

    # Then each reversal points at what it undid, and the balance is 0
    rows = list(MileageEntry.objects.filter(member=member).order_by("id"))
    assert [e.points for e in rows] == [1, -1, 1, -1]
    assert [e.reverses_id for e in rows] == [None, rows[0].pk, rows[1].pk, rows[2].pk]
    assert balance(member) == 0
    assert_exact()


def test_the_selectors_give_balance_progress_and_recent_entries():
    from mileage.selectors import balance_of, grade_progress, recent_entries

    set_rule(Action.COMMENT, 30)
    member = UserFactory()
    for _ in range(5):
        c = CommentFactory(author=member)
        participated(action=Action.COMMENT, member_id=member.pk, source=c)
    assert balance_of(member) == 150
    member.refresh_from_db()
    grade, next_grade, to_next, percent = grade_progress(member)
    # 새싹 from 100, 나무 from 500: 50 of 400 on the way
    assert (grade, next_grade, to_next, percent) == (Grade.SPROUT, Grade.TREE, 350, 12)
    assert [e.points for e in recent_entries(member, 3)] == [30, 30, 30]
    member.mileage_balance = 20000
    assert grade_progress(member) == (Grade.OASIS, None, 0, 100)
