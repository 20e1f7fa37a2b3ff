"""The discussion poll's argument form. Shape only: the rules (who, when,
lengths) are in services/discussion.py and discussion_rules.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from oasis.forms import OneTimeTokenMixin, PlainTextField, lazy_format

from .models import ARGUMENT_MAX_LENGTH

# The session key under which a refused argument's text waits to be shown
# again in the form, so that nothing a member wrote is lost to a refusal.
DRAFT_SESSION_KEY = "poll_argument_draft"
# The radio's value for "neither side" (stored as a blank side).
NEITHER = "neither"
SIDE_CHOICES = [
    ("for", _("For")),
    ("against", _("Against")),
    (NEITHER, _("Neither, an opinion")),
]


class ArgumentForm(OneTimeTokenMixin, forms.Form):
    """Sent twice from one page, it posts once (accounts.once)."""

    side = forms.ChoiceField(
        label=_("Your argument is"), choices=SIDE_CHOICES, widget=forms.RadioSelect
    )
    body = PlainTextField(
        label=_("Your argument"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=lazy_format(
            _(
                "Plain text, up to %(n)d characters. Give your reasons; keep it respectful. "
                "Others endorse what they read, so an argument cannot be changed once posted."
            ),
            n=ARGUMENT_MAX_LENGTH,
        ),
    )

    # No max_length (nor the maxlength it would draw): a browser would cut
    # pasted text silently; the service says how long it may be instead.

    def stored_side(self) -> str:
        side = self.cleaned_data["side"]
        return "" if side == NEITHER else side
