"""The words of the timeline rows the proposals core writes itself (see
event_texts.py): codes and category ids are stored, these sentences are
written when a row is read, in the reader's language."""

from django.utils.translation import gettext_lazy as _

from .event_texts import EventText
from .merging import MERGED_FROM_TEXT, MERGED_INTO_TEXT
from .models import Category, Proposal, ProposalStatus
from .services import RECATEGORISED_TEXT


def category_names(values: set) -> dict[int, str]:
    """Category ids → their names in the active language (one query)."""
    ids = [value for value in values if isinstance(value, int) and not isinstance(value, bool)]
    return {category.pk: category.label for category in Category.objects.filter(pk__in=ids)}


def proposal_names(values: set) -> dict[int, str]:
    """Proposal ids → "#id “title”" (one query)."""
    ids = [value for value in values if isinstance(value, int) and not isinstance(value, bool)]
    return {
        pk: f"#{pk} “{title}”"
        for pk, title in Proposal.objects.filter(pk__in=ids).values_list("pk", "title")
    }


def status_names(values: set) -> dict[str, str]:
    """Status codes → their labels in the active language."""
    return {
        code: str(ProposalStatus(code).label) for code in values if code in ProposalStatus.values
    }


TEXTS = {
    MERGED_INTO_TEXT: EventText(
        _(
            "Merged into %(into)s. It keeps the record of reaching “%(stage)s”; its endorsers are asked to carry their endorsement over."
        ),
        formats={"into": proposal_names, "stage": status_names},
    ),
    MERGED_FROM_TEXT: EventText(
        _("%(from)s was merged into this proposal."),
        formats={"from": proposal_names},
    ),
    RECATEGORISED_TEXT: EventText(
        _("Moved from “%(from_category)s” to “%(to_category)s”."),
        formats={"from_category": category_names, "to_category": category_names},
    ),
}
