"""The discussion poll (토론형): members post arguments for, against or
neither, and endorse (공감) others' arguments; the most endorsed lead.

Every function here runs in one transaction with the poll's row locked
(the lock `ballot_take` needs, which also serialises the endorsements of
one poll, so `PollArgument.endorsement_count` moves exactly with its rows;
the unique constraint on (argument, member) backs the "once"). A member's
first argument or endorsement in a poll takes their ballot: the poll counts
them as a voter and they earn the poll's mileage once, whichever came first.
Taking an endorsement back leaves the ballot: the member took part.

A refusal raises ServiceError (or ValidationError for the text of an
argument) before anything is written; a failure after a write rolls the
whole transaction back, ballot included."""

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from oasis.errors import PermissionDenied, ServiceError, require_reason

from ..discussion_rules import (
    ARGUMENT_MIN_LENGTH,
    REASON_MAX_LENGTH,
    discussion_refusal,
    endorse_refusal,
)
from ..models import ARGUMENT_MAX_LENGTH, ArgumentSide, Poll, PollArgument, PollArgumentEndorsement
from .ballots import ballot_take

# Audit codes (words in polls/discussion_audit_words.py).
ARGUMENT_HIDDEN = "polls.argument_hidden"
ARGUMENT_UNHIDDEN = "polls.argument_unhidden"

# The sides a member may choose; "" is an opinion that takes neither.
SIDES = (ArgumentSide.FOR, ArgumentSide.AGAINST, "")


def _locked_poll(poll_id: int) -> Poll:
    return Poll.objects.select_for_update().get(pk=poll_id)


def _refuse_unless_taking_part(user, poll: Poll, now) -> None:
    if refusal := discussion_refusal(user, poll, now):
        raise ServiceError(refusal)


