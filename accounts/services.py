"""Changes to members: profile, roles, withdrawal."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from oasis.errors import ServiceError

from .models import User
from .roles import STAFF_ROLES, Role


def profile_update(*, user: User, **fields) -> User:
    """The member edits their own profile; only the listed fields can change."""
    allowed = {"display_name", "nickname", "district", "birth_year", "gender", "language"}
    changed = [name for name in fields if name in allowed]
    for name in changed:
        setattr(
            user, name, fields[name] if fields[name] is not None or name == "birth_year" else ""
        )
    user.save(update_fields=changed)
    return user


def user_set_roles(*, user: User, roles: set[str], department=None) -> User:
    """Give a member exactly these roles (and a department for officials).
    Staff roles open the admin; a superuser keeps it whatever the roles."""
    if Role.OFFICIAL in roles and department is None:
        raise ServiceError("An official must belong to a department.")
    with transaction.atomic():
        groups = [Group.objects.get_or_create(name=str(role))[0] for role in roles]
        user.groups.set(groups)
        user.department = department
        user.is_staff = user.is_superuser or bool(roles & STAFF_ROLES)
        user.save(update_fields=["department", "is_staff"])
    user.__dict__.pop("role_names", None)
    return user


def account_withdraw(*, user: User) -> None:
    """The member leaves. Their proposals, comments and endorsements stay (the
    public record must not change), shown as by a withdrawn member; everything
    that identifies them is erased and they can no longer log in."""
    with transaction.atomic():
        EmailAddress.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()
        user.groups.clear()
        user.email = f"withdrawn-{user.pk}@invalid.oasis"
        user.display_name = ""
        user.nickname = ""
        user.district = ""
        user.birth_year = None
        user.gender = ""
        user.department = None
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.withdrawn_at = timezone.now()
        user.set_unusable_password()
        user.save()
