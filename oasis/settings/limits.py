"""Rate limits: every limit on writing or guessing, in one table.

Signed-in actions are limited per member; each also has a per-address bound,
much looser, against one machine driving many accounts. Korean mobile
carriers put many subscribers behind one shared address, so the per-address
bound must let a crowd of members in (a proposal going viral brings
thousands from a handful of carrier addresses). Logging in is limited per
account (failed attempts per e-mail) with a loose per-address bound.

A rate is "N/period" with period s, m, h or d, optionally multiplied
("5/5m"). Every entry can be overridden from the environment:
OASIS_RATE_LIMIT_<ACTION>_<SCOPE>, e.g. OASIS_RATE_LIMIT_ENDORSE_IP=6000/h;
an empty value there turns that one limit off. The README lists them all.
Read at request time (oasis.ratelimits), so a test's settings override
applies at once."""

import re

from django.core.exceptions import ImproperlyConfigured

from .env import env_str

# A count per period: "30/h", "5/5m"; a period of 0 ("5/0m") would divide by zero.
_RATE = re.compile(r"^\d+/([1-9]\d*)?[smhd]$")

# action: {scope: default}. Scopes: "user" per member, "ip" per address,
# "key" per account (allauth: the e-mail typed in).
_DEFAULTS: dict[str, dict[str, str]] = {
    # Signed-in actions (oasis.ratelimits.rate_limited on each view).
    "propose": {"user": "10/h", "ip": "300/h"},
    "edit_proposal": {"user": "30/h", "ip": "1000/h"},
    "endorse": {"user": "120/h", "ip": "6000/h"},
    # The similar proposals shown while typing a proposal (a GET per pause
    # in typing, each a Kiwi read and a search).
    "similar": {"user": "600/h", "ip": "6000/h"},
    "comment": {"user": "30/h", "ip": "1000/h"},
    "report": {"user": "30/h", "ip": "300/h"},
    "answer_rate": {"user": "30/h", "ip": "300/h"},
    "debate_stance": {"user": "60/h", "ip": "2000/h"},
    "debate_argument": {"user": "20/h", "ip": "600/h"},
    # A discussion poll (토론형): arguments, and endorsing them (공감).
    "poll_argument": {"user": "20/h", "ip": "600/h"},
    "poll_endorse": {"user": "120/h", "ip": "6000/h"},
    # The citizen panel: applying (and withdrawing) fills the operators' home.
    "panel_apply": {"user": "10/d", "ip": "300/h"},
    "panel_rate": {"user": "120/h", "ip": "2000/h"},
    # City polls: a vote (or a change of vote) per request. The address
    # bound is as loose as endorsing's: a poll the city promotes brings
    # crowds from a few carrier addresses.
    "poll_vote": {"user": "60/h", "ip": "6000/h"},
    # Photos (counted per photo, not per request): each costs a decode.
    "photos": {"user": "30/h", "ip": "300/h"},
    # Accounts (allauth's ACCOUNT_RATE_LIMITS, oasis/settings/auth.py).
    "signup": {"ip": "100/h"},
    "login": {"ip": "300/m"},
    "login_failed": {"key": "5/5m", "ip": "60/m"},
    "reset_password": {"key": "5/m", "ip": "60/m"},
    "confirm_email": {"key": "1/3m"},
}


def _rate(action: str, scope: str, default: str) -> str | None:
    name = f"OASIS_RATE_LIMIT_{action.upper()}_{scope.upper()}"
    value = env_str(name, default).strip()
    if not value:
        return None
    if not _RATE.match(value):
        raise ImproperlyConfigured(f'{name}="{value}": expected a rate such as "120/h" or "5/5m".')
    return value


OASIS_RATE_LIMITS: dict[str, dict[str, str | None]] = {
    action: {scope: _rate(action, scope, default) for scope, default in scopes.items()}
    for action, scopes in _DEFAULTS.items()
}


def allauth_rate(action: str) -> str:
    """One allauth rate string ("5/5m/key,60/m/ip") from the table."""
    return ",".join(
        f"{rate}/{scope}" for scope, rate in OASIS_RATE_LIMITS[action].items() if rate
    )
