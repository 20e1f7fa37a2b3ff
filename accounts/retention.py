"""What a withdrawn member leaves behind in the apps above accounts, and how
each app erases it once the retention period is over.

Like the data export (accounts/export.py), the apps register their own part
from their AppConfig.ready(), so accounts never imports them: each app knows
best which of its rows are a member's own and which belong to the public
record (a proposal, a comment, an endorsement stay; a notice or a follow go)."""

from collections.abc import Callable

# (name, purge(user) -> rows deleted), in registration order.
_PURGERS: list[tuple[str, Callable]] = []


def register_residue(name: str, purge: Callable) -> None:
    """Have `purge(user)` run for every withdrawn member past the retention
    period. It must be idempotent (run again, it deletes nothing). Registering
    a name again replaces it (ready() may run twice in tests)."""
    _PURGERS[:] = [(n, p) for n, p in _PURGERS if n != name]
    _PURGERS.append((name, purge))


def residue_purgers() -> list[tuple[str, Callable]]:
    return list(_PURGERS)
