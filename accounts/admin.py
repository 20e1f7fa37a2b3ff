from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from allauth.socialaccount.admin import SocialAccountAdmin, SocialAppAdmin, SocialTokenAdmin
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Value, When
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .access_records import AccessRecordedAdminMixin
from .audit_admin import AuditRecordAdmin
from .institutions import InstitutionScopedAdminMixin
from .legal_admin import AccessRecordAdmin, ConsentGovernedFieldsMixin, ConsentRecordAdmin
from .models import AccessRecord, AuditRecord, ConsentRecord, Department, StaffMember, User
from .selectors import department_officials, headless_departments, usable_official_exists
from .services import member_admin_changed, member_admin_state
from .staff_admin import StaffAdmin


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["code", "name", "name_en", "institution", "email", "head", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "head" in self.fields:
            # Only the department's own active officials can head it; anyone
            # else is refused as not one of the choices.
            head = self.fields["head"]
            head.queryset = (
                department_officials(self.instance) if self.instance.pk else User.objects.none()
            )
            head.error_messages["invalid_choice"] = _(
                "The department head must be an active official of this department."
            )


class HeadlessFilter(admin.SimpleListFilter):
    """Departments without a usable head (selectors.headless_departments):
    the operator home's "departments without a head" opens this."""

    title = _("head")
    parameter_name = "headless"

    def lookups(self, request, model_admin):
        return [("yes", _("Without a head"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=headless_departments().values("pk"))
        return queryset


@admin.register(Department)
class DepartmentAdmin(InstitutionScopedAdminMixin, admin.ModelAdmin):
    form = DepartmentForm
    list_display = ["name", "code", "institution", "head_state", "email", "is_active"]
    list_filter = ["is_active", HeadlessFilter, "institution"]
    list_select_related = ["head", "institution"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        # A department's institution is chosen when it is made: its
        # officials' work is that institution's (accounts.institutions).
        return ["institution"] if obj is not None else []

    def get_queryset(self, request):
        # Whether the named head can still act as one (an active official
        # of the department), for the column: no query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(
                head_usable=Case(
                    When(usable_official_exists(), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        )

    @admin.display(description=_("department head"), ordering="head")
    def head_state(self, department):
        """The head's name, or, for a headless department (none named, or
        the one named moved, was deactivated or lost the role), a flag in
        words: its work falls to the operators."""
        if department.head_usable:
            return department.head.get_full_name()
        return format_html(
            '<strong class="errornote">⚠ {}</strong>', gettext("No head: falls to the operators")
        )


# Viewing and listing members leaves a personal-data access record (PIPA);
# the optional items are the member's own, given with their consent.
SIGN_IN_IS_THEIR_OWN = (
    # Nobody sets an account's login e-mail or password in the admin, whoever
    # asks: whoever sets them owns the account. Not a member's (an operator,
    # and the demo's operator when it was a superuser, took a citizen's
    # account over that way), and not a staff account's either: a superuser
    # can make any account staff for a moment, so "staff accounts only" would
    # be no rule. Everyone changes their own address through the verified
    # flow at /accounts/email/ and their password by the reset e-mail.
    "An account's login e-mail and password are changed only by its owner."
)


@admin.register(User)
class UserAdmin(AccessRecordedAdminMixin, ConsentGovernedFieldsMixin, DjangoUserAdmin):
    ordering = ["-date_joined"]
    list_display = [
        "email",
        "display_name",
        "nickname",
        "department",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["groups", "department", "is_staff", "is_active", "district"]
    search_fields = ["email", "display_name", "nickname"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {"fields": ("display_name", "nickname", "district", "birth_year", "gender")},
        ),
        (_("Roles"), {"fields": ("groups", "department", "is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "withdrawn_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined", "withdrawn_at"]
    filter_horizontal = ["groups"]

    def save_model(self, request, obj, form, change):
        # What the member was before this form (groups are saved later, in
        # save_related): member_admin_changed compares with it.
        if change:
            # Kept on the request: the ModelAdmin is shared by every request.
            request.member_admin_before = member_admin_state(User.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "member_admin_before", None)
        if change and before is not None:
            # The superuser's own changes of roles, department or activity
            # leave the audit rows and flag the member's work as the staff
            # screen's services do (all in the admin's transaction).
            member_admin_changed(actor=request.user, member=form.instance, before=before)

    def has_add_permission(self, request):
        # Accounts are made by signing up; a staff account, with its first
        # password, only by a superuser.
        return request.user.is_superuser and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Members leave through account_withdraw, which keeps the public record;
        # a hard delete would take endorsements and counts with it.
        return False

    def has_change_permission(self, request, obj=None):
        # Only a superuser may touch another staff account (its password, e-mail
        # or activity): an operator must not be able to take one over.
        if obj is not None and (obj.is_staff or obj.is_superuser) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            # See SIGN_IN_IS_THEIR_OWN: passwords are reset by e-mail.
            fieldsets = [
                (name, {**opts, "fields": [f for f in opts["fields"] if f != "password"]})
                for name, opts in fieldsets
            ]
        return fieldsets

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied(SIGN_IN_IS_THEIR_OWN)

    def get_readonly_fields(self, request, obj=None):
        # Operators manage members, but only a superuser may hand out roles or
        # admin rights, so nobody can raise their own privileges.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["groups", "is_staff", "is_superuser"]
        if obj is not None:
            # The login e-mail is where password resets go (SIGN_IN_IS_THEIR_OWN).
            fields.append("email")
        return fields


class SuperuserWritesOnly:
    """How someone signs in (their addresses, second factor, social logins)
    is changed by the member through allauth's own verified flows, or by a
    superuser; any other staff can at most look, even if a permission was
    granted by hand: adding, verifying or making primary an address, or
    attaching a social login, takes the account over."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # allauth's "mark as verified" asks no permission: whoever can see
        # the list could run it.
        return super().get_actions(request) if request.user.is_superuser else {}


class StaffSignInRowsOnly(SuperuserWritesOnly):
    """Rows that sign an account in (an address, a social login and its
    token) are never written in the admin, not even by a superuser (see
    SIGN_IN_IS_THEIR_OWN): a row moved to another account, or an address changed,
    takes that account over. They can be read, and a superuser may delete
    one (that locks nobody in, and takes nothing over). Nothing is added
    here, and the bulk actions (e.g. "mark as verified") are off."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


for _model, _allauth_admin, _guard, _member in (
    (EmailAddress, EmailAddressAdmin, StaffSignInRowsOnly, "user_id"),
    (Authenticator, AuthenticatorAdmin, SuperuserWritesOnly, "user_id"),
    (SocialAccount, SocialAccountAdmin, StaffSignInRowsOnly, "user_id"),
    (SocialToken, SocialTokenAdmin, StaffSignInRowsOnly, "account.user_id"),
    (SocialApp, SocialAppAdmin, SuperuserWritesOnly, None),
):
    admin.site.unregister(_model)
    # Members' addresses and social logins are their personal data: reading
    # them leaves an access record, as the members' own list does.
    _bases = (
        (_guard, _allauth_admin)
        if _member is None
        else (
            AccessRecordedAdminMixin,
            _guard,
            _allauth_admin,
        )
    )
    _attrs = {} if _member is None else {"access_member": _member}
    admin.site.register(_model, type(_allauth_admin.__name__, _bases, _attrs))


admin.site.register(AccessRecord, AccessRecordAdmin)
admin.site.register(ConsentRecord, ConsentRecordAdmin)
admin.site.register(AuditRecord, AuditRecordAdmin)
admin.site.register(StaffMember, StaffAdmin)
