"""No piece of open work without an owner or a named fallback: the count.

The work lives in apps above this floor (answers, tracking, experts), so
this module never imports them: each app registers, from its
AppConfig.ready(), a function counting its open items that have neither a
usable owner (an active official of the item's department holding the
role) nor a named fallback (the department's usable head, else the active
operators). In a healthy system every count is 0; the beat
(accounts.tasks.check_unowned_work) and the operator's home show the sum."""

from collections.abc import Callable

# key → counter, in registration order.
_COUNTERS: dict[str, Callable[[], int]] = {}


def register_unowned_count(key: str, fn: Callable[[], int]) -> None:
    """Add (or replace: ready() may run twice in tests) the counter `key`."""
    _COUNTERS[key] = fn


def unowned_total() -> dict[str, int]:
    """Each registered counter's number, by key; `sum(...values())` is the
    one number the operators see."""
    return {key: int(fn()) for key, fn in _COUNTERS.items()}


def registered_counters() -> list[str]:
    return list(_COUNTERS)
