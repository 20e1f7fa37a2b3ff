"""polls/services/discussion.py: posting, endorsing (공감) and taking back,
hiding; each refusal writes nothing; the ballot and the poll's mileage once
whichever the member does first."""

import pytest
from django.core.exceptions import ValidationError

from accounts.audit import describe
from accounts.models import AuditRecord
from oasis.errors import PermissionDenied, ServiceError
from polls.models import (
    ARGUMENT_MAX_LENGTH,
    Ballot,
    Poll,
    PollArgument,
    PollArgumentEndorsement,
    PollStatus,
)
from polls.services import discussion as services
from tests.factories import UserFactory, operator
from tests.mileage.helpers import entries

from .discussion_helpers import closed_poll, discussion_poll

pytestmark = pytest.mark.django_db


def _argue(poll, author=None, side="for", body="급식소가 있으면 민원이 줄어듭니다."):
    return services.argument_post(poll=poll, author=author or UserFactory(), side=side, body=body)


def _nothing_written(poll, *, arguments=0, endorsements=0, ballots=0):
    poll.refresh_from_db()
    assert PollArgument.objects.filter(poll=poll).count() == arguments
    assert PollArgumentEndorsement.objects.filter(argument__poll=poll).count() == endorsements
    assert Ballot.objects.filter(poll=poll).count() == ballots
    assert poll.voter_count == ballots


# --- posting ------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["for", "against", ""])
def test_a_member_posts_an_argument_on_any_side_and_takes_their_ballot(side):
    poll = discussion_poll()
    member = UserFactory()
    argument = _argue(poll, member, side=side, body="  길고양이도 도시의 이웃입니다.\r\n  ")
    assert (argument.side, argument.body, argument.author) == (
        side,
        "길고양이도 도시의 이웃입니다.",
        member,
    )
    _nothing_written(poll, arguments=1, ballots=1)


@pytest.mark.parametrize(
    ("side", "body", "field"),
    [
        ("maybe", "충분히 긴 의견입니다.", "side"),
        ("for", "", "body"),
        ("for", "   \n ", "body"),
        ("for", "좋아요", "body"),
        ("for", "가" * (ARGUMENT_MAX_LENGTH + 1), "body"),
    ],
)
def test_a_wrong_side_or_text_is_refused_and_nothing_is_written(side, body, field):
    poll = discussion_poll()
    with pytest.raises(ValidationError) as refused:
        _argue(poll, side=side, body=body)
    assert field in refused.value.message_dict
    _nothing_written(poll)


def test_the_longest_argument_is_taken():
    poll = discussion_poll()
    assert len(_argue(poll, body="가" * ARGUMENT_MAX_LENGTH).body) == ARGUMENT_MAX_LENGTH


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: closed_poll(), "Votes are no longer taken."),
        (lambda: discussion_poll(opened_days_ago=3, days_left=-1), "Votes are no longer taken."),
        (lambda: discussion_poll(opened_days_ago=-1), "This poll opens on "),
        (lambda: discussion_poll(status=PollStatus.DRAFT), "This poll is not open."),
        (
            lambda: discussion_poll(target_districts=["jongno"]),
            "please tell us the details it needs about you first.",
        ),
    ],
)
def test_posting_outside_the_poll_is_refused_with_its_reason(make, message):
    # (the polls' own participation rule, polls.rules, words the reasons)
    poll = make()
    with pytest.raises(ServiceError) as refused:
        _argue(poll)
    assert message in refused.value.message
    _nothing_written(poll)


def test_a_member_outside_the_target_is_told_why_and_nothing_is_written():
    poll = discussion_poll(target_districts=["jongno"])
    with pytest.raises(ServiceError) as refused:
        _argue(poll, UserFactory(district="mapo"))
    assert refused.value.message.startswith("This poll asks residents of Jongno-gu.")
    _nothing_written(poll)
    # while a member of the district takes part
    _argue(poll, UserFactory(district="jongno"))
    _nothing_written(poll, arguments=1, ballots=1)


def test_a_poll_of_another_kind_takes_no_arguments():
    poll = discussion_poll()
    Poll.objects.filter(pk=poll.pk).update(kind="yes_no")
    poll.refresh_from_db()
    with pytest.raises(ServiceError, match="does not take arguments"):
        _argue(poll)
    _nothing_written(poll)


def test_a_visitor_an_inactive_member_or_a_staff_account_cannot_post_or_endorse():
    from django.contrib.auth.models import AnonymousUser

    poll = discussion_poll()
    with pytest.raises(PermissionDenied):
        _argue(poll, AnonymousUser())
    with pytest.raises(ServiceError, match="Please log in to take part in this poll."):
        _argue(poll, UserFactory(is_active=False))
    with pytest.raises(ServiceError, match="Staff accounts do not vote in city polls"):
        _argue(poll, operator())
    argument = _argue(poll)
    with pytest.raises(ServiceError, match="Staff accounts do not vote in city polls"):
        services.argument_endorse(argument=argument, member=operator())
    _nothing_written(poll, arguments=1, ballots=1)


# --- endorsing --------------------------------------------------------------------


def test_endorsing_counts_once_and_taking_back_uncounts():
    poll = discussion_poll()
    argument = _argue(poll)
    member = UserFactory()
    assert services.argument_endorse(argument=argument, member=member).endorsement_count == 1
    _nothing_written(poll, arguments=1, endorsements=1, ballots=2)

    with pytest.raises(ServiceError, match="You have already endorsed this argument."):
        services.argument_endorse(argument=argument, member=member)
    _nothing_written(poll, arguments=1, endorsements=1, ballots=2)

    assert services.argument_unendorse(argument=argument, member=member).endorsement_count == 0
    # the ballot stays: the member took part
    _nothing_written(poll, arguments=1, endorsements=0, ballots=2)
    with pytest.raises(ServiceError, match="You have not endorsed this argument."):
        services.argument_unendorse(argument=argument, member=member)
    argument.refresh_from_db()
    assert argument.endorsement_count == 0


