"""What the answers services share: the reason check and the one locking
order."""

from django.utils.translation import gettext as _

from oasis.errors import ServiceError

from ..models import REASON_MAX_LENGTH, Assignment


def require_reason(reason: str) -> str:
    """`reason` stripped; a ServiceError when it is empty or too long."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Please give a reason."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ServiceError(
            _("The reason may be at most %(n)d characters.") % {"n": REASON_MAX_LENGTH}
        )
    return reason


def locked_assignment(pk: int) -> Assignment:
    """The assignment `pk`, locked for the caller's transaction."""
    # Every service locks the assignment first, then its answer or request,
    # then (through proposal_transition) the proposal: one order, no deadlock.
    return (
        Assignment.objects.select_for_update().select_related("proposal", "department").get(pk=pk)
    )
