"""Answers that follow people and departments that cannot be silent
(issue 12): a draft whose writer left is flagged (accounts.signals
.staff_left_post, connected in apps.py), and an assignment to a department
with no active official is written to the department's own address."""

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import is_usable_official, operators, usable_head
from proposals.models import EventKind
from proposals.timeline import event_record

from .. import notices, timeline_texts
from ..models import Answer, AnswerStatus, Assignment


def flag_answers_of_leaver(
    sender, *, member, actor, reason, old_department_id, role="", now=None, **kwargs
) -> None:
    """staff_left_post's receiver: each open assignment whose draft (or
    returned) answer `member` was writing, in a department they can no
    longer work for, gets an internal timeline row (who left, why, to whom
    it falls) and its department's usable head and the operators are told
    once. The draft stays as written: whoever takes it up goes on from it;
    the reminders already go to the department's officials, else the
    operators (notices.tell_answer_reminder)."""
    if role and role != Role.OFFICIAL:
        return  # an expert role: experts write no department answers
    drafts = (
        Answer.objects.filter(
            written_by=member,
            status=AnswerStatus.DRAFT,
            assignment__in=Assignment.objects.awaiting_answer(),
        )
        .select_related("assignment__proposal", "assignment__department__head")
        .order_by("id")
    )
    stamp = now.isoformat() if now else timezone.now().isoformat()
    for answer in drafts:
        assignment = answer.assignment
        if is_usable_official(member, assignment.department_id):
            continue
        already = assignment.proposal.events.filter(
            kind=EventKind.ANSWER_AUTHOR_LEFT, params__answer=answer.pk, actor=actor
        )
        if already.filter(created_at__gte=answer.updated_at).exists():
            continue  # the signal sent again: flagged once
        fallback = "head" if usable_head(assignment.department) is not None else "operators"
        event_record(
            proposal=assignment.proposal,
            kind=EventKind.ANSWER_AUTHOR_LEFT,
            actor=actor,
            params={
                "text": timeline_texts.AUTHOR_LEFT,
                "reason": reason,
                "fallback": fallback,
                "answer": answer.pk,
            },
            is_public=False,
            department=assignment.department,
        )
        notices.tell_answer_author_left(
            assignment=assignment,
            member=member,
            reason=reason,
            key=f"answer_author_left:{answer.pk}:{stamp}",
        )


def _without_anybody():
    """Open assignments whose department has no active official: they reach
    only the department's e-mail and the operators."""
    officials = User.objects.filter(
        is_active=True,
        department_id=OuterRef("department_id"),
        groups__name=Role.OFFICIAL,
    )
    return Assignment.objects.awaiting_answer().exclude(Exists(officials))


def unowned_assignments() -> int:
    """Open assignments with neither an official to answer nor a fallback
    (an active operator): must be 0."""
    if operators().exists():
        return 0
    return _without_anybody().count()


def empty_department_mail(*, assignment_id: int, now: datetime | None = None) -> bool:
    """Write to the department's own address (Department.email), in Korean
    with a link to the workroom, that a proposal was assigned to it while it
    has no active official. Once per assignment (department_mailed_at, set
    in the same transaction as the hand-off to the mail server: a failed
    hand-off leaves it unset and the task retries). Returns whether it sent."""
    now = now or timezone.now()
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("proposal", "department")
            .filter(pk=assignment_id)
            .first()
        )
        if assignment is None or assignment.department_mailed_at is not None:
            return False
        address = assignment.department.email
        if not address or not assignment.is_open:
            return False
        with translation.override("ko"):
            context = {
                "title": assignment.proposal.title,
                "department": assignment.department.name,
                "deadline": timezone.localtime(assignment.deadline).date(),
                "link": settings.OASIS_SITE_URL.rstrip("/") + notices.workroom_url(assignment.pk),
            }
            subject = render_to_string("answers/email/empty_department_subject.txt", context)
            body = render_to_string("answers/email/empty_department.txt", context)
        send_mail(" ".join(subject.split()), body, None, [address])
        assignment.department_mailed_at = now
        assignment.save(update_fields=["department_mailed_at"])
    return True


def empty_departments_mail_due(*, now: datetime | None = None) -> int:
    """The catch-up of empty_department_mail (the periodic task): every open
    assignment whose department still has no active official and an e-mail
    address, not yet written to (its task could not be queued, say).
    Idempotent. Returns how many were sent."""
    due = (
        _without_anybody()
        .filter(department_mailed_at__isnull=True)
        .exclude(department__email="")
        .values_list("pk", flat=True)
    )
    return sum(empty_department_mail(assignment_id=pk, now=now) for pk in list(due))
