"""How the conductor's audit rows read (accounts/audit.py), written when the
row is read, in the reader's language, from the codes and numbers stored."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.audit import AuditAction
from accounts.selectors import department_names
from proposals.models import PipelineSettings

from .services import SETTINGS_CHANGED


def _field_name(name: str) -> str:
    try:
        return str(PipelineSettings._meta.get_field(name).verbose_name)
    except LookupError:
        return name


def _value(name: str, value):
    """A stored value as the settings page names it: a choice's label (the
    unit days are counted in), anything else as it is."""
    try:
        choices = dict(PipelineSettings._meta.get_field(name).flatchoices)
    except LookupError:
        return value
    return str(choices.get(value, value)) if choices else value


def settings_changed(params: dict) -> str:
    """'endorsements for a department answer: 50 → 10. Confirmed after the
    preview: 18 proposals to promote, notifying these departments: …'."""
    parts = [
        _("%(setting)s: %(old)s → %(new)s")
        % {"setting": _field_name(name), "old": _value(name, old), "new": _value(name, new)}
        for name, (old, new) in sorted(params["changes"].items())
    ]
    text = "; ".join(parts) + "."
    if "promoted" in params:
        names = ", ".join(sorted(str(name) for name in params.get("departments", []))) or _("none")
        text += " " + ngettext(
            "Confirmed after the preview: %(count)d proposal to promote, notifying these departments: %(departments)s.",
            "Confirmed after the preview: %(count)d proposals to promote, notifying these departments: %(departments)s.",
            params["promoted"],
        ) % {"count": params["promoted"], "departments": names}
    return text


ACTIONS = {
    SETTINGS_CHANGED: AuditAction(
        label=gettext_lazy("Pipeline settings changed"),
        words=settings_changed,
        formats={"departments": department_names},
    ),
}
