"""Moving the clock in tests: Seoul time, and time_machine at a moment."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

SEOUL = ZoneInfo("Asia/Seoul")


def seoul(*args) -> dt.datetime:
    """dt.datetime(*args) in Seoul time."""
    return dt.datetime(*args, tzinfo=SEOUL)


def at(*args, tick: bool = False):
    """Travel to dt.datetime(*args) in Seoul. The clock stands still unless
    `tick` (a live server and a browser need it to run on)."""
    return time_machine.travel(seoul(*args), tick=tick)
