"""The words of the timeline rows the answers stage writes (see
proposals/event_texts.py): codes and parameters are stored, these sentences
are written when a row is read, in the reader's language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from notifications.messages import choices, dates
from proposals.event_texts import EventText

from .models import AnswerDecision

# {"decision": AnswerDecision code, "late_days": whole days after the deadline, 0 if on time}
ANSWER_PUBLISHED = "answer_published"
ANSWER_RATED = "answer_rated"  # {"score": 1..5}
# {"days": days granted, "deadline": the new due date, ISO}; the department's reason as typed
DEADLINE_EXTENDED = "deadline_extended"


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


TEXTS = {
    ANSWER_PUBLISHED: EventText(_published, formats={"decision": choices(AnswerDecision)}),
    ANSWER_RATED: EventText(gettext_lazy("%(score)d out of 5")),
    DEADLINE_EXTENDED: EventText(_extended, formats={"deadline": dates}),
}
