"""Issuing and revoking partner API keys. Each asks api.rules, writes the
key, and records an audit row (accounts.audit) in the same transaction."""

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from oasis.errors import PermissionDenied, ServiceError, require_reason

from . import audit_words
from .models import KEY_MARK, PREFIX_LENGTH, PartnerKey, hash_key, new_key, validate_rate


def _require(actor) -> None:
    if not rules.has_perm("api.manage_partner_keys", actor):
        raise PermissionDenied


def key_issue(*, actor, institution: str, contact_email: str, rate: str) -> tuple[PartnerKey, str]:
    """A new key for a partner institution. Returns the row and the key
    itself, which is shown to the operator once and never stored."""
    _require(actor)
    institution = (institution or "").strip()
    if not institution:
        raise ServiceError(_("Please give the institution's name."))
    try:
        validate_rate(rate)
    except ValidationError as error:
        raise ServiceError(error.messages[0]) from None
    raw = new_key()
    with transaction.atomic():
        key = PartnerKey(
            institution=institution[:200],
            contact_email=contact_email,
            rate=rate,
            prefix=raw[len(KEY_MARK) : len(KEY_MARK) + PREFIX_LENGTH],
            key_hash=hash_key(raw),
        )
        key.full_clean()
        key.save()
        audit_record(
            actor=actor,
            action=audit_words.KEY_ISSUED,
            target=key,
            params={"prefix": key.prefix, "rate": key.rate},
        )
    return key, raw


def key_revoke(*, actor, key: PartnerKey, reason: str) -> PartnerKey:
    """Revoke a key for good: a request sending it is refused (401) from the
    next request on. Revoking a revoked key is refused."""
    _require(actor)
    reason = require_reason(reason)
    with transaction.atomic():
        locked = PartnerKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is not None:
            raise ServiceError(_("This key has already been revoked."))
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_reason"])
        audit_record(
            actor=actor,
            action=audit_words.KEY_REVOKED,
            target=locked,
            params={"prefix": locked.prefix, "reason": reason},
        )
    key.revoked_at, key.revoked_reason = locked.revoked_at, locked.revoked_reason
    return key


def key_update(
    *, actor, key: PartnerKey, institution: str, contact_email: str, rate: str
) -> PartnerKey:
    """An operator corrects a key's institution or contact, or changes its
    rate (from the next request on); the audit row names what changed."""
    _require(actor)
    institution = (institution or "").strip()[:200]
    if not institution:
        raise ServiceError(_("Please give the institution's name."))
    try:
        validate_rate(rate)
    except ValidationError as error:
        raise ServiceError(error.messages[0]) from None
    with transaction.atomic():
        locked = PartnerKey.objects.select_for_update().get(pk=key.pk)
        before = {"institution": locked.institution, "contact_email": locked.contact_email}
        before_rate = locked.rate
        locked.institution, locked.contact_email, locked.rate = institution, contact_email, rate
        changed = [
            name
            for name, value in (*before.items(), ("rate", before_rate))
            if getattr(locked, name) != value
        ]
        if not changed:
            return key
        locked.full_clean()
        locked.save(update_fields=["institution", "contact_email", "rate"])
        if before_rate != rate:
            audit_record(
                actor=actor,
                action=audit_words.KEY_RATE_CHANGED,
                target=locked,
                params={"prefix": locked.prefix, "before": before_rate, "rate": rate},
            )
        if set(changed) - {"rate"}:
            audit_record(
                actor=actor,
                action=audit_words.KEY_DETAILS_CHANGED,
                target=locked,
                params={"prefix": locked.prefix, "fields": sorted(set(changed) - {"rate"})},
            )
    key.institution, key.contact_email, key.rate = institution, contact_email, rate
    return key
