"""Helpers for the demo's tests."""

import io
from datetime import datetime

from django.core.management import call_command


def seed(*args) -> str:
    """Run `seed_demo` with `args`; returns what it printed."""
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


class World:
    started: datetime
    output: str
    on_commit: list  # what the seed left to run after its commit
