"""Merging duplicate proposals without losing their supporters (issue 16).

An operator merges a duplicate (the source) into another proposal (the
target): the source becomes MERGED and points at the target; every endorser
of the source is asked, once, to carry their endorsement over. Carrying is
one click by the member (`endorsement_carry`), never automatic, and the
carried endorsement is an ordinary endorsement of the target, written by
the ordinary endorse path: the unique constraint there counts it once, it
counts towards the target's bars and may promote it.

Bars: each proposal keeps its own stage. The source keeps the record of the
stage it reached (its timeline row names it, its answer stays on its page,
the statistics count it as its own fact at that stage); the target keeps
its own stage and gains only the endorsements members carry over. A source
past a bar gives the target nothing by itself: no count moves at the merge.

Never a chain: a target cannot be merged itself, and a source that others
had joined takes them along (their `merged_into` and their waiting carries
move to the new target)."""

from datetime import timedelta

import rules
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.audit import audit_record
from notifications.models import NoticeTopic, Notification
from notifications.services import notify, notify_proposal
from oasis.errors import PermissionDenied, ServiceError, require_reason
from oasis.tasks import enqueue_on_commit

from . import rules as proposal_rules
from . import services
from .models import (
    ENDORSABLE_STATUSES,
    CarryState,
    Endorsement,
    EndorsementCarry,
    EventKind,
    Proposal,
    ProposalStatus,
)
from .notices import ProposalNotice
from .signals import proposal_merged
from .timeline import event_record, proposal_transition

# Timeline words (timeline_texts.py) and the audit code (audit_words.py).
MERGED_INTO_TEXT = "merged_into"
MERGED_FROM_TEXT = "merged_from"
MERGE_AUDIT = "proposals.merged"
# The notices to the asked endorsers are written by this task, in batches.
TELL_CARRIES_TASK = "proposals.tasks.tell_carry_requests"
NOTICE_BATCH = 500
# Carry rows written per INSERT.
CARRY_BATCH = 1000
# Attempts of one click to carry while its target is being merged further.
CARRY_ATTEMPTS = 3


