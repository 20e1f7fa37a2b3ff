"""Every write to the mileage ledger.

How a point gets from what a member did to their balance:

1. The lower floors send `accounts.signals.participation` inside their
   service's transaction (or, for an endorsement on PostgreSQL, in
   autocommit right after the endorsement's row). `participation_received`
   writes ONE row, a `MileageClaim`: a plain insert that locks nothing the
   member's other requests need (not the member's row, which is hot for
   the proposer of a viral proposal).
2. `member_fold` turns a member's claims into ledger entries and moves the
   member's balance, grade and month totals by their sum, in one
   transaction, single-flight per member: on PostgreSQL whoever takes the
   member's advisory lock (pg_try_advisory_xact_lock, never waited on) folds
   every claim committed so far; the others skip at once, and the holder
   looks again after releasing it, so no claim is left behind. Claims are
   deleted in the transaction that writes their entries, so a retried
   fold writes nothing twice; and every entry has a unique key and a
   reversal is unique per entry (`reverses` is one-to-one), so even a bug
   could not double one.
3. When the signal arrives inside a transaction (a comment, an answer, a
   hiding...), the member's claims are folded at once in that transaction
   (so the page it answers, or a test, sees the new balance) if the
   member's lock is free; after the commit, claims left (another request's,
   or ours if the lock was busy) are handed to a task. In autocommit (the
   endorsement path on PostgreSQL) the request only stores its claim and
   queues the member's fold task, at most one queued per member at a time
   (a mark in the cache): a burst of endorsements costs each request one
   insert, and the proposer's claims are folded in batches. Whatever is
   left over (a process killed in between, a broker down) is folded by
   the minute's sweep (`claims_fold_all`).

What a claim writes depends on the ledger, not on how often it was sent:
an award for a source that already stands earns nothing; an undo with
nothing standing reverses nothing; an award for a source whose award was
reversed gives back exactly what the reversal took (a comment unhidden, a
proposal restored), outside the day's cap, since it is no new earning.
Otherwise an award earns the rule's points, limited by the rule's daily
cap (Seoul day of the action). The cap counts the day's awards for that
action that still stand (net of reversals): an endorsement taken back
gives its room back, and since a reversal takes back exactly what its award
gave, endorsing and un-endorsing in a loop earns nothing — while content
hidden by mistake and restored the same day is not swallowed by the cap.

Locks: a fold touches one member (their advisory lock, then their row);
nothing ever holds two members' locks, so members endorsing each other's
proposals at once cannot deadlock. SQLite (the embedded default) has one
writer at a time: the fold always runs at once there."""

import contextvars
import logging
import time as clock
import uuid
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from functools import partial

import rules
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.grades import Grade
from accounts.models import User
from accounts.participation import Action
from oasis.errors import ServiceError
from oasis.tasks import enqueue_on_commit

from . import audit_words
from .models import (
    MAX_POINTS,
    MemberMonth,
    MileageClaim,
    MileageEntry,
    MileageRule,
    MileageSettings,
)

logger = logging.getLogger(__name__)

# The advisory-lock namespace of a member's fold (the first of
# pg_try_advisory_xact_lock's two int4 keys; the second is the member id).
FOLD_LOCK = 0x0A_11_EA6E
# Claims folded per transaction: a burst of endorsements for one proposer
# is folded in short transactions rather than one long one.
FOLD_BATCH = 500
# Batches a task folds for claims that keep arriving before it hands the
# rest to the next task.
FOLD_ROUNDS = 20
# How long a queued fold keeps others from queueing another for the member.
FOLD_MARK_SECONDS = 30
FOLD_TASK = "mileage.tasks.fold_member"
GRADES_TASK = "mileage.tasks.recompute_grades"
# Rounds of regrading members a fold was writing at the moment.
REGRADE_ROUNDS = 10

# --- grades -------------------------------------------------------------------


