"""The words of the timeline rows the proposals core writes itself (see
event_texts.py): codes and category ids are stored, these sentences are
written when a row is read, in the reader's language."""

from django.utils.translation import gettext_lazy as _

from .event_texts import EventText
from .models import Category
from .services import RECATEGORISED_TEXT


def category_names(values: set) -> dict[int, str]:
    """Category ids → their names in the active language (one query)."""
    ids = [value for value in values if isinstance(value, int) and not isinstance(value, bool)]
    return {category.pk: category.label for category in Category.objects.filter(pk__in=ids)}


TEXTS = {
    RECATEGORISED_TEXT: EventText(
        _("Moved from “%(from_category)s” to “%(to_category)s”."),
        formats={"from_category": category_names, "to_category": category_names},
    ),
}
