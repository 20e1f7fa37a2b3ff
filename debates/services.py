"""Every change to debates, stances and arguments.

Each function checks permission (the permission of rules.py, asked without
the debate: who may), then, under a lock on the debate row (or on the
proposal's, to open one), whether this user runs this debate
(rules.institution_refusal, the object half of the same permission: the
city's operators every debate, an institution's administrators their
institution's) and the state rule (rules.py). It writes with
`update_fields`, records a ProposalEvent where the proposal's timeline
should show it, and leaves notices whose e-mails go out after the
transaction commits. Views, admin actions and the beat task all call
these; nothing else assigns a debate's status or touches its counts."""

from datetime import timedelta

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.participation import Action, earner_id, participated
from accounts.predicates import (
    is_expert,
    is_institution_admin,
    is_internal_expert,
    is_official,
    is_operator,
    is_panel,
)
from accounts.roles import Role
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed, require_reason
from proposals.models import EventKind, PipelineSettings, Proposal, ProposalStatus
from proposals.participation import proposer_id
from proposals.timeline import event_record, proposal_transition

from . import notices, timeline_texts
from . import rules as debate_rules
from .models import (
    ARGUMENT_MAX_LENGTH,
    ARGUMENT_MIN_LENGTH,
    COUNT_FIELDS,
    DEBATE_TRANSITIONS,
    REASON_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Argument,
    Debate,
    DebateStatus,
    Position,
    Side,
    Stance,
)


def _locked(debate: Debate) -> Debate:
    """The debate re-read under a row lock, with its proposal (not locked)."""
    locked = (
        Debate.objects.select_for_update(of=("self",)).select_related("proposal").get(pk=debate.pk)
    )
    return locked


def _counts(debate: Debate) -> dict[str, int]:
    return {
        "for": debate.for_count,
        "against": debate.against_count,
        "undecided": debate.undecided_count,
    }


# --- opening ------------------------------------------------------------------


