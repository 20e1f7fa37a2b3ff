"""Every change to a management card and its progress reports, one module a
thing: cards.py (opening, stage changes, handoffs, edits of budget and
target date), reports.py (bimonthly progress reports) and attachments.py.

Each function checks permission (the permissions of rules.py, asked with
the card: who may; the card's state is checked under the lock and refused
with its reason), checks the transition, writes
with `update_fields`, records a CardEvent (and, for stage changes, a row on
the proposal's public timeline) and sends notices through notices.py, whose
e-mails are queued after the transaction commits and whose keys make every
notice a once-only event.
Admin actions, the admin change form and (later) the pages all call these.

This package is the app's `services`: import from `tracking.services`."""

from .attachments import (
    ATTACHMENT_TITLE_MAX_LENGTH,
    card_attach,
    card_attachment_check,
    card_detach,
)
from .cards import (
    EDITABLE_FIELDS,
    OWNER_IS_DEPARTMENT_HEAD,
    OWNER_WROTE_THE_ANSWER,
    PROMISE_DECISIONS,
    card_change_stage,
    card_handoff,
    card_update,
    initial_owner,
    management_card_open,
    parse_date,
    promise_card_open,
)
from .reports import (
    REPORT_MAX_PHOTOS,
    open_report_request,
    report_file,
    report_next_request_at,
    report_photos_check,
    report_request_due,
    report_submit,
    reports_remind_and_escalate,
)

__all__ = [
    "ATTACHMENT_TITLE_MAX_LENGTH",
    "EDITABLE_FIELDS",
    "OWNER_IS_DEPARTMENT_HEAD",
    "OWNER_WROTE_THE_ANSWER",
    "PROMISE_DECISIONS",
    "REPORT_MAX_PHOTOS",
    "card_attach",
    "card_attachment_check",
    "card_change_stage",
    "card_detach",
    "card_handoff",
    "card_update",
    "initial_owner",
    "management_card_open",
    "parse_date",
    "promise_card_open",
    "open_report_request",
    "report_file",
    "report_next_request_at",
    "report_photos_check",
    "report_request_due",
    "report_submit",
    "reports_remind_and_escalate",
]
