"""The pipeline settings' page in the admin, with a preview before a bar
changes: lowering the endorsement bar for a test once promoted 18 proposals
and mailed ten departments at the next sweep, unannounced.

Saving the form does not save it: when a bar (services.BAR_FIELDS) changes,
the operator first sees what the sweep would do under the new bars
(services.bars_preview, the sweep's own query), and confirms. The confirmed
page carries the preview's fingerprint; if the proposals it would move have
changed in between, the new preview is shown instead of saving. Every save
goes through services.pipeline_settings_change, which writes the audit row.
PipelineSettingsAdmin.change_view (admin.py) opens it with `settings_view`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext

from oasis.errors import ServiceError
from proposals.models import PipelineSettings, Proposal

from . import services

# How many proposals the preview names; the counts cover them all.
PREVIEW_LISTED = 30


def settings_view(modeladmin, request, object_id, form_url="", extra_context=None):
    """The settings form (Django's own change page, for GET and for a form
    with errors), the preview of a bar change, or the save."""
    if request.method != "POST" or not modeladmin.has_change_permission(request):
        return None  # Django's change page
    current = PipelineSettings.load()
    form_class = modeladmin.get_form(request, current, change=True)
    # The form writes its values on its instance: give it a copy, so
    # `current` stays what is saved now.
    form = form_class(request.POST, instance=PipelineSettings.load())
    if not form.is_valid():
        return None  # Django's change page shows the errors; nothing is saved
    values = {
        name: form.cleaned_data[name]
        for name in (*services.BAR_FIELDS, *services.PERIOD_FIELDS)
        if name in form.cleaned_data
    }
    bars_change = any(
        values.get(name, getattr(current, name)) != getattr(current, name)
        for name in services.BAR_FIELDS
    )
    confirmed = "_confirm" in request.POST
    if bars_change and not confirmed:
        return _preview_page(modeladmin, request, form, current)
    try:
        _row, preview = services.pipeline_settings_change(
            user=request.user, values=values, preview_seen=request.POST.get("_preview")
        )
    except services.PreviewOutdated as exc:
        messages.warning(request, exc.message)
        return _preview_page(modeladmin, request, form, current)
    except (ServiceError, ValidationError) as exc:
        text = exc.message if isinstance(exc, ServiceError) else " ".join(exc.messages)
        messages.error(request, text)
        return HttpResponseRedirect(request.get_full_path())
    if preview is None:
        messages.success(request, gettext("The pipeline settings were saved."))
    else:
        messages.success(
            request,
            ngettext(
                "The pipeline settings were saved. The sweep is promoting %(count)d proposal now.",
                "The pipeline settings were saved. The sweep is promoting %(count)d proposals now.",
                preview.promoted,
            )
            % {"count": preview.promoted},
        )
    return HttpResponseRedirect(request.get_full_path())


def _shown(row: PipelineSettings, name: str):
    field = PipelineSettings._meta.get_field(name)
    return getattr(row, f"get_{name}_display")() if field.choices else getattr(row, name)


def _titles(ids) -> list[Proposal]:
    listed = list(ids)[:PREVIEW_LISTED]
    found = Proposal.objects.filter(pk__in=listed).only("pk", "title", "status").order_by("pk")
    return list(found)


def _preview_page(modeladmin, request, form, current):
    new = form.instance
    preview = services.bars_preview(settings_row=new, based_on=services.saved_values(current))
    changes = [
        {
            "label": PipelineSettings._meta.get_field(name).verbose_name,
            # A choice (the unit days are counted in) by its label.
            "old": _shown(current, name),
            "new": _shown(new, name),
        }
        for name in (*services.BAR_FIELDS, *services.PERIOD_FIELDS)
        if getattr(current, name) != getattr(new, name)
    ]
    request.current_app = modeladmin.admin_site.name
    listed = _titles((*preview.to_answer, *preview.to_debate))
    return TemplateResponse(
        request,
        "admin/pipeline/bars_preview.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": PipelineSettings._meta,
            "title": gettext("Check what this change does"),
            "form": form,
            "changes": changes,
            "preview": preview,
            "to_answer": set(preview.to_answer),
            "promoted_listed": listed,
            "promoted_more": preview.promoted - len(listed),
            "blocked_listed": _titles(preview.blocked),
            "blocked_more": len(preview.blocked) - min(len(preview.blocked), PREVIEW_LISTED),
        },
    )