def validate_argument(side: str, body: str) -> tuple[str, str]:
    """The side and the text as stored (line ends made plain, trimmed), or a
    ValidationError naming each field that is wrong."""
    side = side or ""
    body = (body or "").replace("\r\n", "\n").strip()
    errors = {}
    if side not in SIDES:
        errors["side"] = _("Please choose for, against, or neither.")
    if not body:
        errors["body"] = _("Please write your argument.")
    elif len(body) < ARGUMENT_MIN_LENGTH:
        errors["body"] = _("Please write at least %(n)d characters.") % {"n": ARGUMENT_MIN_LENGTH}
    elif len(body) > ARGUMENT_MAX_LENGTH:
        errors["body"] = _("An argument may be at most %(n)d characters.") % {
            "n": ARGUMENT_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    return side, body


def argument_post(*, poll: Poll, author, side: str, body: str, now=None) -> PollArgument:
    """`author` posts an argument in a discussion poll they may take part in
    (discussion_rules.discussion_refusal: open, logged in, in the target).
    Writes the argument and, on the member's first part in the poll, their
    ballot (voter count and mileage once). Refused: ValidationError for the
    text, ServiceError for the rule; nothing written either way."""
    now = now or timezone.now()
    if not getattr(author, "is_authenticated", False):
        raise PermissionDenied
    side, body = validate_argument(side, body)
    with transaction.atomic():
        locked = _locked_poll(poll.pk)
        _refuse_unless_taking_part(author, locked, now)
        ballot_take(poll=locked, member=author, now=now)
        argument = PollArgument.objects.create(
            poll=locked, author=author, side=side, body=body, created_at=now
        )
    poll.voter_count = locked.voter_count
    return argument


def argument_endorse(*, argument: PollArgument, member, now=None) -> PollArgument:
    """`member` endorses (공감) someone else's visible argument, once, while
    they may take part in its poll. Writes the endorsement, adds one to the
    argument's count and, on the member's first part in the poll, takes
    their ballot. Returns the argument with its count as written."""
    now = now or timezone.now()
    if not getattr(member, "is_authenticated", False):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked_poll(argument.poll_id)
        _refuse_unless_taking_part(member, locked, now)
        # Read again under the poll's lock: hiding takes the same lock.
        current = PollArgument.objects.get(pk=argument.pk)
        if refusal := endorse_refusal(member, current):
            raise ServiceError(refusal)
        if PollArgumentEndorsement.objects.filter(argument=current, member=member).exists():
            raise ServiceError(_("You have already endorsed this argument."))
        ballot_take(poll=locked, member=member, now=now)
        try:
            with transaction.atomic():
                PollArgumentEndorsement.objects.create(
                    argument=current, member=member, created_at=now
                )
        except IntegrityError:
            # Only a writer outside the poll's lock could get here first.
            raise ServiceError(_("You have already endorsed this argument.")) from None
        PollArgument.objects.filter(pk=current.pk).update(
            endorsement_count=F("endorsement_count") + 1
        )
    argument.endorsement_count = PollArgument.objects.values_list(
        "endorsement_count", flat=True
    ).get(pk=argument.pk)
    return argument


def argument_unendorse(*, argument: PollArgument, member, now=None) -> PollArgument:
    """`member` takes back their endorsement while the poll is open. Deletes
    the row and takes one off the count; the ballot stays (the member took
    part, and the poll's mileage is once). A hidden argument's endorsements
    stay as they are until the operators show it again."""
    now = now or timezone.now()
    if not getattr(member, "is_authenticated", False):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked_poll(argument.poll_id)
        _refuse_unless_taking_part(member, locked, now)
        current = PollArgument.objects.get(pk=argument.pk)
        if current.is_hidden:
            raise ServiceError(
                _("This argument was hidden by the operators; its endorsements stay as they are.")
            )
        deleted, _rows = PollArgumentEndorsement.objects.filter(
            argument=current, member=member
        ).delete()
        if not deleted:
            raise ServiceError(_("You have not endorsed this argument."))
        PollArgument.objects.filter(pk=current.pk).update(
            endorsement_count=F("endorsement_count") - 1
        )
    argument.endorsement_count = PollArgument.objects.values_list(
        "endorsement_count", flat=True
    ).get(pk=argument.pk)
    return argument


def _set_hidden(*, argument: PollArgument, actor, reason: str, hidden: bool) -> PollArgument:
    if not rules.has_perm("polls.moderate", actor):
        raise PermissionDenied
    reason = require_reason(reason, max_length=REASON_MAX_LENGTH)
    with transaction.atomic():
        # The poll as stored, not as the caller's argument says.
        poll_id = PollArgument.objects.values_list("poll_id", flat=True).get(pk=argument.pk)
        poll = _locked_poll(poll_id)
        locked = PollArgument.objects.select_for_update().get(pk=argument.pk)
        locked.poll = poll
        if not rules.has_perm("polls.moderate", actor, locked):
            raise PermissionDenied(
                _("Only the city's operators and the poll's own institution may moderate it.")
            )
        if locked.is_hidden == hidden:
            raise ServiceError(
                _("This argument is already hidden.")
                if hidden
                else _("This argument is not hidden.")
            )
        locked.is_hidden = hidden
        locked.hidden_reason = reason if hidden else ""
        locked.save(update_fields=["is_hidden", "hidden_reason"])
        audit_record(
            actor=actor,
            action=ARGUMENT_HIDDEN if hidden else ARGUMENT_UNHIDDEN,
            target=locked,
            params={"poll": locked.poll_id, "note": reason},
        )
    return locked


def argument_hide(*, argument: PollArgument, actor, reason: str) -> PollArgument:
    """An operator hides an argument, with a reason (required). It leaves the
    public list and its side's tally; its text and its endorsements stay
    stored and counted on the argument, so showing it again restores it as
    it was. The ballots it brought stay (taking part is not undone).
    Writes an audit row."""
    return _set_hidden(argument=argument, actor=actor, reason=reason, hidden=True)


def argument_unhide(*, argument: PollArgument, actor, reason: str) -> PollArgument:
    """An operator shows a hidden argument again, with a reason (audit row)."""
    return _set_hidden(argument=argument, actor=actor, reason=reason, hidden=False)
