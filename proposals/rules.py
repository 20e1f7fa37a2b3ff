"""Who may do what to a proposal or a comment, in one place.

Each state rule is a `*_refusal` function that returns the reason (translated)
why the action is not possible now, or None. Services raise that reason as a
ServiceError; the django-rules predicates below are built from the same
functions, and views ask `rules.has_perm(...)` (the rule set itself, without
Django's superuser shortcut) to decide which buttons to show; templates ask
the same through `{% load who_may %}{% has_perm ... %}`.

Asked with a proposal (or a comment), a permission says whether this user
may act on it now; asked without one, whether they may do it at all: the
services ask that, then raise the state rule's own reason under their lock."""

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.institutions import staff_institution_id
from accounts.predicates import runs_institution, runs_work

from .models import ENDORSABLE_STATUSES, PROPOSAL_TRANSITIONS, Comment, ProposalStatus, Report


def edit_refusal(proposal) -> str | None:
    # Editing stops for good at the first endorsement: people endorsed what
    # they read. A hidden proposal stays as the operators hid it, so the
    # reason they gave still describes what is stored.
    if proposal.first_endorsed_at is not None or proposal.endorsement_count:
        return _("This proposal has already been endorsed, so it can no longer be edited.")
    if proposal.status != ProposalStatus.OPEN or proposal.deleted_at:
        return _("Only proposals still gathering endorsements can be edited.")
    if proposal.is_hidden:
        return _("A proposal hidden by the operators cannot be edited.")
    return None


def is_gathering_endorsements(proposal, now=None) -> bool:
    """Endorsements are taken from the moment a proposal is made until its
    window closes, while it waits for and gets its department answer."""
    if proposal.status not in ENDORSABLE_STATUSES or not proposal.is_public:
        return False
    deadline = proposal.endorsement_deadline
    return deadline is None or (now or timezone.now()) < deadline


def endorse_refusal(user, proposal) -> str | None:
    if proposal.author_id is not None and proposal.author_id == user.pk:
        return _("You cannot endorse your own proposal.")
    if refusal := merged_endorse_refusal(proposal):
        return refusal
    if not is_gathering_endorsements(proposal):
        return _("This proposal is no longer gathering endorsements.")
    return None


# --- merging duplicates (issue 16) ---------------------------------------------


def merge_refusal(source, target, actor=None) -> str | None:
    """Why `source` cannot be merged into `target` (by `actor`) now, or None.

    The source: not merged already, standing (a hidden or trashed proposal is
    moderation's business, not a duplicate to regroup), and not past the
    merge window (PROPOSAL_TRANSITIONS: until its debate opens).
    The target: not merged itself (so there is never a chain and A → B → A
    cannot happen), addressed to the same place (the city or the same
    partner institution), public, and still gathering endorsements: the
    endorsers are asked to carry theirs over, which is only possible while
    the target takes endorsements."""
    if source.pk == target.pk:
        return _("A proposal cannot be merged into itself.")
    if actor is not None:
        institution_id = staff_institution_id(actor)
        if institution_id is not None and institution_id != source.institution_id:
            return _("You can merge only your own institution's proposals.")
    if source.status == ProposalStatus.MERGED:
        return _("#%(id)s has already been merged into #%(into)s.") % {
            "id": source.pk,
            "into": source.merged_into_id,
        }
    if not source.is_public:
        return _("A hidden proposal or one in the trash cannot be merged.")
    if ProposalStatus.MERGED not in PROPOSAL_TRANSITIONS.get(source.status, set()):
        return _(
            "A proposal that is “%(status)s” can no longer be merged: only a proposal "
            "whose debate has not opened can be."
        ) % {"status": ProposalStatus(source.status).label}
    if target.status == ProposalStatus.MERGED:
        return _("#%(id)s has itself been merged into #%(into)s. Merge into #%(into)s instead.") % {
            "id": target.pk,
            "into": target.merged_into_id,
        }
    if source.institution_id != target.institution_id:
        return _(
            "Both proposals must be addressed to the same place: the city, or the same "
            "partner institution."
        )
    if not target.is_public:
        return _("The proposal to merge into is hidden or in the trash.")
    if not is_gathering_endorsements(target):
        return _(
            "#%(id)s no longer takes endorsements (“%(status)s”), so the endorsers could not "
            "carry their endorsement to it."
        ) % {"id": target.pk, "status": ProposalStatus(target.status).label}
    return None


