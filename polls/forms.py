"""The vote form, built from the poll's questions: a radio group for a
single-choice question, checkboxes for a multiple-choice one (its most
choices said beside it), a text box for a text question, and a yes/no
poll's optional reason. The form checks shape only (what a browser can
send wrong); polls.services.votes checks the vote against the rules and
the poll again, under the poll's lock."""

from django import forms
from django.utils.translation import gettext as _

from .models import TEXT_ANSWER_MAX_LENGTH, Poll, PollKind, QuestionKind

REASON_FIELD = "reason"


def field_name(question_id: int) -> str:
    return f"q_{question_id}"


class VoteForm(forms.Form):
    """One field a question, named `q_<question id>`. `questions` are the
    poll's questions with their choices prefetched; `initial_answers` (the
    member's current vote, when changing it) maps a question id to choice
    ids or text, as the service takes them."""

    def __init__(
        self, *args, poll: Poll, questions, initial_answers=None, initial_reason="", **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.questions = list(questions)
        initial_answers = initial_answers or {}
        for number, question in enumerate(self.questions, start=1):
            name = field_name(question.pk)
            label = question.text
            field = self._field_for(question, label)
            field.question = question
            field.number = number
            initial = initial_answers.get(question.pk)
            if initial is not None:
                if question.kind == QuestionKind.SINGLE:
                    field.initial = str(initial[0]) if initial else None
                elif question.kind == QuestionKind.MULTIPLE:
                    field.initial = [str(i) for i in initial]
                else:
                    field.initial = initial
            self.fields[name] = field
        if poll.kind == PollKind.YES_NO:
            self.fields[REASON_FIELD] = forms.CharField(
                label=_("Your reason (optional)"),
                required=False,
                max_length=TEXT_ANSWER_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Up to %(limit)d characters.") % {"limit": TEXT_ANSWER_MAX_LENGTH},
                initial=initial_reason,
            )

    def _field_for(self, question, label):
        choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
        if question.kind == QuestionKind.TEXT:
            return forms.CharField(
                label=label,
                required=question.required,
                max_length=TEXT_ANSWER_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Up to %(limit)d characters.") % {"limit": TEXT_ANSWER_MAX_LENGTH},
                error_messages={"required": _("Please answer this question.")},
            )
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                label=label,
                required=question.required,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Pick up to %(count)d.") % {"count": question.max_choices},
                error_messages={
                    "invalid_choice": _("Please pick from the choices given."),
                    "required": _("Please answer this question."),
                },
            )
        return forms.ChoiceField(
            label=label,
            required=question.required,
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={
                "invalid_choice": _("Please pick from the choices given."),
                "required": _("Please answer this question."),
            },
        )

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            name = field_name(question.pk)
            picked = cleaned.get(name)
            if (
                question.kind == QuestionKind.MULTIPLE
                and picked
                and len(picked) > question.max_choices
            ):
                self.add_error(
                    name,
                    _("Please pick at most %(count)d choices.") % {"count": question.max_choices},
                )
        return cleaned

    def question_fields(self):
        """(question, bound field) in the poll's order, for the template."""
        return [(question, self[field_name(question.pk)]) for question in self.questions]

    def answers(self) -> dict:
        """The cleaned form as polls.services.votes.poll_vote takes it."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question.pk))
            if question.kind == QuestionKind.TEXT:
                answers[question.pk] = value or ""
            elif question.kind == QuestionKind.MULTIPLE:
                answers[question.pk] = [int(v) for v in value or []]
            else:
                answers[question.pk] = [int(value)] if value else []
        return answers

    def reason_text(self) -> str:
        return self.cleaned_data.get(REASON_FIELD, "") if REASON_FIELD in self.fields else ""

    def add_service_error(self, exc) -> None:
        """Put a service's refusal beside the question it names, else above."""
        question_id = getattr(exc, "question_id", None)
        name = field_name(question_id) if question_id else None
        self.add_error(name if name in self.fields else None, exc.message)
