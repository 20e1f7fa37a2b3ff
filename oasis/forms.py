"""Form fields and helpers shared by the apps' pages and admin."""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# The reason an operator gives on the moderation page lands in fields of
# 300 characters (Proposal, Comment and Argument hidden_reason,
# Report.resolution, Debate.close_reason) or more (an answer's return reason):
# the shortest is the limit, so one form fits every moderation action
# (tests/oasis/test_forms.py checks each field).
MODERATION_REASON_MAX_LENGTH = 300


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on `form`: each error on its field
    when the form has it, otherwise above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def lazy_format(message, **values):
    """A translated message with its numbers filled in when it is shown, so
    each page gets its own language (module-level forms are built once)."""
    return lazy(lambda: str(message) % values, str)()


class OneTimeTokenMixin(forms.Form):
    """A hidden one-time token, new each time the empty form is drawn and
    kept when a refused form is drawn again, so the view can make what the
    form asks for once however often the page is sent (accounts.once)."""

    submission_token = forms.CharField(
        widget=forms.HiddenInput, required=False, empty_value=""
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", secrets.token_urlsafe(24))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files; each is checked by the service."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class PlainTextField(forms.CharField):
    """Multi-line plain text. Browsers count a line break as one character for
    `maxlength` but send it as CRLF; store it as LF so the limit the page
    enforces is the one the server checks."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class ModerationReasonForm(forms.Form):
    """The reason an operator gives for hiding, restoring, trashing, closing
    or returning. It is recorded on each selected item's timeline."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=MODERATION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Recorded on the timeline of each selected item."),
    )
