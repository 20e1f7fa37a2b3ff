"""Reads about members: who holds a role (the role tests themselves are the
predicates in accounts/predicates.py; public names are accounts/names.py)."""

from django.db.models import Exists, F, OuterRef, Q

from .models import ConsentRecord, Department, User
from .roles import Role


def operators():
    """Active operators (who are told of escalations and handoffs)."""
    return User.objects.filter(is_active=True, groups__name=Role.OPERATOR).distinct()


def institution_admins(institution_id):
    """Active administrators of the partner institution `institution_id`
    (who run its work and are told of what waits for them, issue 16)."""
    return User.objects.filter(
        is_active=True, institution_id=institution_id, groups__name=Role.INSTITUTION_ADMIN
    ).distinct()


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


def is_usable_official(user, department_id) -> bool:
    """`user` can carry work of the department `department_id`: active,
    holding the official role, in that department (issue 12's "usable")."""
    return bool(
        user is not None
        and department_id
        and user.is_active
        and user.department_id == department_id
        and user.has_role(Role.OFFICIAL)
    )


def usable_head(department):
    """The department's head if they can still act as one (active, an
    official of it), else None: a head who moved, lost the role or was
    deactivated leaves the department headless."""
    if department is None:
        return None
    head = department.head
    return head if is_usable_official(head, department.pk) else None


def work_fallback(department) -> list:
    """Who work without a usable owner falls to until it is handed on: the
    department's usable head, else the active operators."""
    head = usable_head(department)
    return [head] if head is not None else list(operators())


def answering_officials(department) -> list:
    """Who is reminded of a department's open answer: its active officials
    (its usable head among them), else the operators, so the reminders of
    an empty department are never sent to nobody."""
    return list(department_officials(department)) or list(operators())


def usable_official_exists(user_field: str = "head", department_field: str = "pk"):
    """A Q that the member named by `user_field` is a usable official of the
    department named by `department_field` (for querysets: headless
    departments, cards without a usable owner)."""
    group = User.groups.through.objects.filter(
        user_id=OuterRef(user_field), group__name=Role.OFFICIAL
    )
    return (
        Q(**{f"{user_field}__is_active": True})
        & Q(**{f"{user_field}__department_id": F(department_field)})
        & Exists(group)
    )


def headless_departments():
    """Active departments without a usable head (none named, or the one
    named moved, lost the role or was deactivated)."""
    return Department.objects.filter(is_active=True).exclude(usable_official_exists())


def departments_without_officials():
    """Active departments where nobody active holds the official role: an
    assignment there would reach nobody but its e-mail and the operators."""
    officials = User.objects.filter(
        is_active=True, department_id=OuterRef("pk"), groups__name=Role.OFFICIAL
    )
    return Department.objects.filter(is_active=True).exclude(Exists(officials))


def superusers():
    """Active superusers: told when nobody else is left to tell."""
    return User.objects.filter(is_active=True, is_superuser=True)
