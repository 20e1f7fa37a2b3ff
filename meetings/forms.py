"""Forms for the meetings admin. They check shape and, for the admin's
inline rows, the same refusal rules the services apply, so an error shows on
the form instead of failing on save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.models import Proposal, ProposalStatus

from . import rules as meeting_rules
from .models import (
    REASON_MAX_LENGTH,
    AgendaDecision,
    ExpertOpinion,
    ReviewDecision,
)


def eligible_for_review():
    """Proposals a working review may decide on."""
    return Proposal.objects.filter(status=ProposalStatus.REVIEW, deleted_at__isnull=True).order_by(
        "-endorsement_count", "id"
    )


class ReviewDecisionForm(forms.ModelForm):
    """One row of a working review: a proposal in working review, whether it
    goes forward, and why."""

    class Meta:
        model = ReviewDecision
        fields = ["proposal", "selected", "reason", "position"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2, "cols": 50})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "proposal" in self.fields:
            self.fields["proposal"].queryset = eligible_for_review()

    def clean(self):
        cleaned = super().clean()
        proposal = cleaned.get("proposal")
        if proposal is not None and self.has_changed():
            review = self.instance.review if self.instance.review_id else None
            if refusal := meeting_rules.review_decision_refusal(review, proposal):
                raise forms.ValidationError(refusal)
        return cleaned


class AgendaDecisionForm(forms.Form):
    """The meeting's decision on one agenda item."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in AgendaDecision.choices if c[0] != AgendaDecision.PENDING],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the proposer and on the proposal's public page."),
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For an adopted item: what the meeting asks of its realization."),
    )


# The decision table's "no decision yet" choice. A value of its own, not "":
# an empty radio value is easy to lose on the way.
LATER = "later"


class DecisionRowForm(forms.Form):
    """One row of the decision table. Every field may stay empty: a row
    without a decision is left for later. What a decision needs (a reason,
    the item still open, the meeting's day) is checked by the service, as on
    the one-item page, and shown next to the row."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(LATER, _("Later"))]
        + [c for c in AgendaDecision.choices if c[0] != AgendaDecision.PENDING],
        widget=forms.RadioSelect,
        required=False,
        initial=LATER,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Who carries the item if adopted, when the department has no head to
    # take it (issue 12). Only the item's department's active officials are
    # offered; the service checks again.
    # (Choices, not a queryset: the table reads every department's officials
    # in one query, decision_table._officials_by_department.)
    responsible_official = forms.ChoiceField(
        label=_("Responsible official (if adopted)"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "The responsible official must be an active official of the item's department."
            )
        },
    )

    def __init__(self, *args, officials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._officials = {str(user.pk): user for user in officials}
        self.fields["responsible_official"].choices = [("", _("Not named (the head)"))] + [
            (pk, user.get_full_name()) for pk, user in self._officials.items()
        ]

    def clean_responsible_official(self):
        return self._officials.get(self.cleaned_data.get("responsible_official") or "")

    def clean_decision(self):
        # "Later" (or nothing ticked) is no decision.
        decision = self.cleaned_data.get("decision")
        return "" if decision in (LATER, None) else decision

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("decision") and (cleaned.get("reason") or cleaned.get("conditions")):
            # A reason typed without a decision is a decision forgotten, not
            # one put off: say so rather than drop what was typed.
            self.add_error(
                "decision", _("Choose a decision for this reason, or clear it to decide later.")
            )
        return cleaned


class ExpertOpinionForm(forms.ModelForm):
    class Meta:
        model = ExpertOpinion
        fields = ["proposal", "recommendation", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "text": _(
                "Whether and how it can be done. Printed on the public meeting agenda "
                "under your public name."
            )
        }

    def __init__(self, *args, expert=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.expert = expert
        if "proposal" in self.fields:
            self.fields["proposal"].queryset = Proposal.objects.filter(
                status__in=meeting_rules.OPINION_STATUSES, deleted_at__isnull=True
            ).order_by("-id")

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < 10:
            raise forms.ValidationError(_("Please write your opinion in at least 10 characters."))
        return text

    def clean(self):
        cleaned = super().clean()
        proposal = cleaned.get("proposal")
        if (
            proposal is not None
            and self.instance.pk is None
            and self.expert is not None
            and ExpertOpinion.objects.filter(proposal=proposal, expert=self.expert).exists()
        ):
            raise forms.ValidationError(
                _("You have already written an opinion on this proposal; edit that one instead.")
            )
        return cleaned
