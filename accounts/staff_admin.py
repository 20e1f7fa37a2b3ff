"""The operators' staff screen (직원 관리 / Staff): who works in the admin,
in which role and department, and the page where an operator grants or
withdraws a staff role, moves an official to another department, or
deactivates and reactivates a staff account, without superuser rights.

Every change is a service in services.py (staff_role_grant, …), which asks
accounts.rules who may (never oneself, a superuser or an operator, unless a
superuser; the operator role is granted by superusers only) and writes an
audit row. The login e-mail and the password are not on this screen at all:
they are changed only by the member (admin.SIGN_IN_IS_THEIR_OWN).

The list and a member's page show members' personal data (names, e-mail
addresses), so each leaves a personal-data access record, as the members'
own list does. Registered from admin.py on the StaffMember proxy."""

import rules
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oasis.admin_utils import pk_or_404
from oasis.errors import ServiceError

from . import rules as account_rules
from . import services
from .access_records import AccessRecordedAdminMixin, access_record_write
from .audit import describe, prepare
from .models import AccessAction, AuditRecord, Department, User
from .roles import STAFF_ROLES, Role

# How many of the latest audit rows about a member their page shows.
RECENT_CHANGES = 10


class DepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class DepartmentForm(forms.Form):
    department = DepartmentField(
        label=_("Department"),
        queryset=Department.objects.filter(is_active=True),
        error_messages={"required": _("An official must belong to a department.")},
    )


class FindMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of a member"))


def _holds_staff_role():
    through = User.groups.through
    return Exists(
        through.objects.filter(
            user_id=OuterRef("pk"), group__name__in=[str(role) for role in STAFF_ROLES]
        )
    )


class StaffRoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(str(role), role.label) for role in Role if role in STAFF_ROLES]

    def queryset(self, request, queryset):
        if self.value() in {str(role) for role in STAFF_ROLES}:
            return queryset.filter(groups__name=self.value())
        return queryset


