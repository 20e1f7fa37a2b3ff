"""Opening a management card, its stage changes, handoffs and edits of budget
and target date. See the package docstring for what every function does."""

import datetime as dt

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import is_usable_official, usable_head
from answers.models import Answer, AnswerDecision, AnswerStatus
from oasis.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from proposals.models import EventKind
from proposals.timeline import event_record

from .. import notices, timeline_texts
from .. import rules as card_rules
from ..models import (
    MAX_WON,
    NOTE_MAX_LENGTH,
    CardEvent,
    CardEventKind,
    CardKind,
    CardStage,
    ManagementCard,
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


# Why a new card's responsible official was chosen, kept as a code on the
# internal history row that names them (its params, named when read:
# timeline_texts.OWNER_CHOSEN).
OWNER_IS_DEPARTMENT_HEAD = "department_head"
OWNER_NAMED_BY_MEETING = "meeting_named"
OWNER_WROTE_THE_ANSWER = "answer_author"


def initial_owner(*, proposal, department, agenda_item=None) -> tuple[object | None, str]:
    """Who carries a new card, and why, in this order: the official the
    meeting named on the decision (`agenda_item.responsible_official`), if
    still usable (an active official of the department): the meeting's
    explicit choice comes first; else the department's head, if usable;
    else the official who wrote the proposal's published answer, if still
    usable; else nobody: the card is then without owner and falls to the
    head or the operators (flagged, never lost) until it is handed over."""
    if department is None:
        return None, ""
    named = agenda_item.responsible_official if agenda_item is not None else None
    if is_usable_official(named, department.pk):
        return named, OWNER_NAMED_BY_MEETING
    head = usable_head(department)
    if head is not None:
        return head, OWNER_IS_DEPARTMENT_HEAD
    answer = (
        Answer.objects.filter(assignment__proposal=proposal, status=AnswerStatus.PUBLISHED)
        .select_related("written_by")
        .order_by("-published_at", "-id")
        .first()
    )
    author = answer.written_by if answer is not None else None
    if is_usable_official(author, department.pk):
        return author, OWNER_WROTE_THE_ANSWER
    return None, ""


def _card_owner_named(card: ManagementCard, agenda_item=None) -> None:
    """A new card's responsible official (initial_owner: the official the
    meeting named, else the head, else the answer's author, else none) and,
    when one was found, an internal `handoff` row naming them with why (a
    code)."""
    owner, chosen_as = initial_owner(
        proposal=card.proposal, department=card.department, agenda_item=agenda_item
    )
    if owner is None:
        return
    card.responsible_official = owner
    card.save(update_fields=["responsible_official", "updated_at"])
    # Internal, like every row that names an official; the actor is
    # nobody: the rule chose, not a person.
    CardEvent.objects.create(
        card=card,
        kind=CardEventKind.HANDOFF,
        to_official=owner,
        params={"text": timeline_texts.OWNER_CHOSEN, "chosen_as": chosen_as},
        is_public=False,
    )


def _card_department(proposal):
    return proposal.department or proposal.category.default_department


def management_card_open(*, agenda_item) -> ManagementCard:
    """Open the management card of a proposal the realization meeting has just
    adopted: its department (the proposal's, else its category's default),
    the meeting's conditions, stage `review`, its responsible official
    (see _card_owner_named), an `opened` history row.
    Called inside the decision's transaction (meetings.services.agenda_item_decide
    sends `item_adopted`; the conductor connects this, pipeline/apps.py).
    Exactly one card per proposal: calling again returns the existing card
    unchanged. The department's officials are told (`card_opened`).

    A proposal the department had promised (a `promise` card, opened by its
    accepting answer) keeps that card: it becomes `adopted`, names the
    meeting's decision and conditions, and keeps its stage, history, reports
    and owner; an `adopted` history row and a public timeline row say so,
    and the department is told (`promise_adopted`). The operator then has
    one record of the work, not two that drift apart."""
    proposal = agenda_item.proposal
    department = _card_department(proposal)
    with transaction.atomic():
        card, created = ManagementCard.objects.select_for_update(of=("self",)).get_or_create(
            proposal=proposal,
            defaults={
                "kind": CardKind.ADOPTED,
                "agenda_item": agenda_item,
                "department": department,
                "conditions": agenda_item.conditions,
                "stage_changed_at": timezone.now(),
            },
        )
        if not created and card.kind == CardKind.PROMISE:
            return _promise_adopted(card, agenda_item)
        if created:
            CardEvent.objects.create(
                card=card,
                kind=CardEventKind.OPENED,
                actor=agenda_item.decided_by,
                to_stage=CardStage.REVIEW,
                note=agenda_item.conditions,
            )
            _card_owner_named(card, agenda_item)
        if created and department is not None:
            notices.tell_card_opened(card=card)
    return card


def _promise_adopted(card: ManagementCard, agenda_item) -> ManagementCard:
    """The meeting adopted a proposal whose promise card is open: the same
    card carries on as an adopted item (see management_card_open)."""
    card.kind = CardKind.ADOPTED
    card.agenda_item = agenda_item
    card.conditions = agenda_item.conditions
    card.save(update_fields=["kind", "agenda_item", "conditions", "updated_at"])
    CardEvent.objects.create(
        card=card,
        kind=CardEventKind.ADOPTED,
        actor=agenda_item.decided_by,
        note=agenda_item.conditions,
        params={"text": timeline_texts.PROMISE_ADOPTED},
    )
    event_record(
        proposal=card.proposal,
        kind=EventKind.PROMISE_ADOPTED,
        actor=agenda_item.decided_by,
        params={"text": timeline_texts.PROMISE_ADOPTED},
        department=card.department,
    )
    # The promise keeps its owner, unless the meeting named someone else.
    named = agenda_item.responsible_official
    if named is not None and named.pk != card.responsible_official_id:
        if is_usable_official(named, card.department_id):
            _card_owner_named(card, agenda_item)
    if card.department_id is not None:
        notices.tell_promise_adopted(card=card)
    return card


# The answers that the department's word makes a promise (수용, 일부 수용).
PROMISE_DECISIONS = frozenset({AnswerDecision.ACCEPT, AnswerDecision.PARTIALLY_ACCEPT})


def promise_card_open(*, answer) -> ManagementCard | None:
    """Open a `promise` card for a published answer of 수용 or 일부 수용:
    the answering department (else the proposal's), stage `review`, its
    responsible official (see _card_owner_named), a public `opened` history
    row ("opened from the department's answer"), a PROMISE_OPENED row on the
    proposal's timeline; the department's officials are told
    (`promise_opened`). From then on it is kept like any card: stages,
    reports every two months, handoffs.
    Called inside the answer's publication (answers.signals.answer_published;
    the conductor connects it, pipeline/apps.py, and leaves out a proposal
    that goes on to debate). Any other decision, or a proposal that already
    has a card, opens nothing and returns None."""
    if answer.decision not in PROMISE_DECISIONS:
        return None
    assignment = answer.assignment
    proposal = assignment.proposal
    department = assignment.department or _card_department(proposal)
    with transaction.atomic():
        card, created = ManagementCard.objects.get_or_create(
            proposal=proposal,
            defaults={
                "kind": CardKind.PROMISE,
                "answer": answer,
                "department": department,
                "stage_changed_at": timezone.now(),
            },
        )
        if not created:
            return None
        CardEvent.objects.create(
            card=card,
            kind=CardEventKind.OPENED,
            actor=answer.approved_by,
            to_stage=CardStage.REVIEW,
            params={"text": timeline_texts.PROMISE_OPENED, "decision": answer.decision},
        )
        event_record(
            proposal=proposal,
            kind=EventKind.PROMISE_OPENED,
            actor=None,
            params={"text": timeline_texts.PROMISE_OPENED, "decision": answer.decision},
            department=department,
        )
        _card_owner_named(card)
        if department is not None:
            notices.tell_card_opened(card=card)
    return card


def card_change_stage(
    *, card: ManagementCard, user, to_stage: str, note: str, report_period: int | None = None
) -> ManagementCard:
    """Move the card to `to_stage` along STAGE_TRANSITIONS, with a note
    (for `suspended`, the note is the reason and is kept on the card).
    Requires the operator or an official of the card's department. Writes the
    stage, stage_changed_at (and suspended_reason), a public `stage_changed`
    history row and a `card_stage_changed` row on the proposal's timeline;
    the proposer and followers are told (`card_stage_changed`) once.
    `report_period` names the progress report that moved the card, if one did."""
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
            params=(
                {"text": timeline_texts.REPORT_STAGE, "period": report_period}
                if report_period
                else {}
            ),
        )
        stage_params = {"text": timeline_texts.CARD_STAGE, "from": from_stage, "to": to_stage}
        if report_period:
            stage_params["period"] = report_period
        event_record(
            proposal=card.proposal,
            kind=EventKind.CARD_STAGE_CHANGED,
            actor=user,
            reason=note,
            params=stage_params,
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


def parse_won(value, field: str) -> int | None:
    """An amount in won from a form or a spreadsheet cell, or None; a
    ValidationError on `field` for anything else (also used by reports)."""
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
    if amount > MAX_WON:
        raise ValidationError({field: _("This amount is too large. Please check it.")})
    return amount


def parse_date(value, field: str) -> dt.date | None:
    """A date from a form or a spreadsheet cell (a date, or YYYY-MM-DD text),
    or None; a ValidationError on `field` for anything else (also used by
    the spreadsheet import)."""
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
        ("planned_budget", planned_budget, parse_won),
        ("spent_budget", spent_budget, parse_won),
        ("target_date", target_date, parse_date),
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
            field: [record_text(getattr(card, field)), record_text(value)]
            for field, value in values.items()
            if getattr(card, field) != value
        }
        if not changes:
            return card
        for field in changes:
            setattr(card, field, values[field])
        card.save(update_fields=[*changes, "updated_at"])
        CardEvent.objects.create(
            card=card,
            kind=CardEventKind.EDITED,
            actor=user,
            changes=changes,
            note=note,
            # The field names are written when read (timeline_texts.py).
            params={"text": timeline_texts.CARD_EDITED, "fields": list(changes)},
        )
    return card


def record_text(value) -> str:
    """A value as the change log records it (also used by reports)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
