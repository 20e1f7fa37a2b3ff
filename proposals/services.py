"""Every change to proposals, endorsements, comments and reports.

Each function checks permission, checks the transition, writes with
`update_fields`, records a ProposalEvent and queues side effects on commit.
Views, admin actions, commands and tasks all call these; nothing else assigns
a status or touches a counter."""

from collections.abc import Sequence
from datetime import date, timedelta

import rules
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.participation import Action, earner_id, participated
from accounts.predicates import is_active_member, is_official
from oasis.cache import add_and_enqueue, queue_drop, queue_peek
from oasis.errors import PermissionDenied, ServiceError, require_reason
from oasis.files import delete_files_on_commit, files_removed_on_error
from oasis.tasks import enqueue_on_commit

from . import notices, uploads
from . import rules as proposal_rules
from .models import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    ENDORSABLE_STATUSES,
    TITLE_MAX_LENGTH,
    Comment,
    Endorsement,
    EventKind,
    Follow,
    PipelineSettings,
    Proposal,
    ProposalAttachment,
    ProposalPhoto,
    ProposalStatus,
    ProposalView,
    Report,
    Tag,
)
from .participation import proposal_standing_changed, proposal_stands
from .text import search_text_of
from .timeline import crossing_counts, event_record, proposal_transition, queue_promotion_check

MAX_TAGS = 10


# --- proposals --------------------------------------------------------------


def _validate_text(title: str, body: str) -> tuple[str, str]:
    title = (title or "").strip()
    body = (body or "").strip()
    errors = {}
    if len(title) < 2:
        errors["title"] = _("Please write a title of at least 2 characters.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("The title may be at most %(n)d characters.") % {"n": TITLE_MAX_LENGTH}
    if len(body) < 10:
        errors["body"] = _("Please describe your idea in at least 10 characters.")
    elif len(body) > BODY_MAX_LENGTH:
        errors["body"] = _("The proposal may be at most %(n)d characters.") % {"n": BODY_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    return title, body


def _check_upload_counts(*, photos: int, files: int) -> None:
    if photos > uploads.MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("You can attach at most %(n)d photos.") % {"n": uploads.MAX_PHOTOS}}
        )
    if files > uploads.MAX_FILES:
        raise ValidationError(
            {"files": _("You can attach at most %(n)d files.") % {"n": uploads.MAX_FILES}}
        )


def _clean_uploads(photos: Sequence, files: Sequence, *, existing_photos=0, existing_files=0):
    """Check every upload before anything is written, so a bad file leaves
    nothing half-saved."""
    _check_upload_counts(photos=existing_photos + len(photos), files=existing_files + len(files))
    clean_photos, clean_files, errors = [], [], {"photos": [], "files": []}
    try:
        clean_photos = uploads.clean_photos(photos)
    except ValidationError as exc:
        errors["photos"].extend(exc.messages)
    for upload in files:
        try:
            clean_files.append((upload, uploads.clean_attachment(upload)))
        except ValidationError as exc:
            errors["files"].extend(exc.messages)
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)
    return clean_photos, clean_files


def _save_uploads(proposal, clean_photos, clean_files, *, written: list, start=0):
    """Store the cleaned uploads. Every stored file name is appended to
    `written` as soon as it exists, so the caller can remove them again if the
    transaction rolls back."""
    for position, photo in enumerate(clean_photos, start=start):
        item = ProposalPhoto(proposal=proposal, position=position)
        item.image.save(photo.image.name, photo.image, save=False)
        written.append(item.image.name)
        item.thumbnail.save(photo.thumbnail.name, photo.thumbnail, save=False)
        written.append(item.thumbnail.name)
        item.save()
    for upload, kind in clean_files:
        upload.seek(0)
        item = ProposalAttachment(
            proposal=proposal,
            original_name=upload.name[-200:],
            size=upload.size,
            kind=kind,
        )
        item.file.save(f"file.{kind}", upload, save=False)
        written.append(item.file.name)
        item.save()


# Queued by name: tasks.py imports this module.
SIMILARITY_TERMS_TASK = "proposals.tasks.write_similarity_terms"


def _set_tags(proposal, tag_names: Sequence[str]):
    if len(tag_names) > MAX_TAGS:
        raise ValidationError({"tags": _("Use at most %(n)d tags.") % {"n": MAX_TAGS}})
    # Tag.name holds 30 characters; callers other than the form get the same cut.
    names = dict.fromkeys(name.strip()[:30] for name in tag_names if name.strip())
    tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
    proposal.tags.set(tags)
    return tags


def _search_text(proposal, tag_names) -> str:
    return search_text_of(proposal.title, proposal.body, tag_names)


