"""The notices this app sends. A notice stores its parameters as text, so the
names in it (a department, a decision, a date) are written in each
recipient's own language: recipients are grouped by language and each group's
parameters are built under that language."""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import formats, timezone, translation

from accounts.selectors import department_officials, operators
from notifications.services import notify, proposal_audience


def due_date(deadline) -> str:
    """A deadline as a date in the active language ("2025년 3월 5일", "March 5, 2025")."""
    return formats.date_format(timezone.localtime(deadline).date(), "DATE_FORMAT")


def tell(
    recipients: Iterable,
    *,
    kind: str,
    key: str,
    proposal,
    params: Callable[[], dict],
) -> list:
    """notify() each recipient once for `key`, with `params()` built in the
    recipient's language. Returns the notices created now."""
    by_language: dict[str, list] = defaultdict(list)
    for user in recipients:
        by_language[getattr(user, "language", "") or settings.LANGUAGE_CODE].append(user)
    created = []
    for language, group in sorted(by_language.items()):
        with translation.override(language):
            created += notify(
                recipients=group, kind=kind, key=key, proposal=proposal, params=params()
            )
    return created


def tell_department(department, **kwargs) -> list:
    return tell(department_officials(department), **kwargs)


def tell_operators(**kwargs) -> list:
    return tell(operators(), **kwargs)


def tell_audience(proposal, **kwargs) -> list:
    """The proposer and the proposal's followers."""
    return tell(proposal_audience(proposal), proposal=proposal, **kwargs)
