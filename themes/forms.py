"""Forms of the theme editor and the theme screens (admin.py, screens.py).
They check shape; the services check the rules."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from proposals.uploads import clean_attachment

from .models import Theme, ThemeMaterial

RESPONSE_MAX_LENGTH = 10_000


class ThemeForm(forms.ModelForm):
    """The operator's editor. The period is checked here, so an end before
    the start comes back on the form in the operator's language rather than
    as the database's constraint."""

    class Meta:
        model = Theme
        fields = ["title", "summary", "description", "policy", "department", "starts_at", "ends_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A themed call is the city's (its proposals go to the city under
        # the city's categories): a partner institution's department may
        # not answer them (answers.rules.department_institution_refusal),
        # so every proposal of the theme would wait unassigned.
        field = self.fields.get("department")
        if field is not None:
            field.queryset = field.queryset.filter(institution__isnull=True)
            field.error_messages["invalid_choice"] = _(
                "Choose one of the city's departments: a themed call is the city's, "
                "and a partner institution's department cannot answer its proposals."
            )

    def clean(self):
        cleaned = super().clean()
        # Once published the start is read-only (not in the form): the end
        # is still checked against the stored start.
        starts_at = cleaned.get("starts_at", self.instance.starts_at if self.instance.pk else None)
        ends_at = cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error(
                "ends_at", _("The theme must close after it opens. Please check the dates.")
            )
        department = cleaned.get("department")
        if department is not None and not department.is_active:
            self.add_error(
                "department",
                _("%(department)s is not active and cannot answer proposals.")
                % {"department": department.label},
            )
        return cleaned


class ThemeMaterialForm(forms.ModelForm):
    """One piece of reference material: a file (checked as a proposal's
    attachment is: its kind, size and content), a link, or both."""

    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = ThemeMaterial
        fields = ["title", "file", "url", "position"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            clean_attachment(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("DELETE") and not cleaned.get("file") and not cleaned.get("url"):
            raise forms.ValidationError(_("Please attach a file or give a link (or both)."))
        return cleaned


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Why the theme closes before its end; kept on the audit trail."),
    )


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("The department's final response"),
        max_length=RESPONSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        help_text=_("What the department makes of the proposals the theme gathered."),
    )
    outcome = forms.CharField(
        label=_("What came of it"),
        required=False,
        max_length=RESPONSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("Policies, projects or budgets that followed; you can add to it later."),
    )


class PickForm(forms.Form):
    """The theme's standing proposals to pick for the theme debate."""

    proposals = forms.MultipleChoiceField(
        label=_("Proposals for the theme debate"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one proposal for the theme debate.")},
    )

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = [
            (str(entry.proposal_id), entry.proposal.title) for entry in entries
        ]
