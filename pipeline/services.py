"""The conductor: when a proposal moves from one stage app to the next.

A proposal is *due* for the next stage when its counts pass a bar
(`due_bars`, stated once and read both for one proposal and for the sweep's
query):

- open → a department must answer (answers.services.assignment_open), when
  enough citizens endorsed it;
- answered → debate (debates.services.debate_open), when the endorsements,
  comments and views all pass the debate bar;
- an open proposal whose endorsement window closed below the answer bar ends
  as not reached (투표탈락).

Operators may also move a proposal one step below the bar, for its creativity
(`proposal_promote_by_hand`). The later moves are made by the stages
themselves (the debate's published results put it in working review; the
working review puts it on a meeting's agenda; the meeting decides); the
conductor only wires the meeting's adoption to the management card that
tracking opens (`open_card_for_adopted_item`, connected in apps.py), and an
accepting answer below the debate bar to the promise card tracking opens
(`open_promise_for_accepting_answer`).

Stage apps never import this module: they wake it by queueing its task by
name (proposals.timeline.queue_promotion_check)."""

import hashlib
import json
import logging
import operator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import reduce

import rules
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import Department, Institution
from accounts.ownership import unowned_total
from answers.services import assignment_department, assignment_open
from debates.services import debate_open
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed, require_reason
from oasis.tasks import enqueue_on_commit
from proposals import rules as proposal_rules
from proposals import services as proposal_services
from proposals.models import EventKind, PipelineSettings, Proposal, ProposalStatus
from proposals.timeline import event_record, proposal_transition
from tracking.models import CardKind, CardStage, ManagementCard
from tracking.services import (
    PROMISE_DECISIONS,
    card_change_stage,
    management_card_open,
    promise_card_open,
)

from . import notices, timeline_texts

logger = logging.getLogger(__name__)


def due_bars(
    settings_row: PipelineSettings, institution: Institution | None = None
) -> dict[str, dict[str, int]]:
    """For each status that moves on by itself, the minimum counts that make
    a proposal due for its next stage. The one statement of both bars:
    `is_due` reads it for one proposal, `due_filter` for the sweep, and the
    proposal page says from it which conditions are met (templatetags).

    A condition an operator set to 0 is not required and is left out (an
    endorsement bar is at least 1). The citizen panel's score is in the
    hundredths Proposal.panel_score is kept in, and comes with the number
    of panel ratings it needs: a mean of one rating is not the panel's.

    A proposal addressed to a partner institution (`institution`) has that
    institution's endorsement bars where it set them (issue 16); the other
    conditions, and the bars it left empty, are the city's."""
    answer_threshold = settings_row.answer_threshold
    debate_threshold = settings_row.debate_threshold
    if institution is not None:
        if institution.answer_threshold is not None:
            answer_threshold = institution.answer_threshold
        if institution.debate_threshold is not None:
            debate_threshold = institution.debate_threshold
    debate = {"endorsement_count": debate_threshold}
    if settings_row.debate_min_comments:
        debate["comment_count"] = settings_row.debate_min_comments
    if settings_row.debate_min_views:
        debate["view_count"] = settings_row.debate_min_views
    if panel_score := settings_row.debate_panel_score_bar:
        debate["panel_score"] = panel_score
        debate["panel_rating_count"] = settings_row.debate_min_panel_raters
    return {
        ProposalStatus.OPEN: {"endorsement_count": answer_threshold},
        ProposalStatus.ANSWERED: debate,
    }


def proposal_bars(proposal: Proposal, settings_row: PipelineSettings) -> dict[str, dict[str, int]]:
    """due_bars for `proposal`: its institution's where it has one (the
    institution row is read once, or taken from select_related)."""
    institution = proposal.institution if proposal.institution_id is not None else None
    return due_bars(settings_row, institution)


def is_due(proposal: Proposal, settings_row: PipelineSettings) -> bool:
    """`proposal` passed the bar of its status (see due_bars)."""
    bar = proposal_bars(proposal, settings_row).get(proposal.status)
    return bar is not None and all(getattr(proposal, f) >= n for f, n in bar.items())


def institutions_with_own_bars() -> list[Institution]:
    """The partner institutions that set an endorsement bar of their own
    (one small query; most use the city's)."""
    return list(
        Institution.objects.filter(
            Q(answer_threshold__isnull=False) | Q(debate_threshold__isnull=False)
        ).only("pk", "answer_threshold", "debate_threshold")
    )