def proposal_create(
    *,
    author,
    title: str,
    body: str,
    category,
    district: str = "",
    tag_names: Sequence[str] = (),
    photos: Sequence = (),
    files: Sequence = (),
    institution=None,
) -> Proposal:
    """A member proposes, to the city or to a partner institution
    (`institution`, issue 16: an open one, under one of its own categories).
    Requires an active, logged-in member; validates text, tags and every
    upload first; writes the proposal, its photos, files and a 'created'
    event in one transaction."""
    if not is_active_member(author):
        raise PermissionDenied
    if refusal := proposal_rules.addressee_refusal(institution, category):
        raise ValidationError({"category": refusal})
    title, body = _validate_text(title, body)
    if len(tag_names) > MAX_TAGS:
        raise ValidationError({"tags": _("Use at most %(n)d tags.") % {"n": MAX_TAGS}})
    clean_photos, clean_files = _clean_uploads(photos, files)
    with files_removed_on_error() as written, transaction.atomic():
        proposal = Proposal(
            author=author,
            title=title,
            body=body,
            category=category,
            institution=institution,
            district=district or "",
            search_text=search_text_of(title, body, tag_names),
            endorsement_deadline=timezone.now()
            + timedelta(days=PipelineSettings.load().endorsement_window_days),
        )
        proposal.save()
        _set_tags(proposal, tag_names)
        _save_uploads(proposal, clean_photos, clean_files, written=written)
        event_record(
            proposal=proposal, kind=EventKind.CREATED, actor=author, to_status=proposal.status
        )
        # Kiwi reads the text in the worker, never in a web process
        # (proposals/similarity.py); the beat catches a task never queued.
        enqueue_on_commit(SIMILARITY_TERMS_TASK, proposal.pk)
        participated(
            action=Action.PROPOSE,
            member_id=earner_id(author),
            source=proposal,
            proposal_id=proposal.pk,
        )
    return proposal


def proposal_update(
    *,
    proposal: Proposal,
    user,
    title: str,
    body: str,
    category,
    district: str = "",
    tag_names: Sequence[str] = (),
    photos: Sequence = (),
    files: Sequence = (),
    remove_photo_ids: Sequence[int] = (),
    remove_file_ids: Sequence[int] = (),
) -> Proposal:
    """The author edits, until the first endorsement. The row is locked so an
    endorsement arriving at the same moment either comes first (and the edit
    is refused) or after. Uploads are checked before the lock is taken."""
    if not proposal_rules.is_proposal_author(user, proposal):
        raise PermissionDenied
    # Its addressee is fixed when proposed: a category of its own only.
    if refusal := proposal_rules.category_refusal(proposal.institution, category):
        raise ValidationError({"category": refusal})
    title, body = _validate_text(title, body)
    if len(tag_names) > MAX_TAGS:
        raise ValidationError({"tags": _("Use at most %(n)d tags.") % {"n": MAX_TAGS}})
    clean_photos, clean_files = _clean_uploads(
        photos,
        files,
        existing_photos=proposal.photos.exclude(pk__in=remove_photo_ids).count(),
        existing_files=proposal.attachments.exclude(pk__in=remove_file_ids).count(),
    )
    with files_removed_on_error() as written, transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if refusal := proposal_rules.edit_refusal(locked):
            raise ServiceError(refusal)
        # An endorsement stored but not yet counted (Endorsement.pending)
        # ends editing too: its insert holds a lock this one waits for.
        if locked.endorsements.exists():
            raise ServiceError(
                _("This proposal has already been endorsed, so it can no longer be edited.")
            )
        removed_photos = list(locked.photos.filter(pk__in=remove_photo_ids))
        removed_files = list(locked.attachments.filter(pk__in=remove_file_ids))
        for item in removed_photos:
            item.delete()
        for item in removed_files:
            item.delete()
        # Counted again under the lock: edits sent at the same moment each
        # passed the early count (made before their photos were decoded),
        # and only one of them at a time gets here.
        _check_upload_counts(
            photos=locked.photos.count() + len(clean_photos),
            files=locked.attachments.count() + len(clean_files),
        )
        delete_files_on_commit(
            [n for p in removed_photos for n in (p.image.name, p.thumbnail.name)]
            + [f.file.name for f in removed_files]
        )
        locked.title, locked.body, locked.category, locked.district = (
            title,
            body,
            category,
            district or "",
        )
        _set_tags(locked, tag_names)
        locked.search_text = _search_text(locked, tag_names)
        # The old text's terms go: the worker writes the new text's (the
        # beat's sweep of rows without terms, if the task is never queued).
        locked.similarity_terms = ""
        locked.save(
            update_fields=[
                "title",
                "body",
                "category",
                "district",
                "search_text",
                "similarity_terms",
                "updated_at",
            ]
        )
        last = locked.photos.order_by("-position").values_list("position", flat=True).first()
        _save_uploads(locked, clean_photos, clean_files, written=written, start=(last or 0) + 1)
        event_record(proposal=locked, kind=EventKind.EDITED, actor=user)
        enqueue_on_commit(SIMILARITY_TERMS_TASK, locked.pk)
    return locked


