"""Partner institutions' API keys (issue 15; seed 004: partners sharing one
platform through an open API). A key only raises the rate limit: the API is
public data, readable without one.

The key itself is never stored, only its SHA-256. A slow password hash
(PBKDF2, Argon2) protects short human-chosen secrets against guessing; a
key here is 32 random bytes (256 bits), which no guessing reaches whatever
the hash's speed, while a slow hash would cost every API request tens of
milliseconds of CPU and could not be looked up by an index. The prefix
(the first characters of the key, not secret) lets the partner and the
operator tell keys apart."""

import hashlib
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# What a partner sends: "oasis_" then 43 URL-safe characters (32 bytes).
KEY_MARK = "oasis_"
PREFIX_LENGTH = 8  # after the mark; shown in the admin and to the partner
DEFAULT_PARTNER_RATE = "6000/h"

# A count per period, as oasis/settings/limits.py writes rates: "6000/h",
# "500/5m"; a period of 0 would divide by zero.
RATE = re.compile(r"^[1-9]\d{0,8}/([1-9]\d{0,5})?[smhd]$")


def validate_rate(value: str) -> None:
    if not RATE.match(value or ""):
        raise ValidationError(
            _('Write a rate as a number of requests per period, e.g. "6000/h" or "500/5m".'),
            code="invalid_rate",
        )


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_key() -> str:
    return KEY_MARK + secrets.token_urlsafe(32)


class PartnerKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class PartnerKey(models.Model):
    institution = models.CharField(_("institution"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    prefix = models.CharField(_("key prefix"), max_length=20, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate = models.CharField(
        _("rate limit"),
        max_length=20,
        default=DEFAULT_PARTNER_RATE,
        validators=[validate_rate],
        help_text=_('Requests per period, e.g. "6000/h" (per hour) or "500/5m" (per 5 minutes).'),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Written at most once a minute (api.authentication), not per request.
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    objects = PartnerKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")

    def __str__(self):
        return f"{self.institution} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
