"""How this app's audit rows read (accounts/audit.py), written when the row
is read, in the reader's language."""

from django.utils.translation import gettext, gettext_lazy

from accounts.audit import AuditAction

from .merging import MERGE_AUDIT


def _merged(params: dict) -> str:
    return gettext("#%(from)s merged into #%(into)s.") % params


ACTIONS = {
    MERGE_AUDIT: AuditAction(label=gettext_lazy("Proposal merged"), words=_merged),
}
