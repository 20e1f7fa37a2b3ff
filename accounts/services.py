"""Changes to members: profile, consent, roles, withdrawal, and the purge
of what the portal may no longer keep."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oasis.errors import ServiceError

from . import legal
from .models import AccessRecord, ConsentRecord, ConsentVia, User
from .retention import residue_purgers
from .roles import STAFF_ROLES, Role
from .selectors import consented_items


def profile_update(*, user: User, **fields) -> User:
    """The member edits their own profile; only the listed fields can change.
    An optional item (district, birth year, gender) is stored only with the
    member's consent to it (consent_record first); without it a value is
    refused, so nothing is collected that was not agreed to."""
    allowed = {"display_name", "nickname", "district", "birth_year", "gender", "language"}
    changed = [name for name in fields if name in allowed]
    given = [name for name in changed if name in legal.OPTIONAL_FIELDS and fields[name]]
    if given and set(given) - consented_items(user):
        raise ServiceError(_("Please agree to the collection of an optional item before giving it."))
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


# --- consent ----------------------------------------------------------------------------


def consent_record(*, user: User, optional_items: set[str], via: str) -> ConsentRecord:
    """Record that `user` agrees to the terms and the privacy policy in force
    today, and allows exactly `optional_items` of the optional data items.
    An optional item not (or no longer) allowed is erased from the profile at
    once: withdrawing a consent withdraws the data. Adds a row; never
    changes an earlier one."""
    # Forms offer only the known items; anything else is a programming error.
    if set(optional_items) - set(legal.OPTIONAL_FIELDS) or via not in ConsentVia.values:
        raise ValueError(f"Unknown consent item or origin: {optional_items}, {via}")
    with transaction.atomic():
        record = ConsentRecord.objects.create(
            user=user,
            terms_version=legal.current(legal.Kind.TERMS).version,
            privacy_version=legal.current(legal.Kind.PRIVACY).version,
            via=via,
            **{field: field in optional_items for field in legal.OPTIONAL_FIELDS},
        )
        withdrawn = [
            field
            for field in legal.OPTIONAL_FIELDS
            if field not in optional_items and getattr(user, field) not in ("", None)
        ]
        for field in withdrawn:
            setattr(user, field, None if field == "birth_year" else "")
        if withdrawn:
            user.save(update_fields=withdrawn)
    return record


# --- retention ----------------------------------------------------------------------------


def withdrawn_residue_purge(*, now=None) -> int:
    """Erase what withdrawn members left behind once OASIS_WITHDRAWN_RETENTION_DAYS
    have passed since they left: their notices, their follows, their consent
    records and the time of their last login. What stays is what the public
    record needs: the anonymous account row (withdrawn-<id>@invalid.oasis, no
    name, no password) that their proposals, comments and endorsements point
    to. Returns how many accounts had something erased. Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OASIS_WITHDRAWN_RETENTION_DAYS)
    due = User.objects.filter(withdrawn_at__isnull=False, withdrawn_at__lt=cutoff)
    purged = 0
    for user in due.iterator():
        erased = 0
        # The apps above accounts say what of theirs a member leaves behind
        # (accounts.retention.register_residue, from their AppConfig.ready()).
        for _name, purge in residue_purgers():
            erased += purge(user)
        erased += ConsentRecord.objects.filter(user=user).delete()[0]
        if user.last_login is not None:
            User.objects.filter(pk=user.pk).update(last_login=None)
            erased += 1
        purged += bool(erased)
    return purged


def access_records_purge(*, now=None) -> int:
    """Delete personal-data access records older than
    OASIS_ACCESS_RECORD_RETENTION_DAYS (two years by default, the PIPA
    minimum). The only way such a record is ever deleted. Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OASIS_ACCESS_RECORD_RETENTION_DAYS)
    deleted, _rows = AccessRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
