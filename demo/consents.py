"""Demo members agreed to the legal documents when they signed up, with the
optional items they hold: without a consent record every page would send
them to agree first (accounts.middleware)."""

from accounts.legal import OPTIONAL_FIELDS
from accounts.models import ConsentRecord, ConsentVia
from accounts.services import consent_record


def consent_as_signed_up(users) -> int:
    """Record a sign-up consent for each of `users` who has none, allowing
    the optional items they hold. Idempotent. Returns how many were added."""
    have = set(
        ConsentRecord.objects.filter(user__in=[u.pk for u in users]).values_list(
            "user_id", flat=True
        )
    )
    added = 0
    for user in users:
        if user.pk in have:
            continue
        held = {field for field in OPTIONAL_FIELDS if getattr(user, field) not in ("", None)}
        consent_record(user=user, optional_items=held, via=ConsentVia.SIGNUP)
        added += 1
    return added