def _bar_condition(status, bar: dict[str, int]) -> Q:
    return Q(status=status, **{f"{field}__gte": n for field, n in bar.items()})


def due_filter(settings_row: PipelineSettings, institutions=None) -> Q:
    """The SQL twin of is_due: proposals that passed the bar of their status.
    One condition for the sweep's one query: an OR of the city's bars for
    every proposal not addressed to an institution with bars of its own,
    and each such institution's bars for its proposals (constant
    comparisons, so the indexes on the counts still serve). `institutions`:
    those with their own bars, when the caller read them already."""
    if institutions is None:
        institutions = institutions_with_own_bars()
    own = [institution.pk for institution in institutions]
    city = reduce(
        operator.or_,
        (_bar_condition(status, bar) for status, bar in due_bars(settings_row).items()),
    )
    conditions = [city & ~Q(institution_id__in=own) if own else city]
    for institution in institutions:
        conditions.append(
            Q(institution_id=institution.pk)
            & reduce(
                operator.or_,
                (
                    _bar_condition(status, bar)
                    for status, bar in due_bars(settings_row, institution).items()
                ),
            )
        )
    return reduce(operator.or_, conditions)


def cached_due_bars() -> dict[str, dict[str, int]]:
    """due_bars on the cached settings, for the pipeline core's hot paths (an
    endorsement or a comment asking whether it may have passed a bar):
    registered in apps.py, read by proposals.timeline.crossing_counts. A
    wake-up only: promote_if_due decides on the stored settings and the
    sweep catches any missed one."""
    return due_bars(PipelineSettings.cached())


def _endorsed_params(proposal: Proposal) -> dict:
    return {"text": timeline_texts.ENDORSED, "count": proposal.endorsement_count}


def promote_if_due(*, proposal_id: int) -> str | None:
    """Re-read the counts under a row lock and move the proposal one step if a
    bar is passed: OPEN → ASSIGNED (a department must answer), ANSWERED →
    DEBATE. However many times this runs, concurrently or again, a proposal
    moves once: the lock serialises the runs and the status check makes the
    later ones no-ops. A proposal no department can take (a category without
    a default one) stays open and the operators are told once. Returns the
    new status or None."""
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("institution")
            .get(pk=proposal_id)
        )
        settings_row = PipelineSettings.load()
        if not proposal.is_public or not is_due(proposal, settings_row):
            return None
        if proposal.status == ProposalStatus.ANSWERED:
            debate_open(proposal=proposal, actor=None, params=_endorsed_params(proposal))
            return ProposalStatus.DEBATE
        try:
            with transaction.atomic():
                assignment_open(proposal=proposal, actor=None, params=_endorsed_params(proposal))
        except ServiceError as exc:
            notices.tell_assignment_blocked(proposal=proposal, reason=exc.code)
            return None
        return ProposalStatus.ASSIGNED


