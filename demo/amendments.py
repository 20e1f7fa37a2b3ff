"""Demo: a published answer its department amended twice (both approved by
the operators) and a third amendment still waiting for them, so the public
panel shows "수정됨" and its history, the timeline its rows, and the
operator's home its "답변 수정 승인 대기" row (demo/data/answers.json,
`amendments`).

Runs through the answers services like staff would, then moves each step's
stamps (amendment, timeline rows, notices, the answer's `amended_at`) to its
moment between the answer's publication and now, in office hours."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from answers.models import AMENDABLE_FIELDS, AmendmentStatus, Answer, AnswerAmendment
from answers.notices import AnswerNotice
from answers.services import amendment_approve, amendment_save, amendment_submit
from notifications.models import Notification
from proposals.models import EventKind, Proposal, ProposalEvent

from .datafiles import read
from .staff import Staff

AMENDMENT_NOTICES = {
    AnswerNotice.AMENDMENT_SUBMITTED,
    AnswerNotice.ANSWER_AMENDED,
    AnswerNotice.ANSWER_AMENDED_DECISION,
}


def _office_moment(day, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed_amendments(proposal: Proposal, staff: Staff, now: datetime) -> int:
    """Amend the published answer of `proposal` as answers.json tells;
    returns how many amendments were written."""
    answer = Answer.objects.select_related("assignment__proposal").get(
        assignment__proposal=proposal, assignment__is_current=True
    )
    official = staff.officials[answer.assignment.department_id]
    steps = read("answers")["amendments"]
    published = answer.published_at
    span = now - published
    for n, step in enumerate(steps):
        values = {field: getattr(answer, field) for field in AMENDABLE_FIELDS}
        for field, extra in step.get("append", {}).items():
            values[field] = f"{values[field]} {extra}".strip()
        if "budget_percent" in step and values["estimated_budget"] is not None:
            values["estimated_budget"] = values["estimated_budget"] * step["budget_percent"] // 100
        amendment = amendment_save(answer=answer, user=official, reason=step["reason"], **values)
        amendment_submit(amendment=amendment, user=official)
        if step.get("approve", True):
            amendment_approve(amendment=amendment, user=staff.operator)
        # Its moments: submitted on a working day between publication and
        # now, approved the same afternoon.
        day = timezone.localtime(published + span * (n + 1) / (len(steps) + 1)).date()
        submitted_at = max(_office_moment(day, 10, 10 + 7 * n), published + timedelta(minutes=5))
        decided_at = submitted_at + timedelta(hours=4, minutes=20)
        _date_step(amendment.pk, proposal, submitted_at, decided_at, now)
        answer.refresh_from_db()
    return len(steps)


def _date_step(amendment_id, proposal, submitted_at, decided_at, now) -> None:
    amendment = AnswerAmendment.objects.get(pk=amendment_id)
    approved = amendment.status == AmendmentStatus.APPROVED
    # The last rows the services wrote for this proposal are this step's.
    for kind, moment in (
        (EventKind.AMENDMENT_SUBMITTED, submitted_at),
        (EventKind.ANSWER_AMENDED, decided_at),
    ):
        if kind == EventKind.ANSWER_AMENDED and not approved:
            continue
        event = ProposalEvent.objects.filter(proposal=proposal, kind=kind).latest("id")
        ProposalEvent.objects.filter(pk=event.pk).update(created_at=moment)
    for kind, moment in (
        (AnswerNotice.AMENDMENT_SUBMITTED, submitted_at),
        (AnswerNotice.ANSWER_AMENDED, decided_at),
        (AnswerNotice.ANSWER_AMENDED_DECISION, decided_at),
    ):
        Notification.objects.filter(
            proposal=proposal, kind=kind, created_at__gt=min(submitted_at, now)
        ).update(created_at=moment, emailed_at=moment)
    AnswerAmendment.objects.filter(pk=amendment_id).update(
        created_at=submitted_at - timedelta(minutes=40),
        submitted_at=submitted_at,
        updated_at=decided_at if approved else submitted_at,
        decided_at=decided_at if approved else None,
    )
    if approved:
        Answer.objects.filter(pk=amendment.answer_id).update(
            amended_at=decided_at, updated_at=decided_at
        )
