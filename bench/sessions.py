"""Signed-in sessions made directly in the session store, so the benchmark
measures pages and not the login form (whose rate limit would stop it).

A member's session holds what Django's login writes (user id, backend, the
password hash's HMAC) and the consent mark the consent middleware would
otherwise look up. A staff session also holds allauth's record of a password
and a TOTP step in this sign-in, which is what accounts.second_factor asks
of staff on every page."""

import secrets
import time
from datetime import timedelta
from importlib import import_module

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import legal
from accounts.models import ConsentRecord, ConsentVia, User

from .world import EMAIL_DOMAIN, UNUSABLE_PASSWORD

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
DB_ENGINES = {"django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"}


def _store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_data(user, *, second_factor: Authenticator | None = None) -> dict:
    data = {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: BACKEND,
        HASH_SESSION_KEY: user.get_session_auth_hash(),
        legal.CONSENT_SESSION_KEY: legal.consent_signature(),
    }
    if second_factor is not None:
        now = time.time()
        data[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "id": second_factor.pk, "type": second_factor.type},
        ]
        data[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    return data


def sessions_for(users, *, second_factor=None) -> list[str]:
    """One new session per user; returns their keys (the sessionid cookies)."""
    store = _store_class()
    if settings.SESSION_ENGINE in DB_ENGINES:
        # Straight into the table: thousands are made for the spike.
        expire = timezone.now() + timedelta(days=1)
        rows = []
        for user in users:
            key = secrets.token_hex(16)
            rows.append(
                Session(
                    session_key=key,
                    session_data=store().encode(session_data(user, second_factor=second_factor)),
                    expire_date=expire,
                )
            )
        Session.objects.bulk_create(rows, batch_size=2000)
        return [row.session_key for row in rows]
    keys = []
    for user in users:
        session = store()
        session.update(session_data(user, second_factor=second_factor))
        session.create()
        keys.append(session.session_key)
    return keys


def staff_session(user) -> str:
    """A session of `user` that passed the second factor (a TOTP
    authenticator is set up for them if they have none)."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        authenticator = TOTP.activate(user, secrets.token_hex(10).upper()).instance
    return sessions_for([user], second_factor=authenticator)[0]


def new_members(count: int, *, tag: str) -> list[User]:
    """`count` new members who have endorsed nothing, for the spike."""
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=f"spike-{tag}-{i}@{EMAIL_DOMAIN}",
                password=UNUSABLE_PASSWORD,
                display_name="시민",
                date_joined=now,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    terms = legal.required_version(legal.Kind.TERMS).version
    privacy = legal.required_version(legal.Kind.PRIVACY).version
    ConsentRecord.objects.bulk_create(
        [
            ConsentRecord(
                user=user,
                terms_version=terms,
                privacy_version=privacy,
                via=ConsentVia.SIGNUP,
                created_at=now,
            )
            for user in users
        ],
        batch_size=2000,
    )
    return users
