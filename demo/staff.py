"""The demo's staff: who answers, moderates, decides and reports."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from accounts.models import Department, User
from accounts.roles import Role
from accounts.services import user_set_roles

from .members import (
    CITIZEN_EMAIL,
    DEMO_EMAIL_DOMAIN,
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
    a card to. Requires the demo members; idempotent."""
    by_email = {u.email: u for u in User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN)}
    password = by_email[CITIZEN_EMAIL].password  # the demo password's hash
    officials = {}
    for department in Department.objects.order_by("pk"):
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
        officials[department.pk] = official or colleague
    return Staff(
        operator=by_email[OPERATOR_EMAIL],
        mayor=by_email[MAYOR_EMAIL],
        expert=by_email[EXPERT_EMAIL],
        expert2=by_email[EXPERT2_EMAIL],
        panel=by_email[PANEL_EMAIL],
        officials=officials,
    )