def _endorser_ids(proposal_id: int) -> list[int]:
    """The endorsers to ask: not those who withdrew from Oasis (their
    endorsement of the merged proposal stays on the record, but nobody can
    answer a request for them, and the preview would count them as asked)."""
    return list(
        Endorsement.objects.filter(proposal_id=proposal_id, user__withdrawn_at__isnull=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def _target_endorser_ids(target_id: int, member_ids) -> set[int]:
    return set(
        Endorsement.objects.filter(proposal_id=target_id, user_id__in=member_ids).values_list(
            "user_id", flat=True
        )
    )


def merge_preview(source: Proposal, target: Proposal) -> dict:
    """What a merge of `source` into `target` would do, for the operator's
    screen before they confirm: the refusal if any, the numbers, and the
    consequences in words (active language). Reads only."""
    refusal = proposal_rules.merge_refusal(source, target)
    endorsers = _endorser_ids(source.pk)
    already = _target_endorser_ids(target.pk, endorsers)
    if target.author_id in endorsers:
        already.add(target.author_id)
    along = list(Proposal.objects.filter(merged_into=source).values_list("pk", flat=True))
    asked = len(endorsers) - len(already)
    stage = ProposalStatus(source.status).label
    sentences = [
        _(
            "#%(source)s keeps the record of reaching “%(stage)s” and its comments stay "
            "readable; it takes no more endorsements or comments."
        )
        % {"source": source.pk, "stage": stage},
        _("#%(target)s keeps its own stage, “%(target_stage)s”.")
        % {"target": target.pk, "target_stage": ProposalStatus(target.status).label},
        ngettext(
            "%(asked)d endorser of #%(source)s will be asked to carry their endorsement over "
            "to #%(target)s.",
            "%(asked)d endorsers of #%(source)s will be asked to carry their endorsement over "
            "to #%(target)s.",
            asked,
        )
        % {"asked": asked, "source": source.pk, "target": target.pk},
        _(
            "An endorsement is added to #%(target)s only when its member carries it over, one "
            "click each; it then counts towards #%(target)s's bars. Nobody is counted twice."
        )
        % {"target": target.pk},
    ]
    if already:
        sentences.append(
            ngettext(
                "%(n)d of them already endorses #%(target)s: nothing to carry.",
                "%(n)d of them already endorse #%(target)s: nothing to carry.",
                len(already),
            )
            % {"n": len(already), "target": target.pk}
        )
    if source.status == ProposalStatus.ASSIGNED:
        sentences.append(
            _("The department's open assignment to answer #%(source)s is closed.")
            % {"source": source.pk}
        )
    if along:
        sentences.append(
            ngettext(
                "%(n)d proposal merged into #%(source)s earlier moves along to #%(target)s.",
                "%(n)d proposals merged into #%(source)s earlier move along to #%(target)s.",
                len(along),
            )
            % {"n": len(along), "source": source.pk, "target": target.pk}
        )
    return {
        "refusal": refusal,
        "asked": asked,
        "already": len(already),
        "along": along,
        "sentences": sentences,
    }


def proposal_merge(*, actor, source: Proposal, target: Proposal, reason: str) -> Proposal:
    """An operator merges `source` into `target`.

    Requires: an operator (proposals.merge_proposal; an institution's
    operator, only within their institution), a reason, and
    rules.merge_refusal to find nothing, read under both rows' locks
    (taken in id order, so two merges of the same pair in opposite
    directions cannot deadlock, and the second sees the first's result).
    Writes: the source MERGED (proposal_transition, its MERGED_INTO row
    naming the target and the stage it reached), `merged_into`,
    `merged_at`; proposals merged into the source earlier, and their
    waiting carries, moved to the target; a MERGED_FROM row on the target
    for each; an EndorsementCarry per endorser of the source: ASKED, or
    ALREADY for those who endorse the target already (or wrote it); an
    audit row. Any refusal writes nothing.
    Triggers: `signals.proposal_merged` (answers closes the source's open
    assignment) in the transaction; after commit, the notices asking the
    endorsers (a task, in batches) and the source's proposer and followers
    told (notify_proposal)."""
    if not rules.has_perm("proposals.merge_proposal", actor):
        raise PermissionDenied
    reason = require_reason(reason, max_length=500)
    if source.pk == target.pk:
        raise ServiceError(_("A proposal cannot be merged into itself."))
    with transaction.atomic():
        locked = {
            row.pk: row
            for row in Proposal.objects.select_for_update()
            .filter(pk__in=[source.pk, target.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise ServiceError(_("That proposal does not exist."))
        src, tgt = locked[source.pk], locked[target.pk]
        if refusal := proposal_rules.merge_refusal(src, tgt, actor):
            raise ServiceError(refusal)
        # Asked with both rows (issue 16): an institution's administrator
        # merges within their institution only (merge_refusal said so in
        # its own words; this is the permission itself).
        for row in (src, tgt):
            services.ask_with(actor, "proposals.merge_proposal", row)
        reached = src.status
        now = timezone.now()
        merged = proposal_transition(
            proposal=src,
            to_status=ProposalStatus.MERGED,
            actor=actor,
            reason=reason,
            kind=EventKind.MERGED_INTO,
            params={"text": MERGED_INTO_TEXT, "into": tgt.pk, "stage": reached},
        )
        merged.merged_into = tgt
        merged.merged_at = now
        merged.save(update_fields=["merged_into", "merged_at", "updated_at"])
        event_record(
            proposal=tgt,
            kind=EventKind.MERGED_FROM,
            actor=actor,
            reason=reason,
            params={"text": MERGED_FROM_TEXT, "from": src.pk},
        )
        _take_along(source=src, target=tgt, actor=actor, now=now)
        _ask_endorsers(source=src, target=tgt)
        proposal_merged.send(sender=Proposal, proposal=merged, target=tgt, actor=actor)
        audit_record(
            actor=actor,
            action=MERGE_AUDIT,
            target=merged,
            params={"from": src.pk, "into": tgt.pk, "stage": reached},
        )
        notify_proposal(
            proposal=merged,
            kind=ProposalNotice.MERGED,
            key=f"merged:{src.pk}",
            params={"into": tgt.pk, "into_title": tgt.title},
        )
        enqueue_on_commit(TELL_CARRIES_TASK, src.pk)
    return merged


def _take_along(*, source, target, actor, now) -> None:
    """Proposals merged into `source` earlier now point at `target` (never a
    chain); their waiting carries follow, except for members who already
    endorse the target (or wrote it): those are done, ALREADY."""
    along = list(
        Proposal.objects.select_for_update()
        .filter(merged_into=source)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not along:
        return
    Proposal.objects.filter(pk__in=along).update(merged_into=target)
    for pk in along:
        event_record(
            proposal=target,
            kind=EventKind.MERGED_FROM,
            actor=actor,
            params={"text": MERGED_FROM_TEXT, "from": pk, "via": source.pk},
        )
    waiting = EndorsementCarry.objects.filter(source_id__in=along, state=CarryState.ASKED)
    done = Q(member__endorsements__proposal=target)
    if target.author_id is not None:
        done |= Q(member_id=target.author_id)
    waiting.filter(done).update(state=CarryState.ALREADY, decided_at=now, target=target)
    waiting.update(target=target)


def _ask_endorsers(*, source, target) -> None:
    """One carry row per endorser of `source`, written in batches in the
    merge's transaction."""
    endorsers = _endorser_ids(source.pk)
    for start in range(0, len(endorsers), CARRY_BATCH):
        batch = endorsers[start : start + CARRY_BATCH]
        already = _target_endorser_ids(target.pk, batch)
        now = timezone.now()
        EndorsementCarry.objects.bulk_create(
            [
                EndorsementCarry(
                    member_id=member_id,
                    source=source,
                    target=target,
                    state=CarryState.ALREADY
                    if member_id in already or member_id == target.author_id
                    else CarryState.ASKED,
                    decided_at=now
                    if member_id in already or member_id == target.author_id
                    else None,
                )
                for member_id in batch
            ]
        )


def carry_requests_tell(source_id: int) -> int:
    """Tell each member still asked to carry their endorsement from
    `source_id` (topic "personal"), NOTICE_BATCH at a time, each batch in
    its own transaction. Idempotent: a notice's key makes it once per member
    and merge, so a retried or repeated task sends nothing twice. Returns
    how many notices were written now."""
    source = Proposal.objects.filter(pk=source_id).select_related("merged_into").first()
    if source is None or source.merged_into is None:
        return 0
    key = f"carry:{source_id}"
    told = Notification.objects.filter(key=key)
    count = 0
    last = 0
    while True:
        carries = list(
            EndorsementCarry.objects.filter(
                source_id=source_id, state=CarryState.ASKED, pk__gt=last
            )
            # Those told already are passed over in the query, so the
            # catch-up (carry_requests_catch_up) costs a read, not a failed
            # insert a member.
            .exclude(Exists(told.filter(recipient=OuterRef("member"))))
            .select_related("member")
            .order_by("pk")[:NOTICE_BATCH]
        )
        if not carries:
            return count
        last = carries[-1].pk
        with transaction.atomic():
            count += len(
                notify(
                    recipients=[carry.member for carry in carries],
                    kind=ProposalNotice.CARRY_ASKED,
                    key=key,
                    proposal=source,
                    params={"into": source.merged_into_id, "into_title": source.merged_into.title},
                    topic=NoticeTopic.PERSONAL,
                )
            )


# How far back the hourly catch-up looks for merges whose endorsers were
# not all told (the task queued after the merge lost with the broker).
CARRY_CATCH_UP = timedelta(days=1)


def carry_requests_catch_up(now=None) -> int:
    """Tell the endorsers of the merges of the last day who were not told
    yet (carry_requests_tell, which passes over those told). Run hourly by
    the beat; returns how many notices were written."""
    since = (now or timezone.now()) - CARRY_CATCH_UP
    sources = Proposal.objects.filter(status=ProposalStatus.MERGED, merged_at__gte=since)
    return sum(carry_requests_tell(pk) for pk in sources.values_list("pk", flat=True))


def endorsement_carry(*, member, carry: EndorsementCarry) -> EndorsementCarry:
    """The member carries their endorsement to the proposal the one they
    endorsed was merged into.

    Requires: the carry's own member; the carry still ASKED (read under its
    row lock, so two clicks at once do it once); the target still taking
    endorsements (else the reason, nothing written).
    Writes: an ordinary endorsement of the target (services.proposal_endorse,
    in this transaction: its unique constraint counts it once even against
    a direct endorsement at the same moment) and the carry CARRIED; or
    ALREADY when the member endorses the target already (or wrote it).
    Triggers: what an endorsement triggers (the conductor's check at a bar,
    the proposer's milestones, mileage)."""
    if not member.is_authenticated or carry.member_id != member.pk:
        raise PermissionDenied
    # The target may be merged further while the member clicks: the merge
    # then moves the carry to the new target, and the member's click
    # follows it (a few attempts, each reading where the carry points).
    for _attempt in range(CARRY_ATTEMPTS):
        done = _carry_once(member=member, carry_id=carry.pk)
        if done is not None:
            return done
    raise ServiceError(
        _("The proposal it was merged into has just been merged again. Please try once more.")
    )


def _carry_once(*, member, carry_id: int) -> EndorsementCarry | None:
    """One attempt of endorsement_carry; None when the carry's target moved
    (merged further) between reading it and locking it."""
    with transaction.atomic():
        # Locks in the merge's order, the proposal first, then the carry
        # (proposal_merge locks both proposals, then moves their carries):
        # the other order deadlocks a carry against a merge of its target.
        # NO KEY UPDATE, the lock an endorsement's count update takes
        # anyway, so direct endorsements (KEY SHARE) are not held up.
        target_id = (
            EndorsementCarry.objects.filter(pk=carry_id).values_list("target_id", flat=True).get()
        )
        target = Proposal.objects.select_for_update(no_key=True).get(pk=target_id)
        locked = EndorsementCarry.objects.select_for_update().get(pk=carry_id)
        if locked.state != CarryState.ASKED:
            raise ServiceError(_("You have already answered this request."))
        if locked.target_id != target.pk:
            return None
        state = CarryState.CARRIED
        if target.author_id == member.pk or _endorses(target, member):
            state = CarryState.ALREADY
        else:
            if refusal := proposal_rules.carry_refusal(target):
                raise ServiceError(refusal)
            try:
                services.proposal_endorse(proposal=target, user=member)
            except ServiceError:
                # A direct endorsement of the target won the race: it is
                # the one counted.
                if not _endorses(target, member):
                    raise
                state = CarryState.ALREADY
        locked.state = state
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decided_at"])
    return locked


def _endorses(proposal, member) -> bool:
    return Endorsement.objects.filter(proposal=proposal, user=member).exists()


def endorsement_carry_decline(*, member, carry: EndorsementCarry) -> EndorsementCarry:
    """The member declines to carry their endorsement over: the request
    leaves their list; their endorsement of the merged proposal stays."""
    if not member.is_authenticated or carry.member_id != member.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = EndorsementCarry.objects.select_for_update().get(pk=carry.pk)
        if locked.state != CarryState.ASKED:
            raise ServiceError(_("You have already answered this request."))
        locked.state = CarryState.DECLINED
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decided_at"])
    return locked


def asked_carries(member, *, source=None):
    """The member's carry requests still waiting and still possible (the
    target takes endorsements: rules.carry_refusal's condition in SQL),
    newest first, with both proposals (one query). A request whose target
    closed stays stored, ASKED, and is simply no longer offered."""
    if not getattr(member, "is_authenticated", False):
        return EndorsementCarry.objects.none()
    rows = EndorsementCarry.objects.filter(
        Q(target__endorsement_deadline__isnull=True)
        | Q(target__endorsement_deadline__gt=timezone.now()),
        member=member,
        state=CarryState.ASKED,
        target__status__in=ENDORSABLE_STATUSES,
        target__deleted_at__isnull=True,
        target__is_hidden=False,
    )
    if source is not None:
        rows = rows.filter(source=source)
    return rows.select_related("source", "target").order_by("-created_at", "-pk")
