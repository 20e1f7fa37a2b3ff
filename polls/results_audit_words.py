"""How the audit rows of the department's response to a poll's result read
(accounts/audit.py): written, corrected after publishing, published."""

from django.utils.translation import gettext_lazy

from accounts.audit import AuditAction

RESPONSE_WRITTEN = "polls.response_written"
RESPONSE_CORRECTED = "polls.response_corrected"
RESPONSE_PUBLISHED = "polls.response_published"

ACTIONS = {
    RESPONSE_WRITTEN: AuditAction(
        label=gettext_lazy("Poll response written"),
        words=gettext_lazy("The department's response to the poll's result was written."),
    ),
    RESPONSE_CORRECTED: AuditAction(
        label=gettext_lazy("Published poll response corrected"),
        words=gettext_lazy("The published response to the poll's result was corrected."),
    ),
    RESPONSE_PUBLISHED: AuditAction(
        label=gettext_lazy("Poll response published"),
        words=gettext_lazy(
            "The department's response to the poll's result was published and %(voters)s voters were told."
        ),
    ),
}
