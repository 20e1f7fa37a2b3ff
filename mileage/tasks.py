"""The mileage ledger's tasks: thin, idempotent, ids not objects."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def fold_member(member_id: int) -> int:
    """Fold one member's claims left by a request whose fold kept finding new
    ones; single-flight, idempotent (a claim is folded once)."""
    return services.member_fold(member_id=member_id)


@shared_task(acks_late=True)
def fold_claims() -> int:
    """The minute's sweep: fold claims left by a process that stopped between
    storing one and folding it; idempotent."""
    return services.claims_fold_all()


@shared_task(acks_late=True)
def recompute_grades() -> int:
    """Regrade every member after the thresholds changed; one UPDATE,
    idempotent."""
    return services.grades_recompute()
