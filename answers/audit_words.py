"""How this app's audit rows read (accounts/audit.py): the operators'
decisions on requests for more time, written when the row is read, in the
reader's language, from the numbers and dates stored."""

from django.utils.translation import gettext_lazy, ngettext

from accounts.audit import AuditAction
from notifications.messages import dates

EXTENSION_GRANTED = "answers.extension_granted"
EXTENSION_REFUSED = "answers.extension_refused"


def _granted(params: dict) -> str:
    return (
        ngettext(
            "%(days)d of %(asked)d day granted; due by %(deadline)s.",
            "%(days)d of %(asked)d days granted; due by %(deadline)s.",
            params["asked"],
        )
        % params
    )


def _refused(params: dict) -> str:
    return (
        ngettext(
            "%(asked)d more day refused; still due by %(deadline)s.",
            "%(asked)d more days refused; still due by %(deadline)s.",
            params["asked"],
        )
        % params
    )


ACTIONS = {
    EXTENSION_GRANTED: AuditAction(
        label=gettext_lazy("More time granted"), words=_granted, formats={"deadline": dates}
    ),
    EXTENSION_REFUSED: AuditAction(
        label=gettext_lazy("More time refused"), words=_refused, formats={"deadline": dates}
    ),
}
