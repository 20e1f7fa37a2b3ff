"""The notices this app sends: their kinds, their words, and one small
function per occasion that services call. Parameters are ids, codes and ISO
dates; notifications names them in each reader's language when the notice is
read or e-mailed (notifications/messages.py)."""

from enum import StrEnum

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import (
    answering_officials,
    department_names,
    department_officials,
    institution_admins,
    operators,
    usable_head,
)
from notifications.messages import NoticeText, choices, dates, falls_to, numbers, staff_left_reasons
from notifications.models import NoticeTopic
from notifications.services import notify, notify_proposal
from oasis.tasks import enqueue_on_commit

from .models import (
    AnswerDecision,
    AnswerRating,
    Assignment,
    DeadlineExtension,
    ReassignmentRequest,
)


class AnswerNotice(StrEnum):
    """Notification.kind of this app's notices."""

    ASSIGNED_DEPARTMENT = "assigned_department"
    ASSIGNED_OPERATOR = "assigned_operator"
    ASSIGNED = "assigned"
    REASSIGNED = "reassigned"
    REASSIGNED_PUBLIC = "reassigned_public"
    REASSIGNMENT_REQUESTED = "reassignment_requested"
    REASSIGNMENT_APPROVED = "reassignment_approved"
    REASSIGNMENT_REFUSED = "reassignment_refused"
    ANSWER_REMINDER = "answer_reminder"
    ANSWER_OVERDUE = "answer_overdue"
    ANSWER_OVERDUE_UNAPPROVED = "answer_overdue_unapproved"
    ANSWER_SUBMITTED = "answer_submitted"
    ANSWER_RETURNED = "answer_returned"
    ANSWER_PUBLISHED = "answer_published"
    ANSWER_RATED = "answer_rated"
    ANSWER_OVERDUE_DEPARTMENT = "answer_overdue_department"
    ANSWER_OVERDUE_HEAD = "answer_overdue_head"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_GRANTED = "extension_granted"
    EXTENSION_REFUSED = "extension_refused"
    DEADLINE_EXTENDED = "deadline_extended"
    AMENDMENT_SUBMITTED = "amendment_submitted"
    AMENDMENT_RETURNED = "amendment_returned"
    ANSWER_AMENDED = "answer_amended"
    ANSWER_AMENDED_DECISION = "answer_amended_decision"
    ASSIGNED_NOBODY = "assigned_nobody"
    ANSWER_AUTHOR_LEFT = "answer_author_left"


# Every parameter of these notices that is a code, and how to name it.
NAMES = {
    "department": department_names,
    "deadline": dates,
    "count": numbers,
    "days": numbers,
    "decision": choices(AnswerDecision),
    "old_decision": choices(AnswerDecision),
}


