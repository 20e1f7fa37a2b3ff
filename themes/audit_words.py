"""How this app's audit rows read (accounts/audit.py), written when the row
is read, in the reader's language, from the codes and values stored."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.audit import AuditAction
from accounts.selectors import department_names
from notifications.messages import moments

THEME_PUBLISHED = "themes.theme_published"
THEME_CLOSED_EARLY = "themes.theme_closed_early"
THEME_DEBATE_PICKED = "themes.theme_debate_picked"
THEME_RESPONDED = "themes.theme_responded"


def _picked(params: dict) -> str:
    count = len(params.get("proposals") or [])
    return ngettext(
        "%(count)d proposal picked for the theme debate.",
        "%(count)d proposals picked for the theme debate.",
        count,
    ) % {"count": count}


def _responded(params: dict) -> str:
    if params.get("published"):
        return _("The department's final response was written and published.")
    return _("The department's final response was saved as a draft.")


ACTIONS = {
    THEME_PUBLISHED: AuditAction(
        label=gettext_lazy("Theme published"),
        words=gettext_lazy(
            "Theme published for %(department)s, open from %(starts_at)s to %(ends_at)s."
        ),
        formats={"department": department_names, "starts_at": moments, "ends_at": moments},
    ),
    THEME_CLOSED_EARLY: AuditAction(
        label=gettext_lazy("Theme closed early"),
        words=gettext_lazy("Theme closed before its end with %(proposals)s proposals: %(reason)s"),
    ),
    THEME_DEBATE_PICKED: AuditAction(label=gettext_lazy("Theme debate picked"), words=_picked),
    THEME_RESPONDED: AuditAction(label=gettext_lazy("Theme response written"), words=_responded),
}
