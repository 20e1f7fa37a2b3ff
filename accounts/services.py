"""Changes to members: profile, consent, roles, withdrawal, and the purge
of what the portal may no longer keep."""

from datetime import timedelta

import rules
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oasis.errors import PermissionDenied, ServiceError

from . import legal
from . import rules as account_rules
from .audit import audit_record
from .models import AccessRecord, ConsentRecord, ConsentVia, Department, Institution, User
from .participation import Action, earner_id, participated
from .retention import residue_purgers
from .roles import STAFF_ROLES, Role
from .selectors import consented_items
from .signals import member_withdrew, staff_left_post


def profile_update(*, user: User, **fields) -> User:
    """The member edits their own profile; only the listed fields can change.
    An optional item (district, birth year, gender) is stored only with the
    member's consent to it (consent_record first); without it a value is
    refused, so nothing is collected that was not agreed to."""
    allowed = {"display_name", "nickname", "district", "birth_year", "gender", "language"}
    changed = [name for name in fields if name in allowed]
    given = [name for name in changed if name in legal.OPTIONAL_FIELDS and fields[name]]
    if given and set(given) - consented_items(user):
        raise ServiceError(
            _("Please agree to the collection of an optional item before giving it.")
        )
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


# --- staff administration (the operators' staff screen) --------------------------------

# Audit codes (accounts/audit_words.py says how they read).
ROLE_GRANTED = "accounts.role_granted"
ROLE_WITHDRAWN = "accounts.role_withdrawn"
DEPARTMENT_SET = "accounts.department_set"
STAFF_DEACTIVATED = "accounts.staff_deactivated"
STAFF_REACTIVATED = "accounts.staff_reactivated"


def _locked_member(*, actor: User, member: User) -> User:
    """`member` re-read under a row lock, once `actor` is known to be allowed
    to change them (accounts.rules.staff_change_refusal): the services'
    shared first step. Call inside a transaction."""
    if not rules.has_perm("accounts.manage_staff", actor):
        raise PermissionDenied
    locked = User.objects.select_for_update().get(pk=member.pk)
    if refusal := account_rules.staff_change_refusal(actor, locked):
        raise ServiceError(refusal)
    return locked


def _staff_flag(member: User) -> bool:
    # As user_set_roles: staff roles open the admin; a superuser keeps it.
    return member.is_superuser or bool(member.role_names & STAFF_ROLES)


def _forget_roles(member: User) -> None:
    member.__dict__.pop("role_names", None)


def _grantable(actor: User, role: str) -> str:
    if role not in account_rules.grantable_roles(actor):
        if role == Role.OPERATOR:
            raise ServiceError(_("Only a superuser may grant or withdraw the operator role."))
        raise ServiceError(_("This role cannot be granted here."))
    return role


def _active_department(department) -> Department:
    if department is None:
        raise ValidationError({"department": _("An official must belong to a department.")})
    if not department.is_active:
        raise ValidationError(
            {"department": _("%(department)s is not active.") % {"department": department.label}}
        )
    return department


def _department_of_their_institution(member: User, department: Department) -> Department:
    """An institution's staff work in that institution's departments only
    (issue 16): an institution administrator who is also an official is an
    official of one of its departments."""
    if member.institution_id is not None and department.institution_id != member.institution_id:
        raise ValidationError(
            {
                "department": _(
                    "%(member)s works for another institution: choose one of its departments."
                )
                % {"member": member.get_full_name() or member.email}
            }
        )
    return department


def _leave_headship(member: User) -> list[int]:
    """A member who stops being an official of a department stops heading it."""
    headed = list(Department.objects.filter(head=member).values_list("pk", flat=True))
    if headed:
        Department.objects.filter(pk__in=headed).update(head=None)
    return headed


# Why a member can no longer carry their work (accounts.signals.staff_left_post).
LEFT_MOVED = "moved"
LEFT_DEACTIVATED = "deactivated"
LEFT_ROLE_WITHDRAWN = "role_withdrawn"


