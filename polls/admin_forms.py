"""The forms of the poll editor (polls/admin.py): the poll itself with its
targeting as checkboxes, a question with its choices typed one a line,
background material, and the close-early reason. They check shape; the
rules (polls/editing_rules.py) are asked under the poll's row lock, inside
the admin's transaction, so a vote that arrives while the editor is open
is seen before anything is written."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.age_bands import AgeBand
from accounts.districts import District
from accounts.models import Gender

from . import editing_rules
from .models import AttachmentKind, Poll, PollAttachment, PollKind, Question, QuestionKind
from .services.editing import EDITABLE_FIELDS, attachment_check

TARGET_FIELDS = {
    "target_districts": (District, _("Districts")),
    "target_age_bands": (AgeBand, _("Age bands")),
    "target_genders": (Gender, _("Genders")),
}


def _locked_poll(pk) -> Poll | None:
    # Inside the admin's transaction: the lock is held until the save.
    return Poll.objects.select_for_update().filter(pk=pk).first() if pk else None


class PollForm(forms.ModelForm):
    target_districts = forms.MultipleChoiceField(
        label=_("Districts"),
        choices=District.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: members of every district may vote."),
    )
    target_age_bands = forms.MultipleChoiceField(
        label=_("Age bands"),
        choices=AgeBand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every age may vote."),
    )
    target_genders = forms.MultipleChoiceField(
        label=_("Genders"),
        choices=Gender.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everyone may vote."),
    )

    class Meta:
        model = Poll
        fields = ["kind", *EDITABLE_FIELDS]

    # Set (PollAdmin.get_form) for a partner institution's administrator:
    # the institution of every poll they write, shown but not chosen. A
    # disabled field sends nothing and its value is the form's own, so a
    # tampered request cannot name another institution or the city.
    own_institution_id = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("institution")
        if field is None:
            return
        if self.own_institution_id is None:
            field.help_text = _(
                "Empty: the city's poll. A partner institution's poll is asked by one of its "
                "own departments and shows in its space."
            )
            return
        field.disabled = True
        field.help_text = _(
            "Your institution's poll: it shows in your institution's space and, labelled, "
            "in the city's poll list."
        )
        if self.instance.pk is None:
            self.initial["institution"] = self.own_institution_id

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        changes = self.changes()
        locked = _locked_poll(self.instance.pk)
        poll = locked or Poll(kind=data.get("kind"))
        refusal = editing_rules.period_refusal(
            poll,
            starts_at=changes.get("starts_at", poll.starts_at),
            ends_at=changes.get("ends_at", poll.ends_at),
            now=timezone.now(),
        ) or editing_rules.settings_refusal(poll, changes)
        if refusal:
            raise ValidationError(refusal)
        return data

    def changes(self) -> dict:
        """The editable fields as the form sends them (the readonly ones,
        absent from the form, are not changes). A moment the form shows to
        the second is unchanged if the stored one differs only below it."""
        changes = {
            name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data
        }
        for name in ("starts_at", "ends_at"):
            stored = self.initial.get(name)
            if stored and changes.get(name) == stored.replace(microsecond=0):
                changes[name] = stored
        return changes


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choices, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 30}),
    )

    class Meta:
        model = Question
        fields = ["text", "kind", "max_choices", "required"]

    def __init__(self, *args, poll_kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll_kind = poll_kind
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(
                choice.label for choice in self.instance.choices.all()
            )
        if poll_kind == PollKind.YES_NO:
            self.fields["choices_text"].help_text = _(
                "Three lines: the words of for, against and other."
            )

    def labels(self) -> list[str]:
        text = self.cleaned_data.get("choices_text") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        labels = self.labels() if "choices_text" in data else []
        if self.poll_kind == PollKind.YES_NO and len(labels) != 3:
            raise ValidationError(
                _("A yes-or-no poll has exactly three choices: for, against and other, one a line.")
            )
        if len(labels) != len(set(labels)):
            raise ValidationError(_("Two choices of one question have the same words."))
        kind = data.get("kind")
        if kind == QuestionKind.MULTIPLE and labels and data.get("max_choices", 1) > len(labels):
            self.add_error(
                "max_choices",
                _("At most %(count)d: the question has %(count)d choices.")
                % {"count": len(labels)},
            )
        return data


class QuestionFormSet(BaseInlineFormSet):
    """The poll's questions. Any change to them is refused once the poll has
    votes (or is closed), checked under the poll's lock."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "poll_kind": self.instance.kind}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            poll_kind=self.instance.kind,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def has_any_change(self) -> bool:
        return any(
            (
                form.has_changed()
                and not (form.instance.pk is None and self._should_delete_form(form))
            )
            or (form.instance.pk is not None and self._should_delete_form(form))
            for form in self.forms
        )

    def clean(self):
        super().clean()
        if not self.has_any_change():
            return
        locked = _locked_poll(self.instance.pk)
        if locked is not None and (refusal := editing_rules.questions_refusal(locked)):
            raise ValidationError(refusal)


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = PollAttachment
        fields = ["kind", "file", "title", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A stored image or file is replaced by removing it and adding
            # another; its words and place may be corrected.
            self.fields["kind"].disabled = self.fields["file"].disabled = True
        # Asked by attachment_check, with words that say what it is for.
        self.fields["title"].required = False

    def clean(self):
        data = super().clean()
        if self.instance.pk and not (data.get("title") or "").strip():
            self.add_error(
                "title", _("Please say what the image shows, for readers who cannot see it.")
            )
        if self.instance.pk is None and self.has_changed() and not self.errors:
            try:
                attachment_check(
                    kind=data.get("kind") or AttachmentKind.FILE,
                    upload=data.get("file"),
                    title=data.get("title"),
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return data


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing early"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail."),
    )
