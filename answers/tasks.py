"""Periodic work for department answers (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.db import OperationalError

from .services import deadlines_sweep
from .services.ownership import empty_department_mail, empty_departments_mail_due


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def sweep_answer_deadlines() -> dict:
    """Remind departments before their answer deadline and escalate overdue
    answers to the operators. Idempotent: safe to run any number of times."""
    return deadlines_sweep()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def mail_empty_department(assignment_id: int) -> bool:
    """E-mail a department with no active official about its new
    assignment, at its own address; once per assignment."""
    return empty_department_mail(assignment_id=assignment_id)


@shared_task(acks_late=True)
def mail_empty_departments() -> int:
    """Catch up on the e-mails to empty departments that could not be
    queued (the broker was away); idempotent."""
    return empty_departments_mail_due()
