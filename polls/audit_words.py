"""How this app's audit rows read (accounts/audit.py), written when the row
is read, in the reader's language, from the codes and numbers stored."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.audit import AuditAction
from notifications.messages import choices, moments

from .models import PollKind

POLL_PUBLISHED = "polls.poll_published"
POLL_CLOSED = "polls.poll_closed"
POLL_CLOSED_EARLY = "polls.poll_closed_early"


def _closed(params: dict) -> str:
    return (
        ngettext(
            "Poll closed with %(voters)d voter.",
            "Poll closed with %(voters)d voters.",
            params["voters"],
        )
        % params
    )


def _closed_early(params: dict) -> str:
    words = ngettext(
        "Poll closed early with %(voters)d voter. Reason: %(reason)s",
        "Poll closed early with %(voters)d voters. Reason: %(reason)s",
        params["voters"],
    )
    return words % params


ACTIONS = {
    POLL_PUBLISHED: AuditAction(
        label=gettext_lazy("Poll published"),
        words=lambda params: _("Poll published (%(kind)s), open until %(ends_at)s.") % params,
        formats={"kind": choices(PollKind), "ends_at": moments},
    ),
    POLL_CLOSED: AuditAction(label=gettext_lazy("Poll closed"), words=_closed),
    POLL_CLOSED_EARLY: AuditAction(label=gettext_lazy("Poll closed early"), words=_closed_early),
}
