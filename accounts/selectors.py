"""Reads about members: who holds a role (the role tests themselves are the
predicates in accounts/predicates.py; public names are accounts/names.py)."""

from .models import ConsentRecord, Department, User
from .roles import Role


def operators():
    """Active operators (who are told of escalations and handoffs)."""
    return User.objects.filter(is_active=True, groups__name=Role.OPERATOR).distinct()


def department_officials(department):
    """Active officials of `department` (who may head it, and are told of its work)."""
    return User.objects.filter(
        is_active=True, department=department, groups__name=Role.OFFICIAL
    ).distinct()


def department_names(ids: set) -> dict[int, str]:
    """The names of the departments `ids` in the active language, by id:
    notices store a department's id and name it when read. One query."""
    wanted = {pk for pk in ids if isinstance(pk, int) and not isinstance(pk, bool)}
    if not wanted:
        return {}
    departments = Department.objects.filter(pk__in=wanted).only("pk", "name", "name_en")
    return {department.pk: department.label for department in departments}


def latest_consent(user) -> "ConsentRecord | None":
    """The consent in force for `user`: their newest record, or None."""
    if not (user and user.pk):
        return None
    return ConsentRecord.objects.filter(user=user).order_by("-created_at", "-id").first()


def consented_items(user) -> set[str]:
    """The optional data items `user` currently allows (accounts.legal.OPTIONAL_FIELDS)."""
    record = latest_consent(user)
    return record.optional_items if record else set()
