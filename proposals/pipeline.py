"""The pipeline's automatic moves: promotion when an endorsement bar is
crossed, and closing endorsement windows. Department assignment and debates
are opened through their own apps' services."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oasis.errors import ServiceError
from oasis.i18n import for_the_record
from oasis.tasks import enqueue_on_commit

from .models import PipelineSettings, Proposal, ProposalStatus


def crossing_counts() -> set[int]:
    """The endorsement counts at which a promotion check is worth queueing."""
    settings_row = PipelineSettings.load()
    return {settings_row.answer_threshold, settings_row.debate_threshold}


def queue_promotion_check(proposal_id: int) -> None:
    from .tasks import promote_if_due

    enqueue_on_commit(promote_if_due, proposal_id)


def debate_is_due(proposal: Proposal, settings_row: PipelineSettings) -> bool:
    return (
        proposal.endorsement_count >= settings_row.debate_threshold
        and proposal.comment_count >= settings_row.debate_min_comments
        and proposal.view_count >= settings_row.debate_min_views
    )


def promote_if_due(*, proposal_id: int) -> str | None:
    """Re-read the counts under a row lock and move the proposal one step if a
    bar is passed: OPEN → ASSIGNED (a department must answer), ANSWERED →
    DEBATE. However many times this runs, concurrently or again, a proposal
    moves once: the lock serialises the runs and the status check makes the
    later ones no-ops. Returns the new status or None."""
    from answers.services import assignment_open
    from debates.services import debate_open

    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
        if not proposal.is_public:
            return None
        settings_row = PipelineSettings.load()
        if (
            proposal.status == ProposalStatus.OPEN
            and proposal.endorsement_count >= settings_row.answer_threshold
        ):
            try:
                with transaction.atomic():
                    assignment_open(
                        proposal=proposal,
                        actor=None,
                        reason=for_the_record(
                            lambda: (
                                _("%(count)d citizens endorsed it.")
                                % {"count": proposal.endorsement_count}
                            )
                        ),
                    )
            except ServiceError as exc:
                # No department to assign (a category without a default one):
                # the operators are told once and assign it by hand.
                from accounts.selectors import operators
                from notifications.services import notify

                notify(
                    recipients=operators(),
                    kind="assignment_blocked",
                    key=f"assignment_blocked:{proposal.pk}",
                    proposal=proposal,
                    params={"reason": exc.message},
                )
                return None
            return ProposalStatus.ASSIGNED
        if proposal.status == ProposalStatus.ANSWERED and debate_is_due(proposal, settings_row):
            debate_open(
                proposal=proposal,
                actor=None,
                reason=for_the_record(
                    lambda: (
                        _("%(count)d citizens endorsed it.") % {"count": proposal.endorsement_count}
                    )
                ),
            )
            return ProposalStatus.DEBATE
    return None


def close_if_expired(*, proposal_id: int, now=None) -> bool:
    """An open proposal whose endorsement window has closed below the answer
    bar ends as not reached (투표탈락). Returns whether it was closed."""
    from .services import proposal_transition

    now = now or timezone.now()
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
        settings_row = PipelineSettings.load()
        if (
            proposal.status != ProposalStatus.OPEN
            or proposal.endorsement_deadline is None
            or proposal.endorsement_deadline > now
            or proposal.endorsement_count >= settings_row.answer_threshold
        ):
            return False
        proposal_transition(
            proposal=proposal,
            to_status=ProposalStatus.NOT_REACHED,
            actor=None,
            reason=for_the_record(
                lambda: (
                    _(
                        "The endorsement window closed with %(count)d of the %(bar)d endorsements needed."
                    )
                    % {"count": proposal.endorsement_count, "bar": settings_row.answer_threshold}
                )
            ),
        )
        from notifications.services import notify_proposal

        notify_proposal(proposal=proposal, kind="not_reached", key=f"not_reached:{proposal.pk}")
    return True


def sweep(now=None) -> dict[str, int]:
    """Catch up on whatever the per-endorsement tasks missed (a broker that
    was down, a threshold lowered by an operator) and close expired windows.
    Idempotent: run by Celery beat every few minutes."""
    now = now or timezone.now()
    settings_row = PipelineSettings.load()
    live = Proposal.objects.public()
    promoted = 0
    due = live.filter(
        status=ProposalStatus.OPEN, endorsement_count__gte=settings_row.answer_threshold
    ) | live.filter(
        status=ProposalStatus.ANSWERED,
        endorsement_count__gte=settings_row.debate_threshold,
        comment_count__gte=settings_row.debate_min_comments,
        view_count__gte=settings_row.debate_min_views,
    )
    for proposal_id in due.values_list("pk", flat=True):
        promoted += promote_if_due(proposal_id=proposal_id) is not None
    closed = 0
    expired = live.filter(
        status=ProposalStatus.OPEN,
        endorsement_deadline__lte=now,
        endorsement_count__lt=settings_row.answer_threshold,
    )
    for proposal_id in expired.values_list("pk", flat=True):
        closed += close_if_expired(proposal_id=proposal_id, now=now)
    return {"promoted": promoted, "closed": closed}