def _left_post(
    *, actor, member: User, reason: str, old_department_id, role: str = "", headed=None
) -> None:
    """Tell the apps holding `member`'s work that they can no longer carry
    it. Sent inside the caller's transaction, so the work is flagged (with
    its history rows and notices) together with the change, or not at all;
    the handlers are connected by the apps above (their AppConfig.ready).
    Besides the agreed kwargs, `headed_department_ids`: the departments the
    member headed and no longer can (the operators are told they are
    headless); by default those still naming them (a deactivated head)."""
    if headed is None:
        headed = list(Department.objects.filter(head=member).values_list("pk", flat=True))
    staff_left_post.send(
        sender=User,
        member=member,
        actor=actor,
        reason=reason,
        old_department_id=old_department_id,
        role=str(role),
        now=timezone.now(),
        headed_department_ids=list(headed),
    )


def staff_role_grant(*, actor: User, member: User, role: str, department=None) -> User:
    """An operator gives `member` a staff role.

    Requires: an operator (accounts.manage_staff) allowed to change `member`
    (not themselves, a superuser or an operator, unless a superuser; not a
    withdrawn member); a role of accounts.rules.grantable_roles(actor) the
    member does not hold; for the official role, an active department
    (`department`, else the member's own).
    Writes: the role's group; the department for an official; is_staff (a
    staff role opens the admin, behind the second factor); an audit row
    (accounts.role_granted: role, department).
    Triggers nothing: the member finds the admin at their next sign-in."""
    with transaction.atomic():
        locked = _locked_member(actor=actor, member=member)
        role = _grantable(actor, role)
        if locked.has_role(role):
            raise ServiceError(
                _("%(member)s already holds the role “%(role)s”.")
                % {"member": locked.get_full_name(), "role": Role(role).label}
            )
        fields = ["is_staff"]
        if role == Role.OFFICIAL:
            locked.department = _department_of_their_institution(
                locked, _active_department(department or locked.department)
            )
            fields.append("department")
        group, _created = Group.objects.get_or_create(name=str(role))
        locked.groups.add(group)
        _forget_roles(locked)
        locked.is_staff = _staff_flag(locked)
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            target=locked,
            action=ROLE_GRANTED,
            params={
                "role": str(role),
                "department": locked.department_id if role == Role.OFFICIAL else None,
            },
        )
    _forget_roles(member)
    return locked


def staff_role_withdraw(*, actor: User, member: User, role: str) -> User:
    """An operator takes a staff role away from `member`.

    Requires: as staff_role_grant, and that the member holds the role.
    Writes: the group removed; for the official role, the department cleared
    and any headship of it ended; is_staff recomputed; an audit row
    (accounts.role_withdrawn: role, department left).
    Triggers: staff_left_post (reason "role_withdrawn", the role), in the
    same transaction: the apps flag the work the member held, which falls
    to the department's head (or the operators) until it is handed on."""
    with transaction.atomic():
        locked = _locked_member(actor=actor, member=member)
        role = _grantable(actor, role)
        if not locked.has_role(role):
            raise ServiceError(
                _("%(member)s does not hold the role “%(role)s”.")
                % {"member": locked.get_full_name(), "role": Role(role).label}
            )
        locked.groups.remove(*Group.objects.filter(name=str(role)))
        _forget_roles(locked)
        fields = ["is_staff"]
        left = None
        headed = []
        if role == Role.OFFICIAL:
            left = locked.department_id
            headed = _leave_headship(locked)
            locked.department = None
            fields.append("department")
        locked.is_staff = _staff_flag(locked)
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            target=locked,
            action=ROLE_WITHDRAWN,
            params={"role": str(role), "department": left},
        )
        _left_post(
            actor=actor,
            member=locked,
            reason=LEFT_ROLE_WITHDRAWN,
            old_department_id=left if role == Role.OFFICIAL else locked.department_id,
            role=role,
            headed=headed,
        )
    _forget_roles(member)
    return locked


def official_department_set(*, actor: User, member: User, department) -> User:
    """An operator moves an official to another department.

    Requires: as staff_role_grant; the member an official; another, active
    department. Writes: the department; the headship of the old one ended;
    an audit row (accounts.department_set: from, to).
    Triggers: staff_left_post (reason "moved", the old department), in the
    same transaction: the apps flag what the official held in the old
    department; it falls to that department's head (or the operators)
    until it is handed on."""
    with transaction.atomic():
        locked = _locked_member(actor=actor, member=member)
        if not locked.has_role(Role.OFFICIAL):
            raise ServiceError(_("Only an official belongs to a department."))
        department = _department_of_their_institution(locked, _active_department(department))
        if department.pk == locked.department_id:
            raise ServiceError(
                _("%(member)s is already in %(department)s.")
                % {"member": locked.get_full_name(), "department": department.label}
            )
        old = locked.department_id
        headed = _leave_headship(locked)
        locked.department = department
        locked.save(update_fields=["department"])
        audit_record(
            actor=actor,
            target=locked,
            action=DEPARTMENT_SET,
            params={"from": old, "to": department.pk},
        )
        _left_post(
            actor=actor, member=locked, reason=LEFT_MOVED, old_department_id=old, headed=headed
        )
    member.department = department
    return locked


