"""What proposals tell mileage (accounts.participation): a proposal earns
its author points only while it stands, and the apps that credit the
proposer for a step it reaches ask here who that is.

A proposal stands while it is neither hidden, in the trash nor withdrawn.
Leaving that state (hide, trash, withdraw) undoes "propose" for it, which
reverses every point the proposal brought its author; coming back (unhide,
restore) sends "propose" again. Sends happen only when the state actually
changes, so hiding a trashed proposal, or restoring a hidden one, sends
nothing: the ledger is never asked to undo twice or to credit a proposal
that is still down."""

from accounts.participation import Action, earner_id, participated

from .models import ProposalStatus
from .signals import standing_changed


def proposal_stands(proposal) -> bool:
    """Whether the proposal earns its author points (see above)."""
    return (
        not proposal.is_hidden
        and proposal.deleted_at is None
        and proposal.status != ProposalStatus.WITHDRAWN
    )


def proposer_id(proposal) -> int | None:
    """Who earns for a step the proposal reaches: its author, unless the
    proposal does not stand or the author is gone or has withdrawn."""
    if not proposal_stands(proposal):
        return None
    return earner_id(proposal.author)


def proposal_standing_changed(*, proposal, stood: bool) -> None:
    """Call after a change that may hide or bring back the proposal (inside
    the service's transaction, with the proposal as now written): undoes or
    redoes "propose" when it stopped or started standing, and tells the
    floors above (signals.standing_changed: a theme counts its standing
    proposals)."""
    stands = proposal_stands(proposal)
    if stands == stood:
        return
    standing_changed.send(sender=type(proposal), proposal=proposal, stands=stands)
    participated(
        action=Action.PROPOSE,
        member_id=earner_id(proposal.author),
        source=proposal,
        proposal_id=proposal.pk,
        undo=not stands,
    )
