"""Which module serves which part of /api/v1/. Each module lists its
`ROUTES` as (prefix, viewset, basename) and is named here once, so the
parts of the API are written side by side without touching one file."""

from importlib import import_module

MODULES = [
    "api.proposals",  # proposals with stage and counts, their timelines
    "api.answers",  # department answers
    "api.debates",  # debates with stance counts
    "api.meetings",  # realization meetings and their decisions
    "api.cards",  # adopted items and their progress reports
    "api.polls",  # city polls with results
    "api.statistics",  # the figures of /stats/
]


def all_routes():
    for name in MODULES:
        yield from import_module(name).ROUTES
