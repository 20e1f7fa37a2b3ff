"""Partner institutions' API keys. Anyone may read the API without a key; a
partner's key only raises its rate limit. A key that is sent but unknown or
revoked is refused with 401 rather than silently treated as anonymous, so a
partner notices a mistyped or revoked key at once.

The key comes as `Authorization: Api-Key <key>` or `X-Api-Key: <key>`;
`request.auth` is then the PartnerKey (request.user stays anonymous: a key
names an institution, not a member)."""

import re
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from .models import PartnerKey, hash_key

SCHEME = "Api-Key"
HEADER = "X-Api-Key"
# last_used_at is a hint for the operator ("is this partner still using
# it?"), not a log: one write a minute at most per key, never per request.
LAST_USED_EVERY = timedelta(minutes=1)
# What a key may look like at all; anything else is refused unread.
KEY_SHAPE = re.compile(r"^[A-Za-z0-9_\-]{1,100}$")


class KeyRefused(exceptions.AuthenticationFailed):
    default_detail = _("This API key is not valid. Check the key, or call without one.")
    default_code = "invalid_api_key"


class PartnerKeyAuthentication(BaseAuthentication):
    def authenticate_header(self, request):
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403.
        return SCHEME

    def _sent_key(self, request) -> str | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header:
            scheme, _sep, value = header.strip().partition(" ")
            if scheme.lower() == SCHEME.lower():
                return value.strip()
            # Another scheme (a browser's Basic auth to a proxy): not ours.
        value = request.META.get("HTTP_X_API_KEY")
        if value is not None:
            return value.strip()
        return None

    def authenticate(self, request):
        raw = self._sent_key(request)
        if raw is None:
            return None
        if not KEY_SHAPE.match(raw):
            raise KeyRefused()
        key = PartnerKey.objects.filter(key_hash=hash_key(raw)).first()
        if key is None:
            raise KeyRefused()
        if key.revoked_at is not None:
            raise KeyRefused(
                _("This API key has been revoked. Ask the portal's operators for a new one.")
            )
        self._note_use(key)
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), key

    def _note_use(self, key: PartnerKey) -> None:
        now = timezone.now()
        if key.last_used_at is not None and now - key.last_used_at < LAST_USED_EVERY:
            return
        # Conditional, so partners' requests arriving together write once.
        PartnerKey.objects.filter(pk=key.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
        ).update(last_used_at=now)
        key.last_used_at = now
