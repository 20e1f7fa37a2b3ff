"""The fan-outs the seeded world leaves for the worker (issue 16): the
participants of the demo's debates told of their close and results, the
members of a targeted poll's districts told that it opened. The services
queue them after commit, and the beat's catch-ups take them up within a
day; run by a worker after the seed, they would write the demo's history
as news (e-mails and digests for events long past). The seed runs them here
instead, inside `notices_without_email`, so every notice is history; the
queued tasks and the catch-ups then find everyone told (each notice's key)
and write nothing."""

from debates.models import Debate
from debates.notices import DebateNotice, tell_participants
from polls.models import Poll
from polls.notices import tell_district_of_poll

from .clock import at


def _drain(step) -> int:
    told, after = 0, 0
    while after is not None:
        count, after = step(after)
        told += count
    return told


def seed_fan_outs() -> int:
    """Tell every debate's participants and every open targeted poll's
    districts now; returns how many notices were written."""
    told = 0
    for debate in Debate.objects.order_by("pk"):
        # Each told when it happened (demo/clock.py moves the notices there).
        for kind, moment in (
            (DebateNotice.DEBATE_CLOSED, debate.closed_at),
            (DebateNotice.DEBATE_SUMMARY, debate.summary_published_at),
        ):
            if moment is None:
                continue
            with at(moment):
                told += _drain(
                    lambda after, d=debate.pk, k=kind: tell_participants(
                        debate_id=d, kind=k, after=after
                    )
                )
    for poll in Poll.objects.exclude(target_districts=[]).order_by("pk"):
        with at(max(filter(None, (poll.starts_at, poll.published_at)))):
            told += _drain(lambda after, p=poll.pk: tell_district_of_poll(poll_id=p, after=after))
    return told
