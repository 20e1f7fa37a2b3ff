"""The words of the timeline rows the debates stage writes (see
proposals/event_texts.py): codes and parameters are stored, these sentences
are written when a row is read, in the reader's language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proposals.event_texts import EventText

# {"for", "against", "undecided": counts; "withdrawn": closed because the
# proposer withdrew the proposal}
DEBATE_COUNTS = "debate_counts"
ARGUMENT_MODERATED = "argument_moderated"  # {"id": the argument's id}


def _counts(params: dict) -> str:
    line = _("%(for)d for, %(against)d against, %(undecided)d undecided.") % params
    if params.get("withdrawn"):
        line = f"{line} {_('The proposer withdrew the proposal.')}"
    return line


TEXTS = {
    DEBATE_COUNTS: EventText(_counts),
    ARGUMENT_MODERATED: EventText(gettext_lazy("Debate argument #%(id)s:")),
}