def grade_case(balance):
    """The grade of `balance` (an expression) in SQL, reading the thresholds
    from the settings row in the same statement: a balance written while an
    operator changes the thresholds is graded by the old ones only if the
    regrading that follows the change (after its commit) then rewrites it."""
    settings_row = MileageSettings.objects.filter(pk=1)
    whens = [
        When(
            GreaterThanOrEqual(
                balance,
                # The model's default where the row was never made (load()).
                Coalesce(
                    Subquery(settings_row.values(field)[:1]),
                    Value(MileageSettings._meta.get_field(field).default),
                ),
            ),
            then=Value(int(grade)),
        )
        for grade, field in (
            (Grade.OASIS, "oasis_from"),
            (Grade.FOREST, "forest_from"),
            (Grade.TREE, "tree_from"),
            (Grade.SPROUT, "sprout_from"),
        )
    ]
    return Case(*whens, default=Value(int(Grade.SEED)), output_field=IntegerField())


def grades_recompute() -> int:
    """Set every member's grade from their balance and the current thresholds
    (after the operator changed them). Idempotent. Returns the number of
    members whose grade changed.

    One UPDATE of every member whose grade is wrong, leaving out (SKIP
    LOCKED) those a fold is writing at that moment: waiting for them while
    holding the others could deadlock with a transaction that folds two
    members. Their fold grades them by the new thresholds if it writes after
    this commit; if it wrote before, the next round sees them."""
    MileageSettings.load()
    changed = 0
    for _round in range(REGRADE_ROUNDS):
        grade = grade_case(F("mileage_balance"))
        wrong = User.objects.exclude(mileage_grade=grade).values("pk")
        if connection.features.has_select_for_update_skip_locked:
            wrong = wrong.select_for_update(skip_locked=True)
        with transaction.atomic():
            done = User.objects.filter(pk__in=wrong).update(mileage_grade=grade)
        changed += done
        if not done or not User.objects.exclude(mileage_grade=grade).exists():
            break
        clock.sleep(0.1)
    return changed


# --- the signal ---------------------------------------------------------------


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# Set by folds_deferred(): the receiver stores claims only.
_FOLDS_DEFERRED = contextvars.ContextVar("mileage_folds_deferred", default=False)


@contextmanager
def folds_deferred():
    """For a bulk loader (the demo) that acts through the services thousands
    of times: inside, the participation receiver stores each claim and
    nothing more; on leaving, every member's claims are folded at once, one
    fold a member instead of one an action (the demo's 4,350 endorsements
    took 200 s of folding otherwise). The ledger comes out the same: a fold
    takes a member's claims in the order they were stored."""
    token = _FOLDS_DEFERRED.set(True)
    try:
        yield
    finally:
        _FOLDS_DEFERRED.reset(token)
    for member_id in MileageClaim.objects.values_list("member_id", flat=True).distinct():
        while _fold_once(member_id) and MileageClaim.objects.filter(member_id=member_id).exists():
            pass