def proposal_withdraw(*, proposal: Proposal, user, reason: str = "") -> Proposal:
    """The author withdraws the proposal; it stays public, marked withdrawn,
    and can no longer be endorsed."""
    if not proposal_rules.is_proposal_author(user, proposal):
        raise PermissionDenied
    with transaction.atomic():
        withdrawn = proposal_transition(
            proposal=proposal, to_status=ProposalStatus.WITHDRAWN, actor=user, reason=reason[:500]
        )
        # A withdrawn proposal loses what it brought, as a hidden one does:
        # otherwise proposing and withdrawing would be a way to earn.
        proposal_standing_changed(
            proposal=withdrawn, stood=not withdrawn.is_hidden and withdrawn.deleted_at is None
        )
    return withdrawn


def ask_with(user, perm: str, obj) -> None:
    """Ask `perm` with the row a service is about to change, read under its
    lock (issue 16): asked without it, the permission only says the user
    runs some work; with it, whether this row is theirs (the city's
    operators: every row; an institution's administrators: their
    institution's). A refusal is said in words and nothing is written."""
    if not rules.has_perm(perm, user, obj):
        raise ServiceError(
            proposal_rules.institution_refusal(user, obj) or _("You cannot do this.")
        )


def proposal_trash(*, proposal: Proposal, user, reason: str = "") -> Proposal:
    """The author or an operator moves a proposal to the trash. It stays
    stored and operators can restore it."""
    # An operator's trash is moderation, which no state refuses; the
    # author's is refused once a department has taken the proposal up.
    is_author = proposal_rules.is_proposal_author(user, proposal)
    if not (rules.has_perm("proposals.moderate", user) or is_author):
        raise PermissionDenied
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        # Moderation only on a proposal of one's own institution (the
        # city's operators: any); an author's trash is refused once a
        # department has taken the proposal up.
        if not rules.has_perm("proposals.moderate", user, locked):
            if not is_author:
                ask_with(user, "proposals.moderate", locked)
            if refusal := proposal_rules.trash_refusal_for_author(locked):
                raise ServiceError(refusal)
        if locked.deleted_at:
            raise ServiceError(_("This proposal is already in the trash."))
        stood = proposal_stands(locked)
        locked.deleted_at = timezone.now()
        locked.save(update_fields=["deleted_at", "updated_at"])
        event_record(
            proposal=locked, kind=EventKind.TRASHED, actor=user, reason=reason, is_public=False
        )
        proposal_standing_changed(proposal=locked, stood=stood)
    return locked


def proposal_restore(*, proposal: Proposal, user, reason: str = "") -> Proposal:
    """An operator restores a proposal from the trash."""
    if not rules.has_perm("proposals.moderate", user):
        raise PermissionDenied
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        ask_with(user, "proposals.moderate", locked)
        if not locked.deleted_at:
            raise ServiceError(_("This proposal is not in the trash."))
        stood = proposal_stands(locked)
        locked.deleted_at = None
        locked.save(update_fields=["deleted_at", "updated_at"])
        event_record(
            proposal=locked, kind=EventKind.UNTRASHED, actor=user, reason=reason, is_public=False
        )
        proposal_standing_changed(proposal=locked, stood=stood)
    return locked


def proposal_hide(*, proposal: Proposal, user, reason: str) -> Proposal:
    """An operator hides a proposal under the operating rules. The content
    stays stored; the page says it was hidden and why."""
    return _set_hidden(proposal=proposal, user=user, reason=reason, hidden=True)


def proposal_unhide(*, proposal: Proposal, user, reason: str) -> Proposal:
    return _set_hidden(proposal=proposal, user=user, reason=reason, hidden=False)


# The code of a recategorisation row's words: "Moved from %(from_category)s
# to %(to_category)s." with both category ids named when read.
RECATEGORISED_TEXT = "recategorised"


def proposal_recategorise(*, proposal: Proposal, user, category, reason: str) -> Proposal:
    """An operator moves a wrongly filed proposal to another category.

    Requires: an operator (proposals.recategorise); another category; a
    reason (shown on the timeline as typed); the proposal not in the trash
    (rules.recategorise_refusal).
    Writes: the proposal's category; a public RECATEGORISED timeline row
    with the old and new categories as ids (params), written in the
    reader's language when read.
    Triggers: the conductor's promotion check after commit: an open proposal
    past the answer bar that could not be assigned for want of a department
    is assigned to the new category's one at once. The department already
    answering (if any) does not change: that is a reassignment."""
    if not rules.has_perm("proposals.recategorise", user):
        raise PermissionDenied
    if category is None:
        raise ValidationError({"category": _("Choose the category to move it to.")})
    reason = require_reason(reason)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        ask_with(user, "proposals.recategorise", locked)
        if refusal := proposal_rules.recategorise_refusal(locked, category):
            raise ServiceError(refusal)
        # The addressee is fixed when proposed: one of its own categories
        # only (the city's for a city proposal), whatever the form sent.
        if refusal := proposal_rules.category_refusal(locked.institution, category):
            raise ServiceError(refusal)
        old_category_id = locked.category_id
        locked.category = category
        locked.save(update_fields=["category", "updated_at"])
        event_record(
            proposal=locked,
            kind=EventKind.RECATEGORISED,
            actor=user,
            reason=reason,
            # "text" names the row's words (the words branch's event_texts).
            params={
                "text": RECATEGORISED_TEXT,
                "from_category": old_category_id,
                "to_category": category.pk,
            },
        )
        queue_promotion_check(locked.pk)
    proposal.category = category
    return locked


