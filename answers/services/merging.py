"""A proposal merged into another (proposals.merging) needs no answer of its
own: the department answers the proposal it joined. Its open assignment is
closed, as a published answer closes one, so it leaves the department's
queue, the deadline steps and the count of work without an owner at once
(a withdrawn proposal leaves them by its status alone, awaiting_answer; a
merged one is closed for good, with the date)."""

from django.utils import timezone

from ..models import Assignment


def proposal_merged_received(sender, *, proposal, **kwargs) -> int:
    """Receiver of proposals.signals.proposal_merged, in the merge's
    transaction: close the merged proposal's open assignment, if any.
    Returns how many were closed (0 or 1); running it again closes nothing."""
    return Assignment.objects.filter(
        proposal_id=proposal.pk, is_current=True, closed_at__isnull=True
    ).update(closed_at=timezone.now())
