"""How this app's audit rows read (accounts/audit.py), written when the row
is read, in the reader's language, from the ids stored and the note as the
operator typed it."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import AuditAction
from accounts.models import User

from .services import APPLICATION_APPROVED, APPLICATION_REFUSED, MEMBERSHIP_ENDED


def member_names(values: set) -> dict[int, str]:
    """Member ids as staff know them: their name, else their address (one query)."""
    ids = {value for value in values if isinstance(value, int)}
    return {
        user.pk: user.display_name.strip() or user.email
        for user in User.objects.filter(pk__in=ids).only("pk", "display_name", "email")
    }


ACTIONS = {
    APPLICATION_APPROVED: AuditAction(
        label=gettext_lazy("Citizen panel application approved"),
        words=lambda params: (
            _("Approved %(member)s's application: they joined the citizen panel.")
            % {"member": params.get("member")}
        ),
        formats={"member": member_names},
    ),
    APPLICATION_REFUSED: AuditAction(
        label=gettext_lazy("Citizen panel application refused"),
        words=lambda params: (
            _("Refused %(member)s's application to the citizen panel: %(note)s")
            % {"member": params.get("member"), "note": params.get("note")}
        ),
        formats={"member": member_names},
    ),
    MEMBERSHIP_ENDED: AuditAction(
        label=gettext_lazy("Citizen panel membership ended"),
        words=lambda params: (
            _("Ended %(member)s's citizen panel membership: %(note)s")
            % {"member": params.get("member"), "note": params.get("note")}
        ),
        formats={"member": member_names},
    ),
}
