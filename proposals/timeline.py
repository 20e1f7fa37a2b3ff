"""The pipeline core: where a proposal stands and the one writer of its steps.

Every stage app (answers, debates, meetings, tracking) stands on this module:
`proposal_transition` is the one place a proposal's status is assigned, and
`event_record` writes the timeline row each step leaves. The statuses and the
table of allowed moves are `ProposalStatus` and `PROPOSAL_TRANSITIONS` in
`proposals/models.py`. Nothing here asks who may act: the calling service has
already asked its app's rules.

The conductor (`pipeline/`) decides *when* a proposal moves between stages;
a stage app that must wake it after a write queues its task by name
(`queue_promotion_check`), never by importing it."""

from collections.abc import Callable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.predicates import (
    is_expert,
    is_institution_admin,
    is_internal_expert,
    is_mayor_office,
    is_official,
    is_operator,
    is_panel,
)
from accounts.roles import Role
from oasis.errors import TransitionNotAllowed
from oasis.tasks import enqueue_on_commit

from .models import (
    PROPOSAL_TRANSITIONS,
    EventKind,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)

# The conductor's task that re-reads a proposal's counts and moves it one
# stage if a bar is passed (pipeline/tasks.py). Queued by name: the core sits
# below the conductor and never imports it.
PROMOTION_CHECK_TASK = "pipeline.tasks.promote_if_due"

# The role a timeline row names for an actor who holds several: the first
# that holds, in this order.
_TIMELINE_ROLES = (
    (Role.OPERATOR, is_operator),
    (Role.OFFICIAL, is_official),
    # A partner institution's administrator moderating, recategorising,
    # promoting or merging its proposals (issue 16): named as such, not
    # as a citizen (an administrator who is also one of its officials
    # answers as the official, above).
    (Role.INSTITUTION_ADMIN, is_institution_admin),
    (Role.MAYOR_OFFICE, is_mayor_office),
    (Role.EXPERT_INTERNAL, is_internal_expert),
    (Role.EXPERT_EXTERNAL, is_expert),  # internal experts are named above
    (Role.PANEL, is_panel),
)


def actor_role(user) -> str:
    """The role a timeline row names for `user`: "system" for the schedule
    (no user), otherwise the first of _TIMELINE_ROLES whose predicate holds,
    else citizen."""
    if user is None:
        return "system"
    return next((role for role, holds in _TIMELINE_ROLES if holds(user)), Role.CITIZEN)


def event_record(
    *,
    proposal: Proposal,
    kind: str,
    actor=None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    params: dict | None = None,
    is_public: bool = True,
    department=None,
) -> ProposalEvent:
    """Write one timeline row. Requires an open transaction in the caller.
    `reason` is a person's words, as typed; what the system says about the
    step goes in `params` as a code and its values ({"text": "endorsed",
    "count": 12}, see event_texts.py), never as a sentence.
    `department` names the department the step concerns (an assignment);
    otherwise an official's own department is recorded."""
    if department is None and actor is not None and is_official(actor):
        department = actor.department
    return ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        actor=actor,
        actor_role=actor_role(actor),
        actor_department=department,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        params=params or {},
        is_public=is_public,
    )


def proposal_transition(
    *,
    proposal: Proposal,
    to_status: str,
    actor,
    reason: str = "",
    params: dict | None = None,
    department=None,
    kind: str = EventKind.STATUS_CHANGED,
) -> Proposal:
    """Move a proposal to `to_status` if PROPOSAL_TRANSITIONS allows it,
    recording the event. Permission is the calling service's responsibility;
    this is the one place a status is assigned. Call inside the caller's
    transaction when other rows must change with it. Raises
    TransitionNotAllowed for any other move."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if to_status not in PROPOSAL_TRANSITIONS.get(locked.status, set()):
            raise TransitionNotAllowed(
                _("A proposal that is “%(from)s” cannot become “%(to)s”.")
                % {
                    "from": ProposalStatus(locked.status).label,
                    "to": ProposalStatus(to_status).label,
                }
            )
        from_status = locked.status
        locked.status = to_status
        fields = ["status", "updated_at"]
        if to_status == ProposalStatus.WITHDRAWN:
            locked.withdrawn_at = timezone.now()
            fields.append("withdrawn_at")
        locked.save(update_fields=fields)
        event_record(
            proposal=locked,
            kind=kind,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            params=params,
            department=department,
        )
    return locked


# The conductor's bars: for each status that moves on by itself, the minimum
# of each count that makes a proposal due (pipeline.services.due_bars, read
# from the cached settings). The conductor registers its reader here
# (pipeline/apps.py); until it does, counts wake nobody and the conductor's
# sweep catches up.
_bars: Callable[[], Mapping[str, Mapping[str, int]]] = dict


def register_bars(reader: Callable[[], Mapping[str, Mapping[str, int]]]) -> None:
    """Called once by the conductor with the reader of its bars."""
    global _bars
    _bars = reader


def crossing_counts(field: str = "endorsement_count", *, status: str | None = None) -> set[int]:
    """The values of a count (`field`, a Proposal counter) at which a
    proposal may become due for its next stage, for proposals in `status`
    (any status when None): the conductor's bars, read now."""
    return {
        bar[field]
        for bar_status, bar in _bars().items()
        if field in bar and (status is None or bar_status == status)
    }


def queue_promotion_check(proposal_id: int) -> None:
    """Wake the conductor once the caller's transaction commits: its task
    re-reads the proposal's counts and moves it if a bar was passed."""
    enqueue_on_commit(PROMOTION_CHECK_TASK, proposal_id)