def _staff_set_active(*, actor: User, member: User, active: bool) -> User:
    with transaction.atomic():
        locked = _locked_member(actor=actor, member=member)
        if not _staff_flag(locked):
            raise ServiceError(_("Only staff accounts are deactivated and reactivated here."))
        if locked.is_active == active:
            raise ServiceError(
                _("This account is already active.")
                if active
                else _("This account is already deactivated.")
            )
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            target=locked,
            action=STAFF_REACTIVATED if active else STAFF_DEACTIVATED,
            params={"department": locked.department_id},
        )
        if not active:
            _left_post(
                actor=actor,
                member=locked,
                reason=LEFT_DEACTIVATED,
                old_department_id=locked.department_id,
            )
    member.is_active = active
    return locked


def staff_deactivate(*, actor: User, member: User) -> User:
    """An operator deactivates a staff account (an official who left, say):
    it can no longer sign in, and a session it has ends at its next request
    (Django's backends refuse inactive accounts). Roles and department are
    kept, so reactivating restores the account as it was. Requires: as
    staff_role_grant; a staff account that is active. Writes: is_active; an
    audit row (accounts.staff_deactivated). Triggers: staff_left_post
    (reason "deactivated"), in the same transaction: the member's open work
    is flagged and falls to the head (or the operators). Headship is kept,
    as roles are: a deactivated head is not a usable one, and
    reactivating restores them (the rules check is_active)."""
    return _staff_set_active(actor=actor, member=member, active=False)


def staff_reactivate(*, actor: User, member: User) -> User:
    """The reverse of staff_deactivate (accounts.staff_reactivated)."""
    return _staff_set_active(actor=actor, member=member, active=True)


def member_admin_state(member: User) -> dict:
    """What member_admin_changed compares: read before the superuser's form
    on the member admin is saved."""
    return {
        "roles": set(member.role_names),
        "department_id": member.department_id,
        "is_active": member.is_active,
    }


def member_admin_changed(*, actor: User, member: User, before: dict) -> None:
    """A superuser changed a member's groups, department or activity on the
    member admin (accounts.admin.UserAdmin), which bypasses the staff
    screen's services. Called in the admin's transaction once the form and
    its groups are saved: writes the same audit rows the services write
    (a role granted or withdrawn, a department set, deactivated or
    reactivated), ends a headship the member can no longer hold, and sends
    staff_left_post as the services do when the member can no longer carry
    their work. Nothing when nothing of that changed."""
    _forget_roles(member)
    after = member_admin_state(member)
    old_department = before["department_id"]
    was_official = Role.OFFICIAL in before["roles"]
    for role in sorted(after["roles"] - before["roles"]):
        audit_record(
            actor=actor,
            target=member,
            action=ROLE_GRANTED,
            params={
                "role": role,
                "department": after["department_id"] if role == Role.OFFICIAL else None,
            },
        )
    withdrawn = sorted(before["roles"] - after["roles"])
    for role in withdrawn:
        audit_record(
            actor=actor,
            target=member,
            action=ROLE_WITHDRAWN,
            params={
                "role": role,
                "department": old_department if role == Role.OFFICIAL else None,
            },
        )
    moved = after["department_id"] != old_department
    if moved:
        audit_record(
            actor=actor,
            target=member,
            action=DEPARTMENT_SET,
            params={"from": old_department, "to": after["department_id"]},
        )
    if after["is_active"] != before["is_active"]:
        audit_record(
            actor=actor,
            target=member,
            action=STAFF_REACTIVATED if after["is_active"] else STAFF_DEACTIVATED,
            params={"department": after["department_id"]},
        )
    # A head stays head only as an official of the department they head.
    lost_headship = Department.objects.filter(head=member)
    if Role.OFFICIAL in after["roles"]:
        lost_headship = lost_headship.exclude(pk=after["department_id"])
    headed = list(lost_headship.values_list("pk", flat=True))
    lost_headship.update(head=None)
    if before["is_active"] and not after["is_active"]:
        _left_post(
            actor=actor,
            member=member,
            reason=LEFT_DEACTIVATED,
            old_department_id=old_department,
            headed=headed or None,
        )
    elif was_official and Role.OFFICIAL in withdrawn:
        _left_post(
            actor=actor,
            member=member,
            reason=LEFT_ROLE_WITHDRAWN,
            old_department_id=old_department,
            role=Role.OFFICIAL,
            headed=headed,
        )
    elif was_official and moved:
        _left_post(
            actor=actor,
            member=member,
            reason=LEFT_MOVED,
            old_department_id=old_department,
            headed=headed,
        )
    for role in withdrawn:
        if role != Role.OFFICIAL:  # an expert's requested opinions (the experts app)
            _left_post(
                actor=actor,
                member=member,
                reason=LEFT_ROLE_WITHDRAWN,
                old_department_id=old_department,
                role=role,
                headed=[],
            )


