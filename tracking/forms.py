"""Forms of the tracking admin: a stage change and a handoff, each with the
note that goes on the card's history (asked by the list's actions and on
the card's page), and the progress report (a requested one, or one written
on the card's page before it is asked for)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from oasis.forms import MultipleFileField, MultipleFileInput, OneTimeTokenMixin, lazy_format
from proposals import uploads

from .models import NOTE_MAX_LENGTH, STAGE_TRANSITIONS, CardStage, ProgressReport


class NoteField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Note"))
        kwargs.setdefault("max_length", NOTE_MAX_LENGTH)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "cols": 60}))
        super().__init__(**kwargs)


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=CardStage.choices)
    note = NoteField(
        help_text=_(
            "Shown on the card's public history and the proposal's timeline. "
            "For a suspension, this is the reason."
        )
    )

    def __init__(self, *args, stages=None, **kwargs):
        """`stages`: the only stages to offer (those one card can reach)."""
        super().__init__(*args, **kwargs)
        if stages is not None:
            self.fields["to_stage"].choices = [
                (value, label) for value, label in CardStage.choices if value in stages
            ]


class HandoffForm(forms.Form):
    to_official = forms.ModelChoiceField(
        label=_("New responsible official"),
        queryset=User.objects.none(),
        help_text=_("An active official of the card's department."),
    )
    note = NoteField(help_text=_("Kept on the card's internal history."))

    def __init__(self, *args, departments=None, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        officials = User.objects.filter(is_active=True, groups__name=Role.OFFICIAL).distinct()
        if departments is not None:
            officials = officials.filter(department__in=departments)
        officials = officials.exclude(pk__in=[pk for pk in exclude if pk])
        self.fields["to_official"].queryset = officials.select_related("department").order_by(
            "department__name", "display_name", "pk"
        )
        # Staff choose among colleagues: their names and e-mail, not the
        # masked public name.
        self.fields["to_official"].label_from_instance = lambda user: (
            f"{user.display_name or user.email} <{user.email}> ({user.department.label})"
            if user.department_id
            else user.email
        )
        if not officials.exists():
            self.fields["to_official"].help_text = _(
                "There is no other active official in the card's department. "
                "Ask the operator to give an official the department first."
            )


def report_photos_field():
    return MultipleFileField(
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


class ProgressReportForm(forms.ModelForm):
    """The admin's form for submitting a requested report. The service
    (report_submit) checks everything again and writes; this form only shows
    its fields, all required except the budget, the stage and the photos."""

    photos = report_photos_field()

    class Meta:
        model = ProgressReport
        fields = ["done", "stage", "percent_complete", "spent_budget", "next_steps"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "done" in self.fields:
            self.fields["done"].required = True
        if "percent_complete" in self.fields:
            self.fields["percent_complete"].required = True


class CardReportForm(OneTimeTokenMixin, forms.Form):
    """A progress report written on the card's page (services.report_file),
    with the fields of ProgressReportForm; the stage offers the card's own
    and those it can reach. The service checks everything again."""

    done = forms.CharField(
        label=_("what was done"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )
    stage = forms.ChoiceField(label=_("stage"), required=False)
    percent_complete = forms.IntegerField(label=_("percent complete"), min_value=0, max_value=100)
    spent_budget = forms.IntegerField(
        label=_("spent budget (won)"),
        min_value=0,
        required=False,
        help_text=_("Empty: unchanged."),
    )
    next_steps = forms.CharField(
        label=_("next steps"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    photos = report_photos_field()

    def __init__(self, *args, card, **kwargs):
        super().__init__(*args, **kwargs)
        reachable = STAGE_TRANSITIONS[card.stage]
        self.fields["stage"].choices = [
            (value, label)
            for value, label in CardStage.choices
            if value == card.stage or value in reachable
        ]
        self.initial.setdefault("stage", card.stage)
        if card.percent_complete is not None:
            self.initial.setdefault("percent_complete", card.percent_complete)
