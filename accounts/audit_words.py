"""How the staff screen's audit rows read (accounts/audit.py): codes, role
codes and department ids are stored; these words are written when a row is
read, in the reader's language."""

from django.utils.translation import gettext_lazy as _

from .audit import AuditAction, role_names
from .selectors import department_names
from .services import (
    DEPARTMENT_SET,
    INSTITUTION_ADMIN_GRANTED,
    INSTITUTION_ADMIN_REVOKED,
    INSTITUTION_REGISTERED,
    INSTITUTION_UPDATED,
    ROLE_GRANTED,
    ROLE_WITHDRAWN,
    STAFF_DEACTIVATED,
    STAFF_REACTIVATED,
)


def _granted(params: dict) -> str:
    if params.get("department") is not None:
        return str(_("Granted the role “%(role)s” in %(department)s.") % params)
    return str(_("Granted the role “%(role)s”.") % params)


def _withdrawn(params: dict) -> str:
    if params.get("department") is not None:
        return str(_("Withdrew the role “%(role)s” (was in %(department)s).") % params)
    return str(_("Withdrew the role “%(role)s”.") % params)


def _moved(params: dict) -> str:
    if params.get("from") is None:
        return str(_("Set the department to %(to)s.") % params)
    return str(_("Moved from %(from)s to %(to)s.") % params)


def institution_names(ids: set) -> dict[int, str]:
    """Institution ids → their names in the active language (one query)."""
    from .models import Institution

    wanted = {pk for pk in ids if isinstance(pk, int) and not isinstance(pk, bool)}
    if not wanted:
        return {}
    return {i.pk: i.label for i in Institution.objects.filter(pk__in=wanted)}


def _institution_changed(params: dict) -> str:
    return str(_("Changed: %(fields)s.") % {"fields": ", ".join(params.get("fields") or [])})


ROLE_FORMATS = {"role": role_names, "department": department_names}

ACTIONS = {
    ROLE_GRANTED: AuditAction(label=_("Staff role granted"), words=_granted, formats=ROLE_FORMATS),
    ROLE_WITHDRAWN: AuditAction(
        label=_("Staff role withdrawn"), words=_withdrawn, formats=ROLE_FORMATS
    ),
    DEPARTMENT_SET: AuditAction(
        label=_("Official moved to another department"),
        words=_moved,
        formats={"from": department_names, "to": department_names},
    ),
    STAFF_DEACTIVATED: AuditAction(
        label=_("Staff account deactivated"), words=_("Deactivated the account.")
    ),
    STAFF_REACTIVATED: AuditAction(
        label=_("Staff account reactivated"), words=_("Reactivated the account.")
    ),
    INSTITUTION_REGISTERED: AuditAction(
        label=_("Partner institution registered"), words=_("Registered the institution.")
    ),
    INSTITUTION_UPDATED: AuditAction(
        label=_("Partner institution changed"), words=_institution_changed
    ),
    INSTITUTION_ADMIN_GRANTED: AuditAction(
        label=_("Institution administrator appointed"),
        words=lambda params: str(_("Made an administrator of %(institution)s.") % params),
        formats={"institution": institution_names},
    ),
    INSTITUTION_ADMIN_REVOKED: AuditAction(
        label=_("Institution administrator removed"),
        words=lambda params: str(_("Removed as an administrator of %(institution)s.") % params),
        formats={"institution": institution_names},
    ),
}
