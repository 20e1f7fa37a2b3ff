"""Every change to a management card: its opening, stage changes, handoffs
and edits of budget and target date.

Each function checks permission (the permissions of rules.py, asked with
the card: who may; the card's state is checked under the lock and refused
with its reason), checks the transition, writes
with `update_fields`, records a CardEvent (and, for stage changes, a row on
the proposal's public timeline) and sends notices through notices.py, whose
e-mails are queued after the transaction commits and whose keys make every
notice a once-only event.
Admin actions, the admin change form and (later) the pages all call these."""

import datetime as dt

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import department_officials
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from oasis.files import delete_files_on_commit, files_removed_on_error
from oasis.i18n import for_the_record
from proposals import uploads
from proposals.models import EventKind
from proposals.timeline import event_record

from . import notices, selectors
from . import rules as card_rules
from .models import (
    NOTE_MAX_LENGTH,
    REPORT_DUE_DAYS,
    REPORT_EVERY_MONTHS,
    REPORT_REMIND_DAYS,
    AttachmentKind,
    CardAttachment,
    CardEvent,
    CardEventKind,
    CardStage,
    ManagementCard,
    ProgressReport,
    ReportStatus,
)


def _require_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Please write a note about this change.")})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("Please keep it within %(n)d characters.") % {"n": NOTE_MAX_LENGTH}}
        )
    return note


def management_card_open(*, agenda_item) -> ManagementCard:
    """Open the management card of a proposal the realization meeting has just
    adopted: its department (the proposal's, else its category's default),
    the meeting's conditions, stage `review`, and an `opened` history row.
    Called by meetings.services.agenda_item_decide inside its transaction.
    Exactly one card per proposal: calling again returns the existing card
    unchanged. The department's officials are told (`card_opened`)."""
    proposal = agenda_item.proposal
    department = proposal.department or proposal.category.default_department
    with transaction.atomic():
        card, created = ManagementCard.objects.get_or_create(
            proposal=proposal,
            defaults={
                "agenda_item": agenda_item,
                "department": department,
                "conditions": agenda_item.conditions,
                "stage_changed_at": timezone.now(),
            },
        )
        if created:
            CardEvent.objects.create(
                card=card,
                kind=CardEventKind.OPENED,
                actor=agenda_item.decided_by,
                to_stage=CardStage.REVIEW,
                note=agenda_item.conditions,
            )
        if created and department is not None:
            notices.tell_card_opened(card=card)
    return card


def card_change_stage(*, card: ManagementCard, user, to_stage: str, note: str) -> ManagementCard:
    """Move the card to `to_stage` along STAGE_TRANSITIONS, with a note
    (for `suspended`, the note is the reason and is kept on the card).
    Requires the operator or an official of the card's department. Writes the
    stage, stage_changed_at (and suspended_reason), a public `stage_changed`
    history row and a `card_stage_changed` row on the proposal's timeline;
    the proposer and followers are told (`card_stage_changed`) once."""
    if not rules.has_perm("tracking.change_card", user, card):
        raise PermissionDenied
    note = _require_note(note)
    with transaction.atomic():
        card = (
            ManagementCard.objects.select_for_update(of=("self",))
            .select_related("proposal")
            .get(pk=card.pk)
        )
        if refusal := card_rules.stage_change_refusal(card, to_stage):
            raise TransitionNotAllowed(refusal)
        from_stage = card.stage
        card.stage = to_stage
        card.stage_changed_at = timezone.now()
        card.suspended_reason = note if to_stage == CardStage.SUSPENDED else ""
        card.save(update_fields=["stage", "stage_changed_at", "suspended_reason", "updated_at"])
        event = CardEvent.objects.create(
            card=card,
            kind=CardEventKind.STAGE_CHANGED,
            actor=user,
            from_stage=from_stage,
            to_stage=to_stage,
            note=note,
        )
        event_record(
            proposal=card.proposal,
            kind=EventKind.CARD_STAGE_CHANGED,
            actor=user,
            reason=for_the_record(
                lambda: (
                    _("Adopted item: “%(from)s” → “%(to)s”. %(note)s")
                    % {
                        "from": CardStage(from_stage).label,
                        "to": CardStage(to_stage).label,
                        "note": note,
                    }
                )
            ),
            department=card.department,
        )
        notices.tell_stage_changed(card=card, event=event)
    return card


