"""Forms check shape only; the rules (who, when, what a submitted or refused
answer must contain) are in services.py."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from oasis.forms import PlainTextField

from .models import (
    EXTENSION_MAX_DAYS,
    RATING_COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SECTION_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    AnswerDecision,
    RefusalBasisKind,
)


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


def _textarea(rows: int = 5):
    return forms.Textarea(attrs={"rows": rows, "cols": 80, "class": "vLargeTextField"})


class AnswerForm(forms.Form):
    """The department's structured answer. Everything may stay empty in a
    draft; submitting checks it is complete."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("Not decided yet")), *AnswerDecision.choices],
        required=False,
    )
    summary = PlainTextField(
        label=_("Answer in short"),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        widget=_textarea(4),
        help_text=_("What the department will do, in plain words a citizen understands."),
    )
    necessity = PlainTextField(
        label=_("Necessity"),
        max_length=SECTION_MAX_LENGTH,
        required=False,
        widget=_textarea(),
        help_text=_("Is there a real need? Who would it help?"),
    )
    effectiveness = PlainTextField(
        label=_("Effectiveness"),
        max_length=SECTION_MAX_LENGTH,
        required=False,
        widget=_textarea(),
        help_text=_("What would it change, and how much?"),
    )
    feasibility = PlainTextField(
        label=_("Feasibility"),
        max_length=SECTION_MAX_LENGTH,
        required=False,
        widget=_textarea(),
        help_text=_("Can the city do it: rules, time, people, technology?"),
    )
    estimated_budget = forms.IntegerField(
        label=_("Estimated budget (won)"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
        help_text=_("A whole number of won. Leave empty if it cannot be estimated."),
    )
    refusal_basis_kind = forms.ChoiceField(
        label=_("Basis for not accepting"),
        choices=[("", "—"), *RefusalBasisKind.choices],
        required=False,
        help_text=_("Required when the decision is “Not accepted”."),
    )
    refusal_basis = PlainTextField(
        label=_("Basis in plain words"),
        max_length=SECTION_MAX_LENGTH,
        required=False,
        widget=_textarea(4),
        help_text=_(
            "Which ordinance, budget rule or law stands in the way, and why. "
            "Required when the decision is “Not accepted”."
        ),
    )

    @classmethod
    def initial_from(cls, answer) -> dict:
        if answer is None:
            return {}
        return {name: getattr(answer, name) for name in cls.base_fields}


class AmendmentForm(AnswerForm):
    """The published answer as it should now read (starting from its current
    text) and why it changes. The reason is public."""

    reason = PlainTextField(
        label=_("Reason for the amendment"),
        max_length=REASON_MAX_LENGTH,
        widget=_textarea(2),
        error_messages={"required": _("Please give a reason.")},
        help_text=_(
            "Shown publicly beside the answer, for example “오타 수정” or “예산 변경”. "
            "Changing the decision is serious: say plainly why. The proposer's "
            "rating stays as it was given."
        ),
    )

    field_order = ["reason", *AnswerForm.base_fields]

    @classmethod
    def initial_from(cls, source) -> dict:
        """The form filled from an answer (its current text) or an
        amendment (a draft, or a returned one written again)."""
        if source is None:
            return {}
        initial = {name: getattr(source, name) for name in AnswerForm.base_fields}
        if hasattr(source, "reason"):
            initial["reason"] = source.reason
        return initial


class ReasonForm(forms.Form):
    reason = PlainTextField(label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=_textarea(3))


class ReassignmentRequestForm(forms.Form):
    reason = PlainTextField(
        label=_("Why should another department answer it?"),
        max_length=REASON_MAX_LENGTH,
        widget=_textarea(3),
    )
    suggested_department = DepartmentChoiceField(
        label=_("Suggested department"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        help_text=_("If you know which department should answer it."),
    )

    def __init__(self, *args, own_department=None, **kwargs):
        super().__init__(*args, **kwargs)
        if own_department is not None:
            # Another department of the same institution (or of the city):
            # a proposal to an institution is answered by one of its own.
            self.fields["suggested_department"].queryset = Department.objects.filter(
                is_active=True, institution_id=own_department.institution_id
            ).exclude(pk=own_department.pk)


def _days_field(label, *, most, required=True, help_text=""):
    return forms.IntegerField(
        label=label, min_value=1, max_value=most, required=required, help_text=help_text
    )


class _DaysMessages:
    """The days field's errors in words, written when the form is made (in
    the request's language): any bad number gets the same plain sentence."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["days"]
        words = gettext("Enter a whole number of days from 1 to %(most)d.") % {
            "most": field.max_value
        }
        # A new dict: the field's own is shared with the class's base field.
        field.error_messages = {
            **field.error_messages,
            "invalid": words,
            "min_value": words,
            "max_value": words,
            "required": gettext("How many days?"),
        }


class ExtensionRequestForm(_DaysMessages, forms.Form):
    """The department asks for more days to answer."""

    days = _days_field(
        _("How many more days?"),
        most=EXTENSION_MAX_DAYS,
        help_text=_(
            "Counted like the deadline (working days unless the operators chose otherwise)."
        ),
    )
    reason = PlainTextField(
        label=_("Why do you need more time?"),
        max_length=REASON_MAX_LENGTH,
        widget=_textarea(3),
        help_text=_("If the operators grant it, this reason is shown on the proposal's page."),
    )


class ExtensionDecideForm(_DaysMessages, forms.Form):
    """An operator grants (as many days as asked, or fewer) or refuses."""

    days = _days_field(_("Days to grant"), most=EXTENSION_MAX_DAYS, required=False)
    reason = PlainTextField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=_textarea(3),
        required=False,
        help_text=_("Needed to refuse; shown on the proposal's page."),
    )


class ReassignForm(forms.Form):
    """An operator's reassignment: straight away, or deciding a request."""

    department = DepartmentChoiceField(
        label=_("Reassign to"), queryset=Department.objects.filter(is_active=True)
    )
    reason = PlainTextField(
        label=_("Reason (shown on the proposal's timeline)"),
        max_length=REASON_MAX_LENGTH,
        widget=_textarea(3),
    )

    def __init__(self, *args, current_department=None, deciding=False, **kwargs):
        super().__init__(*args, **kwargs)
        if current_department is not None:
            # Within the proposal's institution, or the city's departments
            # for a city proposal (answers.rules.department_institution_refusal).
            self.fields["department"].queryset = Department.objects.filter(
                is_active=True, institution_id=current_department.institution_id
            ).exclude(pk=current_department.pk)
        if deciding:
            # Deciding a request: approving needs the department and may give
            # a reason (else the department's own is shown); refusing needs a
            # reason, which goes to the department that asked.
            self.fields["department"].required = False
            self.fields["reason"].required = False
            self.fields["reason"].label = _("Reason")
            self.fields["reason"].help_text = _(
                "Approving: optional, shown on the timeline (else the department's "
                "reason is). Refusing: required, sent to the department."
            )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How useful was the answer?"),
        choices=[
            (5, _("5 – very useful")),
            (4, _("4 – useful")),
            (3, _("3 – so-so")),
            (2, _("2 – not very useful")),
            (1, _("1 – not useful at all")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = PlainTextField(
        label=_("Comment (optional)"),
        max_length=RATING_COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandAssignmentForm(forms.Form):
    """An operator gives one or many proposals to a department. The category's
    default department is offered first (`suggested`), any active one of
    `departments` (the proposals' institutions' that the user may choose,
    hand_assignment.department_choices) may be chosen."""

    department = DepartmentChoiceField(
        label=_("Department that answers"),
        queryset=Department.objects.filter(is_active=True),
        error_messages={"required": _("Choose the department that should answer.")},
    )
    reason = PlainTextField(
        label=_("Reason (shown on each proposal's timeline)"),
        max_length=REASON_MAX_LENGTH,
        widget=_textarea(3),
        error_messages={"required": _("Please give a reason.")},
    )

    def __init__(self, *args, suggested=None, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        if suggested is not None:
            self.fields["department"].initial = suggested.pk
            self.fields["department"].help_text = _(
                "Suggested: %(department)s, the default department of the category."
            ) % {"department": suggested.label}
