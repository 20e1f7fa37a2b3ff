"""How the API keys' audit rows read (accounts/audit.py), in the reader's
language, from the codes stored."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import AuditAction

KEY_ISSUED = "api.key_issued"
KEY_REVOKED = "api.key_revoked"
KEY_RATE_CHANGED = "api.key_rate_changed"
KEY_DETAILS_CHANGED = "api.key_details_changed"

ACTIONS = {
    KEY_ISSUED: AuditAction(
        label=gettext_lazy("API key issued"),
        words=lambda params: _("API key %(prefix)s… issued with the rate %(rate)s.") % params,
    ),
    KEY_REVOKED: AuditAction(
        label=gettext_lazy("API key revoked"),
        words=lambda params: _("API key %(prefix)s… revoked. Reason: %(reason)s") % params,
    ),
    KEY_RATE_CHANGED: AuditAction(
        label=gettext_lazy("API key rate changed"),
        words=lambda params: _("API key %(prefix)s…: rate %(before)s → %(rate)s.") % params,
    ),
    KEY_DETAILS_CHANGED: AuditAction(
        label=gettext_lazy("API key details changed"),
        words=lambda params: _("API key %(prefix)s…: institution or contact corrected.") % params,
    ),
}