def participation_received(
    sender, *, action, member_id, source, proposal_id=None, undo=False, defer=False, **kwargs
):
    """The receiver of accounts.signals.participation. Writes one claim, then:
    inside the caller's transaction, folds the member's claims at once (if
    the member's fold is free) and looks for leftovers after the commit; in
    autocommit, or when the sender asks to defer (the endorsement path on
    PostgreSQL, whose short transaction holds only the row and its claims),
    queues the member's fold (one task per member at a time). Never fails the member's action for a
    fold that could not run: the claim is stored, and the sweep folds it."""
    if member_id is None or action == Action.ADJUSTMENT:
        return
    if source.pk is None:
        # A sender's mistake must not fail the member's action.
        logger.error("Participation %s for member %s without a source id.", action, member_id)
        return
    MileageClaim.objects.create(
        member_id=member_id,
        action=action,
        source_type=ContentType.objects.get_for_model(type(source)),
        source_id=source.pk,
        proposal_id=proposal_id,
        undo=bool(undo),
    )
    if _FOLDS_DEFERRED.get():
        return
    if defer or not connection.in_atomic_block:
        # The claim is committed (or will be, with the caller's row). The fold costs a transaction of its own
        # (a dozen statements and a commit): a task does it, so that a
        # burst of endorsements neither waits for it nor folds the hot
        # proposer's claims once per request.
        fold_schedule(member_id=member_id)
        return
    # In the caller's transaction: its commit (or rollback) keeps or drops
    # the claim and its entries together, and the page it answers shows the
    # new balance.
    try:
        _fold_once(member_id)
    except Exception:  # noqa: BLE001 - the claim is stored; the sweep folds it
        # Rolled back to the fold's savepoint: the member's action and its
        # claim still commit.
        logger.exception("Mileage fold for member %s left to the sweep.", member_id)
    if _is_postgresql():
        # Claims another request stored while this one held the member's
        # fold (or this one's, if the fold was busy) are folded by a task.
        transaction.on_commit(partial(_fold_leftovers, member_id), robust=True)


# --- folding claims into entries ----------------------------------------------


def _fold_mark(member_id: int) -> str:
    return f"mileage:fold-queued:{member_id}"


def fold_schedule(*, member_id: int) -> None:
    """Queue the member's fold (after the commit) unless one is queued and has
    not started yet: that one will see this claim, since the claim was
    committed before we looked. The mark expires, so a task lost with the
    broker holds nothing up for long (and the sweep folds its claims)."""
    if cache.add(_fold_mark(member_id), 1, FOLD_MARK_SECONDS):
        enqueue_on_commit(FOLD_TASK, member_id)


def _fold_leftovers(member_id: int) -> None:
    if MileageClaim.objects.filter(member_id=member_id).exists():
        fold_schedule(member_id=member_id)


def member_fold(*, member_id: int) -> int:
    """Fold the member's claims, single-flight (the task; the sweep). Requires
    no open transaction (each batch is its own). Returns how many claims it
    folded; stops at once when another process holds the member's fold (that
    one looks again after releasing it). Idempotent: a claim is folded and
    deleted in one transaction."""
    # From here on a new claim queues a new task: this one may already have
    # read the claims.
    cache.delete(_fold_mark(member_id))
    folded = 0
    for _round in range(FOLD_ROUNDS):
        with transaction.atomic():
            if not _take_lock(member_id):
                return folded
            folded += _fold_claims(member_id)
        # Looked at after the lock is released: a claim committed by a
        # process that found the lock taken is seen here, or by the next
        # holder.
        if not MileageClaim.objects.filter(member_id=member_id).exists():
            return folded
    # Claims kept arriving for all our rounds: another task carries on.
    fold_schedule(member_id=member_id)
    return folded


def claims_fold_all() -> int:
    """The sweep: fold the claims of every member who has any left. Returns
    how many members it looked at. Idempotent."""
    ids = list(MileageClaim.objects.values_list("member_id", flat=True).distinct()[:1000])
    for member_id in ids:
        member_fold(member_id=member_id)
    return len(ids)


def _take_lock(member_id: int) -> bool:
    """Take the member's fold lock for this transaction if it is free
    (PostgreSQL); SQLite's single writer needs none."""
    if not _is_postgresql():
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [FOLD_LOCK, member_id])
        return bool(cursor.fetchone()[0])


def _fold_once(member_id: int) -> bool:
    """One batch in its own transaction (or savepoint). Returns whether the
    lock was taken."""
    with transaction.atomic():
        if not _take_lock(member_id):
            return False
        _fold_claims(member_id)
    return True


def _seoul_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


