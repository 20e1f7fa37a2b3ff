"""Who may do what in a debate, in one place.

Each state rule is a `*_refusal` function that returns the reason (translated)
why the action is not possible now, or None. Services raise that reason as a
ServiceError; the django-rules permissions below are built from the same
functions, and pages ask `rules.has_perm(...)` which forms to show.

Asked with a debate (or an argument), a permission says whether this user
may act on it now; asked without one, whether they may do it at all: the
services ask that, then raise the state rule's own reason under their lock.

| action                       | anonymous | member | author | operator | institution admin |
|------------------------------|-----------|--------|--------|----------|-------------------|
| open a debate (by hand)      |           |        |        | ✓        | ✓ its own         |
| read a visible debate        | ✓         | ✓      | ✓      | ✓        | ✓                 |
| take / change a stance       | login     | ✓ while taking part                            |
| post an argument             | login     | ✓ while taking part                            |
| delete own argument          |           |        | ✓      |          |                   |
| hide / restore an argument   |           |        |        | ✓        | ✓ its own         |
| close early (with a reason)  |           |        |        | ✓        | ✓ its own         |
| publish the results          |           |        |        | ✓ once, after closing | ✓ its own, so too |

"Its own": the debates of proposals addressed to the administrator's partner
institution (issue 16). The city's operators run every debate, the city's and
every institution's; an institution's administrator runs only theirs, never
the city's or another institution's (accounts.predicates.runs_institution).
Asked without an object, these permissions say "may run some debate"
(runs_work): the admin offers its actions on that, and its lists are already
scoped to the user's institution (accounts.institutions).
"""

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.predicates import is_active_member, runs_institution, runs_work
from proposals.models import Proposal, ProposalStatus

from .models import Argument, Debate, DebateStatus


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


def institution_id_of(obj) -> int | None:
    """The partner institution whose work `obj` (a proposal, a debate or an
    argument) is: its proposal's; None for the city's."""
    if isinstance(obj, Argument):
        obj = obj.debate
    if isinstance(obj, Debate):
        obj = obj.proposal
    if isinstance(obj, Proposal):
        return obj.institution_id
    raise TypeError(f"Not a debate's object: {obj!r}")


def institution_refusal(user, obj) -> str | None:
    """Why `user` may not run the debate work of `obj` (a proposal, a debate
    or an argument), or None: only the city's operators and the
    administrators of its proposal's institution run it. Services ask it
    under their lock, so a tampered id of the city's or another
    institution's debate is refused before anything is written."""
    if runs_institution(user, institution_id_of(obj)):
        return None
    return _(
        "This debate belongs to another institution's proposal: only its administrators "
        "and the city's operators can run it."
    )


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
def runs_debate(user, obj):
    """Runs the debate work of `obj` (a proposal to open a debate on, a
    debate, an argument): the city's operators all of it, an institution's
    administrators their institution's. Without an object: may run some
    debate at all (runs_work)."""
    if obj is None:
        return runs_work(user)
    return institution_refusal(user, obj) is None


@rules.predicate
def debate_is_open(user, debate):
    return debate is None or debate.status == DebateStatus.OPEN


rules.add_perm("debates.open_debate", runs_debate)
rules.add_perm("debates.take_stance", is_active_member & debate_takes_part)
rules.add_perm("debates.post_argument", is_active_member & debate_takes_part)
rules.add_perm("debates.delete_own_argument", is_argument_author & argument_is_deletable)
# Asked with an argument (hide / restore), a debate (its page's moderation
# forms, the admin's actions on it) or nothing (the admin's actions at all).
rules.add_perm("debates.moderate", runs_debate)
rules.add_perm("debates.close_debate", runs_debate & debate_is_open)
rules.add_perm("debates.publish_results", runs_debate & debate_results_publishable)