def member_signed_up(*, user: User) -> None:
    """A new member's account exists (allauth's `user_signed_up`, sent for a
    sign-up with a password and for a social one alike): says so once, for
    the sign-up's mileage. Writes nothing here; mileage's receiver writes
    the entry in this transaction, keyed by the member so a signal sent
    twice earns once."""
    with transaction.atomic():
        participated(action=Action.SIGNUP, member_id=earner_id(user), source=user)


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
        member_withdrew.send(sender=User, member=user)


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


def profile_save(*, user: User, fields: dict, optional_items: set[str], via: str) -> User:
    """The member saves their profile, or some of its items (a city poll asks
    for the ones it needs): a new consent record first when the optional
    items they allow change (`optional_items`, all of them, not only the
    ones on the form), so that an item is stored only once allowed and
    erased as soon as it no longer is; then the fields. One transaction:
    nothing half-saved."""
    with transaction.atomic():
        if set(optional_items) != consented_items(user):
            consent_record(user=user, optional_items=optional_items, via=via)
        return profile_update(user=user, **fields)


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


# --- partner institutions (issue 16) -------------------------------------------------

INSTITUTION_REGISTERED = "accounts.institution_registered"
INSTITUTION_UPDATED = "accounts.institution_updated"
INSTITUTION_ADMIN_GRANTED = "accounts.institution_admin_granted"
INSTITUTION_ADMIN_REVOKED = "accounts.institution_admin_revoked"

# What the registration form may set; the logo comes cleaned (re-encoded by
# the form, as proposal photos are).
INSTITUTION_FIELDS = (
    "slug",
    "name",
    "name_en",
    "short_name",
    "description",
    "website",
    "logo",
    "brand_color",
    "answer_threshold",
    "debate_threshold",
    "is_active",
)


def _operator_only(actor) -> None:
    if not rules.has_perm("accounts.manage_institutions", actor):
        raise PermissionDenied


def _institution_refusals(institution: Institution) -> None:
    """The refusals a form would show, asked again under the service (a
    second operator may have taken the name meanwhile): Korean messages
    keyed by field, as ValidationError."""
    errors = {}
    others = Institution.objects.exclude(pk=institution.pk)
    if others.filter(slug__iexact=institution.slug).exists():
        errors["slug"] = _("Another institution already uses this address name.")
    if others.filter(name__iexact=institution.name.strip()).exists():
        errors["name"] = _("Another institution already has this name.")
    if refusal := account_rules.brand_color_refusal(institution.brand_color):
        errors["brand_color"] = refusal
    if errors:
        raise ValidationError(errors)


def _institution_write(institution: Institution, fields: dict) -> list[str]:
    changed = []
    for name in INSTITUTION_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name == "logo":
            if value is None:
                continue  # untouched
            if value is False:
                value = ""  # cleared
        if name in ("name", "short_name", "name_en") and isinstance(value, str):
            value = value.strip()
        if name == "brand_color" and isinstance(value, str):
            value = value.strip().lower()
        if name == "slug" and isinstance(value, str):
            value = value.strip().lower()
        if getattr(institution, name) != value:
            setattr(institution, name, value)
            changed.append(name)
    return changed


def _audit_params(institution: Institution, changed: list[str]) -> dict:
    # Codes and numbers only (never a sentence): which fields, and the bars.
    return {
        "fields": sorted(changed),
        "answer_threshold": institution.answer_threshold,
        "debate_threshold": institution.debate_threshold,
        "is_active": institution.is_active,
    }


