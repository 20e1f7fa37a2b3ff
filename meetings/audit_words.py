"""How this app's audit rows read (accounts/audit.py), written when the row
is read, in the reader's language, from the codes and ids stored."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import AuditAction
from notifications.messages import dates

from .notices import _flag_reasons, member_names

OPINION_REQUESTED = "meetings.opinion_requested"
OPINION_REQUEST_WITHDRAWN = "meetings.opinion_request_withdrawn"
OPINION_REQUEST_FLAGGED = "meetings.opinion_request_flagged"


def _experts(params: dict) -> str:
    return ", ".join(str(name) for name in params.get("experts", []))


ACTIONS = {
    OPINION_REQUESTED: AuditAction(
        label=gettext_lazy("Expert opinions requested"),
        words=lambda params: (
            _("Asked %(experts)s for an opinion on “%(title)s” by %(due)s.")
            % {"experts": _experts(params), "title": params.get("title"), "due": params.get("due")}
        ),
        formats={"experts": member_names, "due": dates},
    ),
    OPINION_REQUEST_WITHDRAWN: AuditAction(
        label=gettext_lazy("Expert opinion request withdrawn"),
        words=lambda params: (
            _("Withdrew the opinion request to %(expert)s on “%(title)s”.")
            % {"expert": params.get("expert"), "title": params.get("title")}
        ),
        formats={"expert": member_names},
    ),
    OPINION_REQUEST_FLAGGED: AuditAction(
        label=gettext_lazy("Expert opinion request flagged"),
        words=lambda params: (
            _("The opinion request to %(expert)s on “%(title)s” was flagged: %(reason)s.")
            % {
                "expert": params.get("expert"),
                "title": params.get("title"),
                "reason": params.get("reason"),
            }
        ),
        formats={"expert": member_names, "reason": _flag_reasons},
    ),
}