def card_handoff(*, card: ManagementCard, user, to_official, note: str) -> ManagementCard:
    """Make `to_official` (an active official of the card's department)
    responsible for the card. Requires the operator or the head of the
    card's department. The card keeps its history, and its open progress
    report requests pass to the new official (they are sent the request
    now; reminders go to whoever is responsible when they are sent); an
    internal `handoff` history row names both officials. The previous official, the new one
    and the operators are told (`card_handoff`) once."""
    if not rules.has_perm("tracking.hand_off_card", user, card):
        raise PermissionDenied
    note = _require_note(note)
    with transaction.atomic():
        card = (
            ManagementCard.objects.select_for_update(of=("self",))
            .select_related("proposal", "department", "responsible_official")
            .get(pk=card.pk)
        )
        if refusal := card_rules.handoff_refusal(card, to_official):
            raise ServiceError(refusal)
        previous = card.responsible_official
        card.responsible_official = to_official
        card.save(update_fields=["responsible_official", "updated_at"])
        event = CardEvent.objects.create(
            card=card,
            kind=CardEventKind.HANDOFF,
            actor=user,
            from_official=previous,
            to_official=to_official,
            note=note,
            is_public=False,
        )
        notices.tell_handoff(card=card, event=event, previous=previous, to_official=to_official)
        # The card's open report requests become the new official's: they
        # get the request the previous official had (same key: once each).
        for report in card.progress_reports.filter(status=ReportStatus.REQUESTED):
            notices.tell_report_requested(report=report, recipients=[to_official])
    return card


EDITABLE_FIELDS = ("planned_budget", "spent_budget", "target_date")


