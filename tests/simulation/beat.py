"""The beat, run by the simulation as Celery beat would run it: every entry
of CELERY_BEAT_SCHEDULE, read from the settings (so an entry added by any
app is run too), at its own times of the simulated day.

A crontab entry runs at each of its (hour, minute) in Seoul on the days it
names. An interval entry (every minute, every five minutes), or a crontab one that
fires more than four times a day (the hourly answer deadlines), cannot be run
hundreds of times a simulated day in a test that must stay within a minute:
it runs at the simulation's ticks instead (at night and after the staff's
work), which is what matters for it: whatever the day
left to catch up on is caught up before the day's checks, and a deadline
that ended at midnight is acted on at the night's tick."""

import datetime as dt
import importlib
from dataclasses import dataclass, field

from celery import current_app
from celery.schedules import crontab
from django.conf import settings

from tests.clock import SEOUL


@dataclass(frozen=True)
class Entry:
    name: str
    task: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


def _entries() -> tuple[list[tuple[Entry, crontab]], list[Entry]]:
    timed, interval = [], []
    for name, spec in settings.CELERY_BEAT_SCHEDULE.items():
        # A worker imports every app's tasks at start; here, the module of
        # each scheduled task is imported so the task is registered.
        importlib.import_module(spec["task"].rpartition(".")[0])
        entry = Entry(name, spec["task"], tuple(spec.get("args", ())), dict(spec.get("kwargs", {})))
        schedule = spec["schedule"]
        if isinstance(schedule, crontab) and len(schedule.hour) * len(schedule.minute) <= 4:
            timed.append((entry, schedule))
        else:
            interval.append(entry)
    return timed, interval


class Beat:
    """Runs the schedule's tasks; counts the runs of each entry."""

    def __init__(self):
        self.timed, self.interval = _entries()
        self.runs: dict[str, int] = {}

    def moments(self, day: dt.date) -> list[tuple[dt.datetime, Entry]]:
        """The crontab entries' runs on `day`, in time order."""
        weekday = day.isoweekday() % 7  # celery: 0 is Sunday
        runs = []
        for entry, schedule in self.timed:
            if (
                day.month not in schedule.month_of_year
                or day.day not in schedule.day_of_month
                or weekday not in schedule.day_of_week
            ):
                continue
            for hour in sorted(schedule.hour):
                for minute in sorted(schedule.minute):
                    runs.append((dt.datetime.combine(day, dt.time(hour, minute), SEOUL), entry))
        return sorted(runs, key=lambda run: (run[0], run[1].name))

    def run(self, entry: Entry):
        # The task's own body, called as the worker calls it (tasks run
        # inline in tests); an exception fails the simulation at once.
        result = current_app.tasks[entry.task](*entry.args, **entry.kwargs)
        self.runs[entry.name] = self.runs.get(entry.name, 0) + 1
        return result

    def run_intervals(self) -> None:
        for entry in self.interval:
            self.run(entry)
