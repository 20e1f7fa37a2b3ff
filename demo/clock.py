"""Writing history after the fact: the services stamp "now", and the demo
moves what they wrote to the moment it tells of."""

import calendar
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from accounts.models import AuditRecord
from notifications.models import Notification
from proposals.models import ProposalEvent
from tracking.models import CardAttachment, CardEvent, ManagementCard, ProgressReport

# How long after its step a notice written with it may be dated.
SNAP_AFTER = timedelta(minutes=2)


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Run services as if at `moment`: the rows they add (card history,
    proposal timeline, notices, attachments) and the stamps they set (stage
    changed, submitted, updated, handled) are moved to `moment` afterwards."""
    added = (CardEvent, ProposalEvent, Notification, CardAttachment, AuditRecord)
    marks = {model: model.objects.aggregate(n=Max("pk"))["n"] or 0 for model in added}
    started = timezone.now()
    yield
    for model, mark in marks.items():
        model.objects.filter(pk__gt=mark).update(created_at=moment)
    # A notice written as handled (the demo sends no mail) was handled then.
    Notification.objects.filter(pk__gt=marks[Notification], emailed_at__isnull=False).update(
        emailed_at=moment
    )
    ManagementCard.objects.filter(stage_changed_at__gte=started).update(stage_changed_at=moment)
    ManagementCard.objects.filter(updated_at__gte=started).update(updated_at=moment)
    ProgressReport.objects.filter(submitted_at__gte=started).update(submitted_at=moment)


def months_later(moment: datetime, months: int) -> datetime:
    """`moment` plus calendar months in Seoul time, as the report schedule
    (tracking.services) and the meeting calendar count them."""
    local = timezone.localtime(moment)
    index = local.year * 12 + local.month - 1 + months
    year, month = index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return local.replace(year=year, month=month, day=min(local.day, last_day))


class Warp:
    """Moves moments the services stamped during the seed run to the moments
    of the history told, keeping their order: given anchors (when something
    was stamped, when it is told to have happened), a moment between two
    anchors lands between their told moments, in proportion."""

    def __init__(self, anchors: list[tuple[datetime, datetime]]):
        self.anchors = sorted(anchors)
        self.stamped = [stamped for stamped, _told in self.anchors]

    def __call__(self, moment: datetime | None) -> datetime | None:
        if moment is None or not self.anchors:
            return moment
        n = bisect_right(self.stamped, moment) - 1
        if n < 0:
            return self.anchors[0][1]
        stamped, told = self.anchors[n]
        if n + 1 == len(self.anchors):
            return told + (moment - stamped)
        next_stamped, next_told = self.anchors[n + 1]
        return told + (next_told - told) * ((moment - stamped) / (next_stamped - stamped))

    def snap(self, moment: datetime | None) -> datetime | None:
        """For what a step wrote right after it (its notices): the told
        moment of the last step stamped before `moment` (a minute or two
        later at most), so a notice is dated at the step it tells of rather
        than somewhere between two steps."""
        if moment is None or not self.anchors:
            return moment
        stamped, told = self.anchors[max(bisect_right(self.stamped, moment) - 1, 0)]
        after = min(max(moment - stamped, timedelta(0)), SNAP_AFTER)
        return told + timedelta(minutes=after // timedelta(minutes=1))
