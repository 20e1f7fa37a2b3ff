"""A member's one ballot a poll, shared by every kind of poll: a yes/no,
multiple-choice or survey vote writes its answers on it; in a discussion
poll, a member's first argument or endorsement of one takes it. Taking the
ballot counts the voter (Poll.voter_count) and earns the poll's mileage
once (accounts.participation, Action.POLL_VOTE)."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.participation import Action, participated

from ..models import Ballot, Poll
from ..targeting import voter_groups


def ballot_take(*, poll: Poll, member, now=None) -> tuple[Ballot, bool]:
    """The member's ballot in `poll`, created if they had none: (ballot,
    created). Must run inside the caller's transaction with the poll's row
    locked (`Poll.objects.select_for_update()`), which serialises the
    count; the caller has already asked polls.rules whether the member may
    vote. A concurrent insert that wins the unique constraint is read back
    rather than failing."""
    now = now or timezone.now()
    existing = Ballot.objects.filter(poll=poll, member=member).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                poll=poll,
                member=member,
                created_at=now,
                updated_at=now,
                **voter_groups(member, timezone.localdate(now)),
            )
    except IntegrityError:
        return Ballot.objects.get(poll=poll, member=member), False
    Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
    poll.voter_count += 1
    participated(action=Action.POLL_VOTE, member_id=member.pk, source=ballot)
    return ballot, True
