"""Bimonthly progress reports (2개월 점검): the requests the beat makes, the
reminders and escalation, and the official's report."""

import datetime as dt

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import is_usable_official, work_fallback
from oasis.errors import PermissionDenied, ServiceError
from oasis.files import files_removed_on_error
from oasis.i18n import for_the_record
from proposals import uploads
from proposals.models import EventKind
from proposals.timeline import event_record

from .. import notices, selectors, timeline_texts
from .. import rules as card_rules
from ..models import (
    NOTE_MAX_LENGTH,
    REPORT_DUE_DAYS,
    REPORT_EVERY_MONTHS,
    REPORT_REMIND_DAYS,
    CardEvent,
    CardEventKind,
    CardStage,
    ManagementCard,
    ProgressReport,
    ReportStatus,
)
from .attachments import store_attachment
from .cards import card_change_stage, parse_won, record_text


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
    """Who is asked for (and reminded of) a card's report: its responsible
    official if usable (active, an official of the card's department); else
    the card's fallback until a new owner is named: the department's usable
    head, else the operators (tracking/ownership.py)."""
    official = card.responsible_official
    if is_usable_official(official, card.department_id):
        return [official]
    return work_fallback(card.department)


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
    try:
        return uploads.clean_photos(photos)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from None  # each names its file


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
        ("spent_budget", spent_budget, parse_won),
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
                note=done[:NOTE_MAX_LENGTH],
                report_period=report.period,
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
            changes["percent_complete"] = [record_text(card.percent_complete), record_text(percent)]
            card.percent_complete = percent
        if spent_budget is not None and card.spent_budget != spent_budget:
            changes["spent_budget"] = [record_text(card.spent_budget), record_text(spent_budget)]
            card.spent_budget = spent_budget
        # Saved even with nothing changed: a report is news on the card
        # (the tracker's "updated" date).
        card.save(update_fields=[*changes, "updated_at"])
        for n, clean_photo in enumerate(clean_photos, start=1):
            store_attachment(
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
        summary = {"text": timeline_texts.CARD_REPORT, "period": report.period, "percent": percent}
        CardEvent.objects.create(
            card=card, kind=CardEventKind.REPORT, actor=user, changes=changes, params=summary
        )
        event_record(
            proposal=card.proposal,
            kind=EventKind.CARD_REPORT,
            actor=user,
            reason=done[:NOTE_MAX_LENGTH],
            params=summary,
            department=card.department,
        )
        notices.tell_card_report(card=card, report=report, percent=percent)
    return report


def report_file(
    *,
    card: ManagementCard,
    user,
    done: str,
    stage: str | None = None,
    percent,
    spent_budget=None,
    next_steps: str = "",
    photos=(),
) -> ProgressReport:
    """Write the card's progress report now, whether or not the schedule has
    asked for one. Requires the operator, the card's responsible official or
    its department's head (`tracking.file_report`); refused for a completed
    card. If a request is open (the oldest, if several), this submits it.
    Otherwise it opens the next period's report, requested now by the
    writer and due today, and submits it: it counts as that period's
    report, and the schedule asks for the next one REPORT_EVERY_MONTHS after
    it (report_next_request_at), so reports are never more than that apart.
    Everything else (checks, writes, history and timeline rows, notices) is
    report_submit's; a refused value leaves nothing behind."""
    if not rules.has_perm("tracking.file_report", user, card):
        raise PermissionDenied
    with transaction.atomic():
        # Under the card's lock, as report_request_due takes it: the
        # schedule either sees this report or made its request first.
        card = ManagementCard.objects.select_for_update(of=("self",)).get(pk=card.pk)
        if refusal := card_rules.report_filing_refusal(card):
            raise ServiceError(refusal)
        report = open_report_request(card)
        if report is None:
            now = timezone.now()
            last_period = card.progress_reports.aggregate(n=Max("period"))["n"] or 0
            report = ProgressReport.objects.create(
                card=card,
                period=last_period + 1,
                requested_at=now,
                due_date=timezone.localdate(now),
            )
        return report_submit(
            report=report,
            user=user,
            done=done,
            stage=stage,
            percent=percent,
            spent_budget=spent_budget,
            next_steps=next_steps,
            photos=photos,
        )


def open_report_request(card: ManagementCard) -> ProgressReport | None:
    """The card's oldest requested (unsubmitted) report, which a report
    written now answers; None if the schedule has not asked."""
    return card.progress_reports.filter(status=ReportStatus.REQUESTED).order_by("period").first()