class StaffAdmin(AccessRecordedAdminMixin, admin.ModelAdmin):
    """The staff list (anyone with a staff role, the staff flag or superuser
    rights) and, as its change page, a member's staff page (any member: a
    role is first granted to a citizen found by e-mail)."""

    list_display = ["name", "email", "roles", "department", "is_active", "last_login"]
    list_display_links = ["name"]
    list_filter = [StaffRoleFilter, "department", "is_active"]
    list_select_related = ["department"]
    search_fields = ["email", "display_name", "nickname"]
    search_help_text = _("The member's e-mail, name or nickname.")
    ordering = ["display_name", "email"]
    list_per_page = 50
    change_list_template = "admin/accounts/staffmember/change_list.html"

    def has_module_permission(self, request):
        return rules.has_perm("accounts.manage_staff", request.user)

    def has_view_permission(self, request, obj=None):
        return rules.has_perm("accounts.manage_staff", request.user)

    def has_change_permission(self, request, obj=None):
        return rules.has_perm("accounts.manage_staff", request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(withdrawn_at__isnull=True)
            .filter(Q(is_staff=True) | Q(is_superuser=True) | _holds_staff_role())
            .prefetch_related("groups")
        )

    @admin.display(description=_("name"), ordering="display_name")
    def name(self, member):
        return member.get_full_name()

    @admin.display(description=_("roles"))
    def roles(self, member):
        held = [str(Role(group.name).label) for group in member.groups.all() if group.name in Role]
        if member.is_superuser:
            held.insert(0, gettext("Superuser"))
        return ", ".join(held) or "—"

    def get_urls(self):
        return [
            path(
                "find/",
                self.admin_site.admin_view(lambda request: find_member_view(self, request)),
                name="accounts_staffmember_find",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "find_form": FindMemberForm()}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return staff_member_view(self, request, object_id)


def _member_url(member_id: int) -> str:
    return reverse("admin:accounts_staffmember_change", args=[member_id])


def find_member_view(modeladmin, request):
    """A member found by their exact e-mail address, to grant a first role:
    their staff page. Leaves an access record (a look-up by e-mail)."""
    if not rules.has_perm("accounts.manage_staff", request.user):
        raise PermissionDenied
    form = FindMemberForm(request.GET)
    back = reverse("admin:accounts_staffmember_changelist")
    if not form.is_valid():
        messages.error(request, gettext("Please enter a member's e-mail address."))
        return HttpResponseRedirect(back)
    member = User.objects.filter(
        email__iexact=form.cleaned_data["email"], withdrawn_at__isnull=True
    ).first()
    access_record_write(
        request=request,
        action=AccessAction.SEARCH,
        member_ids=[member.pk] if member else [],
        query=request.GET.urlencode(),
    )
    if member is None:
        messages.error(request, gettext("No member has signed up with this e-mail address."))
        return HttpResponseRedirect(back)
    return HttpResponseRedirect(_member_url(member.pk))


def _apply(request, actor, member, data) -> str:
    """Run the step the posted form asks for; return the message it leaves."""
    step = data.get("step")
    role = data.get("role", "")
    if step in ("grant", "withdraw") and role not in Role.values:
        raise ServiceError(gettext("This role cannot be granted here."))
    if step == "grant":
        department = None
        if role == Role.OFFICIAL:
            form = DepartmentForm(data)
            if not form.is_valid():
                raise ValidationError(form.errors["department"])
            department = form.cleaned_data["department"]
        services.staff_role_grant(actor=actor, member=member, role=role, department=department)
        return gettext("The role “%(role)s” was granted.") % {"role": Role(role).label}
    if step == "withdraw":
        services.staff_role_withdraw(actor=actor, member=member, role=role)
        return gettext("The role “%(role)s” was withdrawn.") % {"role": Role(role).label}
    if step == "department":
        form = DepartmentForm(data)
        if not form.is_valid():
            raise ValidationError(form.errors["department"])
        department = form.cleaned_data["department"]
        services.official_department_set(actor=actor, member=member, department=department)
        return gettext("Moved to %(department)s.") % {"department": department.label}
    if step == "deactivate":
        services.staff_deactivate(actor=actor, member=member)
        return gettext("The account was deactivated: it can no longer sign in.")
    if step == "reactivate":
        services.staff_reactivate(actor=actor, member=member)
        return gettext("The account was reactivated.")
    raise ServiceError(gettext("Nothing was changed."))


def staff_member_view(modeladmin, request, object_id):
    """GET: the member, their roles, department and state, what the operator
    may change, and the latest audit rows about them. POST: one step (grant,
    withdraw, department, deactivate, reactivate), then back here."""
    actor = request.user
    if not rules.has_perm("accounts.manage_staff", actor):
        raise PermissionDenied
    member = get_object_or_404(
        User.objects.select_related("department").filter(withdrawn_at__isnull=True),
        pk=pk_or_404(User, unquote(object_id)),
    )
    if request.method == "POST":
        try:
            done = _apply(request, actor, member, request.POST)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return HttpResponseRedirect(_member_url(member.pk))
    access_record_write(request=request, action=AccessAction.VIEW, member_ids=[member.pk])
    refusal = account_rules.staff_change_refusal(actor, member)
    grantable = account_rules.grantable_roles(actor)
    held = member.role_names
    recent = list(
        AuditRecord.objects.filter(
            target_type__app_label="accounts",
            target_type__model__in=["user", "staffmember"],
            target_id=str(member.pk),
        )[:RECENT_CHANGES]
    )
    prepare(recent)
    recent = [
        {"at": record.created_at, "by": record.actor_email, "text": describe(record)}
        for record in recent
    ]
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        "admin/accounts/staffmember/member.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": member.get_full_name(),
            "member": member,
            "refusal": refusal,
            "held_roles": [Role(name).label for name in sorted(held) if name in Role.values],
            "role_rows": [
                {"code": str(role), "label": Role(role).label, "held": str(role) in held}
                for role in grantable
            ],
            "is_official": Role.OFFICIAL in held,
            "is_staff_account": member.is_superuser or bool(held & STAFF_ROLES),
            "department_form": DepartmentForm(
                initial={"department": member.department_id}, auto_id="id_move_%s"
            ),
            "grant_department_form": DepartmentForm(
                initial={"department": member.department_id}, auto_id="id_grant_%s"
            ),
            "recent": recent,
        },
    )
