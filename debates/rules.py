"""Who may do what in a debate, in one place.

Each state rule is a `*_refusal` function that returns the reason (translated)
why the action is not possible now, or None. Services raise that reason as a
ServiceError; the django-rules permissions below are built from the same
functions, and pages ask `rules.has_perm(...)` which forms to show.

Asked with a debate (or an argument), a permission says whether this user
may act on it now; asked without one, whether they may do it at all: the
services ask that, then raise the state rule's own reason under their lock.

| action                       | anonymous | member | author | operator |
|------------------------------|-----------|--------|--------|----------|
| open a debate (by hand)      |           |        |        | ✓        |
| read a visible debate        | ✓         | ✓      | ✓      | ✓        |
| take / change a stance       | login     | ✓ while taking part               |
| post an argument             | login     | ✓ while taking part               |
| delete own argument          |           |        | ✓      |          |
| hide / restore an argument   |           |        |        | ✓        |
| close early (with a reason)  |           |        |        | ✓        |
| publish the results          |           |        |        | ✓ once, after closing |
"""

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.predicates import is_active_member, is_operator
from proposals.models import ProposalStatus

from .models import DebateStatus


def debate_is_visible(debate) -> bool:
    """The public sees a debate exactly when it sees its proposal; the
    selectors' DebateQuerySet.visible() is the same rule for lists."""
    return debate.proposal.is_public


def participation_refusal(debate, now=None) -> str | None:
    """Why stances and arguments are not taken now, or None."""
    if debate.status == DebateStatus.CLOSED:
        return _("This debate is closed.")
    if (now or timezone.now()) >= debate.ends_at:
        return _("This debate has ended; its results are being counted.")
    proposal = debate.proposal
    if proposal.status == ProposalStatus.WITHDRAWN:
        return _(
            "The proposer withdrew this proposal; the debate takes no more stances or arguments."
        )
    if not debate_is_visible(debate):
        return _("This debate is not open.")
    return None


def close_refusal(debate, *, actor, reason: str, now=None) -> str | None:
    """Why the debate cannot be closed now, or None. The schedule (no actor)
    closes it at its end, or at once if the proposal was withdrawn; an
    operator may close it early, saying why."""
    if debate.status == DebateStatus.CLOSED:
        return _("This debate is already closed.")
    if (now or timezone.now()) >= debate.ends_at:
        return None
    if actor is None:
        if debate.proposal.status == ProposalStatus.WITHDRAWN:
            return None
        return _("This debate runs until %(ends)s.") % {
            "ends": timezone.localtime(debate.ends_at).strftime("%Y-%m-%d %H:%M")
        }
    if not (reason or "").strip():
        return _("Please give a reason to close the debate before its end.")
    return None


def summary_refusal(debate) -> str | None:
    if debate.summary_published_at is not None:
        return _("The results of this debate are already published.")
    if debate.status != DebateStatus.CLOSED:
        return _("The results can be published only after the debate has closed.")
    return None


def argument_delete_refusal(argument) -> str | None:
    if argument.deleted_at is not None:
        return _("This argument was already deleted.")
    return None


@rules.predicate
def debate_takes_part(user, debate):
    return debate is None or participation_refusal(debate) is None


@rules.predicate
def is_argument_author(user, argument):
    return (
        argument is not None
        and user.is_authenticated
        and argument.author_id is not None
        and argument.author_id == user.pk
    )


@rules.predicate
def argument_is_deletable(user, argument):
    return argument is not None and argument_delete_refusal(argument) is None


@rules.predicate
def debate_results_publishable(user, debate):
    return debate is None or summary_refusal(debate) is None


@rules.predicate
def debate_is_open(user, debate):
    return debate is None or debate.status == DebateStatus.OPEN


rules.add_perm("debates.open_debate", is_operator)
rules.add_perm("debates.take_stance", is_active_member & debate_takes_part)
rules.add_perm("debates.post_argument", is_active_member & debate_takes_part)
rules.add_perm("debates.delete_own_argument", is_argument_author & argument_is_deletable)
rules.add_perm("debates.moderate", is_operator)
rules.add_perm("debates.close_debate", is_operator & debate_is_open)
rules.add_perm("debates.publish_results", is_operator & debate_results_publishable)