class _Ledger:
    """The member's entries that this batch of claims may touch, with which of
    them are reversed, and the entries the batch adds (in order)."""

    def __init__(self, member_id: int, claims: list[MileageClaim]):
        self.member_id = member_id
        self.rules = {rule.action: rule for rule in MileageRule.objects.all()}
        sources = {(c.source_type_id, c.source_id) for c in claims}
        proposals = {c.proposal_id for c in claims if c.proposal_id and c.action == Action.PROPOSE}
        wanted = Q(
            source_type_id__in={t for t, _i in sources}, source_id__in={i for _t, i in sources}
        )
        if proposals:
            wanted |= Q(proposal_id__in=proposals)
        self.entries: list[MileageEntry] = list(
            MileageEntry.objects.filter(wanted, member_id=member_id)
            .annotate(is_reversed=Exists(MileageEntry.objects.filter(reverses=OuterRef("pk"))))
            .order_by("id")
        )
        self.new: list[MileageEntry] = []
        # (action, Seoul day) → points awarded that day that still stand
        self._day_totals: dict[tuple[str, date], int] = {}

    # What stands

    def chain(self, claim) -> list[MileageEntry]:
        return [
            e
            for e in self.entries
            if e.action == claim.action
            and e.source_type_id == claim.source_type_id
            and e.source_id == claim.source_id
        ]

    @staticmethod
    def standing_credit(entries) -> MileageEntry | None:
        return next((e for e in entries if e.points > 0 and not e.is_reversed), None)

    @staticmethod
    def standing_reversal(entries) -> MileageEntry | None:
        return next((e for e in reversed(entries) if e.points < 0 and not e.is_reversed), None)

    def day_total(self, action: str, day: date) -> int:
        key = (action, day)
        if key not in self._day_totals:
            start, end = _day_bounds(day)
            self._day_totals[key] = (
                MileageEntry.objects.filter(
                    member_id=self.member_id,
                    action=action,
                    points__gt=0,
                    created_at__gte=start,
                    created_at__lt=end,
                    reversed_by__isnull=True,
                ).aggregate(total=Sum("points"))["total"]
                or 0
            )
            # What this batch wrote before the total was first asked for is
            # not in the table yet: count it as the table will.
            for entry in self.new:
                if entry.points > 0 and (entry.action, _seoul_day(entry.created_at)) == key:
                    self._day_totals[key] += entry.points
                target = entry.target
                if (
                    target is not None
                    and target.points > 0
                    and (target.action, _seoul_day(target.created_at)) == key
                ):
                    self._day_totals[key] -= target.points
        return self._day_totals[key]

    def _moved_day_total(self, entry: MileageEntry, points: int) -> None:
        key = (entry.action, _seoul_day(entry.created_at))
        if key in self._day_totals:
            self._day_totals[key] += points

    # Writing

    def add(self, claim, *, points, action=None, source=None, reverses=None, with_proposal=False):
        entry = MileageEntry(
            member_id=self.member_id,
            points=points,
            action=action or claim.action,
            source_type_id=source.source_type_id if source else claim.source_type_id,
            source_id=source.source_id if source else claim.source_id,
            proposal_id=source.proposal_id if source else claim.proposal_id,
            # Which entry of this claim (a hidden proposal's claim reverses
            # several): a claim folded twice would collide here.
            key=f"claim:{claim.pk}:{sum(1 for e in self.new if e.claim_id == claim.pk)}",
            with_proposal=with_proposal,
            created_at=claim.created_at,
        )
        entry.is_reversed = False
        entry.claim_id = claim.pk
        entry.target = reverses
        if reverses is not None:
            reverses.is_reversed = True
            if reverses.points > 0:
                # A credit taken back frees its room under the day's cap.
                self._moved_day_total(reverses, -reverses.points)
        if points > 0:
            self._moved_day_total(entry, points)
        self.entries.append(entry)
        self.new.append(entry)

    def reverse(self, claim, entry: MileageEntry, *, with_proposal=False):
        self.add(
            claim,
            points=-entry.points,
            action=entry.action,
            source=entry,
            reverses=entry,
            with_proposal=with_proposal,
        )

    def save(self) -> None:
        """Insert the new entries; a reversal of an entry made in this batch
        waits for that entry's id."""
        waiting = list(self.new)
        while waiting:
            ready = [e for e in waiting if e.target is None or e.target.pk is not None]
            for entry in ready:
                entry.reverses_id = entry.target.pk if entry.target is not None else None
            MileageEntry.objects.bulk_create(ready)
            waiting = [e for e in waiting if e.pk is None]