def _set_hidden(*, proposal, user, reason, hidden):
    if not rules.has_perm("proposals.moderate", user):
        raise PermissionDenied
    reason = require_reason(reason)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        ask_with(user, "proposals.moderate", locked)
        if locked.is_hidden == hidden:
            raise ServiceError(
                _("This proposal is already hidden.")
                if hidden
                else _("This proposal is not hidden.")
            )
        stood = proposal_stands(locked)
        locked.is_hidden = hidden
        locked.hidden_reason = reason if hidden else ""
        locked.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
        event_record(
            proposal=locked,
            kind=EventKind.HIDDEN if hidden else EventKind.UNHIDDEN,
            actor=user,
            reason=reason,
        )
        proposal_standing_changed(proposal=locked, stood=stood)
    Report.objects.filter(proposal=locked, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    return locked


# --- endorsements -----------------------------------------------------------


# How an endorsement is stored and counted, designed for a proposal going
# viral (hundreds of members a second endorsing one proposal):
#
# 1. The durable record is ONE statement: `_endorsement_insert` inserts the
#    member's row, guarded in the same statement (the proposal must still be
#    gathering endorsements, read under a KEY SHARE lock so a withdrawal, a
#    hiding or a close committing at that moment either comes wholly before
#    or wholly after) and deduplicated by the unique constraint
#    (ON CONFLICT DO NOTHING: no exception, no savepoint). It commits at once
#    (with the mileage it earns, sent in the same short transaction, never
#    by the reconcile) and is marked `pending`: stored, not yet in the count.
# 2. The count shown (`Proposal.endorsement_count`) is moved only by
#    `endorsement_count_reconcile`, single-flight per proposal: whoever gets
#    the proposal's advisory lock flips every pending row to counted AND adds
#    their number to the count in one statement (one transaction). A row
#    flips once: a second reconciler waits on its row lock and then finds it
#    no longer pending. So the count never counts a row twice, and never
#    counts a row that is not stored. Requests that find the lock taken skip
#    at once (no queue on the hot proposal row); the holder looks again after
#    releasing it, so the last endorsement of a burst is never left out.
# 3. Taking an endorsement back deletes the row; only a row already counted
#    takes one off the count (a pending one was never added).
# 4. Anything left pending (a process killed between its insert and the
#    reconcile) is folded in by the periodic sweep
#    (`endorsement_counts_reconcile_all`, Celery beat every minute).
# 5. The conductor is woken once for each bar the count passes: each
#    reconcile moves the count from a to b under the proposal's row lock, so
#    the ranges (a, b] never overlap.
#
# SQLite (the embedded default) and callers already inside a transaction
# take the simple path instead: the row is inserted counted and the count
# moves by one in the same transaction, under the proposal's row lock
# (SQLite has one writer at a time anyway).

# The advisory-lock namespace of the endorsement reconcile (the first of
# pg_try_advisory_xact_lock's two int4 keys; the second is the proposal id).
ENDORSEMENT_RECONCILE_LOCK = 0x0E_D0_25E
# After this many rounds of folding rows that kept arriving, the holder hands
# what is left to a task instead of holding its member's request longer.
RECONCILE_ROUNDS = 4
RECONCILE_TASK = "proposals.tasks.reconcile_endorsement_count"


def _single_flight() -> bool:
    """The insert-then-reconcile path needs PostgreSQL (advisory locks, KEY
    SHARE) and its own commits: it is not taken inside a caller's
    transaction, whose commit would come after our reconcile."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _endorsable_sql(alias: str) -> tuple[str, list]:
    """ENDORSABLE_STATUSES and proposal_rules.is_gathering_endorsements, in
    SQL, for the statement that writes the row."""
    statuses = sorted(ENDORSABLE_STATUSES)
    marks = ", ".join(["%s"] * len(statuses))
    sql = (
        f"{alias}.status IN ({marks}) AND {alias}.deleted_at IS NULL AND NOT {alias}.is_hidden"
        f" AND ({alias}.endorsement_deadline IS NULL OR {alias}.endorsement_deadline > now())"
    )
    return sql, statuses


def _endorsement_insert(*, proposal_id: int, user_id: int) -> int | None:
    """Insert the member's endorsement, pending, if the proposal is still
    gathering endorsements and the member has not endorsed it yet; one
    statement (committed when the caller's block ends). Returns the new
    row's id, or None when no row was written."""
    guard, params = _endorsable_sql("p")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Endorsement._meta.db_table} (proposal_id, user_id, created_at, pending)
            SELECT p.id, %s, now(), true FROM {Proposal._meta.db_table} p
            WHERE p.id = %s AND {guard}
            FOR KEY SHARE
            ON CONFLICT (proposal_id, user_id) DO NOTHING
            RETURNING id
            """,  # nosec B608 - table names from the models, values as parameters
            [user_id, proposal_id, *params],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _endorsement_fold(proposal_id: int) -> tuple[bool, int, int]:
    """One reconcile round, one statement (and so one transaction): take the
    proposal's advisory lock if free; if taken, flip its pending rows to
    counted and add their number to the count. Returns (lock taken, the
    count after, rows folded). The lock is released when the statement
    commits."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH lock AS (
                SELECT pg_try_advisory_xact_lock(%s, %s) AS taken
            ), folded AS (
                UPDATE {Endorsement._meta.db_table} SET pending = false
                WHERE proposal_id = %s AND pending AND (SELECT taken FROM lock)
                RETURNING 1
            ), counted AS (
                UPDATE {Proposal._meta.db_table}
                SET endorsement_count = endorsement_count + (SELECT count(*) FROM folded),
                    first_endorsed_at = COALESCE(first_endorsed_at, now())
                WHERE id = %s AND EXISTS (SELECT 1 FROM folded)
                RETURNING endorsement_count
            )
            SELECT (SELECT taken FROM lock), (SELECT endorsement_count FROM counted),
                   (SELECT count(*) FROM folded)
            """,  # nosec B608 - table names from the models, values as parameters
            [ENDORSEMENT_RECONCILE_LOCK, proposal_id, proposal_id, proposal_id],
        )
        taken, count, folded = cursor.fetchone()
    return bool(taken), count or 0, folded


def _wake_conductor_if_crossed(proposal_id: int, before: int, after: int) -> None:
    """Queue the conductor's promotion check if the count moved past one of
    its bars, and tell the proposer of a milestone passed: once per move,
    and moves never overlap (see above)."""
    if any(before < bar <= after for bar in crossing_counts()):
        queue_promotion_check(proposal_id)
    notices.tell_endorsement_milestones(proposal_id=proposal_id, before=before, after=after)


def endorsement_count_reconcile(*, proposal_id: int) -> int | None:
    """Fold a proposal's pending endorsements into its count, single-flight.

    Requires PostgreSQL and no open transaction. Returns the count after
    this call's folds, or None when another request holds the reconcile (it
    looks again after releasing, so the rows this caller saw are counted by
    it). Triggers the conductor's promotion check when a bar is passed.
    Running it any number of times, at once or again, counts each row once."""
    count = None
    for _round in range(RECONCILE_ROUNDS):
        taken, after, folded = _endorsement_fold(proposal_id)
        if not taken:
            return count
        if folded:
            count = after
            _wake_conductor_if_crossed(proposal_id, after - folded, after)
        # Looked at after the lock is released: a row committed by a request
        # that found the lock taken is seen here, or by the next holder.
        if not Endorsement.objects.filter(proposal_id=proposal_id, pending=True).exists():
            return count
    # Rows kept arriving for the whole of our rounds: a task carries on (and
    # the minute's sweep after it, should the broker be down).
    enqueue_on_commit(RECONCILE_TASK, proposal_id)
    return count


def endorsement_counts_reconcile_all() -> int:
    """The sweep: reconcile every proposal that still has pending rows (a
    process killed between its insert and its reconcile). Returns how many
    proposals it looked at. Idempotent; PostgreSQL only (elsewhere no row is
    ever left pending)."""
    if not _single_flight():
        return 0
    ids = list(
        Endorsement.objects.filter(pending=True).values_list("proposal_id", flat=True).distinct()
    )
    for proposal_id in ids:
        endorsement_count_reconcile(proposal_id=proposal_id)
    return len(ids)


def proposal_endorse(*, proposal: Proposal, user) -> Proposal:
    """A member endorses once. Requires a member allowed to endorse and a
    proposal still gathering endorsements (checked again in the statement
    that writes). Writes one Endorsement row, then reconciles the count
    (see the design above); wakes the conductor when a bar is passed. The
    returned proposal's count is the one this request saw, which may trail
    by rows that another request is counting at that moment."""
    if not rules.has_perm("proposals.endorse_proposal", user):
        raise PermissionDenied
    if refusal := proposal_rules.endorse_refusal(user, proposal):
        raise ServiceError(refusal)
    if not _single_flight():
        return _proposal_endorse_in_one_transaction(proposal=proposal, user=user)
    # The row and its mileage commit together (the insert alone would commit
    # at once): an endorsement is never stored without its points or the
    # other way round. The reconcile runs after, outside, as designed above.
    with transaction.atomic():
        endorsement_id = _endorsement_insert(proposal_id=proposal.pk, user_id=user.pk)
        if endorsement_id is not None:
            # Deferred: folding the points here would lock the proposer's
            # row once per endorsement, the very row a spike of endorsements
            # shares; the member's fold task counts them a moment later.
            _endorsement_told(
                proposal=proposal, user=user, endorsement_id=endorsement_id, defer=True
            )
    if endorsement_id is None:
        if Endorsement.objects.filter(proposal=proposal, user=user).exists():
            raise ServiceError(_("You have already endorsed this proposal."))
        raise ServiceError(_("This proposal is no longer gathering endorsements."))
    count = endorsement_count_reconcile(proposal_id=proposal.pk)
    if count is not None:
        proposal.endorsement_count = count
    return proposal


def _proposal_endorse_in_one_transaction(*, proposal: Proposal, user) -> Proposal:
    """The simple path (SQLite, or a caller's open transaction): the row,
    counted, and the count move together in one transaction, under the
    proposal's row lock."""
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(proposal=proposal, user=user)
            # The filter repeats the rule in SQL, so a proposal withdrawn or
            # closed between the check above and this write is not counted.
            updated = (
                Proposal.objects.filter(
                    pk=proposal.pk,
                    status__in=ENDORSABLE_STATUSES,
                    deleted_at__isnull=True,
                    is_hidden=False,
                )
                .filter(Q(endorsement_deadline__isnull=True) | Q(endorsement_deadline__gt=Now()))
                .update(
                    endorsement_count=F("endorsement_count") + 1,
                    first_endorsed_at=Coalesce(F("first_endorsed_at"), Now()),
                )
            )
            if not updated:
                raise ServiceError(_("This proposal is no longer gathering endorsements."))
            _endorsement_told(proposal=proposal, user=user, endorsement_id=endorsement.pk)
            count = Proposal.objects.values_list("endorsement_count", flat=True).get(pk=proposal.pk)
            _wake_conductor_if_crossed(proposal.pk, count - 1, count)
    except IntegrityError:
        raise ServiceError(_("You have already endorsed this proposal.")) from None
    proposal.endorsement_count = count
    return proposal


def _endorsement_told(
    *, proposal: Proposal, user, endorsement_id: int, undo: bool = False, defer: bool = False
):
    """Mileage for one endorsement row (accounts.participation): the member
    endorsed, the proposer received it; or both undone when it is taken
    back. Sent once per row, by the service that wrote or deleted it, never
    by the reconcile (which only counts). A proposal gathering endorsements
    always stands, so its author earns unless gone or withdrawn."""
    # The row may be gone (taken back): only its model and id are read.
    source = Endorsement(pk=endorsement_id, proposal_id=proposal.pk, user_id=user.pk)
    participated(
        action=Action.ENDORSE,
        member_id=earner_id(user),
        source=source,
        proposal_id=proposal.pk,
        undo=undo,
        defer=defer,
    )
    participated(
        action=Action.ENDORSED,
        member_id=earner_id(proposal.author),
        source=source,
        proposal_id=proposal.pk,
        undo=undo,
        defer=defer,
    )


def proposal_unendorse(*, proposal: Proposal, user) -> Proposal:
    """A member takes their endorsement back while the proposal is open.
    Deletes the row; the count loses one only if the row was already
    counted (a pending row never was), in the same transaction. A reconcile
    racing with it either counted the row first (then it is taken off) or
    finds it gone."""
    if not user.is_authenticated:
        raise PermissionDenied
    if not proposal_rules.is_gathering_endorsements(proposal):
        raise ServiceError(_("Endorsements can only be taken back while the proposal is open."))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Endorsement._meta.db_table} WHERE proposal_id = %s AND user_id = %s"
            " RETURNING id, pending",  # nosec B608 - table name from the model
            [proposal.pk, user.pk],
        )
        deleted = cursor.fetchone()
        if deleted is None:
            raise ServiceError(_("You have not endorsed this proposal."))
        endorsement_id, was_pending = deleted
        if not was_pending:
            Proposal.objects.filter(pk=proposal.pk).update(
                endorsement_count=F("endorsement_count") - 1
            )
        _endorsement_told(proposal=proposal, user=user, endorsement_id=endorsement_id, undo=True)
    proposal.refresh_from_db(fields=["endorsement_count"])
    return proposal


