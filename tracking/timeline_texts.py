"""The words of the rows the tracking stage writes, on the proposal's
timeline and in a card's history (see proposals/event_texts.py): codes and
parameters are stored, these sentences are written when a row is read, in
the reader's language. A note typed by a person is stored as typed."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from notifications.messages import choices
from proposals.event_texts import EventText

from .models import CardStage, ManagementCard

# Timeline: {"from", "to": CardStage codes; "period": the progress report
# that moved the card, if one did}
CARD_STAGE = "card_stage"
# Timeline and card history: {"period": the report's number, "percent": done}
CARD_REPORT = "card_report"
# Card history: the stage change a report made {"period"}
REPORT_STAGE = "report_stage"
# Card history: {"fields": [ManagementCard field names]}
CARD_EDITED = "card_edited"
# Card history: {"photo": a photo (else a document), "title": its title as typed}
ATTACHED = "attached"
DETACHED = "detached"
# Card history: why a new card's responsible official was chosen
# {"chosen_as": services.cards.OWNER_* code}
OWNER_CHOSEN = "owner_chosen"
# Card history: the responsible official can no longer carry the card
# {"reason": "moved" | "deactivated" | "role_withdrawn", "fallback": "head" |
# "operators"}; from_official names them (internal row).
OWNER_LEFT = "owner_left"


def _report_prefix(params: dict) -> str:
    return _("Progress report %(period)d:") % params if params.get("period") else ""


def _stage(params: dict) -> str:
    line = _("Adopted item: “%(from)s” → “%(to)s”.") % params
    return " ".join(part for part in (line, _report_prefix(params)) if part)


def _report(params: dict) -> str:
    return _("Progress report %(period)d: %(percent)d%% complete.") % params


def _field_names(params: dict) -> str:
    names = []
    for name in params.get("fields") or []:
        try:
            names.append(str(ManagementCard._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            names.append(str(name))
    return _("Changed: %(fields)s.") % {"fields": ", ".join(names)}


def _attached(params: dict) -> str:
    text = (
        _("Photo attached: %(title)s") if params.get("photo") else _("Document attached: %(title)s")
    )
    return text % params


def _detached(params: dict) -> str:
    text = (
        _("Photo removed: %(title)s") if params.get("photo") else _("Document removed: %(title)s")
    )
    return text % params


def _owner_chosen(params: dict) -> str:
    return {
        "department_head": _("Responsible at opening: the department's head"),
        "answer_author": _("Responsible at opening: wrote the department's answer"),
        "meeting_named": _("Responsible at opening: named by the meeting"),
    }.get(params.get("chosen_as"), "")


def _owner_left(params: dict) -> str:
    why = {
        "moved": _("The responsible official moved to another department."),
        "deactivated": _("The responsible official's account was deactivated."),
        "role_withdrawn": _("The responsible official no longer holds the official role."),
    }.get(params.get("reason"), "")
    falls_to = (
        _("Without owner: it falls to the department head until it is handed on.")
        if params.get("fallback") == "head"
        else _("Without owner: it falls to the operators until it is handed on.")
    )
    return " ".join(part for part in (why, falls_to) if part)


_stages = choices(CardStage)

TEXTS = {
    CARD_STAGE: EventText(_stage, formats={"from": _stages, "to": _stages}),
    CARD_REPORT: EventText(_report),
    REPORT_STAGE: EventText(_report_prefix),
    CARD_EDITED: EventText(_field_names),
    ATTACHED: EventText(_attached),
    DETACHED: EventText(_detached),
    OWNER_CHOSEN: EventText(_owner_chosen),
    OWNER_LEFT: EventText(_owner_left),
}
