"""Shape only: the rules (who, when, lengths) are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from oasis.forms import OneTimeTokenMixin, PlainTextField

from .models import ARGUMENT_MAX_LENGTH, REASON_MAX_LENGTH, SUMMARY_MAX_LENGTH, Position, Side

# The session key under which a refused argument's text waits to be shown
# again in the form, so that nothing a member wrote is lost to a refusal.
DRAFT_SESSION_KEY = "debate_argument_draft"


class StanceForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Your stance"), choices=Position.choices, widget=forms.RadioSelect
    )


class ArgumentForm(OneTimeTokenMixin, forms.Form):
    """Sent twice from one page, it posts once (accounts.once)."""

    side = forms.ChoiceField(
        label=_("Your argument is"), choices=Side.choices, widget=forms.RadioSelect
    )
    body = PlainTextField(
        label=_("Argument"),
        max_length=ARGUMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text. Give your reasons; keep it respectful."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A browser would cut pasted text silently; the server says how long
        # it may be instead.
        self.fields["body"].widget.attrs.pop("maxlength", None)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH, required=False)


class SummaryForm(forms.Form):
    """The results (토론결과) an operator publishes, in the admin."""

    summary = PlainTextField(
        label=_("Debate results"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
        help_text=_(
            "Plain text, shown on the proposal's page and on the realization meeting's agenda: "
            "the main arguments on each side and what the debate concluded."
        ),
    )