# --- views ------------------------------------------------------------------


def proposal_record_view(*, proposal: Proposal, visitor: str, on: date | None = None) -> bool:
    """Count a view once per visitor per day (Seoul time; `on`, a view noted
    earlier, defaults to today). Returns whether it was counted. A duplicate
    insert is ignored by the unique constraint, so counting the same visitor
    and day again, as a replayed queue does, changes nothing."""
    day = on or timezone.localdate()
    with transaction.atomic():
        _row, created = ProposalView.objects.get_or_create(
            proposal=proposal, visitor=visitor[:64], date=day
        )
        if created:
            Proposal.objects.filter(pk=proposal.pk).update(view_count=F("view_count") + 1)
    return created


# Views of pages answered from the page cache (oasis/page_cache.py), waiting
# in Redis to be counted by views_count_noted.
NOTED_VIEWS_QUEUE = "proposals:noted-views"
# Items counted per pass of views_count_noted.
NOTED_VIEWS_BATCH = 500
_DAY = 24 * 60 * 60


def _record_view_if_public(*, proposal_id: int, visitor: str, on: date) -> bool:
    # Anonymous readers count only on a public proposal, as on the view's own
    # path (a page hidden since it was cached is not counted).
    proposal = Proposal.objects.public().filter(pk=proposal_id).only("pk").first()
    return proposal is not None and proposal_record_view(proposal=proposal, visitor=visitor, on=on)


