from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.districts import District
from oasis.forms import (
    MODERATION_REASON_MAX_LENGTH,
    MultipleFileField,
    MultipleFileInput,
    OneTimeTokenMixin,
    PlainTextField,
    lazy_format,
)

from . import uploads
from .models import BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, TITLE_MAX_LENGTH, Category, ReportReason
from .text import normalise_tags


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class ProposalForm(OneTimeTokenMixin, forms.Form):
    """Shape only; the rules (lengths, uploads, who may edit) are in services.
    Sent twice, it proposes once (the one-time token, accounts.once)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("One line that says what you propose."),
    )
    body = PlainTextField(
        label=_("Your idea"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Plain text. Leave an empty line between paragraphs; web addresses become links."
        ),
    )
    category = CategoryChoiceField(
        label=_("Policy category"), queryset=Category.objects.all(), empty_label=_("Choose one")
    )
    district = forms.ChoiceField(
        label=_("District"),
        choices=[("", _("Whole city"))] + list(District.choices),
        required=False,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Words separated by commas or spaces, e.g. 한강, 산책"),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        help_text=lazy_format(
            _(
                "Up to %(n)d photos (JPEG, PNG, WebP, GIF), %(mb)d MB each. Location data is removed."
            ),
            n=uploads.MAX_PHOTOS,
            mb=uploads.MAX_PHOTO_BYTES // (1024 * 1024),
        ),
    )
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.hwp,.hwpx,.docx,.xlsx,.pptx,.txt"}),
        help_text=lazy_format(
            _("Up to %(n)d files (PDF, HWP, HWPX, DOCX, XLSX, PPTX, TXT), %(mb)d MB each."),
            n=uploads.MAX_FILES,
            mb=uploads.MAX_FILE_BYTES // (1024 * 1024),
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength in the page: a browser would cut pasted text silently;
        # the server says how long it may be instead.
        for name in ("title", "body"):
            self.fields[name].widget.attrs.pop("maxlength", None)

    def clean_tags(self):
        return normalise_tags(self.cleaned_data.get("tags", ""))


class ProposalEditForm(ProposalForm):
    remove_photos = forms.TypedMultipleChoiceField(
        label=_("Remove photos"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    remove_files = forms.TypedMultipleChoiceField(
        label=_("Remove files"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_photos"].choices = [
            (p.pk, p.alt_text or _("Photo %(n)d") % {"n": i})
            for i, p in enumerate(proposal.photos.all(), 1)
        ]
        self.fields["remove_files"].choices = [
            (f.pk, f.original_name) for f in proposal.attachments.all()
        ]


class CommentForm(OneTimeTokenMixin, forms.Form):
    """Sent twice from one page, it comments once (accounts.once)."""

    body = PlainTextField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this?"),
        choices=[("", _("Choose a reason"))] + list(ReportReason.choices),
    )
    detail = forms.CharField(label=_("Details (optional)"), max_length=500, required=False)


class CategoryWithDepartmentField(CategoryChoiceField):
    """A category with the department that answers it, for the operators."""

    def label_from_instance(self, obj):
        department = obj.default_department
        if department is None:
            return _("%(category)s (no default department)") % {"category": obj.label}
        return _("%(category)s (answered by %(department)s)") % {
            "category": obj.label,
            "department": department.label,
        }


class RecategoriseForm(forms.Form):
    """An operator moves a wrongly filed proposal to another category."""

    category = CategoryWithDepartmentField(
        label=_("New category"),
        queryset=Category.objects.select_related("default_department"),
        error_messages={"required": _("Choose the category to move it to.")},
    )
    reason = forms.CharField(
        label=_("Reason (shown on the proposal's timeline)"),
        max_length=MODERATION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": _("Please give a reason.")},
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        if current is not None:
            # Another category of the same owner: a proposal to a partner
            # institution stays with that institution's categories (and
            # departments), a city proposal with the city's (issue 16).
            self.fields["category"].queryset = (
                self.fields["category"]
                .queryset.filter(institution_id=current.institution_id)
                .exclude(pk=current.pk)
            )
