"""The card screens of the tracking admin: the actions that change a
card's stage or hand it to another official (each asks for a note on an
intermediate page), the card's attachments, and the submission of a
progress report. Everything is written by services.py; admin.py wires
these into ManagementCardAdmin and ProgressReportAdmin."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from oasis.admin_utils import ask_then_apply
from oasis.errors import ServiceError

from . import rules as card_rules
from . import services
from .forms import HandoffForm, StageChangeForm
from .models import STAGE_TRANSITIONS, CardAttachment

# --- card actions ---------------------------------------------------------------


def _with_note(modeladmin, request, queryset, *, form, call, done, **page):
    """A card action's intermediate page: `form` (with the note) for the
    selected cards, then `call(card, cleaned_data)` for each."""
    return ask_then_apply(
        modeladmin,
        request,
        queryset,
        form=form,
        error_message=gettext("Please correct the form. Nothing has been changed."),
        call=call,
        done=done,
        template="tracking/admin/card_action.html",
        **page,
    )


@admin.action(
    description=_("Change the stage of selected cards (asks for a note)"), permissions=["change"]
)
def change_stage(modeladmin, request, queryset):
    return _with_note(
        modeladmin,
        request,
        queryset,
        action="change_stage",
        form=StageChangeForm(
            request.POST if "apply" in request.POST else None,
            # One card: offer only where it can go; several: every stage,
            # and a card that cannot go there is skipped with its reason.
            stages=STAGE_TRANSITIONS[queryset[0].stage] if len(queryset) == 1 else None,
        ),
        title=_("Change the stage"),
        intro=_(
            "Stages go review → planning → in progress → completed. Any stage before "
            "completion may be suspended with a reason; a suspended item resumes at "
            "planning. Completed is final."
        ),
        submit_label=_("Change the stage"),
        call=lambda card, data: services.card_change_stage(
            card=card, user=request.user, to_stage=data["to_stage"], note=data["note"]
        ),
        done=ngettext_lazy(
            "%(count)d card changed stage.", "%(count)d cards changed stage.", "count"
        ),
    )


@admin.action(
    description=_("Hand selected cards to another official (asks for a note)"),
    permissions=["handoff"],
)
def hand_off(modeladmin, request, queryset):
    departments = {card.department_id for card in queryset}
    owners = {card.responsible_official_id for card in queryset}
    return _with_note(
        modeladmin,
        request,
        queryset,
        action="hand_off",
        form=HandoffForm(
            request.POST if "apply" in request.POST else None,
            departments=departments,
            # The one current owner of the selected cards is no choice.
            exclude=owners if len(owners) == 1 else (),
        ),
        title=_("Hand cards to another official"),
        intro=_(
            "The new official must be an active official of the card's department. "
            "The card keeps its whole history; both officials and the operators are told."
        ),
        submit_label=_("Hand over"),
        call=lambda card, data: services.card_handoff(
            card=card, user=request.user, to_official=data["to_official"], note=data["note"]
        ),
        done=ngettext_lazy(
            "%(count)d card was handed over.", "%(count)d cards were handed over.", "count"
        ),
    )


# --- attachments ----------------------------------------------------------------


class CardAttachmentForm(forms.ModelForm):
    """A new photo or document; checked here (to show the reason on the
    form) and stored by services.card_attach in save_attachments."""

    photo = forms.FileField(label=_("photo"), required=False)
    document = forms.FileField(label=_("document"), required=False)

    class Meta:
        model = CardAttachment
        fields = ["title"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                services.card_attachment_check(
                    title=cleaned.get("title", ""),
                    photo=cleaned.get("photo"),
                    document=cleaned.get("document"),
                )
            except ValidationError as exc:
                raise ValidationError(exc.message_dict.get("__all__") or exc.messages) from None
        return cleaned


def save_attachments(request, form, formset) -> None:
    """Store the card's new attachments (services.card_attach) and remove
    the deleted ones (services.card_detach, which keeps a history row); a
    refusal is shown as a message and the rest still goes through."""
    # Read by the admin's change message.
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for item_form in formset.deleted_forms:
        if item_form.instance.pk is None:
            continue
        try:
            services.card_detach(attachment=item_form.instance, user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            formset.deleted_objects.append(item_form.instance)
    for item_form in formset.extra_forms:
        if not item_form.has_changed() or item_form.instance.pk is not None:
            continue
        try:
            item = services.card_attach(
                card=form.instance,
                user=request.user,
                title=item_form.cleaned_data.get("title", ""),
                photo=item_form.cleaned_data.get("photo"),
                document=item_form.cleaned_data.get("document"),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            formset.new_objects.append(item)


# --- progress report submission ---------------------------------------------------


def report_submit_form(form_class):
    """`form_class` (the admin's report form) with the submission's refusals
    checked in clean, so a refused report shows why and nothing is written."""

    class SubmitForm(form_class):
        def clean(self):
            cleaned = super().clean()
            if self.errors or self.instance.pk is None:
                return cleaned
            # Refusals (stage jump, completed card) become form errors,
            # checked here so nothing is written.
            card = self.instance.card
            stage = cleaned.get("stage") or card.stage
            if stage != card.stage and (refusal := card_rules.stage_change_refusal(card, stage)):
                self.add_error("stage", refusal)
            if refusal := card_rules.report_refusal(self.instance, card):
                raise forms.ValidationError(refusal)
            try:
                services.report_photos_check(cleaned.get("photos"))
            except ValidationError as exc:
                for message in exc.message_dict["photos"]:
                    self.add_error("photos", message)
            return cleaned

    return SubmitForm


def submit_report(request, report, form) -> None:
    """Submit `report` with the form's data through services.report_submit;
    a refusal at this point (the form checked it already) is a 403."""
    data = form.cleaned_data
    try:
        services.report_submit(
            report=report,
            user=request.user,
            done=data.get("done"),
            stage=data.get("stage") or None,
            percent=data.get("percent_complete"),
            spent_budget=data.get("spent_budget"),
            next_steps=data.get("next_steps") or "",
            photos=data.get("photos") or (),
        )
    except ServiceError as exc:
        raise PermissionDenied(exc.message) from exc
    report.refresh_from_db()  # the service wrote its own copy; response_change reads this


def report_submitted(modeladmin, request, report):
    """After a submission: thank the official and go back to the list."""
    modeladmin.message_user(
        request,
        gettext("Submitted: %(report)s. Thank you.") % {"report": report},
        messages.SUCCESS,
    )
    return redirect(reverse("admin:tracking_progressreport_changelist"))
