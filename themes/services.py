"""Every change to a themed call (테마상상): publishing it, closing it (early
by an operator, or by the beat when its period ends), proposing to it,
picking its proposals for the theme debate (테마토론) and the department's
final response.

Each function asks themes/rules.py who may, takes the theme's row lock,
raises the rule's refusal, writes with `update_fields`, records what it did
(an audit row for an operator's action, a timeline row on a proposal) and
sends its notices inside the transaction (they e-mail after commit).

`Theme.proposal_count` counts the theme's proposals that stand (neither
hidden, in the trash nor withdrawn: proposals.participation.proposal_stands):
`theme_propose` adds one in the proposal's transaction, and the receiver of
proposals.signals.standing_changed moves it in the transaction that hides,
trashes, withdraws or restores one. So the count shown is exact without a
count on every read; `proposal_count_reconcile` recounts from the rows."""

from collections.abc import Sequence

import rules
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.audit import audit_record
from accounts.predicates import is_active_member
from answers.services import assignment_open
from debates.models import Debate
from debates.services import debate_open
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed, require_reason
from oasis.tasks import enqueue_on_commit
from proposals.models import EventKind, Proposal, ProposalStatus
from proposals.services import proposal_create
from proposals.timeline import event_record

from . import audit_words, notices
from . import rules as theme_rules
from .models import Theme, ThemeProposal, ThemeStatus
from .selectors import standing_entries
from .timeline_texts import THEME_DEBATE_PICKED, THEME_SUBMITTED

OPEN_PICKED_DEBATE_TASK = "themes.tasks.open_picked_debate"


def _locked(theme: Theme) -> Theme:
    return Theme.objects.select_for_update().get(pk=theme.pk)


def _sync(theme: Theme, locked: Theme, fields: Sequence[str]) -> None:
    """The caller's object says what the database now says."""
    for name in fields:
        setattr(theme, name, getattr(locked, name))


# --- publishing and closing -------------------------------------------------------