MESSAGES = {
    # To the operators instead of the copy, when the department has nobody.
    AnswerNotice.ASSIGNED_NOBODY: NoticeText(
        _("A proposal went to a department with no official"),
        _(
            "“%(title)s” was assigned to %(department)s, to answer by %(deadline)s, but the department has no active official. It was sent to the department's e-mail; please give the department an official or reassign the proposal."
        ),
        NAMES,
    ),
    AnswerNotice.ANSWER_AUTHOR_LEFT: NoticeText(
        _("A draft answer lost its writer"),
        _(
            "%(name)s, who was writing the answer of %(department)s to “%(title)s”, %(reason)s. The answer falls to %(falls_to)s until another official takes it up."
        ),
        {**NAMES, "reason": staff_left_reasons, "falls_to": falls_to},
    ),
    AnswerNotice.ASSIGNED_DEPARTMENT: NoticeText(
        _("New proposal for your department to answer"),
        _(
            "“%(title)s” reached %(count)s endorsements and was assigned to %(department)s. Please answer by %(deadline)s."
        ),
        NAMES,
    ),
    AnswerNotice.ASSIGNED_OPERATOR: NoticeText(
        _("Copy: a proposal was assigned to %(department)s"),
        _(
            "“%(title)s” reached %(count)s endorsements and was assigned to %(department)s, to answer by %(deadline)s."
        ),
        NAMES,
    ),
    AnswerNotice.ASSIGNED: NoticeText(
        _("A department will answer the proposal"),
        _(
            "“%(title)s” reached %(count)s endorsements. %(department)s will answer it by %(deadline)s."
        ),
        NAMES,
    ),
    AnswerNotice.REASSIGNED: NoticeText(
        _("A proposal was reassigned to your department"),
        _("“%(title)s” was reassigned to %(department)s. Please answer by %(deadline)s."),
        NAMES,
    ),
    AnswerNotice.REASSIGNED_PUBLIC: NoticeText(
        _("Another department will answer the proposal"),
        _("“%(title)s” was reassigned to %(department)s, which will answer it by %(deadline)s."),
        NAMES,
    ),
    AnswerNotice.REASSIGNMENT_REQUESTED: NoticeText(
        _("A department asks to reassign a proposal"),
        _("%(department)s asks to have “%(title)s” reassigned: %(reason)s"),
        NAMES,
    ),
    AnswerNotice.REASSIGNMENT_APPROVED: NoticeText(
        _("Your reassignment request was approved"),
        _("“%(title)s” now goes to %(department)s; your department no longer needs to answer it."),
        NAMES,
    ),
    AnswerNotice.REASSIGNMENT_REFUSED: NoticeText(
        _("Your reassignment request was refused"),
        _("The operators kept “%(title)s” with %(department)s: %(reason)s"),
        NAMES,
    ),
    AnswerNotice.ANSWER_REMINDER: NoticeText(
        _("Reminder: an answer is due soon"),
        _("The answer to “%(title)s” is due on %(deadline)s."),
        NAMES,
    ),
    AnswerNotice.ANSWER_OVERDUE: NoticeText(
        _("An answer is overdue"),
        _("%(department)s has not answered “%(title)s”, due on %(deadline)s."),
        NAMES,
    ),
    AnswerNotice.ANSWER_OVERDUE_UNAPPROVED: NoticeText(
        _("An overdue answer waits for your approval"),
        _(
            "The answer of %(department)s to “%(title)s” was due on %(deadline)s and still waits for your approval."
        ),
        NAMES,
    ),
    AnswerNotice.ANSWER_SUBMITTED: NoticeText(
        _("An answer waits for your approval"),
        _("%(department)s answered “%(title)s”. Please review and publish it."),
        NAMES,
    ),
    AnswerNotice.ANSWER_RETURNED: NoticeText(
        _("Your answer was returned for changes"),
        _("The operators returned the answer to “%(title)s”: %(reason)s"),
        NAMES,
    ),
    AnswerNotice.ANSWER_PUBLISHED: NoticeText(
        _("The department answered"),
        _("%(department)s published its answer to “%(title)s”: %(decision)s."),
        NAMES,
    ),
    AnswerNotice.ANSWER_RATED: NoticeText(
        _("The proposer rated your answer"),
        _("The proposer rated your department's answer to “%(title)s”: %(score)s out of 5."),
        NAMES,
    ),
    AnswerNotice.ANSWER_OVERDUE_DEPARTMENT: NoticeText(
        _("The answer deadline has passed"),
        _(
            "The answer to “%(title)s” was due on %(deadline)s. Please submit it as soon as you can, or ask the operators for more time."
        ),
        NAMES,
    ),
    AnswerNotice.ANSWER_OVERDUE_HEAD: NoticeText(
        _("An answer of your department is overdue"),
        _(
            "%(department)s has not answered “%(title)s”, due on %(deadline)s. As the head of the department, please see that it is answered."
        ),
        NAMES,
    ),
    AnswerNotice.EXTENSION_REQUESTED: NoticeText(
        _("A department asks for more time"),
        _("%(department)s asks for %(days)s more days to answer “%(title)s”: %(reason)s"),
        NAMES,
    ),
    AnswerNotice.EXTENSION_GRANTED: NoticeText(
        _("More time to answer was granted"),
        _("The answer to “%(title)s” is now due on %(deadline)s."),
        NAMES,
    ),
    AnswerNotice.EXTENSION_REFUSED: NoticeText(
        _("More time to answer was refused"),
        _("The answer to “%(title)s” stays due on %(deadline)s: %(reason)s"),
        NAMES,
    ),
    AnswerNotice.DEADLINE_EXTENDED: NoticeText(
        _("The department has more time to answer"),
        _("%(department)s will answer “%(title)s” by %(deadline)s: %(reason)s"),
        NAMES,
    ),
    AnswerNotice.AMENDMENT_SUBMITTED: NoticeText(
        _("An amendment of an answer waits for your approval"),
        _("%(department)s asks to amend its published answer to “%(title)s”: %(reason)s"),
        NAMES,
    ),
    AnswerNotice.AMENDMENT_RETURNED: NoticeText(
        _("Your amendment was returned"),
        _("The operators returned the amendment of the answer to “%(title)s”: %(reason)s"),
        NAMES,
    ),
    AnswerNotice.ANSWER_AMENDED: NoticeText(
        _("The department amended its answer"),
        _("%(department)s amended its answer to “%(title)s”: %(reason)s"),
        NAMES,
    ),
    AnswerNotice.ANSWER_AMENDED_DECISION: NoticeText(
        _("The department changed its decision"),
        _(
            "%(department)s changed its decision on “%(title)s” from %(old_decision)s to %(decision)s: %(reason)s"
        ),
        NAMES,
    ),
}


