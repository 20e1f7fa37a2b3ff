"""The words of the timeline rows the conductor writes (see
proposals/event_texts.py): codes and parameters are stored, these sentences
are written when a row is read, in the reader's language."""

from django.utils.translation import gettext_lazy as _

from proposals.event_texts import EventText

ENDORSED = "endorsed"  # {"count": endorsements when the bar was passed}
WINDOW_CLOSED = "endorsement_window_closed"  # {"count": endorsements, "bar": needed}

TEXTS = {
    ENDORSED: EventText(_("%(count)d citizens endorsed it.")),
    WINDOW_CLOSED: EventText(
        _("The endorsement window closed with %(count)d of the %(bar)d endorsements needed.")
    ),
}
