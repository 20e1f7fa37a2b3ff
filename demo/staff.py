"""The demo's staff: who answers, moderates, decides and reports."""

import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from accounts.models import Department, User
from accounts.predicates import must_use_second_factor
from accounts.roles import Role
from accounts.services import user_set_roles

from .consents import consent_as_signed_up
from .members import (
    CITIZEN_EMAIL,
    DEMO_EMAIL_DOMAIN,
    DEMO_TOTP_SECRET,
    DEPARTMENT_OFFICIALS,
    EXPERT2_EMAIL,
    EXPERT_EMAIL,
    MAYOR_EMAIL,
    OPERATOR_EMAIL,
    PANEL_EMAIL,
    demo_email,
)


@dataclass
class Staff:
    operator: User
    mayor: User
    expert: User
    expert2: User
    panel: User
    officials: dict  # department pk → the official who works its items


def staff_gather() -> Staff:
    """The demo logins that do staff work, and one official for every
    department: its first official, else a demo colleague created for it
    (with the demo password), so every department's head has someone to hand
    a card to. The city's departments only: a partner institution's have
    their own officials (demo/institutions.py). Requires the demo members;
    idempotent."""
    by_email = {u.email: u for u in User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN)}
    password = by_email[CITIZEN_EMAIL].password  # the demo password's hash
    officials = {}
    for department in Department.objects.filter(institution__isnull=True).order_by("pk"):
        official = (
            User.objects.filter(department=department, groups__name=Role.OFFICIAL, is_active=True)
            .order_by("pk")
            .first()
        )
        email = demo_email(f"official.{department.code}")
        name = DEPARTMENT_OFFICIALS.get(department.code, f"{department.name} 담당")
        colleague, _created = User.objects.get_or_create(
            email=email, defaults={"display_name": name, "password": password}
        )
        if colleague.display_name != name:  # named after the department by older seeds
            colleague.display_name = name
            colleague.save(update_fields=["display_name"])
        EmailAddress.objects.get_or_create(
            user=colleague, email=email, defaults={"verified": True, "primary": True}
        )
        user_set_roles(user=colleague, roles={Role.OFFICIAL}, department=department)
        consent_as_signed_up([colleague])
        officials[department.pk] = official or colleague
    return Staff(
        operator=by_email[OPERATOR_EMAIL],
        mayor=by_email[MAYOR_EMAIL],
        expert=by_email[EXPERT_EMAIL],
        expert2=by_email[EXPERT2_EMAIL],
        panel=by_email[PANEL_EMAIL],
        officials=officials,
    )


def staff_authenticator_apps() -> int:
    """Give every demo account that needs a second factor (the staff roles,
    superusers) an authenticator app set up with the published
    DEMO_TOTP_SECRET, so `demo_totp_code` signs them in. Idempotent: an
    account that already has one keeps it. Returns how many were set up."""
    with_app = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user_id", flat=True)
    )
    demo_users = User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN).exclude(
        pk__in=with_app
    )
    count = 0
    for user in demo_users.prefetch_related("groups"):
        if must_use_second_factor(user):
            totp = TOTP.activate(user, DEMO_TOTP_SECRET).instance
            # Set up when they joined, like the rest of the demo's story.
            Authenticator.objects.filter(pk=totp.pk).update(created_at=user.date_joined)
            count += 1
    return count


def demo_totp_code(now: float | None = None) -> tuple[str, int]:
    """The current 6-digit code for the demo secret and the seconds it has left."""
    now = time.time() if now is None else now
    period = mfa_settings.TOTP_PERIOD
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now) // period))
    return code, period - int(now) % period


def colleague_who_moves_on(department: Department) -> User:
    """A second official of `department` (the demo password, a second
    factor like every demo staff login) who answers one proposal and then
    moves to another department (colleague_moved_on), so its adopted item's
    card opens without owner (tracking.services.initial_owner). Idempotent."""
    email = demo_email(f"official.{department.code}.former")
    password = User.objects.get(email=CITIZEN_EMAIL).password  # the demo password's hash
    colleague, _created = User.objects.get_or_create(
        email=email,
        # A personal name, as every demo official has one.
        defaults={"display_name": "서윤재", "password": password},
    )
    EmailAddress.objects.get_or_create(
        user=colleague, email=email, defaults={"verified": True, "primary": True}
    )
    user_set_roles(user=colleague, roles={Role.OFFICIAL}, department=department)
    consent_as_signed_up([colleague])
    return colleague


def colleague_moved_on(colleague: User) -> None:
    """`colleague` now works in another department (a personnel rotation)."""
    elsewhere = Department.objects.exclude(pk=colleague.department_id).order_by("pk").first()
    user_set_roles(user=colleague, roles={Role.OFFICIAL}, department=elsewhere)


def demo_colleague(department: Department, role: str, name: str) -> User:
    """Another official of `department` (the demo password, a personal
    name) for the personnel changes of demo/cards.py (seed_rotations):
    made once, then found again as it was left. Idempotent."""
    email = demo_email(f"official.{department.code}.{role}")
    password = User.objects.get(email=CITIZEN_EMAIL).password  # the demo password's hash
    colleague, created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "password": password}
    )
    if created:
        EmailAddress.objects.get_or_create(
            user=colleague, email=email, defaults={"verified": True, "primary": True}
        )
        user_set_roles(user=colleague, roles={Role.OFFICIAL}, department=department)
        consent_as_signed_up([colleague])
    return colleague