def _won(value, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError({field: _("Please enter an amount in won, as a whole number.")})
    try:
        amount = int(str(value).replace(",", "").strip())
    except ValueError:
        raise ValidationError(
            {field: _("Please enter an amount in won, as a whole number.")}
        ) from None
    if amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    return amount


def _date(value, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({field: _("Please enter a date as YYYY-MM-DD.")}) from None


def card_update(
    *,
    card: ManagementCard,
    user,
    planned_budget=None,
    spent_budget=None,
    target_date=None,
    note: str = "",
) -> ManagementCard:
    """Set the card's planned and spent budget (whole won, not negative;
    empty for "not known") and target date. Requires the operator or an
    official of the card's department. Every value is checked before
    anything is written; a bad one raises ValidationError naming its field.
    Writes only the fields that changed and an `edited` history row listing
    them (old and new) with the optional `note` (why); nothing if nothing
    changed."""
    if not rules.has_perm("tracking.change_card", user, card):
        raise PermissionDenied
    errors = {}
    values = {}
    for field, value, clean in (
        ("planned_budget", planned_budget, _won),
        ("spent_budget", spent_budget, _won),
        ("target_date", target_date, _date),
    ):
        try:
            values[field] = clean(value, field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [_("Please keep it within %(n)d characters.") % {"n": NOTE_MAX_LENGTH}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        card = ManagementCard.objects.select_for_update().get(pk=card.pk)
        changes = {
            field: [_as_text(getattr(card, field)), _as_text(value)]
            for field, value in values.items()
            if getattr(card, field) != value
        }
        if not changes:
            return card
        for field in changes:
            setattr(card, field, values[field])
        card.save(update_fields=[*changes, "updated_at"])
        # Field names inside for_the_record, so they are Korean too.
        what = for_the_record(
            lambda: (
                _("Changed: %(fields)s.")
                % {
                    "fields": ", ".join(
                        str(ManagementCard._meta.get_field(field).verbose_name) for field in changes
                    )
                }
            )
        )
        CardEvent.objects.create(
            card=card,
            kind=CardEventKind.EDITED,
            actor=user,
            changes=changes,
            note=f"{what} {note}" if note else what,
        )
    return card


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- bimonthly progress (2개월 점검) -------------------------------------------


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """`moment` plus calendar months, in Seoul time; a day that the target
    month lacks (31 → 30, 29 Feb) becomes its last day."""
    local = timezone.localtime(moment)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return local.replace(year=year, month=month, day=min(local.day, last_day))


def report_next_request_at(card: ManagementCard) -> dt.datetime:
    """When the card's next report is due to be requested: REPORT_EVERY_MONTHS
    after its last request, or after its opening if it had none."""
    last = card.progress_reports.order_by("-period").values_list("requested_at", flat=True).first()
    return _add_months(last or card.created_at, REPORT_EVERY_MONTHS)


def _report_officials(card: ManagementCard) -> list:
    """Who is asked for a card's report: its responsible official if active,
    else every official of its department."""
    official = card.responsible_official
    if official is not None and official.is_active:
        return [official]
    if card.department_id is None:
        return []
    return list(department_officials(card.department))


def report_request_due(*, now: dt.datetime | None = None) -> int:
    """Request the next progress report of every card that is due one (see
    REPORT_EVERY_MONTHS; completed cards get none) and tell the card's
    official (`report_requested`). Idempotent: a card whose last request is
    less than REPORT_EVERY_MONTHS old is skipped, and (card, period) is
    unique. A card that missed several periods (the schedule was down) gets
    one request now, not a backlog. Returns how many were requested."""
    now = now or timezone.now()
    requested = 0
    cards = (
        ManagementCard.objects.exclude(stage=CardStage.COMPLETED)
        # A cheap bound only: two calendar months are at least 59 days (31
        # December → 28 February); report_next_request_at decides below.
        .filter(created_at__lte=now - dt.timedelta(days=58))
        .select_related("proposal", "department", "responsible_official")
        .order_by("id")
    )
    for card in cards:
        with transaction.atomic():
            card = (
                ManagementCard.objects.select_for_update(of=("self",))
                .select_related("proposal", "department", "responsible_official")
                .get(pk=card.pk)
            )
            if card.is_completed or report_next_request_at(card) > now:
                continue
            last_period = card.progress_reports.aggregate(n=Max("period"))["n"] or 0
            report = ProgressReport.objects.create(
                card=card,
                period=last_period + 1,
                requested_at=now,
                due_date=timezone.localdate(now) + dt.timedelta(days=REPORT_DUE_DAYS),
            )
            notices.tell_report_requested(report=report, recipients=_report_officials(card))
            requested += 1
    return requested


def reports_remind_and_escalate(*, now: dt.datetime | None = None) -> dict:
    """For requested (unsubmitted) reports of open cards: a reminder to the
    card's official from REPORT_REMIND_DAYS before the due date
    (`report_reminder`), an escalation to the operators once the due date has
    passed (`report_overdue`). Each at most once per report (reminded_at /
    escalated_at, and the notices' keys). Returns the counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    waiting = ProgressReport.objects.filter(status=ReportStatus.REQUESTED).exclude(
        card__stage=CardStage.COMPLETED
    )
    counts = {"reminded": 0, "escalated": 0}
    remind = waiting.filter(
        reminded_at__isnull=True,
        escalated_at__isnull=True,
        due_date__lte=today + dt.timedelta(days=REPORT_REMIND_DAYS),
        due_date__gte=today,
    )
    for report_id in remind.values_list("id", flat=True):
        with transaction.atomic():
            report = (
                ProgressReport.objects.select_for_update(of=("self",))
                .select_related("card__proposal", "card__department", "card__responsible_official")
                .get(pk=report_id)
            )
            if report.reminded_at is not None or report.is_submitted:
                continue
            report.reminded_at = now
            report.save(update_fields=["reminded_at"])
            notices.tell_report_reminder(report=report, recipients=_report_officials(report.card))
            counts["reminded"] += 1
    # Overdue as the operators' dashboard counts it (selectors.overdue_reports).
    overdue = selectors.overdue_reports(now=now).filter(escalated_at__isnull=True)
    for report_id in overdue.values_list("id", flat=True):
        with transaction.atomic():
            report = (
                ProgressReport.objects.select_for_update(of=("self",))
                .select_related("card__proposal", "card__department")
                .get(pk=report_id)
            )
            if report.escalated_at is not None or report.is_submitted:
                continue
            report.escalated_at = now
            report.save(update_fields=["escalated_at"])
            notices.tell_report_overdue(report=report)
            counts["escalated"] += 1
    return counts


# Photos a report may bring (the same as a proposal).
REPORT_MAX_PHOTOS = uploads.MAX_PHOTOS


def _percent(value) -> int:
    if value is None or value == "" or isinstance(value, bool):
        raise ValidationError({"percent": _("Please enter the percent complete, from 0 to 100.")})
    try:
        percent = int(str(value).replace("%", "").strip())
    except ValueError:
        raise ValidationError(
            {"percent": _("Please enter the percent complete, from 0 to 100.")}
        ) from None
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Please enter the percent complete, from 0 to 100.")})
    return percent


def report_photos_check(photos) -> list:
    """Check a report's photos the way proposals check theirs: return them
    re-encoded (uploads.CleanPhoto), or raise ValidationError on `photos`
    naming each bad file. Nothing is stored."""
    photos = [photo for photo in (photos or ()) if photo]
    if len(photos) > REPORT_MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("Please attach at most %(n)d photos.") % {"n": REPORT_MAX_PHOTOS}}
        )
    clean, messages = [], []
    for photo in photos:
        photo.seek(0)
        try:
            clean.append(uploads.clean_photo(photo))
        except ValidationError as exc:
            messages.extend(exc.messages)  # each names its file
    if messages:
        raise ValidationError({"photos": messages})
    return clean


def report_submit(
    *,
    report: ProgressReport,
    user,
    done: str,
    stage: str | None = None,
    percent,
    spent_budget=None,
    next_steps: str = "",
    photos=(),
) -> ProgressReport:
    """Submit a requested progress report: what was done, the stage (empty:
    unchanged), percent complete (0–100), budget spent so far (whole won, not
    negative; empty: unchanged), next steps and up to REPORT_MAX_PHOTOS
    photos (checked and re-encoded like a proposal's; stored as the card's
    attachments, linked to the report). Requires the operator or an
    official of the card's department (PermissionDenied otherwise). Refused
    (ServiceError) for a completed card or a report already submitted; a
    stage not reachable from the card's stage raises TransitionNotAllowed.
    Every value is checked before anything is written. Writes the report,
    the card's percent and spent budget, a public `report` history row, a
    `card_report` row on the proposal's timeline and, if the stage differs,
    the stage change through card_change_stage (in the same transaction).
    The proposer and followers are told (`card_report`)."""
    card = report.card
    if not rules.has_perm("tracking.change_card", user, card):
        raise PermissionDenied
    errors = {}
    done = (done or "").strip()
    next_steps = (next_steps or "").strip()
    if not done:
        errors["done"] = [_("Please write what was done.")]
    for field, text in (("done", done), ("next_steps", next_steps)):
        if len(text) > NOTE_MAX_LENGTH:
            errors[field] = [_("Please keep it within %(n)d characters.") % {"n": NOTE_MAX_LENGTH}]
    for field, value, clean in (
        ("percent", percent, lambda v, f: _percent(v)),
        ("spent_budget", spent_budget, _won),
    ):
        try:
            value = clean(value, field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            if field == "percent":
                percent = value
            else:
                spent_budget = value
    try:
        clean_photos = report_photos_check(photos)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with files_removed_on_error() as written, transaction.atomic():
        report = (
            ProgressReport.objects.select_for_update(of=("self",))
            .select_related("card")
            .get(pk=report.pk)
        )
        card = (
            ManagementCard.objects.select_for_update(of=("self",))
            .select_related("proposal", "department")
            .get(pk=report.card_id)
        )
        if refusal := card_rules.report_refusal(report, card):
            raise ServiceError(refusal)
        stage = stage or card.stage
        if stage != card.stage:
            # Refuses a stage the card cannot reach (TransitionNotAllowed).
            card = card_change_stage(
                card=card,
                user=user,
                to_stage=stage,
                note=for_the_record(
                    lambda: (
                        _("Progress report %(period)d: %(done)s")
                        % {"period": report.period, "done": done}
                    )
                )[:NOTE_MAX_LENGTH],
            )
        now = timezone.now()
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = now
        report.author = user
        report.done = done
        report.stage = stage
        report.percent_complete = percent
        report.spent_budget = spent_budget
        report.next_steps = next_steps
        report.save()
        changes = {}
        if card.percent_complete != percent:
            changes["percent_complete"] = [_as_text(card.percent_complete), _as_text(percent)]
            card.percent_complete = percent
        if spent_budget is not None and card.spent_budget != spent_budget:
            changes["spent_budget"] = [_as_text(card.spent_budget), _as_text(spent_budget)]
            card.spent_budget = spent_budget
        # Saved even with nothing changed: a report is news on the card
        # (the tracker's "updated" date).
        card.save(update_fields=[*changes, "updated_at"])
        for n, clean_photo in enumerate(clean_photos, start=1):
            _store_attachment(
                card=card,
                user=user,
                report=report,
                title=for_the_record(
                    lambda n=n: (
                        _("Progress report %(period)d, photo %(n)d")
                        % {"period": report.period, "n": n}
                    )
                ),
                clean_photo=clean_photo,
                written=written,
            )
        summary = for_the_record(
            lambda: (
                _("Progress report %(period)d: %(percent)d%% complete.")
                % {"period": report.period, "percent": percent}
            )
        )
        CardEvent.objects.create(
            card=card, kind=CardEventKind.REPORT, actor=user, changes=changes, note=summary
        )
        event_record(
            proposal=card.proposal,
            kind=EventKind.CARD_REPORT,
            actor=user,
            reason=f"{summary} {done}"[:NOTE_MAX_LENGTH],
            department=card.department,
        )
        notices.tell_card_report(card=card, report=report, percent=percent)
    return report


# --- attached photos and documents --------------------------------------------

ATTACHMENT_TITLE_MAX_LENGTH = 200


def card_attachment_check(*, title: str, photo=None, document=None):
    """Check one upload the way proposals check theirs (proposals.uploads):
    return (title, CleanPhoto or None, file kind or None), or raise
    ValidationError naming the field. Nothing is stored."""
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Please give the photo or document a title.")
    elif len(title) > ATTACHMENT_TITLE_MAX_LENGTH:
        errors["title"] = _("The title may be up to %(n)d characters.") % {
            "n": ATTACHMENT_TITLE_MAX_LENGTH
        }
    if (photo is None) == (document is None):
        errors["__all__"] = _("Attach either one photo or one document.")
    if errors:
        raise ValidationError(errors)
    clean_photo, file_kind = None, None
    if photo is not None:
        photo.seek(0)
        try:
            clean_photo = uploads.clean_photo(photo)
        except ValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from None
    else:
        document.seek(0)
        try:
            file_kind = uploads.clean_attachment(document)
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from None
    return title, clean_photo, file_kind


def card_attach(*, card: ManagementCard, user, title: str, photo=None, document=None):
    """Attach one photo or one document to the card. Requires the operator
    or an official of the card's department. The upload is checked like a
    proposal's (photos re-encoded without EXIF, with a thumbnail; documents
    by their contents); a bad one raises ValidationError and nothing is
    stored. Leaves an `attached` history row."""
    if not rules.has_perm("tracking.change_card", user, card):
        raise PermissionDenied
    title, clean_photo, file_kind = card_attachment_check(
        title=title, photo=photo, document=document
    )
    with files_removed_on_error() as written, transaction.atomic():
        card = ManagementCard.objects.select_for_update().get(pk=card.pk)
        item = _store_attachment(
            card=card,
            user=user,
            title=title,
            clean_photo=clean_photo,
            document=document,
            file_kind=file_kind,
            written=written,
        )
        CardEvent.objects.create(
            card=card,
            kind=CardEventKind.ATTACHED,
            actor=user,
            note=for_the_record(
                lambda: (
                    (
                        _("Photo attached: %(title)s")
                        if item.is_photo
                        else _("Document attached: %(title)s")
                    )
                    % {"title": title}
                )
            ),
        )
    return item


def _store_attachment(
    *, card, user, title, written, clean_photo=None, document=None, file_kind=None, report=None
) -> CardAttachment:
    """Write one checked photo (or document) of `card` and its row; the
    stored names go into `written` so a failure later in the caller's
    transaction removes them."""
    item = CardAttachment(card=card, report=report, title=title, uploaded_by=user)
    if clean_photo is not None:
        item.kind = AttachmentKind.PHOTO
        item.image.save(clean_photo.image.name, clean_photo.image, save=False)
        written.append(item.image.name)
        item.thumbnail.save(clean_photo.thumbnail.name, clean_photo.thumbnail, save=False)
        written.append(item.thumbnail.name)
    else:
        document.seek(0)
        item.kind = AttachmentKind.DOCUMENT
        item.original_name = (document.name or f"file.{file_kind}").rsplit("/", 1)[-1][-200:]
        item.size = document.size
        item.file_kind = file_kind
        item.file.save(f"file.{file_kind}", document, save=False)
        written.append(item.file.name)
    item.save()
    return item


def card_detach(*, attachment: CardAttachment, user) -> None:
    """Remove a photo or document from its card (a wrong or private
    picture, an outdated plan). Requires the operator or an official of the
    card's department. The row goes, its files leave the disk once the
    removal is committed, and a public `detached` history row keeps who
    removed what and when."""
    card = attachment.card
    if not rules.has_perm("tracking.change_card", user, card):
        raise PermissionDenied
    with transaction.atomic():
        ManagementCard.objects.select_for_update().get(pk=card.pk)
        item = CardAttachment.objects.filter(pk=attachment.pk, card=card).first()
        if item is None:
            raise ServiceError(_("This photo or document has already been removed."))
        names = [f.name for f in (item.image, item.thumbnail, item.file) if f]
        title, is_photo = item.title, item.is_photo
        item.delete()
        CardEvent.objects.create(
            card=card,
            kind=CardEventKind.DETACHED,
            actor=user,
            note=for_the_record(
                lambda: (
                    (
                        _("Photo removed: %(title)s")
                        if is_photo
                        else _("Document removed: %(title)s")
                    )
                    % {"title": title}
                )
            ),
        )
        delete_files_on_commit(names)