def debate_open(
    *, proposal: Proposal, actor=None, reason: str = "", params: dict | None = None
) -> Debate:
    """Open the debate on an answered proposal: it starts now and ends after
    the pipeline settings' debate length. Called by the promotion (actor None)
    or by an operator's promotion by hand (the city's operators, or the
    administrators of the proposal's institution: asked with the proposal
    under its lock), usually inside their transaction with the proposal
    locked. Moves the proposal ANSWERED → DEBATE (refused
    for any other status, e.g. withdrawn) and tells the proposer and
    followers (`debate_opened`)."""
    if actor is not None and not rules.has_perm("debates.open_debate", actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if actor is not None and (refusal := debate_rules.institution_refusal(actor, locked)):
            raise ServiceError(refusal, code="institution")
        if not locked.is_public:
            raise ServiceError(_("A hidden or deleted proposal cannot be debated."))
        if Debate.objects.filter(proposal=locked).exists():
            raise TransitionNotAllowed(_("This proposal already has a debate."))
        # Checks the pipeline (only ANSWERED → DEBATE) and records the event.
        moved = proposal_transition(
            proposal=locked,
            to_status=ProposalStatus.DEBATE,
            actor=actor,
            reason=reason,
            params=params,
        )
        now = timezone.now()
        debate = Debate.objects.create(
            proposal=moved,
            starts_at=now,
            ends_at=now + timedelta(days=PipelineSettings.load().debate_length_days),
        )
        notices.tell_debate_opened(debate=debate)
        participated(
            action=Action.DEBATED,
            member_id=proposer_id(moved),
            source=debate,
            proposal_id=moved.pk,
        )
    # The caller's object says what the database now says.
    proposal.status = moved.status
    return debate


# --- stances ------------------------------------------------------------------


def stance_set(*, debate: Debate, user, position: str) -> Stance:
    """A logged-in, active member takes a stance or changes it, while the
    debate is open and within its period. The Stance row and the debate's
    counters change together under a lock on the debate, so the counts always
    equal the rows. Choosing the stance one already has changes nothing."""
    if not rules.has_perm("debates.take_stance", user):
        raise PermissionDenied
    if position not in Position.values:
        raise ValidationError({"position": _("Please choose for, against or undecided.")})
    try:
        with transaction.atomic():
            locked = _locked(debate)
            if refusal := debate_rules.participation_refusal(locked):
                raise ServiceError(refusal)
            stance = Stance.objects.filter(debate=locked, user=user).first()
            if stance is None:
                stance = Stance.objects.create(debate=locked, user=user, position=position)
                Debate.objects.filter(pk=locked.pk).update(
                    **{COUNT_FIELDS[position]: F(COUNT_FIELDS[position]) + 1}
                )
            elif stance.position != position:
                old = stance.position
                stance.position = position
                stance.save(update_fields=["position", "updated_at"])
                Debate.objects.filter(pk=locked.pk).update(
                    **{
                        COUNT_FIELDS[old]: F(COUNT_FIELDS[old]) - 1,
                        COUNT_FIELDS[position]: F(COUNT_FIELDS[position]) + 1,
                    }
                )
    except IntegrityError:
        # Only without row locks (SQLite) can two first stances race.
        raise ServiceError(_("Your stance could not be saved. Please try again.")) from None
    debate.refresh_from_db(fields=["for_count", "against_count", "undecided_count"])
    return stance


# --- arguments ----------------------------------------------------------------


def _badge_role(user) -> str:
    """The role badge an argument carries: officials and experts take part
    as such (PRODUCT.md), the citizen panel and operators are marked too."""
    if is_official(user):
        return Role.OFFICIAL
    if is_expert(user):
        return Role.EXPERT_INTERNAL if is_internal_expert(user) else Role.EXPERT_EXTERNAL
    if is_panel(user):
        return Role.PANEL
    if is_operator(user):
        return Role.OPERATOR
    # A partner institution's administrator speaks for it (issue 16); the
    # page names the institution beside the badge (author_institution).
    if is_institution_admin(user):
        return Role.INSTITUTION_ADMIN
    return ""


def _validate_argument(side: str, body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    errors = {}
    if side not in Side.values:
        errors["side"] = _("Please choose whether your argument is for or against.")
    if len(body) < ARGUMENT_MIN_LENGTH:
        errors["body"] = _("Please write at least %(n)d characters.") % {"n": ARGUMENT_MIN_LENGTH}
    elif len(body) > ARGUMENT_MAX_LENGTH:
        errors["body"] = _("An argument may be at most %(n)d characters.") % {
            "n": ARGUMENT_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    return body


def argument_create(*, debate: Debate, author, side: str, body: str) -> Argument:
    """A logged-in, active member posts an argument for or against while the
    debate takes part. Officials' arguments carry their department and
    experts' (and the panel's) their role, as they are at the time."""
    if not rules.has_perm("debates.post_argument", author):
        raise PermissionDenied
    body = _validate_argument(side, body)
    with transaction.atomic():
        locked = _locked(debate)
        if refusal := debate_rules.participation_refusal(locked):
            raise ServiceError(refusal)
        argument = Argument.objects.create(
            debate=locked,
            author=author,
            side=side,
            body=body,
            author_department_id=author.department_id if is_official(author) else None,
            author_role=(role := _badge_role(author)),
            author_institution_id=(
                author.institution_id if role == Role.INSTITUTION_ADMIN else None
            ),
        )
        _argument_told(argument=argument, proposal_id=locked.proposal_id)
    return argument


def _argument_told(*, argument: Argument, proposal_id: int, undo: bool = False) -> None:
    """Mileage for an argument (accounts.participation): posted, or undone
    when deleted or hidden, redone when shown again."""
    participated(
        action=Action.DEBATE_ARGUMENT,
        member_id=earner_id(argument.author),
        source=argument,
        proposal_id=proposal_id,
        undo=undo,
    )


def argument_delete(*, argument: Argument, user) -> Argument:
    """The author deletes their argument: it leaves the page but stays stored,
    as everything a citizen writes does."""
    if not debate_rules.is_argument_author(user, argument):
        raise PermissionDenied
    with transaction.atomic():
        updated = Argument.objects.filter(pk=argument.pk, deleted_at__isnull=True).update(
            deleted_at=timezone.now(), updated_at=timezone.now()
        )
        if not updated:
            raise ServiceError(_("This argument was already deleted."))
        argument.refresh_from_db(fields=["deleted_at", "updated_at", "is_hidden"])
        # Read after the update locked the row: a hidden argument has
        # already given its points back.
        if not argument.is_hidden:
            _argument_told(argument=argument, proposal_id=_proposal_id_of(argument), undo=True)
    return argument


def _proposal_id_of(argument: Argument) -> int:
    return Debate.objects.values_list("proposal_id", flat=True).get(pk=argument.debate_id)


def _set_hidden(*, argument: Argument, user, reason: str, hidden: bool) -> Argument:
    if not rules.has_perm("debates.moderate", user):
        raise PermissionDenied
    reason = require_reason(reason, max_length=REASON_MAX_LENGTH)
    with transaction.atomic():
        locked = (
            Argument.objects.select_for_update(of=("self",))
            .select_related("debate__proposal")
            .get(pk=argument.pk)
        )
        if refusal := debate_rules.institution_refusal(user, locked):
            raise ServiceError(refusal, code="institution")
        if locked.is_hidden == hidden:
            raise ServiceError(
                _("This argument is already hidden.")
                if hidden
                else _("This argument is not hidden.")
            )
        locked.is_hidden = hidden
        locked.hidden_reason = reason if hidden else ""
        locked.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
        # A deleted argument gave its points back already and stays deleted.
        if locked.deleted_at is None:
            _argument_told(argument=locked, proposal_id=locked.debate.proposal_id, undo=hidden)
        # The timeline has no kind of its own for debate arguments; moderation
        # of what members wrote shares the comment kinds, internal only.
        event_record(
            proposal=locked.debate.proposal,
            kind=EventKind.COMMENT_HIDDEN if hidden else EventKind.COMMENT_UNHIDDEN,
            actor=user,
            reason=reason,
            params={"text": timeline_texts.ARGUMENT_MODERATED, "id": locked.pk},
            is_public=False,
        )
    return locked


def argument_hide(*, argument: Argument, user, reason: str) -> Argument:
    """An operator (of the city, or of the proposal's institution) hides an
    argument under the operating rules, with a reason.
    The text stays stored; the page says it was hidden and why."""
    return _set_hidden(argument=argument, user=user, reason=reason, hidden=True)


def argument_unhide(*, argument: Argument, user, reason: str) -> Argument:
    """An operator (of the city, or of the proposal's institution) shows a
    hidden argument again, with a reason."""
    return _set_hidden(argument=argument, user=user, reason=reason, hidden=False)


# --- closing ------------------------------------------------------------------


def debate_close(*, debate: Debate, actor=None, reason: str = "", now=None) -> Debate:
    """Close an open debate. Without an actor (the schedule) only once its
    period is over, or at once if the proposal was withdrawn; an operator (of
    the city, or of the proposal's institution) may close it early with a
    reason. Closing a closed debate is refused and
    changes nothing. Records DEBATE_CLOSED with the final stance counts on the
    timeline and tells the proposer and followers (`debate_closed`) and the
    operators (and the proposal's institution's administrators) that results
    are due (`debate_summary_due`)."""
    if actor is not None and not rules.has_perm("debates.close_debate", actor):
        raise PermissionDenied
    now = now or timezone.now()
    reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    with transaction.atomic():
        locked = _locked(debate)
        if actor is not None and (refusal := debate_rules.institution_refusal(actor, locked)):
            raise ServiceError(refusal, code="institution")
        if refusal := debate_rules.close_refusal(locked, actor=actor, reason=reason, now=now):
            raise TransitionNotAllowed(refusal)
        if DebateStatus.CLOSED not in DEBATE_TRANSITIONS[locked.status]:
            raise TransitionNotAllowed(_("This debate is already closed."))
        early = now < locked.ends_at
        locked.status = DebateStatus.CLOSED
        locked.closed_at = now
        fields = ["status", "closed_at", "updated_at"]
        if early and actor is not None:
            locked.closed_by = actor
            locked.close_reason = reason
            fields += ["closed_by", "close_reason"]
        locked.save(update_fields=fields)
        counts = _counts(locked)
        # Closed early without an actor: the proposer withdrew the proposal
        # (said by the timeline's words); an operator's reason is theirs.
        withdrawn = early and actor is None
        event_record(
            proposal=locked.proposal,
            kind=EventKind.DEBATE_CLOSED,
            actor=actor,
            reason="" if withdrawn else reason,
            params={"text": timeline_texts.DEBATE_COUNTS, **counts, "withdrawn": withdrawn},
        )
        notices.tell_debate_closed(debate=locked)
        if locked.proposal.status != ProposalStatus.WITHDRAWN:
            notices.tell_debate_summary_due(debate=locked)
    debate.status, debate.closed_at = locked.status, locked.closed_at
    return locked


def close_due_debates(*, now=None) -> int:
    """The beat sweep: close every open debate whose period is over, or whose
    proposal was withdrawn. Each debate is re-checked under its lock, so
    running this twice, or at the same time as an operator closing one by
    hand, closes each debate once and sends each notice once. Returns how many
    it closed."""
    now = now or timezone.now()
    due = Debate.objects.open().filter(
        Q(ends_at__lte=now) | Q(proposal__status=ProposalStatus.WITHDRAWN)
    )
    closed = 0
    for debate in list(due.only("pk")):
        try:
            debate_close(debate=debate, actor=None, now=now)
        except ServiceError:
            continue  # closed meanwhile by someone else
        closed += 1
    return closed


# --- results ------------------------------------------------------------------


def _validate_summary(summary: str) -> str:
    summary = (summary or "").replace("\r\n", "\n").strip()
    if not summary:
        raise ValidationError({"summary": _("Please write the results of the debate.")})
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise ValidationError(
            {
                "summary": _("The results may be at most %(n)d characters.")
                % {"n": SUMMARY_MAX_LENGTH}
            }
        )
    return summary


def debate_publish_summary(*, debate: Debate, operator, summary: str) -> Debate:
    """An operator (of the city, or of the proposal's institution) publishes
    the results (토론결과) of a closed debate, once.
    The proposal moves DEBATE → REVIEW with a DEBATE_SUMMARY event, which
    makes it eligible for working review; a proposal withdrawn during the
    debate keeps its status and only the event is recorded. Tells the
    proposer and followers (`debate_summary`)."""
    if not rules.has_perm("debates.publish_results", operator):
        raise PermissionDenied
    summary = _validate_summary(summary)
    with transaction.atomic():
        locked = _locked(debate)
        if refusal := debate_rules.institution_refusal(operator, locked):
            raise ServiceError(refusal, code="institution")
        if refusal := debate_rules.summary_refusal(locked):
            raise TransitionNotAllowed(refusal)
        locked.summary = summary
        locked.summary_published_at = timezone.now()
        locked.summary_by = operator
        locked.save(update_fields=["summary", "summary_published_at", "summary_by", "updated_at"])
        proposal = Proposal.objects.select_for_update().get(pk=locked.proposal_id)
        if proposal.status == ProposalStatus.WITHDRAWN:
            event_record(proposal=proposal, kind=EventKind.DEBATE_SUMMARY, actor=operator)
        else:
            # Refuses anything but DEBATE → REVIEW, with a clear message.
            proposal = proposal_transition(
                proposal=proposal,
                to_status=ProposalStatus.REVIEW,
                actor=operator,
                kind=EventKind.DEBATE_SUMMARY,
            )
        notices.tell_debate_summary(debate=locked, proposal=proposal)
    return locked