def workroom_url(assignment_id: int) -> str:
    """The assignment's workroom, where the answer is written, approved or
    returned and reassignment decided: where staff notices, the staff home
    and the admin's screens send staff (the proposer's and followers'
    notices keep the public page)."""
    return reverse("admin:answers_assignment_change", args=[assignment_id])


def workroom(assignment: Assignment) -> str:
    return workroom_url(assignment.pk)


def due_date(deadline) -> str:
    """A deadline as its Seoul date in ISO form, for a notice's parameters."""
    return timezone.localtime(deadline).date().isoformat()


def runners(proposal) -> list:
    """Who runs the proposal's answers and is told of the work waiting for
    them: the operators and, for a proposal to a partner institution, its
    administrators (issue 16: they publish, return and decide it too)."""
    people = list(operators())
    if proposal.institution_id is not None:
        people += list(institution_admins(proposal.institution_id))
    return people


def step_key(step: str, assignment: Assignment) -> str:
    """The once-key of a deadline step: `<step>:<assignment>`, and after a
    granted extension `<step>:<assignment>:<extensions granted>`, so that
    the moved deadline has its own reminder and escalations, once each."""
    key = f"{step}:{assignment.pk}"
    if assignment.extensions_granted:
        key += f":{assignment.extensions_granted}"
    return key


def tell_assigned(*, assignment: Assignment) -> None:
    """A new assignment: the department's officials (`assigned_department`),
    the operators (`assigned_operator`), the proposer and followers
    (`assigned`), once each under the key `assigned:<assignment>`. A
    department with no active official cannot be silent: its e-mail
    (Department.email) is written to and the operators get
    `assigned_nobody` instead of the copy."""
    proposal = assignment.proposal
    key = f"assigned:{assignment.pk}"
    params = {
        "count": proposal.endorsement_count,
        "department": assignment.department_id,
        "deadline": due_date(assignment.deadline),
    }
    officials = list(department_officials(assignment.department))
    if not officials:
        mail_empty_department(assignment)
    staff = (
        (officials, AnswerNotice.ASSIGNED_DEPARTMENT),
        (
            operators(),
            AnswerNotice.ASSIGNED_OPERATOR if officials else AnswerNotice.ASSIGNED_NOBODY,
        ),
    )
    for recipients, kind in staff:
        notify(
            recipients=recipients,
            kind=kind,
            key=key,
            proposal=proposal,
            params=params,
            url=workroom(assignment),
            topic=NoticeTopic.WORK,
        )
    notify_proposal(proposal=proposal, kind=AnswerNotice.ASSIGNED, key=key, params=params)


def tell_reassigned(*, assignment: Assignment) -> None:
    """The proposal went to another department (`assignment` is the new
    one): its officials (`reassigned`), the proposer and followers
    (`reassigned_public`), under the key `reassigned:<assignment>`."""
    proposal = assignment.proposal
    key = f"reassigned:{assignment.pk}"
    params = {"department": assignment.department_id, "deadline": due_date(assignment.deadline)}
    officials = list(department_officials(assignment.department))
    if not officials:
        mail_empty_department(assignment)
        notify(
            recipients=operators(),
            topic=NoticeTopic.WORK,
            kind=AnswerNotice.ASSIGNED_NOBODY,
            key=key,
            proposal=proposal,
            params=params,
            url=workroom(assignment),
        )
    notify(
        recipients=officials,
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.REASSIGNED,
        key=key,
        proposal=proposal,
        params=params,
        url=workroom(assignment),
    )
    notify_proposal(proposal=proposal, kind=AnswerNotice.REASSIGNED_PUBLIC, key=key, params=params)


def tell_answer_submitted(*, assignment: Assignment, event_id: int) -> None:
    """Those who run it (runners): an answer waits for their approval."""
    notify(
        recipients=runners(assignment.proposal),
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.ANSWER_SUBMITTED,
        key=f"answer_submitted:{event_id}",
        proposal=assignment.proposal,
        params={"department": assignment.department_id},
        url=workroom(assignment),
    )


