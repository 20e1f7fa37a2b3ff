"""What the answers services share: the reason check and the one locking
order."""

from django.utils.translation import gettext as _

from oasis.errors import ServiceError

from .. import rules as answer_rules
from ..models import REASON_MAX_LENGTH, Assignment

# Why a step was refused: the work is the city's or another institution's.
NOT_THEIR_INSTITUTION = "not_their_institution"


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


def require_runs(user, obj) -> None:
    """A ServiceError (NOT_THEIR_INSTITUTION) unless `user` runs this piece
    of work (rules.runs_answer_work): an institution's administrator acts
    only on what is addressed to their institution. Asked with the locked
    row, before anything is written."""
    if refusal := answer_rules.institution_refusal(user, obj):
        raise ServiceError(refusal, code=NOT_THEIR_INSTITUTION)


def locked_assignment(pk: int) -> Assignment:
    """The assignment `pk`, locked for the caller's transaction."""
    # Every service locks the assignment first, then its answer or request,
    # then (through proposal_transition) the proposal: one order, no deadlock.
    return (
        Assignment.objects.select_for_update().select_related("proposal", "department").get(pk=pk)
    )