def carry_refusal(target) -> str | None:
    """Why an endorsement cannot be carried to `target` now, or None."""
    if not is_gathering_endorsements(target):
        return _(
            "The proposal it was merged into no longer takes endorsements, so there is "
            "nothing to carry your endorsement to."
        )
    return None


def merged_endorse_refusal(proposal) -> str | None:
    """A merged proposal takes no endorsement or comment: they go to the
    proposal it joined."""
    if proposal.status == ProposalStatus.MERGED:
        return _("This proposal was merged into #%(id)s. Endorse and comment there instead.") % {
            "id": proposal.merged_into_id
        }
    return None


def withdraw_refusal(proposal) -> str | None:
    if ProposalStatus.WITHDRAWN not in PROPOSAL_TRANSITIONS.get(proposal.status, set()):
        return _("A proposal that is “%(from)s” cannot become “%(to)s”.") % {
            "from": ProposalStatus(proposal.status).label,
            "to": ProposalStatus.WITHDRAWN.label,
        }
    return None


def recategorise_refusal(proposal, category) -> str | None:
    """Why `proposal` cannot be moved to `category` now, or None. Any stage
    may be corrected (a wrongly filed proposal is wrong at every stage); the
    trash is left as it is until the proposal is restored."""
    if proposal.deleted_at is not None:
        return _("A proposal in the trash cannot be moved; restore it first.")
    if category is not None and proposal.category_id == category.pk:
        return _("The proposal is already in “%(category)s”.") % {"category": category.label}
    return None


# Where an operator's "promote for creativity" can take a proposal from: open
# or not reached → a department answers; answered → debate.
PROMOTABLE_BY_HAND = frozenset(
    {ProposalStatus.OPEN, ProposalStatus.NOT_REACHED, ProposalStatus.ANSWERED}
)


def addressee_refusal(institution, category) -> str | None:
    """Why a proposal cannot be addressed to `institution` (None: the city)
    under `category`, or None: a closed institution takes no proposals, and
    a category belongs to one addressee only (issue 16)."""
    if institution is not None and not institution.is_active:
        return _("%(name)s is not taking proposals now. Propose it to the city instead.") % {
            "name": institution.label
        }
    return category_refusal(institution, category)


def category_refusal(institution, category) -> str | None:
    """Why `category` cannot file a proposal addressed to `institution`
    (None: the city), or None: each addressee has its own categories."""
    if category is not None and category.institution_id != (
        institution.pk if institution is not None else None
    ):
        if institution is None:
            return _(
                "This category is a partner institution's. Choose one of the city's categories."
            )
        return _("This category is not %(name)s's. Choose one of its own categories.") % {
            "name": institution.label
        }
    return None


def promote_refusal(proposal) -> str | None:
    if not proposal.is_public:
        return _("A hidden or deleted proposal cannot be promoted.")
    if proposal.status not in PROMOTABLE_BY_HAND:
        return _("A proposal that is “%(status)s” cannot be promoted by hand.") % {
            "status": ProposalStatus(proposal.status).label
        }
    return None


def trash_refusal_for_author(proposal) -> str | None:
    """An author may delete their proposal only before any department has
    taken it up: once there is a public answer, debate or decision, it is part
    of the city's record (an operator can still move it to the trash)."""
    if proposal.department_id is not None or proposal.status not in (
        ProposalStatus.OPEN,
        ProposalStatus.NOT_REACHED,
        ProposalStatus.WITHDRAWN,
    ):
        return _(
            "A proposal a department has taken up stays on the public record. You can withdraw it instead."
        )
    return None


# --- whose work: the city's operators, or the row's institution's administrators --