def tell_answer_returned(*, assignment: Assignment, event_id: int, reason: str) -> None:
    """The department's officials: their answer came back, with the reason."""
    notify(
        recipients=department_officials(assignment.department),
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.ANSWER_RETURNED,
        key=f"answer_returned:{event_id}",
        proposal=assignment.proposal,
        params={"reason": reason, "department": assignment.department_id},
        url=workroom(assignment),
    )


def tell_answer_published(*, assignment: Assignment, answer) -> None:
    """The proposer and followers: the department's answer and its decision."""
    notify_proposal(
        proposal=assignment.proposal,
        kind=AnswerNotice.ANSWER_PUBLISHED,
        key=f"answer_published:{answer.pk}",
        params={"department": assignment.department_id, "decision": answer.decision},
    )


def tell_reassignment_requested(*, request: ReassignmentRequest, reason: str) -> None:
    """Those who run it (runners): a department asks to hand the proposal on."""
    assignment = request.assignment
    notify(
        recipients=runners(assignment.proposal),
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.REASSIGNMENT_REQUESTED,
        key=f"reassignment_requested:{request.pk}",
        proposal=assignment.proposal,
        params={"department": assignment.department_id, "reason": reason},
        url=workroom(assignment),
    )


def tell_reassignment_approved(*, request: ReassignmentRequest, department) -> None:
    """The official who asked: the proposal now goes to `department`."""
    notify(
        recipients=[request.requested_by] if request.requested_by_id else [],
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.REASSIGNMENT_APPROVED,
        key=f"reassignment_approved:{request.pk}",
        proposal=request.assignment.proposal,
        params={"department": department.pk},
    )


def tell_reassignment_refused(*, request: ReassignmentRequest, reason: str) -> None:
    """The official who asked: the proposal stays with their department."""
    assignment = request.assignment
    notify(
        recipients=[request.requested_by] if request.requested_by_id else [],
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.REASSIGNMENT_REFUSED,
        key=f"reassignment_refused:{request.pk}",
        proposal=assignment.proposal,
        params={"department": assignment.department_id, "reason": reason},
        url=workroom(assignment),
    )


def tell_answer_rated(*, rating: AnswerRating, assignment: Assignment) -> None:
    """The department's officials: the proposer's score for their answer."""
    notify(
        recipients=department_officials(assignment.department),
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.ANSWER_RATED,
        key=f"answer_rated:{rating.pk}",
        proposal=assignment.proposal,
        params={"score": rating.score, "department": assignment.department_id},
        url=workroom(assignment),
    )


def tell_answer_reminder(*, assignment: Assignment, days_left: int) -> None:
    """The department's officials, else the operators (a department with
    nobody is never reminded in vain): their answer is due soon (once per
    assignment)."""
    notify(
        recipients=answering_officials(assignment.department),
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.ANSWER_REMINDER,
        key=step_key("answer_reminder", assignment),
        proposal=assignment.proposal,
        params={
            "deadline": due_date(assignment.deadline),
            "department": assignment.department_id,
            "days": days_left,
        },
        url=workroom(assignment),
    )


def tell_answer_overdue(*, assignment: Assignment, waits_for_approval: bool) -> None:
    """Those who run it (runners): the deadline passed without a published answer
    (`answer_overdue_unapproved` when only their approval is missing); once
    per assignment."""
    notify(
        recipients=runners(assignment.proposal),
        topic=NoticeTopic.WORK,
        kind=(
            AnswerNotice.ANSWER_OVERDUE_UNAPPROVED
            if waits_for_approval
            else AnswerNotice.ANSWER_OVERDUE
        ),
        key=step_key("answer_overdue", assignment),
        proposal=assignment.proposal,
        params={"deadline": due_date(assignment.deadline), "department": assignment.department_id},
        url=workroom(assignment),
    )


def tell_answer_overdue_department(*, assignment: Assignment) -> None:
    """The department's officials: their deadline passed (first step of the
    escalation; once per deadline)."""
    notify(
        recipients=department_officials(assignment.department),
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.ANSWER_OVERDUE_DEPARTMENT,
        key=step_key("answer_overdue_department", assignment),
        proposal=assignment.proposal,
        params={"deadline": due_date(assignment.deadline), "department": assignment.department_id},
        url=workroom(assignment),
    )


def tell_answer_overdue_head(*, assignment: Assignment, head) -> None:
    """The department head: the answer is still missing some days after the
    deadline (second step; once per deadline)."""
    notify(
        recipients=[head],
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.ANSWER_OVERDUE_HEAD,
        key=step_key("answer_overdue_head", assignment),
        proposal=assignment.proposal,
        params={"deadline": due_date(assignment.deadline), "department": assignment.department_id},
        url=workroom(assignment),
    )


