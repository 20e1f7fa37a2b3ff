"""How members are named in public: the nickname they chose, or their name
masked (홍*동). Reads only the user's own fields, so models and every app can
use it."""

from django.utils.translation import gettext as _


def mask_name(name: str) -> str:
    """홍길동 → 홍*동, 홍길 → 홍*, 남궁민수 → 남**수, 홍 → *. Keeps the first and
    last character so a member recognises their own entry and nobody else
    learns the full name; a one-character name would be shown whole, so it is
    masked entirely."""
    name = name.strip()
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def public_name_for(user) -> str:
    if user is None or user.withdrawn_at is not None:
        return _("Withdrawn member")
    if user.nickname.strip():
        return user.nickname.strip()
    if user.display_name.strip():
        return mask_name(user.display_name)
    return mask_name(user.email.split("@")[0])


def own_name(user) -> str:
    """The name allauth uses when it speaks to the member about themselves
    ("signed in as …", "confirm that … is your address"): their own name in
    full, never the mask others see."""
    return user.get_full_name()