def institution_of(obj) -> int | None:
    """The partner institution whose work `obj` is (None: the city's): a
    proposal's addressee; a comment's or a report's proposal's."""
    if isinstance(obj, Report):
        obj = obj.proposal if obj.proposal_id else obj.comment
    if isinstance(obj, Comment):
        obj = obj.proposal
    return obj.institution_id


def institution_refusal(user, obj) -> str | None:
    """Why `user` may not act on `obj` (a proposal, comment or report) as
    its operator, or None (issue 16): an institution's administrators run
    their institution's proposals only, never the city's or another
    institution's. Services raise it under their lock, so a tampered id is
    refused with these words and nothing is written."""
    if runs_institution(user, institution_of(obj)):
        return None
    return _("This is not your institution's proposal, so you cannot act on it.")


@rules.predicate
def runs_its_institution(user, obj):
    """Asked with a proposal, comment or report: the city's operators, or an
    administrator of its institution (accounts.predicates.runs_institution).
    Asked without one: whether `user` runs some work at all (runs_work); the
    screens that ask so show only the rows of their institution
    (accounts.institutions.institution_condition)."""
    if obj is None:
        return runs_work(user)
    return runs_institution(user, institution_of(obj))


@rules.predicate
def proposal_is_promotable(user, proposal):
    return proposal is None or promote_refusal(proposal) is None


@rules.predicate
def proposal_is_deletable_by_its_author(user, proposal):
    return proposal is not None and trash_refusal_for_author(proposal) is None


def comment_edit_refusal(comment) -> str | None:
    if comment.deleted_at:
        return _("This comment was already deleted.")
    if comment.is_hidden:
        return _("A comment hidden by the operators cannot be edited.")
    return None


@rules.predicate
def is_proposal_author(user, proposal):
    return (
        proposal is not None
        and user.is_authenticated
        and proposal.author_id is not None
        and proposal.author_id == user.pk
    )


@rules.predicate
def is_comment_author(user, comment):
    return (
        comment is not None
        and user.is_authenticated
        and comment.author_id is not None
        and comment.author_id == user.pk
    )


@rules.predicate
def proposal_is_open_for_edit(user, proposal):
    return proposal is not None and edit_refusal(proposal) is None


@rules.predicate
def proposal_can_be_withdrawn(user, proposal):
    return proposal is not None and withdraw_refusal(proposal) is None


@rules.predicate
def proposal_is_endorsable(user, proposal):
    return proposal is None or endorse_refusal(user, proposal) is None


@rules.predicate
def proposal_is_not_hidden(user, proposal):
    return proposal is not None and not proposal.is_hidden


@rules.predicate
def comment_is_editable(user, comment):
    return comment is not None and comment_edit_refusal(comment) is None


rules.add_perm("proposals.edit_proposal", is_proposal_author & proposal_is_open_for_edit)
rules.add_perm("proposals.withdraw_proposal", is_proposal_author & proposal_can_be_withdrawn)
rules.add_perm(
    "proposals.trash_proposal",
    (is_proposal_author & proposal_is_deletable_by_its_author) | runs_its_institution,
)
rules.add_perm("proposals.endorse_proposal", rules.is_authenticated & proposal_is_endorsable)
# The operators' work on proposals, comments and reports (issue 16: and a
# partner institution's administrators', on their institution's only).
rules.add_perm("proposals.moderate", runs_its_institution)
# Hidden content stays readable for the author and for those who moderate it.
rules.add_perm(
    "proposals.read_content", proposal_is_not_hidden | is_proposal_author | runs_its_institution
)
rules.add_perm("proposals.promote_by_hand", runs_its_institution & proposal_is_promotable)
rules.add_perm("proposals.recategorise", runs_its_institution)
# Asked with the source (merge_refusal keeps the target in the same place).
rules.add_perm("proposals.merge_proposal", runs_its_institution)
rules.add_perm("proposals.edit_comment", is_comment_author & comment_is_editable)
rules.add_perm("proposals.delete_own_comment", is_comment_author)
