"""Forms the proposals admin shows besides the model forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Proposal


class ModerationReasonForm(forms.Form):
    """The reason an operator gives for hiding, restoring or trashing. It is
    recorded on each proposal's timeline (ProposalEvent.reason)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=Proposal._meta.get_field("hidden_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Recorded on the timeline of each selected item."),
    )
