from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Department, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["-date_joined"]
    list_display = ["email", "display_name", "nickname", "department", "is_staff", "is_active", "date_joined"]
    list_filter = ["groups", "department", "is_staff", "is_active", "district"]
    search_fields = ["email", "display_name", "nickname"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "nickname", "district", "birth_year", "gender")}),
        (_("Roles"), {"fields": ("groups", "department", "is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "withdrawn_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined", "withdrawn_at"]
    filter_horizontal = ["groups"]

    def get_readonly_fields(self, request, obj=None):
        # Operators manage members, but only a superuser may hand out roles or
        # admin rights, so nobody can raise their own privileges.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["groups", "is_staff", "is_superuser"]
        return fields
