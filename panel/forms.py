"""Shape only: the rules (who, when, one rating each) are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from oasis.forms import PlainTextField

from .models import PanelApplication, PanelRating

SCORE_CHOICES = [
    (1, _("1 · very weak")),
    (2, _("2 · weak")),
    (3, _("3 · fair")),
    (4, _("4 · good")),
    (5, _("5 · excellent")),
]


class ApplicationForm(forms.Form):
    motivation = PlainTextField(
        label=_("Why would you like to join the panel?"),
        max_length=PanelApplication._meta.get_field("motivation").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences: what you care about in Seoul, and what you would bring."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The server says how long it may be, instead of a browser cutting it.
        self.fields["motivation"].widget.attrs.pop("maxlength", None)


def _score_field(label, help_text):
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=help_text,
    )


class RatingForm(forms.Form):
    creativity = _score_field(_("Creativity"), _("Is the idea new, or a new way to solve it?"))
    public_value = _score_field(
        _("Public value"), _("How much would it do for the citizens of Seoul?")
    )
    feasibility = _score_field(
        _("Feasibility"), _("Could the city carry it out, with a reasonable cost and time?")
    )
    note = PlainTextField(
        label=_("Note for the operators (optional)"),
        max_length=PanelRating._meta.get_field("note").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the operators read it; the public sees the scores."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs.pop("maxlength", None)

    @property
    def criteria(self):
        return [self[name] for name in ("creativity", "public_value", "feasibility")]


class DecisionNoteForm(forms.Form):
    """The note of an operator's decision, asked on the admin's intermediate page."""

    note = forms.CharField(
        label=_("Note to the member"),
        max_length=PanelApplication._meta.get_field("decision_note").max_length,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Shown to the member in their notice and on the panel page."),
    )
