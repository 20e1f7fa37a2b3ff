"""The operator's forms: the adjustment (the rules and settings use the
admin's model forms, validated by the models' clean())."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from oasis.forms import OneTimeTokenMixin

from .models import MAX_POINTS


class AdjustmentForm(OneTimeTokenMixin, forms.Form):
    email = forms.EmailField(label=_("member's e-mail address"))
    points = forms.IntegerField(
        label=_("points"),
        min_value=-MAX_POINTS,
        max_value=MAX_POINTS,
        help_text=_("Negative to take points away."),
    )
    note = forms.CharField(
        label=_("why"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the entry and shown in the ledger."),
        error_messages={"required": _("Please say why the mileage is adjusted.")},
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        member = get_user_model().objects.filter(email__iexact=email).first()
        if member is None:
            raise forms.ValidationError(_("No member has this e-mail address."))
        self.member = member
        return email

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points == 0:
            raise forms.ValidationError(_("Adjust by a number of points other than 0."))
        return points
