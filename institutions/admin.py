"""The operators' registration of partner institutions (issue 16): the
institution (details, logo, brand colour, thresholds, open/closed), its
departments and categories (inlines on its page) and its administrators
(their own screen, linked from the page). Every change to the institution
and its administrators goes through accounts.services (audit rows); the
screen only reads the forms."""

from functools import partial

import rules
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import services as account_services
from accounts.models import Department, Institution, User
from accounts.roles import Role
from accounts.rules import brand_color_refusal
from oasis.admin_utils import pk_or_404
from oasis.errors import ServiceError
from proposals.models import Category, PipelineSettings
from proposals.uploads import clean_photo


def _manages(request) -> bool:
    return rules.has_perm("accounts.manage_institutions", request.user)


class InstitutionForm(forms.ModelForm):
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Institution
        fields = list(account_services.INSTITUTION_FIELDS)
        widgets = {"brand_color": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        city = PipelineSettings.load()
        # The thresholds left empty are the city's: say which they are now.
        for name, value in (
            ("answer_threshold", city.answer_threshold),
            ("debate_threshold", city.debate_threshold),
        ):
            if name in self.fields:
                self.fields[name].help_text = _(
                    "Leave empty to use the city's (now %(value)s endorsements)."
                ) % {"value": value}
        if "brand_color" in self.fields:
            self.fields["brand_color"].help_text = _(
                "The colour of the institution's space, as #rrggbb. White text must be "
                "readable on it."
            )
        if "logo" in self.fields:
            self.fields["logo"].help_text = _("JPEG, PNG, WebP or GIF. Location data is removed.")
            self.fields["logo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        if Institution.objects.exclude(pk=self.instance.pk).filter(slug__iexact=slug).exists():
            raise ValidationError(_("Another institution already uses this address name."))
        return slug

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        if Institution.objects.exclude(pk=self.instance.pk).filter(name__iexact=name).exists():
            raise ValidationError(_("Another institution already has this name."))
        return name

    def clean_brand_color(self):
        value = (self.cleaned_data.get("brand_color") or "").strip().lower()
        if refusal := brand_color_refusal(value):
            raise ValidationError(refusal)
        return value

    def clean_logo(self):
        # A new upload is decoded and re-encoded as proposal photos are
        # (proposals.uploads): metadata dropped, anything hidden after the
        # image data gone; only the clean copy is stored.
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            return clean_photo(logo).image
        return logo

    def validate_unique(self):
        # The clean_* methods above refuse duplicates in Korean, whatever
        # the letter case; the model's own check would say it twice.
        pass


class DepartmentInline(admin.TabularInline):
    model = Department
    fields = ["code", "name", "name_en", "email", "is_active"]
    extra = 0
    can_delete = False
    verbose_name = _("department of this institution")
    verbose_name_plural = _("departments of this institution")


class CategoryInlineForm(forms.ModelForm):
    institution_pk = None  # set per request by CategoryInline.get_formset

    class Meta:
        model = Category
        fields = ["code", "name", "name_en", "default_department", "position"]

    def clean_default_department(self):
        department = self.cleaned_data.get("default_department")
        institution_id = self.instance.institution_id or getattr(self, "institution_pk", None)
        if department is not None and department.institution_id != institution_id:
            raise ValidationError(
                _("Choose one of this institution's own departments as the default department.")
            )
        return department


class CategoryInline(admin.TabularInline):
    model = Category
    form = CategoryInlineForm
    fields = ["code", "name", "name_en", "default_department", "position"]
    extra = 0
    can_delete = False
    verbose_name = _("category of this institution")
    verbose_name_plural = _("categories of this institution")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        institution_pk = obj.pk if obj is not None else None
        departments = (
            Department.objects.filter(institution_id=institution_pk, is_active=True)
            if institution_pk is not None
            else Department.objects.none()
        )
        # The form class is made for this request: a department of another
        # institution (or of the city) is not a choice, and a tampered id is
        # refused as one ("Select a valid choice").
        formset.form.base_fields["default_department"].queryset = departments
        formset.form.institution_pk = institution_pk
        return formset


class InstitutionAdmin(admin.ModelAdmin):
    form = InstitutionForm
    list_display = ["name", "short_name", "slug", "thresholds", "is_active", "administrators"]
    list_filter = ["is_active"]
    search_fields = ["name", "name_en", "short_name", "slug"]
    search_help_text = _("The institution's name, short name or address name.")
    inlines = [DepartmentInline, CategoryInline]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "short_name", "slug", "description", "website"]}),
        (_("Branding"), {"fields": ["logo", "brand_color"]}),
        (_("Endorsement bars"), {"fields": ["answer_threshold", "debate_threshold"]}),
        (_("State"), {"fields": ["is_active"]}),
    ]
    change_form_template = "admin/accounts/institution/change_form.html"

    # Operators only: the institution's own administrators see their
    # institution's work in the other lists, not this registration.
    def has_module_permission(self, request):
        return _manages(request)

    def has_view_permission(self, request, obj=None):
        return _manages(request)

    def has_add_permission(self, request):
        return _manages(request)

    def has_change_permission(self, request, obj=None):
        return _manages(request)

    def has_delete_permission(self, request, obj=None):
        # An institution with proposals is on the record: close it instead.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("staff")

    @admin.display(description=_("endorsement bars"))
    def thresholds(self, institution):
        answer = institution.answer_threshold
        debate = institution.debate_threshold
        city = gettext("the city's")
        return (
            f"{answer if answer is not None else city} / {debate if debate is not None else city}"
        )

    @admin.display(description=_("administrators"))
    def administrators(self, institution):
        names = [
            member.get_full_name() or member.email
            for member in institution.staff.all()
            if member.is_active
        ]
        return ", ".join(names) or "—"

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.cleaned_data}
        if "logo" in fields and "logo" not in form.changed_data:
            fields["logo"] = None  # untouched
        if change:
            saved = account_services.institution_update(
                actor=request.user, institution=obj, **fields
            )
        else:
            saved = account_services.institution_register(actor=request.user, **fields)
        # The inlines save against the admin's own instance.
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db
        obj.created_at = saved.created_at
        obj.logo = saved.logo

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            instance.institution = form.instance
            instance.save()
        formset.save_m2m()

    def get_urls(self):
        def screen(function):
            return self.admin_site.admin_view(partial(function, self))

        return [
            path(
                "<path:object_id>/administrators/",
                screen(administrators_view),
                name="accounts_institution_administrators",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "administrators_url": reverse(
                "admin:accounts_institution_administrators", args=[object_id]
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)


class FindMemberForm(forms.Form):
    email = forms.EmailField(label=_("The member's e-mail address"))


def _administrators_url(institution) -> str:
    return reverse("admin:accounts_institution_administrators", args=[institution.pk])


def _step(request, institution) -> str:
    step = request.POST.get("step")
    if step == "grant":
        form = FindMemberForm(request.POST)
        if not form.is_valid():
            raise ValidationError(gettext("Please enter a member's e-mail address."))
        member = User.objects.filter(
            email__iexact=form.cleaned_data["email"], withdrawn_at__isnull=True
        ).first()
        if member is None:
            raise ServiceError(gettext("No member has signed up with this e-mail address."))
        account_services.institution_admin_grant(
            actor=request.user, institution=institution, member=member
        )
        return gettext("%(member)s is now an administrator of %(institution)s.") % {
            "member": member.get_full_name() or member.email,
            "institution": institution.label,
        }
    if step == "revoke":
        member = institution.staff.filter(
            pk=pk_or_404(User, request.POST.get("member", ""))
        ).first()
        if member is None:
            raise ServiceError(gettext("This member is not one of its administrators."))
        account_services.institution_admin_revoke(
            actor=request.user, institution=institution, member=member
        )
        return gettext("%(member)s is no longer an administrator of %(institution)s.") % {
            "member": member.get_full_name() or member.email,
            "institution": institution.label,
        }
    raise ServiceError(gettext("Nothing was changed."))


def administrators_view(modeladmin, request, object_id):
    """GET: the institution's administrators, a button to remove each, and a
    form to appoint a member found by e-mail. POST: one step, then back."""
    if not _manages(request):
        raise PermissionDenied
    institution = get_object_or_404(Institution, pk=pk_or_404(Institution, object_id))
    if request.method == "POST":
        try:
            done = _step(request, institution)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return HttpResponseRedirect(_administrators_url(institution))
    administrators = list(
        institution.staff.filter(groups__name=Role.INSTITUTION_ADMIN, withdrawn_at__isnull=True)
        .order_by("display_name", "email")
        .distinct()
    )
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        "admin/accounts/institution/administrators.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": gettext("Administrators of %(institution)s")
            % {"institution": institution.label},
            "institution": institution,
            "administrators": administrators,
            "find_form": FindMemberForm(),
            "change_url": reverse("admin:accounts_institution_change", args=[institution.pk]),
        },
    )


admin.site.register(Institution, InstitutionAdmin)
