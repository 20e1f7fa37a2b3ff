"""Every change to assignments, answers, reassignment requests, ratings and
amendments, one module a thing: assignments.py (assigning, reassigning,
requests to be reassigned), answering.py (the answer and its rating),
amending.py (amending a published answer) and deadlines.py.

One function per state change, keyword-only. Each checks who may act
(rules.py), checks the move is allowed now, writes with `update_fields`,
records a row on the proposal's timeline and sends its notices (rows now,
e-mails after commit). The admin, the pages, the pipeline and the beat task
all call these; nothing else assigns a status. A refused step raises
PermissionDenied, ServiceError (a translated reason) or ValidationError (a
form's field errors) and changes nothing.

This package is the app's `services`: import from `answers.services`."""

from .amending import (
    amendment_approve,
    amendment_changes,
    amendment_return,
    amendment_save,
    amendment_submit,
)
from .answering import (
    ANSWER_REQUIRED_FIELDS,
    ANSWER_TEXT_FIELDS,
    answer_publish,
    answer_rate,
    answer_return,
    answer_save,
    answer_submit,
)
from .assignments import (
    DEPARTMENT_INACTIVE,
    NO_DEFAULT_DEPARTMENT,
    OTHER_INSTITUTION,
    HandAssignmentRefused,
    assignment_department,
    assignment_open,
    assignment_reassign,
    assignments_open_by_hand,
    reassignment_decide,
    reassignment_request,
)
from .deadlines import (
    assignment_escalate,
    assignment_escalate_to_head,
    assignment_remind,
    assignment_tell_overdue,
    deadlines_sweep,
    extension_decide,
    extension_request,
)

__all__ = [
    "amendment_approve",
    "amendment_changes",
    "amendment_return",
    "amendment_save",
    "amendment_submit",
    "DEPARTMENT_INACTIVE",
    "NO_DEFAULT_DEPARTMENT",
    "OTHER_INSTITUTION",
    "ANSWER_REQUIRED_FIELDS",
    "ANSWER_TEXT_FIELDS",
    "answer_publish",
    "answer_rate",
    "answer_return",
    "answer_save",
    "answer_submit",
    "assignment_department",
    "assignment_escalate",
    "assignment_escalate_to_head",
    "assignment_tell_overdue",
    "extension_decide",
    "extension_request",
    "assignment_open",
    "assignments_open_by_hand",
    "HandAssignmentRefused",
    "assignment_reassign",
    "assignment_remind",
    "deadlines_sweep",
    "reassignment_decide",
    "reassignment_request",
]
