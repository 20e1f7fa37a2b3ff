"""Shared pieces of the mileage tests."""

from accounts.participation import Action, participated
from mileage.checks import ledger_problems
from mileage.models import MileageClaim, MileageEntry, MileageRule


def set_rule(action: str, points: int, cap: int = 0) -> None:
    MileageRule.objects.update_or_create(
        action=action, defaults={"points": points, "daily_cap": cap}
    )


def balance(member) -> int:
    member.refresh_from_db(fields=["mileage_balance", "mileage_grade"])
    return member.mileage_balance


def endorse(endorsement, *, undo=False):
    """What the sources' endorse and its take-back send: a credit for the
    endorser and one for the proposer, the endorsement as the source."""
    proposal = endorsement.proposal
    participated(
        action=Action.ENDORSE,
        member_id=endorsement.user_id,
        source=endorsement,
        proposal_id=proposal.pk,
        undo=undo,
    )
    participated(
        action=Action.ENDORSED,
        member_id=proposal.author_id,
        source=endorsement,
        proposal_id=proposal.pk,
        undo=undo,
    )


def assert_exact():
    assert ledger_problems() == []
    assert not MileageClaim.objects.exists()


def entries(member, action=None):
    rows = MileageEntry.objects.filter(member=member).order_by("id")
    if action:
        rows = rows.filter(action=action)
    return list(rows.values_list("points", flat=True))
