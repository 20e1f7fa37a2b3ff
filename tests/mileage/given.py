"""Giving members mileage in tests of how it is shown (the pages, the names,
the rankings) without going through mileage's services (the ledger's own
tests do): entries written as they would be, with the member's balance,
grade and monthly total kept in step."""

import itertools

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from accounts.grades import Grade
from accounts.participation import Action
from mileage import models
from mileage.models import MemberMonth, MileageEntry, MileageSettings

_keys = itertools.count(1)


def grade_for(balance: int) -> Grade:
    return models.grade_for(balance, MileageSettings.load().thresholds())


def earn(
    member,
    points: int,
    *,
    action=Action.PROPOSE,
    source=None,
    proposal=None,
    when=None,
    reverses=None,
    note="",
):
    """One ledger entry for `member`, with balance, grade and month kept."""
    when = when or timezone.now()
    source = source or proposal or member
    entry = MileageEntry.objects.create(
        member=member,
        points=points,
        action=action,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        proposal_id=proposal.pk if proposal else None,
        key=f"test:{next(_keys)}",
        reverses=reverses,
        note=note,
        created_at=when,
    )
    member.mileage_balance += points
    member.mileage_grade = grade_for(member.mileage_balance)
    type(member).objects.filter(pk=member.pk).update(
        mileage_balance=member.mileage_balance, mileage_grade=member.mileage_grade
    )
    month = timezone.localtime(when).date().replace(day=1)
    row, _ = MemberMonth.objects.get_or_create(member=member, month=month)
    MemberMonth.objects.filter(pk=row.pk).update(points=F("points") + points)
    return entry
