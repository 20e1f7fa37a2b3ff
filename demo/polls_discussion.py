"""The demo's discussion polls (토론형) get their arguments and endorsements
(공감) here, through polls.services.discussion, so each argument's count,
each member's one ballot, the poll's voter count and its mileage are those
the services write. The poll itself (open or closed) is the poll part's
demo: it creates a published discussion poll, calls `seed_poll_arguments`
(with `now` inside the poll's period), then closes it if it should be
closed. The texts are in demo/data/poll_discussion.json, by topic; each
topic also suggests the poll's title and question (`DISCUSSION_TOPICS`)."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import STAFF_ROLES
from oasis.errors import ServiceError
from polls.models import Poll, PollArgument
from polls.services import discussion as services

from .datafiles import read
from .members import CITIZEN2_EMAIL, CITIZEN_EMAIL, DEMO_EMAIL_DOMAIN, DEMO_SEED

# Topic → {"title", "question", "arguments": [[side, body], …]}.
DISCUSSION_TOPICS: dict = read("poll_discussion")
# Most members endorse a few arguments; some write one too.
ENDORSEMENTS_PER_MEMBER = (0, 3)
MEMBERS = 24


@dataclass
class DiscussionSeeded:
    arguments: int = 0
    endorsements: int = 0


def demo_citizens(limit: int = MEMBERS) -> list[User]:
    """Demo members who may take part in a poll: citizens, not staff
    accounts, nor the two fixed citizen logins (left for a visitor to take
    part with, as the votes leave them: demo/polls.py)."""
    return list(
        User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN, is_staff=False, is_active=True)
        .exclude(email__in=[CITIZEN_EMAIL, CITIZEN2_EMAIL])
        .exclude(groups__name__in=STAFF_ROLES)
        .order_by("pk")[:limit]
    )


def seed_poll_arguments(
    *, poll: Poll, topic: str, members: list[User] | None = None, now: datetime | None = None
) -> DiscussionSeeded:
    """Post `topic`'s arguments in `poll` (a published discussion poll) by
    `members` (the demo's citizens by default), and have the others endorse
    them unevenly, so the list has leaders. Each step runs at its own moment
    between the poll's opening and `now` (which must be within the period).
    Idempotent: nothing happens once the poll has arguments. Members outside
    a targeted poll are skipped."""
    seeded = DiscussionSeeded()
    if PollArgument.objects.filter(poll=poll).exists():
        return seeded
    now = now or timezone.now()
    members = demo_citizens() if members is None else members
    texts = DISCUSSION_TOPICS[topic]["arguments"]
    if not members:
        return seeded
    rng = random.Random(f"{DEMO_SEED}:discussion:{poll.pk}")  # nosec B311  # a reproducible demo
    span = max((now - poll.starts_at).total_seconds(), 60.0)
    moments = sorted(
        poll.starts_at + timedelta(seconds=rng.uniform(1, span - 1))
        for _ in range(len(texts) + len(members) * ENDORSEMENTS_PER_MEMBER[1])
    )
    steps = iter(moments)
    with transaction.atomic():
        arguments = []
        authors = rng.sample(members, k=min(len(members), len(texts)))
        for author, (side, body) in zip(authors, texts, strict=False):
            try:
                arguments.append(
                    services.argument_post(
                        poll=poll, author=author, side=side, body=body, now=next(steps)
                    )
                )
            except ServiceError:
                continue  # outside a targeted poll's groups
        seeded.arguments = len(arguments)
        # Earlier arguments had longer to gather endorsements: weigh them so.
        weights = [len(arguments) - n for n in range(len(arguments))]
        for member in members:
            wanted = rng.randint(*ENDORSEMENTS_PER_MEMBER)
            picked = rng.choices(arguments, weights, k=wanted) if arguments else []
            for argument in {a.pk: a for a in picked}.values():
                if argument.author_id == member.pk:
                    continue
                try:
                    services.argument_endorse(argument=argument, member=member, now=next(steps))
                except ServiceError:
                    continue
                seeded.endorsements += 1
    return seeded