def institution_register(*, actor: User, **fields) -> Institution:
    """An operator registers a partner institution.

    Requires: an operator (accounts.manage_institutions); an unused address
    name (slug) and name; a brand colour white text is readable on.
    Writes: the Institution; an audit row (accounts.institution_registered).
    Triggers nothing: its space opens at /org/<slug>/ (orgspace)."""
    _operator_only(actor)
    institution = Institution()
    _institution_write(institution, fields)
    institution.full_clean(exclude=["logo"], validate_unique=False)
    with transaction.atomic():
        _institution_refusals(institution)
        try:
            with transaction.atomic():
                institution.save()
        except IntegrityError:
            # Two operators registering the same name at once.
            raise ValidationError(
                {"name": _("Another institution already has this name or address name.")}
            ) from None
        audit_record(
            actor=actor,
            target=institution,
            action=INSTITUTION_REGISTERED,
            params=_audit_params(institution, [n for n in INSTITUTION_FIELDS if n in fields]),
        )
    return institution


def institution_update(*, actor: User, institution: Institution, **fields) -> Institution:
    """An operator changes a partner institution's details, branding,
    thresholds or openness. Same requirements as institution_register.
    Writes the changed fields only (update_fields) and an audit row
    (accounts.institution_updated: which fields, the bars, openness)."""
    _operator_only(actor)
    with transaction.atomic():
        locked = Institution.objects.select_for_update().get(pk=institution.pk)
        changed = _institution_write(locked, fields)
        if not changed:
            return locked
        locked.full_clean(exclude=["logo"], validate_unique=False)
        _institution_refusals(locked)
        try:
            with transaction.atomic():
                locked.save(update_fields=changed)
        except IntegrityError:
            raise ValidationError(
                {"name": _("Another institution already has this name or address name.")}
            ) from None
        audit_record(
            actor=actor,
            target=locked,
            action=INSTITUTION_UPDATED,
            params=_audit_params(locked, changed),
        )
    return locked


def institution_admin_grant(*, actor: User, institution: Institution, member: User) -> User:
    """An operator makes `member` an administrator of `institution`.

    Requires: an operator; a member the operator may change (as on the staff
    screen); not staff of another institution, nor of the city (an official
    of a city department, a mayor's office member, an expert or an operator
    would carry the city's view into the institution's: withdraw that role
    first). Writes: the institution admin role's group, `User.institution`,
    is_staff; an audit row (accounts.institution_admin_granted)."""
    _operator_only(actor)
    with transaction.atomic():
        locked = _locked_member(actor=actor, member=member)
        if refusal := account_rules.institution_admin_refusal(locked, institution):
            raise ServiceError(refusal)
        group, _created = Group.objects.get_or_create(name=str(Role.INSTITUTION_ADMIN))
        locked.groups.add(group)
        _institution_admin_write(
            actor, locked, institution, of=institution, action=INSTITUTION_ADMIN_GRANTED
        )
    _forget_roles(member)
    return locked


def _institution_admin_write(actor, locked, institution, *, of, action) -> None:
    """After the role's group changed: `User.institution` set to `of`,
    is_staff recomputed from the roles, and the audit row `action`."""
    _forget_roles(locked)
    locked.institution = of
    locked.is_staff = _staff_flag(locked)
    locked.save(update_fields=["institution", "is_staff"])
    audit_record(actor=actor, target=locked, action=action, params={"institution": institution.pk})


def institution_admin_revoke(*, actor: User, institution: Institution, member: User) -> User:
    """An operator takes `institution`'s administration from `member`.
    Writes: the role's group removed; `User.institution` cleared (an
    official of its departments keeps the institution through their
    department, accounts.institutions); is_staff recomputed; an audit row
    (accounts.institution_admin_revoked)."""
    _operator_only(actor)
    with transaction.atomic():
        locked = _locked_member(actor=actor, member=member)
        if not (
            locked.has_role(Role.INSTITUTION_ADMIN) and locked.institution_id == institution.pk
        ):
            raise ServiceError(
                _("%(member)s is not an administrator of %(institution)s.")
                % {"member": locked.get_full_name(), "institution": institution.name}
            )
        locked.groups.remove(Group.objects.get(name=str(Role.INSTITUTION_ADMIN)))
        _institution_admin_write(
            actor, locked, institution, of=None, action=INSTITUTION_ADMIN_REVOKED
        )
    _forget_roles(member)
    return locked
