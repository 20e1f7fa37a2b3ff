"""Exact stance counts and a single close under concurrency, on the real
PostgreSQL server (the row lock on the debate is what makes them hold)."""

from datetime import timedelta

import pytest

from debates import services
from debates.models import Debate, DebateStatus, Stance
from notifications.models import Notification
from oasis.errors import ServiceError
from proposals.models import EventKind
from tests.factories import UserFactory, operator
from tests.threads import run_at_once

from .helpers import open_debate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_at_once(callables):
    return run_at_once(callables, language=None)


def _counts(debate) -> tuple[int, int, int]:
    debate.refresh_from_db()
    return debate.for_count, debate.against_count, debate.undecided_count


def test_many_members_changing_their_stances_at_once_keep_the_counts_exact():
    # given 30 members who all said "for"
    debate = open_debate()
    members = [UserFactory() for _ in range(30)]
    for member in members:
        services.stance_set(debate=debate, user=member, position="for")

    # when each changes their mind twice, all at the same moment, and new members join
    newcomers = [UserFactory() for _ in range(10)]
    calls = [
        lambda m=m, p=p: services.stance_set(debate=debate, user=m, position=p)
        for m in members
        for p in ("against", "undecided")
    ] + [
        lambda m=m: services.stance_set(debate=debate, user=m, position="against")
        for m in newcomers
    ]
    results = _run_at_once(calls)

    # then nothing failed and the counters equal the rows
    assert [r for r in results if isinstance(r, Exception)] == []
    rows = tuple(
        Stance.objects.filter(debate=debate, position=p).count()
        for p in ("for", "against", "undecided")
    )
    assert _counts(debate) == rows
    assert sum(rows) == 40


def test_one_member_in_many_tabs_takes_one_stance():
    debate = open_debate()
    member = UserFactory()
    results = _run_at_once(
        [lambda: services.stance_set(debate=debate, user=member, position="for") for _ in range(8)]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert Stance.objects.filter(debate=debate).count() == 1
    assert _counts(debate) == (1, 0, 0)


def test_the_sweep_and_an_operator_closing_at_once_close_once():
    debate = open_debate()
    Debate.objects.filter(pk=debate.pk).update(
        starts_at=debate.starts_at - timedelta(days=31),
        ends_at=debate.starts_at - timedelta(days=1),
    )
    debate.refresh_from_db()
    admin = operator()
    results = _run_at_once(
        [services.close_due_debates for _ in range(3)]
        + [
            lambda: services.debate_close(debate=debate, actor=admin, reason="지금 닫습니다")
            for _ in range(2)
        ]
    )
    closed_by_sweeps = sum(r for r in results[:3] if isinstance(r, int))
    closed_by_hand = sum(1 for r in results[3:] if isinstance(r, Debate))
    assert closed_by_sweeps + closed_by_hand == 1
    assert all(isinstance(r, int | Debate | ServiceError) for r in results)
    debate.refresh_from_db()
    assert debate.status == DebateStatus.CLOSED
    assert debate.proposal.events.filter(kind=EventKind.DEBATE_CLOSED).count() == 1
    assert Notification.objects.filter(kind="debate_closed").count() == 1
