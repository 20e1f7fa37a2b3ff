"""The statistics pages' GET forms: the period a page shows, and what the
list of counted proposals (/stats/proposals/) is filtered by. Plain GET
parameters, so every figure's link can be shared and works without script."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.districts import District
from accounts.models import Department, Institution
from oasis.forms import lazy_format
from proposals.models import Category
from themes.models import Theme, ThemeStatus

from .figures import STAGE_BY_NAME
from .models import Stage

CITY_WIDE = "citywide"
ANY_YEAR = "any"
YES = "yes"
# Lazy: the form is built once, each page reads it in its own language.
MONTHS = [(month, lazy_format(_("Month %(month)d"), month=month)) for month in range(1, 13)]
# The widest years a filter accepts: beyond them the database would refuse
# the number (a 500), and nothing was proposed before the portal existed.
FIRST_YEAR, LAST_YEAR = 1900, 9999


def _year_field(label):
    return forms.IntegerField(
        label=label, required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )


class PeriodForm(forms.Form):
    """The period /stats/ shows: all years, a year, or a month of a year.
    Offered are the years with proposals (figures.years())."""

    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("The whole year"))] + MONTHS,
    )

    def __init__(self, data=None, *, years: list[int]):
        super().__init__(data)
        self.fields["year"].choices = [("", _("All years"))] + [
            (year, str(year)) for year in reversed(years)
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("month") and not cleaned.get("year"):
            self.add_error("month", _("Choose a year for the month."))
        return cleaned


class CountedListForm(forms.Form):
    """What a figure counted: the stage reached at least and the figure's
    filters (stats.figures.list_url). `answered_in` and `on_time` come from
    the departments' timeliness (the year an answer was published, "any"
    for all years; answers on time only; `overdue`: answers awaited past
    their deadline)."""

    stage = forms.ChoiceField(
        label=_("Reached at least"),
        required=False,
        choices=[(name, Stage(stage).label) for name, stage in STAGE_BY_NAME.items()],
    )
    year = _year_field(_("Year received"))
    month = forms.TypedChoiceField(
        label=_("Month received"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any month"))] + MONTHS,
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.all(),
        to_field_name="code",
        empty_label=_("All categories"),
    )
    district = forms.ChoiceField(
        label=_("District"),
        required=False,
        choices=[("", _("All districts")), (CITY_WIDE, _("City-wide"))] + list(District.choices),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.all(),
        to_field_name="code",
        empty_label=_("All departments"),
    )
    theme = forms.ModelChoiceField(
        label=_("Themed call"),
        required=False,
        # A draft theme has no proposals and is not public.
        queryset=Theme.objects.exclude(status=ThemeStatus.DRAFT).order_by("-starts_at", "-pk"),
        empty_label=_("All themed calls"),
    )
    institution = forms.ModelChoiceField(
        label=_("Partner institution"),
        required=False,
        queryset=Institution.objects.all(),
        to_field_name="slug",
        empty_label=_("The city and every institution"),
    )
    answered_in = forms.CharField(required=False, widget=forms.HiddenInput)
    on_time = forms.ChoiceField(
        required=False, choices=[("", ""), (YES, YES)], widget=forms.HiddenInput
    )
    overdue = forms.ChoiceField(
        required=False, choices=[("", ""), (YES, YES)], widget=forms.HiddenInput
    )

    def clean_stage(self):
        return STAGE_BY_NAME[self.cleaned_data["stage"] or "received"]

    def clean_answered_in(self):
        value = self.cleaned_data["answered_in"].strip()
        if value in ("", ANY_YEAR):
            return value
        if not value.isdigit() or not FIRST_YEAR <= int(value) <= LAST_YEAR:
            raise forms.ValidationError(_("Give the year an answer was published, or “any”."))
        return int(value)
