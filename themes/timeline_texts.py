"""The words of the timeline rows themes writes on a proposal (see
proposals/event_texts.py): codes and the theme's id are stored, the theme's
title is looked up when the row is read."""

from django.utils.translation import gettext_lazy

from proposals.event_texts import EventText

from .models import Theme

THEME_SUBMITTED = "theme_submitted"  # {"theme": id}
THEME_DEBATE_PICKED = "theme_debate_picked"  # {"theme": id}


def theme_titles(values: set) -> dict[int, str]:
    """Theme ids → titles, one query for a page of rows."""
    wanted = {v for v in values if isinstance(v, int) and not isinstance(v, bool)}
    return dict(Theme.objects.filter(pk__in=wanted).values_list("pk", "title"))


TEXTS = {
    THEME_SUBMITTED: EventText(
        gettext_lazy("Submitted to the theme “%(theme)s”."), {"theme": theme_titles}
    ),
    THEME_DEBATE_PICKED: EventText(
        gettext_lazy("Picked for the debate of the theme “%(theme)s”."), {"theme": theme_titles}
    ),
}