def test_ones_own_argument_cannot_be_endorsed():
    poll = discussion_poll()
    author = UserFactory()
    argument = _argue(poll, author)
    with pytest.raises(ServiceError, match="You cannot endorse your own argument."):
        services.argument_endorse(argument=argument, member=author)
    _nothing_written(poll, arguments=1, ballots=1)


def test_endorsing_after_the_close_or_outside_the_target_is_refused():
    poll = discussion_poll(target_districts=["jongno"])
    argument = _argue(poll, UserFactory(district="jongno"))
    endorser = UserFactory(district="jongno")
    services.argument_endorse(argument=argument, member=endorser)
    with pytest.raises(ServiceError, match="This poll asks residents of"):
        services.argument_endorse(argument=argument, member=UserFactory(district="mapo"))
    Poll.objects.filter(pk=poll.pk).update(status=PollStatus.CLOSED)
    with pytest.raises(ServiceError, match="Votes are no longer taken"):
        services.argument_endorse(argument=argument, member=UserFactory(district="jongno"))
    with pytest.raises(ServiceError, match="Votes are no longer taken"):
        services.argument_unendorse(argument=argument, member=endorser)
    _nothing_written(poll, arguments=1, endorsements=1, ballots=2)


def test_a_hidden_argument_is_neither_endorsed_nor_taken_back_and_keeps_its_count():
    poll = discussion_poll()
    argument = _argue(poll)
    endorser = UserFactory()
    services.argument_endorse(argument=argument, member=endorser)
    services.argument_hide(argument=argument, actor=operator(), reason="욕설")

    with pytest.raises(ServiceError, match="hidden by the operators and cannot be endorsed"):
        services.argument_endorse(argument=argument, member=UserFactory())
    with pytest.raises(ServiceError, match="its endorsements stay as they are"):
        services.argument_unendorse(argument=argument, member=endorser)
    _nothing_written(poll, arguments=1, endorsements=1, ballots=2)

    services.argument_unhide(argument=argument, actor=operator(), reason="오해였습니다")
    argument.refresh_from_db()
    assert (argument.is_hidden, argument.hidden_reason, argument.endorsement_count) == (
        False,
        "",
        1,
    )


# --- the ballot and mileage, once a poll ----------------------------------------------


@pytest.mark.parametrize("first", ["post", "endorse"])
def test_mileage_is_earned_once_a_poll_whichever_comes_first(first):
    poll = discussion_poll()
    others = [_argue(poll), _argue(poll)]
    member = UserFactory()
    steps = {
        "post": lambda: _argue(poll, member),
        "endorse": lambda: services.argument_endorse(argument=others[0], member=member),
    }
    steps[first]()
    steps["endorse" if first == "post" else "post"]()
    services.argument_endorse(argument=others[1], member=member)
    _argue(poll, member, side="against", body="중성화 수술이 먼저입니다.")
    services.argument_unendorse(argument=others[1], member=member)

    assert entries(member, "poll_vote") == [5]
    assert Ballot.objects.filter(poll=poll, member=member).count() == 1
    poll.refresh_from_db()
    assert poll.voter_count == 3
    # a second poll earns again
    services.argument_post(
        poll=discussion_poll(), author=member, side="for", body="다른 토론에도 참여합니다."
    )
    assert entries(member, "poll_vote") == [5, 5]


def test_a_refused_endorsement_takes_no_ballot_and_earns_nothing():
    poll = discussion_poll()
    author = UserFactory()
    argument = _argue(poll, author)
    Poll.objects.filter(pk=poll.pk).update(status=PollStatus.CLOSED)
    member = UserFactory()
    with pytest.raises(ServiceError):
        services.argument_endorse(argument=argument, member=member)
    assert entries(member) == []
    assert not Ballot.objects.filter(member=member).exists()


# --- hiding ---------------------------------------------------------------------------


def test_an_operator_hides_with_a_reason_and_an_audit_row():
    poll = discussion_poll()
    argument = _argue(poll)
    staff = operator()
    hidden = services.argument_hide(argument=argument, actor=staff, reason="  개인정보 노출  ")
    assert (hidden.is_hidden, hidden.hidden_reason) == (True, "개인정보 노출")
    record = AuditRecord.objects.get()
    assert (record.actor, record.action, record.params) == (
        staff,
        "polls.argument_hidden",
        {"poll": poll.pk, "note": "개인정보 노출"},
    )
    assert describe(record) == (f"Hid an argument in the poll “{poll.title}”: 개인정보 노출")

    with pytest.raises(ServiceError, match="already hidden"):
        services.argument_hide(argument=argument, actor=staff, reason="again")
    services.argument_unhide(argument=argument, actor=staff, reason="복구")
    with pytest.raises(ServiceError, match="not hidden"):
        services.argument_unhide(argument=argument, actor=staff, reason="again")
    assert AuditRecord.objects.count() == 2


def test_hiding_needs_an_operator_and_a_reason():
    poll = discussion_poll()
    argument = _argue(poll)
    with pytest.raises(PermissionDenied):
        services.argument_hide(argument=argument, actor=UserFactory(), reason="싫어요")
    with pytest.raises(ServiceError, match="Please give a reason."):
        services.argument_hide(argument=argument, actor=operator(), reason="  ")
    argument.refresh_from_db()
    assert not argument.is_hidden
    assert not AuditRecord.objects.exists()
