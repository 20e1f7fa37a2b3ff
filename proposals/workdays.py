"""Deadlines as Seoul's offices count them: working days skip Saturdays,
Sundays and Korean public holidays, substitute holidays included (the
`holidays` package, whose data ships with it: nothing is fetched).

`due_at` is the one place a deadline is computed from a start and a number
of days: assignments, extensions and the escalation steps after a missed
deadline all ask it, in the unit the pipeline settings choose
(PipelineSettings.answer_days_unit)."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DayUnit(models.TextChoices):
    WORKING = "working", _("Working days (no weekends or public holidays)")
    CALENDAR = "calendar", _("Calendar days")


@lru_cache(maxsize=32)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KR", years=year))


def is_holiday(day: date) -> bool:
    """A Korean public holiday (substitute holidays included)."""
    return day in _holidays_of(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def add_days(start: date, days: int, *, unit: str = DayUnit.WORKING) -> date:
    """The date `days` days after `start` (not counting `start` itself): in
    working days the `days`-th working day after it, in calendar days plain
    addition. `days` >= 0; 0 is `start`."""
    if unit == DayUnit.CALENDAR:
        return start + timedelta(days=days)
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def end_of_day(day: date) -> datetime:
    """The last moment of the Seoul date `day`: something due "by" a date is
    on time any time that date."""
    return timezone.make_aware(datetime.combine(day, time.max))


def due_at(start: datetime, days: int, *, unit: str = DayUnit.WORKING) -> datetime:
    """The end of the Seoul day `days` days (of `unit`) after the Seoul date
    of `start`."""
    return end_of_day(add_days(timezone.localtime(start).date(), days, unit=unit))