def _viewed_key(day: date, proposal_id: int, visitor: str) -> str:
    return f"proposals:viewed:{day.isoformat()}:{proposal_id}:{visitor}"


def proposal_count_view(*, proposal: Proposal, visitor: str) -> bool:
    """A proposal's page was shown by its view: count the visitor once a day.
    A visitor already seen today (by this path or proposal_note_view, which
    share the mark) costs one cache call instead of a database transaction;
    the database's unique constraint still decides, so a lost or cleared
    mark never counts anyone twice."""
    today = timezone.localdate()
    if not cache.add(_viewed_key(today, proposal.pk, visitor), 1, _DAY):
        return False
    return proposal_record_view(proposal=proposal, visitor=visitor, on=today)


def proposal_note_view(*, proposal_id: int, visitor: str) -> None:
    """A proposal's page was answered from the page cache, without its view:
    note the visitor for views_count_noted (one Redis round trip; a visitor
    already noted today is not queued again). Without Redis (development,
    tests, or Redis down) the view is counted at once, once per visitor per
    day and process.

    How exact: as exact as the view's own path. Each noted (visitor, day)
    becomes a ProposalView row whose unique constraint dedupes it against
    views counted by the view itself and against a replayed queue, so nothing
    is counted twice; the count shown lags by up to the counting task's
    period (a minute). Views noted in Redis are lost only if Redis loses its
    data before they are counted."""
    today = timezone.localdate()
    once_key = _viewed_key(today, proposal_id, visitor)
    queued = add_and_enqueue(
        once_key=once_key,
        timeout=_DAY,
        queue=NOTED_VIEWS_QUEUE,
        item=f"{proposal_id} {today.isoformat()} {visitor}",
    )
    if queued is None and cache.add(once_key, 1, _DAY):
        _record_view_if_public(proposal_id=proposal_id, visitor=visitor, on=today)


