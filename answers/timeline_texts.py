"""The words of the timeline rows the answers stage writes (see
proposals/event_texts.py): codes and parameters are stored, these sentences
are written when a row is read, in the reader's language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from notifications.messages import choices, dates
from proposals.event_texts import EventText

from .models import AnswerDecision, RefusalBasisKind

# {"decision": AnswerDecision code, "late_days": whole days after the deadline, 0 if on time}
ANSWER_PUBLISHED = "answer_published"
ANSWER_RATED = "answer_rated"  # {"score": 1..5}
# {"days": days granted, "deadline": the new due date, ISO}; the department's reason as typed
DEADLINE_EXTENDED = "deadline_extended"
# {"fields": [changed field names], "decision": code, "old_decision": code}
ANSWER_AMENDED = "answer_amended"


def part_names() -> dict[str, str]:
    """The names of an answer's parts an amendment may change, in the
    active language (the timeline, the public panel and the workroom)."""
    return {
        "decision": _("decision"),
        "summary": _("answer in short"),
        "necessity": _("necessity"),
        "effectiveness": _("effectiveness"),
        "feasibility": _("feasibility"),
        "estimated_budget": _("estimated budget"),
        "refusal_basis_kind": _("basis for not accepting"),
        "refusal_basis": _("basis in plain words"),
    }


# Internal: the official writing the draft can no longer carry it
# {"reason": "moved" | "deactivated" | "role_withdrawn", "fallback": "head" | "operators"}
AUTHOR_LEFT = "answer_author_left"


def _author_left(params: dict) -> str:
    why = {
        "moved": _("The official writing the answer moved to another department."),
        "deactivated": _("The official writing the answer was deactivated."),
        "role_withdrawn": _("The official writing the answer no longer holds the official role."),
    }.get(params.get("reason"), "")
    falls_to = (
        _("The answer falls to the department head until another official takes it up.")
        if params.get("fallback") == "head"
        else _("The answer falls to the operators until another official takes it up.")
    )
    return " ".join(part for part in (why, falls_to) if part)


def _published(params: dict) -> str:
    late = params.get("late_days") or 0
    if late <= 0:
        return _("Decision: %(decision)s. Answered by the deadline.") % params
    return ngettext(
        "Decision: %(decision)s. Answered %(days)d day after the deadline.",
        "Decision: %(decision)s. Answered %(days)d days after the deadline.",
        late,
    ) % {"decision": params["decision"], "days": late}


def _extended(params: dict) -> str:
    return ngettext(
        "%(days)d more day was granted: the answer is now due by %(deadline)s.",
        "%(days)d more days were granted: the answer is now due by %(deadline)s.",
        params["days"],
    ) % {"days": params["days"], "deadline": params["deadline"]}


def part_value(field: str, value) -> str:
    """An answer part's value as a reader sees it (labels, won)."""
    if field == "decision":
        return str(AnswerDecision(value).label) if value in AnswerDecision.values else "—"
    if field == "refusal_basis_kind":
        return str(RefusalBasisKind(value).label) if value in RefusalBasisKind.values else "—"
    if field == "estimated_budget":
        if value is None:
            return _("Not estimated")
        return _("₩%(amount)s") % {"amount": f"{value:,}"}
    return value or "—"


def amendment_changes_shown(amendment, before: dict) -> list[dict]:
    """What an amendment changes, part by part: {"name", "before", "after"}
    in the active language. `before` holds the earlier values (the
    amendment's `previous` once approved, the answer's while submitted)."""
    names = part_names()
    fields = amendment.changed or [f for f in names if before.get(f) != getattr(amendment, f)]
    return [
        {
            "field": field,
            "name": names[field],
            "before": part_value(field, before.get(field)),
            "after": part_value(field, getattr(amendment, field)),
        }
        for field in fields
        if field in names
    ]


def _amended(params: dict) -> str:
    names = part_names()
    fields = [str(names.get(f, f)) for f in params.get("fields") or []]
    text = _("Changed: %(parts)s.") % {"parts": ", ".join(fields)}
    old = params.get("old_decision")
    if old and old != params.get("decision"):
        text += " " + _("The decision changed from %(old)s to %(new)s.") % {
            "old": old,
            "new": params.get("decision"),
        }
    return text


TEXTS = {
    ANSWER_PUBLISHED: EventText(_published, formats={"decision": choices(AnswerDecision)}),
    ANSWER_RATED: EventText(gettext_lazy("%(score)d out of 5")),
    DEADLINE_EXTENDED: EventText(_extended, formats={"deadline": dates}),
    ANSWER_AMENDED: EventText(
        _amended,
        formats={"decision": choices(AnswerDecision), "old_decision": choices(AnswerDecision)},
    ),
    AUTHOR_LEFT: EventText(_author_left),
}
