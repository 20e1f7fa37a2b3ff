"""Forms of the award screens: a reward on an adopted item, a best policy
on a completed one, and the winners of a month (awards/screens.py). They
check shape; the services check the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oasis.forms import OneTimeTokenMixin

from .models import CITATION_MAX_LENGTH, FIRST_YEAR, MAX_REWARD_WON, NOTE_MAX_LENGTH, RewardKind


class RewardForm(OneTimeTokenMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Reward"), choices=RewardKind.choices)
    amount_won = forms.IntegerField(
        label=_("Amount (won)"),
        min_value=0,
        max_value=MAX_REWARD_WON,
        help_text=_("What the reward is worth, in won; 0 for a certificate without money."),
    )
    given_on = forms.DateField(
        label=_("Given on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the proposer received it."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("For the operators only; the proposer does not see it."),
    )
    is_addition = forms.BooleanField(
        label=_("Additional reward"),
        required=False,
        help_text=_("Tick when the item already has a reward and this one comes on top of it."),
    )

    def __init__(self, *args, card=None, **kwargs):
        super().__init__(*args, **kwargs)


class BestPolicyForm(OneTimeTokenMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR)
    citation = forms.CharField(
        label=_("Citation"),
        max_length=CITATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Why this policy is one of the year's best; shown on the public page."),
    )
    position = forms.IntegerField(
        label=_("Order"),
        min_value=1,
        required=False,
        help_text=_("Its place in the year's list; empty puts it after the others."),
    )

    def __init__(self, *args, card=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.localdate().year
        # The year the item was completed, which is usually the year it is best of.
        if card is not None and card.stage_changed_at:
            self.initial.setdefault("year", timezone.localtime(card.stage_changed_at).year)


class ConfirmForm(forms.Form):
    winners = forms.ModelMultipleChoiceField(
        label=_("Winners"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one winner.")},
    )

    def __init__(self, *args, award, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["winners"].queryset = award.candidates.all()