def views_count_noted() -> int:
    """Count the views noted by proposal_note_view; returns how many were new.
    Idempotent: items leave the queue only after they are counted, and
    counting one twice is a no-op (proposal_record_view). One run at a time
    (a lock in the cache); a run that finds the lock taken does nothing."""
    lock = "proposals:counting-noted-views"
    if not cache.add(lock, 1, 300):
        return 0
    counted = 0
    try:
        while items := queue_peek(NOTED_VIEWS_QUEUE, NOTED_VIEWS_BATCH):
            for item in items:
                proposal_id, day, visitor = item.split(" ", 2)
                counted += _record_view_if_public(
                    proposal_id=int(proposal_id), visitor=visitor, on=date.fromisoformat(day)
                )
            queue_drop(NOTED_VIEWS_QUEUE, len(items))
            if len(items) < NOTED_VIEWS_BATCH:
                break
    finally:
        cache.delete(lock)
    return counted


# --- comments ---------------------------------------------------------------


def _validate_comment(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Please write a comment.")})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": _("A comment may be at most %(n)d characters.") % {"n": COMMENT_MAX_LENGTH}}
        )
    return body


def comment_create(*, proposal: Proposal, author, body: str) -> Comment:
    """A logged-in member comments. Officials' comments carry their department."""
    if not is_active_member(author):
        raise PermissionDenied
    body = _validate_comment(body)
    if not proposal.is_public:
        raise ServiceError(_("Comments are closed on this proposal."))
    if refusal := proposal_rules.merged_endorse_refusal(proposal):
        raise ServiceError(refusal)
    with transaction.atomic():
        comment = Comment.objects.create(
            proposal=proposal,
            author=author,
            body=body,
            author_department_id=author.department_id if is_official(author) else None,
        )
        # The update locks the proposal's row until commit: comments on one
        # proposal are told to its proposer one at a time (notify_grouped).
        Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
        _wake_conductor_if_comments_reached_bar(proposal.pk)
        notices.tell_new_comment(proposal=proposal, comment=comment)
        _comment_told(comment=comment)
    return comment


def _wake_conductor_if_comments_reached_bar(proposal_id: int) -> None:
    """An answered proposal whose comment this is may now pass the debate
    bar's minimum of comments: wake the conductor when the count reaches it
    (one more comment from below, so the count equals the bar), as an
    endorsement does at its bar; it decides on all the conditions. Without a
    comment bar this costs no query. Called under the row lock the count's
    update took, so the count read is this comment's."""
    bars = crossing_counts("comment_count", status=ProposalStatus.ANSWERED)
    if not bars:
        return
    status, count = Proposal.objects.values_list("status", "comment_count").get(pk=proposal_id)
    if status == ProposalStatus.ANSWERED and count in bars:
        queue_promotion_check(proposal_id)