def theme_publish(*, theme: Theme, actor) -> Theme:
    """An operator publishes a draft theme: it shows on /themes/ and takes
    proposals from its start until its end.

    Requires: themes.manage_theme; a draft whose end is still ahead
    (rules.publish_refusal). Writes: status, published_at; an audit row."""
    if not rules.has_perm("themes.manage_theme", actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked(theme)
        if refusal := theme_rules.publish_refusal(locked):
            raise ServiceError(refusal)
        locked.status = ThemeStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(
            actor=actor,
            action=audit_words.THEME_PUBLISHED,
            target=locked,
            params={
                "starts_at": locked.starts_at.isoformat(),
                "ends_at": locked.ends_at.isoformat(),
                "department": locked.department_id,
            },
        )
    _sync(theme, locked, ["status", "published_at"])
    return locked


def _close(locked: Theme, *, now) -> None:
    locked.status = ThemeStatus.CLOSED
    locked.closed_at = now
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    notices.tell_theme_closed(theme=locked)


def theme_close(*, theme: Theme, actor, reason: str) -> Theme:
    """An operator closes a published theme before its end.

    Requires: themes.manage_theme; a published theme (rules.close_refusal);
    a reason (kept on the audit row as typed). Writes: status, closed_at; an
    audit row. Triggers: the owning department told that the theme closed
    with its number of proposals (once per theme)."""
    if not rules.has_perm("themes.manage_theme", actor):
        raise PermissionDenied
    reason = require_reason(reason)
    with transaction.atomic():
        locked = _locked(theme)
        if refusal := theme_rules.close_refusal(locked):
            raise ServiceError(refusal)
        _close(locked, now=timezone.now())
        audit_record(
            actor=actor,
            action=audit_words.THEME_CLOSED_EARLY,
            target=locked,
            params={"reason": reason, "proposals": locked.proposal_count},
        )
    _sync(theme, locked, ["status", "closed_at"])
    return locked


def close_due_themes(*, now=None) -> int:
    """The beat: close every published theme whose period has ended, each in
    its own short transaction under its row lock, and tell its department.
    Idempotent: a theme closed already (by an earlier run or an operator) is
    skipped, so running twice closes and tells once. Also catches up on
    picked proposals whose answer came while the broker was away
    (`open_picked_debates`). Returns the number of themes closed."""
    now = now or timezone.now()
    closed = 0
    due = Theme.objects.filter(status=ThemeStatus.PUBLISHED, ends_at__lte=now)
    for theme_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked = (
                Theme.objects.select_for_update(skip_locked=True)
                .filter(pk=theme_id, status=ThemeStatus.PUBLISHED, ends_at__lte=now)
                .first()
            )
            if locked is None:
                continue
            _close(locked, now=now)
            closed += 1
    open_picked_debates()
    return closed


# --- proposing ----------------------------------------------------------------------


def theme_propose(
    *,
    theme: Theme,
    author,
    title: str,
    body: str,
    category,
    district: str = "",
    tag_names: Sequence[str] = (),
    photos: Sequence = (),
    files: Sequence = (),
    now=None,
) -> Proposal:
    """A member proposes to an open theme. The proposal is an ordinary one
    (proposals.services.proposal_create: its validation, uploads, mileage
    and 'created' row), made in the same transaction as its ThemeProposal,
    a timeline row naming the theme and the theme's count, all under the
    theme's row lock, so a proposal never lands in a theme that closed
    meanwhile.

    Requires: an active member (PermissionDenied otherwise); the theme open
    now (rules.theme_open_refusal, a ServiceError: nothing is written).
    Raises proposal_create's ValidationError for bad text or uploads."""
    if not is_active_member(author):
        raise PermissionDenied
    if refusal := theme_rules.theme_open_refusal(theme, now):
        raise ServiceError(refusal)  # early, before any upload is read
    with transaction.atomic():
        locked = _locked(theme)
        if refusal := theme_rules.theme_open_refusal(locked, now):
            raise ServiceError(refusal)
        proposal = proposal_create(
            author=author,
            title=title,
            body=body,
            category=category,
            district=district,
            tag_names=tag_names,
            photos=photos,
            files=files,
        )
        ThemeProposal.objects.create(
            theme=locked, proposal=proposal, created_at=proposal.created_at
        )
        Theme.objects.filter(pk=locked.pk).update(proposal_count=F("proposal_count") + 1)
        event_record(
            proposal=proposal,
            kind=EventKind.THEME_SUBMITTED,
            actor=author,
            params={"text": THEME_SUBMITTED, "theme": locked.pk},
        )
    theme.proposal_count = locked.proposal_count + 1
    return proposal


def standing_changed_received(sender, *, proposal, stands: bool, **kwargs) -> None:
    """proposals.signals.standing_changed: a theme's proposal was hidden,
    trashed or withdrawn (one fewer), or shown again or restored (one more),
    in that change's transaction. Proposals outside any theme cost one
    indexed look-up."""
    theme_id = (
        ThemeProposal.objects.filter(proposal_id=proposal.pk)
        .values_list("theme_id", flat=True)
        .first()
    )
    if theme_id is None:
        return
    Theme.objects.filter(pk=theme_id).update(
        proposal_count=F("proposal_count") + (1 if stands else -1)
    )


def proposal_count_reconcile(*, theme: Theme) -> int:
    """Recount `theme.proposal_count` from its rows (a repair, and what the
    tests compare the kept count with). Returns the count."""
    with transaction.atomic():
        locked = _locked(theme)
        count = standing_entries(locked).count()
        if count != locked.proposal_count:
            locked.proposal_count = count
            locked.save(update_fields=["proposal_count", "updated_at"])
    theme.proposal_count = count
    return count


# --- routing ----------------------------------------------------------------------


def theme_department(proposal):
    """answers.routing's rule (registered in apps.py): a theme's proposal is
    answered by the theme's owning department; None for any other."""
    entry = (
        ThemeProposal.objects.filter(proposal_id=proposal.pk)
        .select_related("theme__department")
        .first()
    )
    return entry.theme.department if entry is not None else None


# --- the theme debate (테마토론) --------------------------------------------------------


def theme_pick_for_debate(*, theme: Theme, actor, proposals: Sequence[Proposal]) -> list:
    """An operator picks some of a closed theme's proposals for the theme
    debate (usually the most endorsed; the admin lists them so).

    Each picked proposal goes as far towards its debate as it can now:
    answered → the debate opens at once (debates.services.debate_open);
    awaiting its answer → the debate opens when the answer is published
    (answer_published → `open_picked_debate`); still gathering endorsements
    or not reached → handed to the theme's department to answer first
    (answers.services.assignment_open), then as before; already in a debate
    the bars opened → the pick is recorded, nothing more to open.

    Requires: themes.pick_for_debate; the theme closed (rules.pick_refusal);
    every proposal one of the theme's, pickable (rules.pick_entry_refusal):
    one refusal refuses them all, nothing written. Writes: each entry's
    picked_for_debate_at; a public timeline row on each proposal; one audit
    row. Triggers: each proposer told (once per proposal). Returns the
    entries picked."""
    if not rules.has_perm("themes.pick_for_debate", actor):
        raise PermissionDenied
    if not proposals:
        raise ServiceError(theme_rules.nothing_picked())
    if refusal := theme_rules.pick_refusal(theme):
        raise ServiceError(refusal)
    ids = sorted({p.pk for p in proposals})
    now = timezone.now()
    # The theme's row is not locked: a closed theme never opens again, and
    # hiding a proposal takes its row then the theme's (the count), so
    # holding the theme's here while locking proposals could deadlock.
    with transaction.atomic():
        entries = list(
            ThemeProposal.objects.select_for_update()
            .filter(theme=theme, proposal_id__in=ids)
            .select_related("proposal")
            .order_by("proposal_id")
        )
        if len(entries) != len(ids):
            raise ServiceError(theme_rules.not_of_theme())
        for entry in entries:
            if refusal := theme_rules.pick_entry_refusal(entry):
                raise ServiceError(refusal)
        for entry in entries:
            entry.picked_for_debate_at = now
            entry.save(update_fields=["picked_for_debate_at"])
            proposal = entry.proposal
            event_record(
                proposal=proposal,
                kind=EventKind.THEME_DEBATE_PICKED,
                actor=actor,
                params={"text": THEME_DEBATE_PICKED, "theme": theme.pk},
            )
            if proposal.status in (ProposalStatus.OPEN, ProposalStatus.NOT_REACHED):
                assignment_open(proposal=proposal, actor=actor)
            elif proposal.status == ProposalStatus.ANSWERED:
                debate_open(proposal=proposal, actor=actor)
            notices.tell_picked(entry=entry)
        audit_record(
            actor=actor,
            action=audit_words.THEME_DEBATE_PICKED,
            target=theme,
            params={"proposals": ids},
        )
    return entries


def open_picked_debate(*, proposal_id: int) -> bool:
    """Open the theme debate of a picked proposal whose answer is now
    published (queued after the answer's publication; the beat catches up).
    Idempotent: a proposal not picked, not answered, not public, or whose
    debate the bars already opened, is left as it is. Returns whether a
    debate was opened."""
    entry = (
        ThemeProposal.objects.filter(proposal_id=proposal_id, picked_for_debate_at__isnull=False)
        .select_related("proposal")
        .first()
    )
    if entry is None:
        return False
    proposal = entry.proposal
    if (
        proposal.status != ProposalStatus.ANSWERED
        or not proposal.is_public
        or Debate.objects.filter(proposal_id=proposal_id).exists()
    ):
        return False
    try:
        debate_open(proposal=proposal)
    except TransitionNotAllowed:
        return False  # the conductor opened it (or it moved on) meanwhile
    return True


def open_picked_debates() -> int:
    """Every picked proposal that is answered and has no debate yet gets one
    (the catch-up of `open_picked_debate`, run by the beat)."""
    waiting = ThemeProposal.objects.filter(
        picked_for_debate_at__isnull=False,
        proposal__status=ProposalStatus.ANSWERED,
        proposal__debate__isnull=True,
    ).values_list("proposal_id", flat=True)
    return sum(open_picked_debate(proposal_id=pk) for pk in list(waiting))


def answer_published_received(sender, *, answer, **kwargs) -> None:
    """answers.signals.answer_published: if the proposal was picked for a
    theme debate, open it once the publication has committed."""
    proposal_id = answer.assignment.proposal_id
    if ThemeProposal.objects.filter(
        proposal_id=proposal_id, picked_for_debate_at__isnull=False
    ).exists():
        enqueue_on_commit(OPEN_PICKED_DEBATE_TASK, proposal_id)


# --- the department's final response ----------------------------------------------------


def theme_respond(
    *, theme: Theme, actor, response: str, outcome: str = "", publish: bool = True
) -> Theme:
    """The theme's department (an official of it, or an operator) writes
    its final response to a closed theme and what came of it. Published at
    once unless `publish` is False (a draft, seen only by staff); editing a
    published response keeps it published with its first date.

    Requires: themes.respond_theme on this theme; rules.respond_refusal.
    Writes: response, outcome, response_published_at; an audit row.
    Triggers: on first publication, the theme's proposers told (once)."""
    if not rules.has_perm("themes.respond_theme", actor, theme):
        raise PermissionDenied
    response = (response or "").strip()
    outcome = (outcome or "").strip()
    with transaction.atomic():
        locked = _locked(theme)
        if refusal := theme_rules.respond_refusal(locked, response):
            raise ServiceError(refusal)
        first_publication = publish and locked.response_published_at is None
        locked.response, locked.outcome = response, outcome
        if first_publication:
            locked.response_published_at = timezone.now()
        locked.save(update_fields=["response", "outcome", "response_published_at", "updated_at"])
        audit_record(
            actor=actor,
            action=audit_words.THEME_RESPONDED,
            target=locked,
            params={"published": locked.response_published_at is not None},
        )
        if first_publication:
            notices.tell_response_published(theme=locked)
    _sync(theme, locked, ["response", "outcome", "response_published_at"])
    return locked


__all__ = [
    "answer_published_received",
    "close_due_themes",
    "open_picked_debate",
    "open_picked_debates",
    "proposal_count_reconcile",
    "standing_changed_received",
    "theme_close",
    "theme_department",
    "theme_pick_for_debate",
    "theme_propose",
    "theme_publish",
    "theme_respond",
]
