"""Who may do what to a proposal or a comment. Services call these; views and
templates use the same predicates through django-rules (`has_perm`)."""

import rules

from accounts.selectors import user_is_operator

from .models import ProposalStatus


@rules.predicate
def is_operator(user):
    return user_is_operator(user)


@rules.predicate
def is_proposal_author(user, proposal):
    return proposal is not None and user.is_authenticated and proposal.author_id == user.pk


@rules.predicate
def proposal_is_open_for_edit(user, proposal):
    # Editing stops at the first endorsement: people endorsed what they read.
    # A hidden proposal stays as the operators hid it, so the reason given
    # still describes what is stored.
    return (
        proposal is not None
        and proposal.endorsement_count == 0
        and proposal.status == ProposalStatus.OPEN
        and proposal.deleted_at is None
        and not proposal.is_hidden
    )


@rules.predicate
def proposal_is_endorsable(user, proposal):
    return (
        proposal is not None
        and proposal.status == ProposalStatus.OPEN
        and proposal.deleted_at is None
        and not proposal.is_hidden
    )


@rules.predicate
def is_comment_author(user, comment):
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


rules.add_perm("proposals.edit_proposal", is_proposal_author & proposal_is_open_for_edit)
rules.add_perm("proposals.withdraw_proposal", is_proposal_author)
rules.add_perm("proposals.trash_proposal", is_proposal_author | is_operator)
rules.add_perm(
    "proposals.endorse_proposal",
    rules.is_authenticated & ~is_proposal_author & proposal_is_endorsable,
)
rules.add_perm("proposals.moderate", is_operator)
rules.add_perm("proposals.change_own_comment", is_comment_author)
