"""How the discussion poll's audit rows read (accounts/audit.py): the poll's
id and the reason as the operator typed it are stored; these words are
written when a row is read, in the reader's language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import AuditAction

from .models import Poll
from .services.discussion import ARGUMENT_HIDDEN, ARGUMENT_UNHIDDEN


def poll_titles(values: set) -> dict[int, str]:
    """Poll ids as their titles (one query for a page of rows)."""
    ids = {value for value in values if isinstance(value, int)}
    return dict(Poll.objects.filter(pk__in=ids).values_list("pk", "title"))


ACTIONS = {
    ARGUMENT_HIDDEN: AuditAction(
        label=gettext_lazy("Poll argument hidden"),
        words=lambda params: (
            _("Hid an argument in the poll “%(poll)s”: %(note)s")
            % {"poll": params.get("poll"), "note": params.get("note")}
        ),
        formats={"poll": poll_titles},
    ),
    ARGUMENT_UNHIDDEN: AuditAction(
        label=gettext_lazy("Poll argument shown again"),
        words=lambda params: (
            _("Showed an argument in the poll “%(poll)s” again: %(note)s")
            % {"poll": params.get("poll"), "note": params.get("note")}
        ),
        formats={"poll": poll_titles},
    ),
}
