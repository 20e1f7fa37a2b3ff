"""Partner institutions' API keys. Anyone may read the API without a key; a
partner's key only raises its rate limit. A key that is sent but unknown or
revoked is refused with 401 rather than silently treated as anonymous, so a
partner notices a mistyped or revoked key at once.

Shared ground: anonymous only. The api-core part adds the PartnerKey model
and checks the key here (`request.auth` is then the PartnerKey)."""

from rest_framework.authentication import BaseAuthentication


class PartnerKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        return None