def _comment_told(*, comment: Comment, undo: bool = False) -> None:
    """Mileage for a comment (accounts.participation): written, or undone
    when deleted or hidden, redone when shown again."""
    participated(
        action=Action.COMMENT,
        member_id=earner_id(comment.author),
        source=comment,
        proposal_id=comment.proposal_id,
        undo=undo,
    )


def comment_update(*, comment: Comment, user, body: str) -> Comment:
    """The author changes their comment's text; the page marks it edited."""
    if not proposal_rules.is_comment_author(user, comment):
        raise PermissionDenied
    if refusal := proposal_rules.comment_edit_refusal(comment):
        raise ServiceError(refusal)
    comment.body = _validate_comment(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at", "updated_at"])
    return comment


def comment_delete(*, comment: Comment, user) -> None:
    """The author deletes their comment: it leaves the page and the count but
    stays stored, as everything a citizen writes does."""
    if not proposal_rules.is_comment_author(user, comment):
        raise PermissionDenied
    with transaction.atomic():
        updated = Comment.objects.filter(pk=comment.pk, deleted_at__isnull=True).update(
            deleted_at=timezone.now()
        )
        if not updated:
            raise ServiceError(_("This comment was already deleted."))
        Proposal.objects.filter(pk=comment.proposal_id).update(comment_count=F("comment_count") - 1)
        # Read back after the update, which locked the row: a hidden comment
        # has already given its points back.
        if not Comment.objects.filter(pk=comment.pk, is_hidden=True).exists():
            _comment_told(comment=comment, undo=True)


def comment_set_hidden(*, comment: Comment, user, reason: str, hidden: bool) -> Comment:
    """An operator hides or restores a comment, with a reason on the timeline."""
    if not rules.has_perm("proposals.moderate", user):
        raise PermissionDenied
    reason = require_reason(reason)
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        ask_with(user, "proposals.moderate", locked)
        if locked.is_hidden == hidden:
            raise ServiceError(
                _("This comment is already hidden.") if hidden else _("This comment is not hidden.")
            )
        locked.is_hidden = hidden
        locked.hidden_reason = reason if hidden else ""
        locked.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
        # A comment its author deleted gave its points back already, and
        # showing it again does not bring them back (it stays deleted).
        if locked.deleted_at is None:
            _comment_told(comment=locked, undo=hidden)
        event_record(
            proposal=locked.proposal,
            kind=EventKind.COMMENT_HIDDEN if hidden else EventKind.COMMENT_UNHIDDEN,
            actor=user,
            reason=reason,
            is_public=False,
        )
    Report.objects.filter(comment=locked, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    return locked


# --- reports ----------------------------------------------------------------


def report_create(
    *, reporter, reason: str, detail: str = "", proposal=None, comment=None
) -> Report:
    """Anyone logged in reports a proposal or a comment, once each: only what
    is still on the page (hidden content has already been dealt with, and a
    member who cannot read it has nothing to report)."""
    if not reporter.is_authenticated:
        raise PermissionDenied
    if (proposal or comment.proposal).is_hidden or (comment is not None and comment.is_hidden):
        raise ServiceError(_("This has already been hidden by the operators."))
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=reporter,
                proposal=proposal,
                comment=comment,
                reason=reason,
                detail=detail[:500],
            )
    except IntegrityError:
        raise ServiceError(_("You have already reported this.")) from None


def report_dismiss(*, report: Report, user, reason: str) -> Report:
    """An operator closes a report without hiding anything (the content is
    within the operating rules), with a reason kept on the report."""
    if not rules.has_perm("proposals.moderate", user):
        raise PermissionDenied
    reason = require_reason(reason)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        ask_with(user, "proposals.moderate", locked)
        if locked.resolved_at is not None:
            raise ServiceError(_("This report has already been handled."))
        locked.resolved_at = timezone.now()
        locked.resolution = reason
        locked.save(update_fields=["resolved_at", "resolution"])
    report.refresh_from_db()
    return report


def view_marks_purge(*, older_than_days: int = 2) -> int:
    """Forget which visitor saw what once the day is over: the marks only exist
    to count a view once per visitor per day, so older ones are deleted.
    Returns how many were removed. Safe to run any number of times."""
    cutoff = timezone.localdate() - timedelta(days=older_than_days)
    deleted, _rows = ProposalView.objects.filter(date__lt=cutoff).delete()
    return deleted


# --- following ----------------------------------------------------------------


def proposal_follow(*, proposal: Proposal, user) -> bool:
    """A member follows a proposal to be told of each step. Returns whether a
    follow was added (following twice is harmless)."""
    if not user.is_authenticated:
        raise PermissionDenied
    if proposal.deleted_at:
        raise ServiceError(_("This proposal cannot be followed."))
    _follow, created = Follow.objects.get_or_create(proposal=proposal, user=user)
    return created


def proposal_unfollow(*, proposal: Proposal, user) -> bool:
    if not user.is_authenticated:
        raise PermissionDenied
    deleted, _rows = Follow.objects.filter(proposal=proposal, user=user).delete()
    return bool(deleted)