def tell_extension_requested(*, extension: DeadlineExtension) -> None:
    """Those who run it (runners): a department asks for more days, with its reason."""
    assignment = extension.assignment
    notify(
        recipients=runners(assignment.proposal),
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.EXTENSION_REQUESTED,
        key=f"extension_requested:{extension.pk}",
        proposal=assignment.proposal,
        params={
            "department": assignment.department_id,
            "days": extension.days_requested,
            "reason": extension.reason,
        },
        url=workroom(assignment),
    )


def tell_extension_decided(*, extension: DeadlineExtension) -> None:
    """Granted: the department's officials (`extension_granted`) and the
    proposer and followers (`deadline_extended`, with the department's
    reason, as the page shows it). Refused: the department's officials
    (`extension_refused`, with the operator's reason). Once per request."""
    assignment = extension.assignment
    key = f"extension_decided:{extension.pk}"
    params = {"deadline": due_date(assignment.deadline), "department": assignment.department_id}
    if extension.status == "granted":
        notify(
            recipients=department_officials(assignment.department),
            topic=NoticeTopic.WORK,
            kind=AnswerNotice.EXTENSION_GRANTED,
            key=key,
            proposal=assignment.proposal,
            params=params,
            url=workroom(assignment),
        )
        notify_proposal(
            proposal=assignment.proposal,
            kind=AnswerNotice.DEADLINE_EXTENDED,
            key=key,
            params={**params, "reason": extension.reason},
        )
    else:
        notify(
            recipients=department_officials(assignment.department),
            topic=NoticeTopic.WORK,
            kind=AnswerNotice.EXTENSION_REFUSED,
            key=key,
            proposal=assignment.proposal,
            params={**params, "reason": extension.decision_reason},
            url=workroom(assignment),
        )


def tell_amendment_submitted(*, assignment: Assignment, event_id: int, reason: str) -> None:
    """Those who run it (runners): an amendment of a published answer waits for them."""
    notify(
        recipients=runners(assignment.proposal),
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.AMENDMENT_SUBMITTED,
        key=f"amendment_submitted:{event_id}",
        proposal=assignment.proposal,
        params={"department": assignment.department_id, "reason": reason},
        url=workroom(assignment),
    )


def tell_amendment_returned(*, assignment: Assignment, amendment) -> None:
    """The department's officials: their amendment came back, with the reason."""
    notify(
        recipients=department_officials(assignment.department),
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.AMENDMENT_RETURNED,
        key=f"amendment_returned:{amendment.pk}",
        proposal=assignment.proposal,
        params={"reason": amendment.return_reason, "department": assignment.department_id},
        url=workroom(assignment),
    )


def tell_answer_amended(*, assignment: Assignment, amendment, old_decision: str) -> None:
    """The proposer and followers: the published answer now reads
    differently, why, and whether the decision changed (once per amendment)."""
    answer = amendment.answer
    decision_changed = old_decision != answer.decision
    notify_proposal(
        proposal=assignment.proposal,
        kind=(
            AnswerNotice.ANSWER_AMENDED_DECISION
            if decision_changed
            else AnswerNotice.ANSWER_AMENDED
        ),
        key=f"answer_amended:{amendment.pk}",
        params={
            "department": assignment.department_id,
            "reason": amendment.reason,
            "decision": answer.decision,
            "old_decision": old_decision,
        },
    )


def mail_empty_department(assignment: Assignment) -> None:
    """Queue the e-mail to the department's own address (Department.email)
    about an assignment nobody there can see: once per assignment
    (answers.tasks.mail_empty_department marks it sent)."""
    if assignment.department.email:
        enqueue_on_commit("answers.tasks.mail_empty_department", assignment.pk)


def tell_answer_author_left(*, assignment: Assignment, member, reason: str, key: str) -> None:
    """The department's usable head and the operators: the official writing
    the answer can no longer, and it falls to the head (or the operators)."""
    head = usable_head(assignment.department)
    notify(
        recipients=[*([head] if head else []), *operators()],
        topic=NoticeTopic.WORK,
        kind=AnswerNotice.ANSWER_AUTHOR_LEFT,
        key=key,
        proposal=assignment.proposal,
        params={
            "name": member.get_full_name(),
            "reason": reason,
            "department": assignment.department_id,
            "falls_to": head.get_full_name() if head else "operators",
        },
        url=workroom(assignment),
    )