def _apply(ledger: _Ledger, claim: MileageClaim) -> None:
    """What one claim writes, given what stands (see the module's docstring)."""
    chain = ledger.chain(claim)
    whole_proposal = claim.action == Action.PROPOSE and claim.proposal_id is not None
    if claim.undo:
        if whole_proposal:
            # The proposal was hidden, trashed or deleted: everything it
            # brought its author goes, whatever the action.
            for entry in list(ledger.entries):
                if (
                    entry.proposal_id == claim.proposal_id
                    and entry.points > 0
                    and not entry.is_reversed
                ):
                    ledger.reverse(claim, entry, with_proposal=True)
        elif credit := ledger.standing_credit(chain):
            ledger.reverse(claim, credit)
        elif (taken := ledger.standing_reversal(chain)) is not None and taken.with_proposal:
            # Hiding the proposal already took this credit back, and showing
            # the proposal again would give it back. The item itself is now
            # undone (a comment deleted while its proposal was hidden): make
            # the reversal the item's own, so only the item's redo brings the
            # points back. Two entries netting to zero: the proposal's
            # reversal undone, then the credit taken back again as the item's.
            ledger.reverse(claim, taken)
            ledger.reverse(claim, ledger.new[-1])
        return
    if whole_proposal:
        taken = [
            e
            for e in ledger.entries
            if e.proposal_id == claim.proposal_id
            and e.with_proposal
            and e.points < 0
            and not e.is_reversed
        ]
        if taken:
            # Restored: give back exactly what the hiding took.
            for reversal in taken:
                ledger.reverse(claim, reversal)
            return
    if ledger.standing_credit(chain):
        return
    if reversal := ledger.standing_reversal(chain):
        ledger.reverse(claim, reversal)
        return
    rule = ledger.rules.get(claim.action)
    points = rule.points if rule else 0
    if rule and rule.daily_cap:
        room = rule.daily_cap - ledger.day_total(claim.action, _seoul_day(claim.created_at))
        points = min(points, max(room, 0))
    if points > 0:
        ledger.add(claim, points=points)


def _fold_claims(member_id: int) -> int:
    """Fold up to FOLD_BATCH of the member's claims. Requires the member's
    fold lock, inside a transaction. Writes the entries, the member's
    balance and grade, the month totals, and deletes the claims folded.
    Returns how many claims were folded."""
    claims = list(MileageClaim.objects.filter(member_id=member_id).order_by("id")[:FOLD_BATCH])
    if not claims:
        return 0
    ledger = _Ledger(member_id, claims)
    for claim in claims:
        _apply(ledger, claim)
    ledger.save()
    _move_balance(member_id, ledger.new)
    MileageClaim.objects.filter(pk__in=[c.pk for c in claims]).delete()
    return len(claims)


def _move_balance(member_id: int, entries: list[MileageEntry]) -> None:
    """Add the entries' points to the member's balance (and grade) and to
    their month totals. Requires the member's fold lock."""
    delta = sum(e.points for e in entries)
    months: dict[date, int] = defaultdict(int)
    for entry in entries:
        months[_seoul_day(entry.created_at).replace(day=1)] += entry.points
    if delta:
        new_balance = F("mileage_balance") + Value(delta)
        User.objects.filter(pk=member_id).update(
            mileage_balance=new_balance, mileage_grade=grade_case(new_balance)
        )
    table = MemberMonth._meta.db_table
    with connection.cursor() as cursor:
        for month, points in sorted(months.items()):
            if not points:
                continue
            # One statement on both backends (SQLite ≥ 3.24 and PostgreSQL):
            # the first entry of a month creates its row.
            cursor.execute(
                f"INSERT INTO {table} (member_id, month, points) VALUES (%s, %s, %s) "
                f"ON CONFLICT (member_id, month) DO UPDATE SET points = {table}.points + excluded.points",  # nosec B608 - table name from the model
                [member_id, month, points],
            )


