"""Endorsements (공감) of a discussion poll's arguments stay exact under
concurrency, on the real PostgreSQL server: the poll's row lock serialises
them, the unique constraint backs "once", and the ballot with its mileage
is taken once a member whatever they do at the same moment."""

import pytest

from mileage.defaults import ensure_defaults
from mileage.services import claims_fold_all
from oasis.errors import ServiceError
from polls.models import Ballot, PollArgument, PollArgumentEndorsement
from polls.services import discussion as services
from tests.factories import UserFactory
from tests.mileage.helpers import entries
from tests.threads import run_at_once

from .discussion_helpers import discussion_poll

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _mileage_rules():
    """The default rules, which an earlier transactional test's flush removed."""
    ensure_defaults()


def _run_at_once(callables):
    return run_at_once(callables, language=None)


def _mileage(member) -> list[int]:
    """The member's poll points once every claim is folded: a fold that met
    another thread's lock leaves its claim to the sweep (the beat's
    fold_claims), which is run here."""
    claims_fold_all()
    return entries(member, "poll_vote")


def _argue(poll, body):
    return services.argument_post(poll=poll, author=UserFactory(), side="for", body=body)


def test_many_members_endorsing_and_taking_back_at_once_keep_every_count_exact():
    # given two arguments, and ten members who already endorsed the first
    poll = discussion_poll()
    first, second = _argue(poll, "첫 번째 의견입니다."), _argue(poll, "두 번째 의견입니다.")
    early = [UserFactory() for _ in range(10)]
    for member in early:
        services.argument_endorse(argument=first, member=member)
    newcomers = [UserFactory() for _ in range(20)]

    # when the early ones take theirs back and endorse the second, while
    # newcomers endorse both, all at the same moment
    calls = [lambda m=m: services.argument_unendorse(argument=first, member=m) for m in early] + [
        lambda m=m: services.argument_endorse(argument=second, member=m) for m in early
    ]
    calls += [
        lambda m=m, a=a: services.argument_endorse(argument=a, member=m)
        for m in newcomers
        for a in (first, second)
    ]
    results = _run_at_once(calls)

    # then nothing failed and each count equals its rows
    assert [r for r in results if isinstance(r, Exception)] == []
    for argument, expected in ((first, 20), (second, 30)):
        argument.refresh_from_db()
        rows = PollArgumentEndorsement.objects.filter(argument=argument).count()
        assert argument.endorsement_count == rows == expected
    # one ballot a member, counted once, mileage once
    poll.refresh_from_db()
    assert poll.voter_count == Ballot.objects.filter(poll=poll).count() == 2 + 10 + 20
    assert all(_mileage(member) == [5] for member in newcomers)


def test_one_member_endorsing_in_many_tabs_endorses_once():
    poll = discussion_poll()
    argument = _argue(poll, "여러 탭에서 공감합니다.")
    member = UserFactory()

    results = _run_at_once(
        [lambda: services.argument_endorse(argument=argument, member=member)] * 8
    )

    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(refused) == 7
    # (threads read the default language, Korean)
    assert {r.message for r in refused} == {"이미 공감한 의견이에요."}
    argument.refresh_from_db()
    assert argument.endorsement_count == 1
    assert PollArgumentEndorsement.objects.filter(argument=argument).count() == 1
    assert _mileage(member) == [5]


def test_a_first_post_and_a_first_endorsement_at_once_take_one_ballot():
    poll = discussion_poll()
    others = [_argue(poll, f"다른 분의 의견 {n}입니다.") for n in range(3)]
    member = UserFactory()

    results = _run_at_once(
        [
            lambda: services.argument_post(
                poll=poll, author=member, side="against", body="동시에 올리는 의견입니다."
            )
        ]
        + [lambda a=a: services.argument_endorse(argument=a, member=member) for a in others]
    )

    assert [r for r in results if isinstance(r, Exception)] == []
    assert Ballot.objects.filter(poll=poll, member=member).count() == 1
    assert PollArgument.objects.filter(poll=poll, author=member).count() == 1
    assert _mileage(member) == [5]
    poll.refresh_from_db()
    assert poll.voter_count == 4
