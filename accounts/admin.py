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
from django.utils.translation import gettext_lazy as _

from .access_records import AccessRecordedAdminMixin
from .legal_admin import AccessRecordAdmin, ConsentGovernedFieldsMixin, ConsentRecordAdmin
from .models import AccessRecord, ConsentRecord, Department, User
from .selectors import department_officials


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["code", "name", "name_en", "email", "head", "is_active"]

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


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = DepartmentForm
    list_display = ["name", "code", "head", "email", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["head"]
    search_fields = ["name", "code"]


# Viewing and listing members leaves a personal-data access record (PIPA);
# the optional items are the member's own, given with their consent.
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
        if obj is not None and not may_set_sign_in(request.user, obj):
            # Passwords are the member's own; they reset it by e-mail.
            fieldsets = [
                (name, {**opts, "fields": [f for f in opts["fields"] if f != "password"]})
                for name, opts in fieldsets
            ]
        return fieldsets

    def user_change_password(self, request, id, form_url=""):
        target = self.get_object(request, id)
        if target is None or not may_set_sign_in(request.user, target):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def get_readonly_fields(self, request, obj=None):
        # Operators manage members, but only a superuser may hand out roles or
        # admin rights, so nobody can raise their own privileges.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["groups", "is_staff", "is_superuser"]
        if obj is not None and not may_set_sign_in(request.user, obj):
            # The login e-mail is where password resets go: whoever sets it
            # owns the account. Members change it themselves through the
            # verified flow at /accounts/email/.
            fields.append("email")
        return fields


def may_set_sign_in(staff, account) -> bool:
    """Whether `staff` may set `account`'s login e-mail or password in the
    admin: never a member's, whoever asks, superusers included (the demo's
    operator once was one, and took a citizen's account over in two clicks);
    a superuser may for a staff account, whose addresses the city issues."""
    return staff.is_superuser and (account.is_staff or account.is_superuser)


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
    token): a member's are never written in the admin, not even by a
    superuser (see may_set_sign_in); a superuser may fix a staff account's.
    Nothing is added here, since the add form may pick any account, and the
    bulk actions (e.g. "mark as verified") are off because they reach
    members' rows."""

    def _may_write(self, request, obj) -> bool:
        return obj is None or may_set_sign_in(request.user, self.account_of(obj))

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_write(request, obj)

    def get_actions(self, request):
        return {}

    @staticmethod
    def account_of(obj):
        return obj.account.user if isinstance(obj, SocialToken) else obj.user


for _model, _allauth_admin, _guard in (
    (EmailAddress, EmailAddressAdmin, StaffSignInRowsOnly),
    (Authenticator, AuthenticatorAdmin, SuperuserWritesOnly),
    (SocialAccount, SocialAccountAdmin, StaffSignInRowsOnly),
    (SocialToken, SocialTokenAdmin, StaffSignInRowsOnly),
    (SocialApp, SocialAppAdmin, SuperuserWritesOnly),
):
    admin.site.unregister(_model)
    admin.site.register(_model, type(_allauth_admin.__name__, (_guard, _allauth_admin), {}))


admin.site.register(AccessRecord, AccessRecordAdmin)
admin.site.register(ConsentRecord, ConsentRecordAdmin)