# --- operators ----------------------------------------------------------------


def mileage_adjust(*, member, points: int, note: str, actor) -> MileageEntry:
    """An operator adds (or takes) points by hand, with a note saying why.
    Requires the `mileage.adjust` permission, a note, and points
    other than 0 within ±MAX_POINTS. Writes one entry, the balance, grade and
    month total, and an audit row, in one transaction."""
    if not rules.has_perm("mileage.adjust", actor):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ServiceError(_("Please say why the mileage is adjusted."))
    if not points or abs(points) > MAX_POINTS:
        raise ServiceError(
            _("Adjust by a number of points other than 0, at most %(max)s either way.")
            % {"max": f"{MAX_POINTS:,}"}
        )
    with transaction.atomic():
        if _is_postgresql():
            # Blocking: an operator's one adjustment may wait for a fold.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [FOLD_LOCK, member.pk])
        # Read under the member's fold lock: a balance never goes below 0
        # (what the ledger takes back is only ever what it gave, so an
        # adjustment is the one way down there).
        balance = User.objects.values_list("mileage_balance", flat=True).get(pk=member.pk)
        if balance + points < 0:
            raise ServiceError(
                _("This would take the balance below 0: the member has %(balance)s points now.")
                % {"balance": f"{balance:,}"}
            )
        entry = MileageEntry.objects.create(
            member=member,
            points=points,
            action=Action.ADJUSTMENT,
            source_type=ContentType.objects.get_for_model(type(member)),
            source_id=member.pk,
            key=f"adjust:{uuid.uuid4().hex}",
            note=note[:300],
        )
        _move_balance(member.pk, [entry])
        audit_record(
            actor=actor,
            action=audit_words.MILEAGE_ADJUSTED,
            target=member,
            params={"points": points, "entry": entry.pk},
        )
    member.refresh_from_db(fields=["mileage_balance", "mileage_grade"])
    return entry


def _full_clean(row) -> None:
    try:
        row.full_clean(exclude=["action"] if isinstance(row, MileageRule) else None)
    except ValidationError as error:
        raise ServiceError("; ".join(error.messages)) from error


def mileage_settings_update(*, row: MileageSettings, actor) -> MileageSettings:
    """Save the operator's grade thresholds (validated: strictly increasing,
    within bounds), write an audit row, and regrade every member after the
    commit (one UPDATE, a task). Nothing is saved when they are refused."""
    if not rules.has_perm("mileage.change_rules", actor):
        raise PermissionDenied
    _full_clean(row)
    with transaction.atomic():
        row.pk = 1
        row.save()
        audit_record(
            actor=actor,
            action=audit_words.THRESHOLDS_CHANGED,
            target=row,
            params={"thresholds": row.thresholds()},
        )
        enqueue_on_commit(GRADES_TASK)
    return row


def mileage_rule_update(*, rule: MileageRule, actor) -> MileageRule:
    """Save an operator's points and daily cap for one action (validated:
    within bounds, a cap of 0 or at least one award), with an audit row."""
    if not rules.has_perm("mileage.change_rules", actor):
        raise PermissionDenied
    _full_clean(rule)
    with transaction.atomic():
        rule.save(update_fields=["points", "daily_cap", "updated_at"])
        audit_record(
            actor=actor,
            action=audit_words.RULE_CHANGED,
            target=rule,
            params={"action": rule.action, "points": rule.points, "cap": rule.daily_cap},
        )
    return rule