def close_if_expired(*, proposal_id: int, now=None) -> bool:
    """An open proposal whose endorsement window has closed below the answer
    bar ends as not reached (투표탈락); the proposer and followers are told.
    Returns whether it was closed; running it again changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("institution")
            .get(pk=proposal_id)
        )
        settings_row = PipelineSettings.load()
        if (
            proposal.status != ProposalStatus.OPEN
            or proposal.endorsement_deadline is None
            or proposal.endorsement_deadline > now
            or is_due(proposal, settings_row)
        ):
            return False
        proposal_transition(
            proposal=proposal,
            to_status=ProposalStatus.NOT_REACHED,
            actor=None,
            params={
                "text": timeline_texts.WINDOW_CLOSED,
                "count": proposal.endorsement_count,
                "bar": proposal_bars(proposal, settings_row)[ProposalStatus.OPEN][
                    "endorsement_count"
                ],
            },
        )
        notices.tell_not_reached(proposal=proposal)
    return True


def sweep(now=None) -> dict[str, int]:
    """Catch up on whatever the per-endorsement tasks missed (a broker that
    was down, a threshold lowered by an operator) and close expired windows.
    Idempotent: run by Celery beat every few minutes."""
    now = now or timezone.now()
    settings_row = PipelineSettings.load()
    institutions = institutions_with_own_bars()
    live = Proposal.objects.public()
    promoted = 0
    due = due_filter(settings_row, institutions)
    for proposal_id in live.filter(due).values_list("pk", flat=True):
        promoted += promote_if_due(proposal_id=proposal_id) is not None
    closed = 0
    expired = live.filter(status=ProposalStatus.OPEN, endorsement_deadline__lte=now).exclude(due)
    for proposal_id in expired.values_list("pk", flat=True):
        closed += close_if_expired(proposal_id=proposal_id, now=now)
    return {"promoted": promoted, "closed": closed}


def proposal_promote_by_hand(*, proposal: Proposal, user, reason: str) -> Proposal:
    """An operator moves a proposal one step forward for its creativity
    (창의성), below the bar: open or not reached → a department answers;
    answered → debate. Requires an operator (or an administrator of the
    proposal's institution) and a reason; where it may start
    from is proposals.rules.promote_refusal. The step itself carries the
    reason and its own notice (assigned / debate opened); a PROMOTED_BY_HAND
    row says it was the operators' hand."""
    if not rules.has_perm("proposals.promote_by_hand", user):
        raise PermissionDenied
    reason = require_reason(reason)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        # Whose proposal first (issue 16: an institution's administrators
        # promote their institution's only), then where it stands.
        if refusal := proposal_rules.institution_refusal(user, locked):
            raise ServiceError(refusal)
        if refusal := proposal_rules.promote_refusal(locked):
            raise TransitionNotAllowed(refusal)
        proposal_services.ask_with(user, "proposals.promote_by_hand", locked)
        if locked.status == ProposalStatus.ANSWERED:
            debate_open(proposal=locked, actor=user, reason=reason)
        else:
            assignment_open(proposal=locked, actor=user, reason=reason)
        event_record(proposal=locked, kind=EventKind.PROMOTED_BY_HAND, actor=user)
    locked.refresh_from_db()
    return locked


def open_card_for_adopted_item(sender, *, agenda_item, **kwargs) -> None:
    """Receiver of meetings.signals.item_adopted: an adopted item gets its
    management card (tracking.services.management_card_open, once) in the
    decision's own transaction."""
    management_card_open(agenda_item=agenda_item)


def open_promise_for_accepting_answer(sender, *, answer, **kwargs) -> None:
    """Receiver of answers.signals.answer_published, in the publication's
    transaction: an answer of 수용 or 일부 수용 becomes a promise card
    (tracking.services.promise_card_open), unless the proposal has already
    passed the debate bar. Such a proposal goes on to debate (the promotion
    check queued by the publication moves it), and a meeting's adoption will
    open its card; a promise card beside it would be the same work twice.
    A proposal that reaches the debate bar later keeps its promise card,
    which an adoption then takes over (management_card_open)."""
    proposal = answer.assignment.proposal
    if proposal.status != ProposalStatus.ANSWERED:
        return
    if is_due(proposal, PipelineSettings.load()):
        return
    promise_card_open(answer=answer)


def promise_follows_amended_answer(
    sender, *, answer, amendment, old_decision, new_decision, **kwargs
) -> None:
    """Receiver of answers.signals.answer_amended, in the approval's
    transaction: the department's promise follows its amended word.
    - Amended to 수용/일부 수용 from a decision that promised nothing: the
      answer now promises, so it is tracked as a published one would be
      (open_promise_for_accepting_answer: not when it went on to debate).
    - Amended from 수용/일부 수용 to a decision that promises nothing: the
      open promise card is suspended with the amendment's reason (stated by
      the department, approved by the operator), not closed or deleted:
      what was promised and why it stopped stay on its public history, and
      the proposer and followers are told as for any suspension. The
      approving operator is the actor, since they made the change public.
    - Amended back to 수용/일부 수용 while its promise card stands suspended
      (an earlier amendment away): the department promises again, so the
      same card carries on (planning) with this amendment's reason;
      otherwise nobody would track the renewed promise.
    Between 수용 and 일부 수용 the card stays as it is."""
    was, now = old_decision in PROMISE_DECISIONS, new_decision in PROMISE_DECISIONS
    if now and not was:
        suspended = ManagementCard.objects.filter(
            proposal_id=answer.assignment.proposal_id,
            kind=CardKind.PROMISE,
            stage=CardStage.SUSPENDED,
        ).first()
        if suspended is not None:
            card_change_stage(
                card=suspended,
                user=amendment.decided_by,
                to_stage=CardStage.PLANNING,
                note=amendment.reason,
            )
            return
        open_promise_for_accepting_answer(sender, answer=answer)
    elif was and not now:
        card = (
            ManagementCard.objects.filter(
                proposal_id=answer.assignment.proposal_id, kind=CardKind.PROMISE
            )
            .exclude(stage__in=[CardStage.COMPLETED, CardStage.SUSPENDED])
            .first()
        )
        if card is not None:
            card_change_stage(
                card=card,
                user=amendment.decided_by,
                to_stage=CardStage.SUSPENDED,
                note=amendment.reason,
            )


# --- changing the bars ------------------------------------------------------------------

# The fields of PipelineSettings an operator may change, and among them those
# that make a proposal due (read by due_bars): changing one of these moves
# proposals at the next sweep, so it is previewed and confirmed first.
BAR_FIELDS = (
    "answer_threshold",
    "debate_threshold",
    "debate_min_comments",
    "debate_min_views",
    "debate_min_panel_score",
    "debate_min_panel_raters",
)
PERIOD_FIELDS = (
    "endorsement_window_days",
    "answer_deadline_days",
    "answer_reminder_days",
    "debate_length_days",
    "answer_days_unit",
    "escalate_to_head_days",
    "escalate_to_operators_days",
)
SETTINGS_CHANGED = "pipeline.settings_changed"
SWEEP_TASK = "pipeline.tasks.sweep_pipeline"


@dataclass(frozen=True)
class BarsPreview:
    """What the next sweep would do under a settings row's bars: the ids of
    the proposals it would give to a department (`to_answer`), open for
    debate (`to_debate`), fail to assign for want of a department (`blocked`:
    the operators are told instead) and close as not reached (`to_close`),
    and the departments whose officials it would notify."""

    to_answer: tuple[int, ...] = ()
    to_debate: tuple[int, ...] = ()
    blocked: tuple[int, ...] = ()
    to_close: tuple[int, ...] = ()
    departments: tuple[Department, ...] = field(default=())
    # The saved bars and periods the change starts from: a confirmation is
    # of a change from these, not over another operator's change made since.
    based_on: tuple[int, ...] = ()

    @property
    def promoted(self) -> int:
        return len(self.to_answer) + len(self.to_debate)

    @property
    def fingerprint(self) -> str:
        """Short digest of what the preview says: the confirmation must be of
        this preview, not of one the world has moved past since."""
        body = json.dumps(
            [self.to_answer, self.to_debate, self.blocked, self.to_close, self.based_on],
            separators=(",", ":"),
        )
        return hashlib.sha256(body.encode()).hexdigest()[:16]


def saved_values(settings_row: PipelineSettings) -> tuple[int | str, ...]:
    """The bars and periods of a settings row, in a fixed order, as JSON
    can hold them (the panel score, a Decimal, as its text: "3.50")."""
    return tuple(
        str(value) if isinstance(value, Decimal) else value
        for value in (getattr(settings_row, name) for name in (*BAR_FIELDS, *PERIOD_FIELDS))
    )


def bars_preview(
    *, settings_row: PipelineSettings, now=None, based_on: tuple[int, ...] = ()
) -> BarsPreview:
    """What the sweep would do if it ran now on `settings_row` (saved or not):
    the same query (due_filter, hence due_bars) and the same choice of
    department (answers.services.assignment_department) as sweep and
    promote_if_due. Reads only; a few queries whatever the number of
    proposals (one for the due ones with their categories' departments, one
    for the expired windows)."""
    now = now or timezone.now()
    live = Proposal.objects.public()
    due = (
        live.filter(due_filter(settings_row))
        .select_related("category__default_department")
        .only("pk", "status", "category__name", "category__name_en", "category__default_department")
        .order_by("pk")
    )
    to_answer, to_debate, blocked, departments = [], [], [], {}
    for proposal in due:
        if proposal.status == ProposalStatus.ANSWERED:
            to_debate.append(proposal.pk)
            continue
        try:
            department = assignment_department(proposal=proposal)
        except ServiceError:
            blocked.append(proposal.pk)
        else:
            to_answer.append(proposal.pk)
            departments[department.pk] = department
    expired = live.filter(status=ProposalStatus.OPEN, endorsement_deadline__lte=now).exclude(
        due_filter(settings_row)
    )
    return BarsPreview(
        to_answer=tuple(to_answer),
        to_debate=tuple(to_debate),
        blocked=tuple(blocked),
        to_close=tuple(expired.order_by("pk").values_list("pk", flat=True)),
        departments=tuple(sorted(departments.values(), key=lambda d: d.label)),
        based_on=tuple(based_on),
    )


class PreviewOutdated(ServiceError):
    """The proposals the change would move are no longer those previewed."""


def _as_stored(name: str, value):
    """A decimal setting as the database will keep it (3.5 → 3.50), so the
    audit row says what was saved; anything else as given (a value too
    large to round is left for PipelineSettings.clean to refuse)."""
    model_field = PipelineSettings._meta.get_field(name)
    if isinstance(value, Decimal) and model_field.get_internal_type() == "DecimalField":
        try:
            return value.quantize(Decimal(1).scaleb(-model_field.decimal_places))
        except InvalidOperation:
            return value
    return value


def pipeline_settings_change(
    *, user, values: dict, preview_seen: str | None = None
) -> tuple[PipelineSettings, BarsPreview | None]:
    """An operator changes the pipeline's bars and periods.

    Requires: an operator (pipeline.change_settings); `values` holding fields
    of BAR_FIELDS and PERIOD_FIELDS that pass PipelineSettings.clean(). When
    a bar changes, `preview_seen` must be the fingerprint of bars_preview for
    the new values as the operator saw it: if the proposals it would move,
    or the saved settings it starts from (another operator's change), have
    changed since, PreviewOutdated is raised and nothing is saved.
    Writes: the changed fields; an audit row (pipeline.settings_changed) with
    each changed field's old and new value and, for a bar change, how many
    proposals the sweep will promote, to which departments.
    Triggers: after commit, the sweep (pipeline.tasks.sweep_pipeline), so a
    lowered bar promotes what was previewed now rather than within five
    minutes. Returns the row and the preview (None when no bar changed)."""
    if not rules.has_perm("pipeline.change_settings", user):
        raise PermissionDenied
    unknown = set(values) - set(BAR_FIELDS) - set(PERIOD_FIELDS)
    if unknown:
        raise ValueError(f"Not a pipeline setting: {sorted(unknown)}")
    PipelineSettings.load()  # the row exists before it is locked
    with transaction.atomic():
        row = PipelineSettings.objects.select_for_update().get(pk=1)
        based_on = saved_values(row)
        values = {name: _as_stored(name, value) for name, value in values.items()}
        changes = {
            name: [getattr(row, name), value]
            for name, value in values.items()
            if getattr(row, name) != value
        }
        if not changes:
            return row, None
        for name, (_old, new) in changes.items():
            setattr(row, name, new)
        row.clean()
        preview = None
        params = {"changes": changes}
        if set(changes) & set(BAR_FIELDS):
            preview = bars_preview(settings_row=row, based_on=based_on)
            if preview.fingerprint != preview_seen:
                raise PreviewOutdated(
                    _(
                        "The settings, or the proposals this change would move, have "
                        "changed since the preview. Please check the new preview and "
                        "confirm again."
                    )
                )
            params.update(
                promoted=preview.promoted,
                to_answer=len(preview.to_answer),
                to_debate=len(preview.to_debate),
                blocked=len(preview.blocked),
                closed=len(preview.to_close),
                departments=[department.pk for department in preview.departments],
            )
        row.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=user, action=SETTINGS_CHANGED, target=row, params=params)
        if preview is not None:
            enqueue_on_commit(SWEEP_TASK)
    return row, preview


def unowned_work_check(*, now=None) -> int:
    """The beat's check that no piece of open work is without an owner or a
    named fallback (accounts.ownership: each app's counter). Returns the
    total; when it is not 0 the operators are told, once a day. Idempotent."""
    now = now or timezone.now()
    counts = unowned_total()
    total = sum(counts.values())
    if total:
        logger.warning("Open work without an owner or a fallback: %s", counts)
        notices.tell_unowned_work(count=total, day=timezone.localdate(now).isoformat())
    return total
