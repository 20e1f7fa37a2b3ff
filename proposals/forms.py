from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.districts import District
from accounts.models import Institution
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
from .rules import addressee_refusal
from .text import normalise_tags


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class CategorySelect(forms.Select):
    """Each category option names its institution (data-institution, "" for
    the city's), so static/js/propose_to.js narrows the list to the chosen
    addressee's categories; without script every group is offered and the
    form refuses a category of another addressee."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution_of: dict[str, str] = {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        key = str(getattr(value, "value", value))
        if key in self.institution_of:
            option["attrs"]["data-institution"] = self.institution_of[key]
        return option


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
    # 누구에게 제안하나요? The city (empty) or an open partner institution.
    # The queryset takes closed ones too, so that choosing one (an old page,
    # a hand-made request) gets its own message rather than "not a choice".
    institution = forms.ModelChoiceField(
        label=_("Who is this proposal for?"),
        queryset=Institution.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Seoul Metropolitan Government"),
        help_text=_("A partner institution answers the proposals addressed to it."),
    )
    category = CategoryChoiceField(
        label=_("Policy category"),
        queryset=Category.objects.select_related("institution"),
        empty_label=_("Choose one"),
        widget=CategorySelect,
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

    def __init__(self, *args, city_only=False, **kwargs):
        """`city_only`: a proposal to the city alone (a themed call's), no
        addressee to choose and the city's categories only."""
        if city_only:
            self.fixed_institution_id = None
        super().__init__(*args, **kwargs)
        # No maxlength in the page: a browser would cut pasted text silently;
        # the server says how long it may be instead.
        for name in ("title", "body"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        self._offer_addressees()

    def _offer_addressees(self):
        """Only open institutions are offered; the categories come in one
        group per addressee, the city's first (two queries). An edit keeps
        the addressee (fixed_institution_id): no choice, its categories only."""
        if hasattr(self, "fixed_institution_id"):
            del self.fields["institution"]
            self.fields["category"].queryset = self.fields["category"].queryset.filter(
                institution_id=self.fixed_institution_id
            )
        else:
            open_ones = list(Institution.objects.filter(is_active=True))
            self.fields["institution"].choices = [("", self.fields["institution"].empty_label)] + [
                (i.slug, i.label) for i in open_ones
            ]
            # A closed institution's categories could only be refused
            # (addressee_refusal): not offered. Its id sent by hand is still
            # answered by that refusal's message, the queryset keeps them.
            self._offered_categories = Q(institution__isnull=True) | Q(
                institution__in=[i.pk for i in open_ones]
            )
        field = self.fields["category"]
        city, groups, institution_of = [], {}, {}
        offered = field.queryset
        if getattr(self, "_offered_categories", None) is not None:
            offered = offered.filter(self._offered_categories)
        for category in offered:
            if category.institution_id is None:
                city.append((category.pk, category.label))
                institution_of[str(category.pk)] = ""
            else:
                group = groups.setdefault(category.institution.label, [])
                group.append((category.pk, category.label))
                institution_of[str(category.pk)] = category.institution.slug
        choices = [("", field.empty_label)]
        if groups:
            choices.append((str(_("Seoul Metropolitan Government")), city))
            choices += list(groups.items())
        else:
            choices += city
        field.choices = choices
        field.widget.institution_of = institution_of

    def clean_tags(self):
        return normalise_tags(self.cleaned_data.get("tags", ""))

    def clean_institution(self):
        institution = self.cleaned_data.get("institution")
        if institution is not None and (refusal := addressee_refusal(institution, None)):
            raise forms.ValidationError(refusal)
        return institution

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        if "institution" in self.fields and category is not None and "institution" in cleaned:
            if refusal := addressee_refusal(cleaned["institution"], category):
                self.add_error("category", refusal)
        return cleaned


class ProposalEditForm(ProposalForm):
    remove_photos = forms.TypedMultipleChoiceField(
        label=_("Remove photos"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    remove_files = forms.TypedMultipleChoiceField(
        label=_("Remove files"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, proposal, **kwargs):
        # The addressee is fixed when proposed: only its own categories.
        self.fixed_institution_id = proposal.institution_id
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

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        # Another category of the same addressee: a proposal to a partner
        # institution stays with that institution's categories (and
        # departments), a city proposal with the city's (issue 16); so an
        # institution's administrator is offered their institution's only.
        self.fields["category"].queryset = (
            self.fields["category"]
            .queryset.filter(institution_id=proposal.institution_id)
            .exclude(pk=proposal.category_id)
        )
