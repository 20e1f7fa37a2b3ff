"""Pieces every app's admin uses: running a service over selected rows, the
intermediate page of an action that needs a form, and read-only inlines for
records nobody edits by hand."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext

from oasis.errors import ServiceError

MAX_SKIPPED_LISTED = 10


def apply_each(request, objects, *, service, done) -> int:
    """Call `service(obj)` for each object. A refusal (ServiceError or
    ValidationError) skips that object and its reason is shown; `done` is an
    ngettext_lazy message with %(count)d for the ones that changed. Returns
    how many changed."""
    changed, skipped = 0, []
    for obj in objects:
        try:
            service(obj)
        except (ServiceError, ValidationError) as exc:
            skipped.append(
                (obj, exc.message if isinstance(exc, ServiceError) else " ".join(exc.messages))
            )
        else:
            changed += 1
    if changed:
        messages.success(request, done % {"count": changed})
    else:
        messages.info(request, gettext("Nothing was changed."))
    for obj, message in skipped[:MAX_SKIPPED_LISTED]:
        messages.warning(
            request,
            gettext("Skipped #%(id)s “%(item)s”: %(message)s")
            % {"id": obj.pk, "item": obj, "message": message},
        )
    if len(skipped) > MAX_SKIPPED_LISTED:
        more = len(skipped) - MAX_SKIPPED_LISTED
        messages.warning(
            request,
            ngettext("%(count)d more item was skipped.", "%(count)d more items were skipped.", more)
            % {"count": more},
        )
    return changed


def intermediate_page(
    modeladmin, request, *, form, template="admin/intermediate_action.html", **context
):
    """The page (admin/intermediate_action.html or one extending it) that
    shows `form` for the action's selected rows; `context` gives at least
    title, action, submit_label and queryset (and intro for the default
    summary)."""
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        template,
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": modeladmin.media + form.media,
            **context,
        },
    )


def ask_then_apply(modeladmin, request, queryset, *, form, error_message, call, done, **page):
    """An admin action that needs a form: the first POST (from the changelist)
    shows `form` on the intermediate page (`page`: see intermediate_page);
    the second (`apply` in the POST) calls `call(obj, cleaned_data)` for each
    selected row through apply_each, so a refused row is skipped with its
    reason, and returns to the changelist. An invalid form shows the page
    again with `error_message`, and nothing is changed."""
    if form.is_bound:
        if form.is_valid():
            apply_each(
                request, queryset, service=lambda obj: call(obj, form.cleaned_data), done=done
            )
            return None  # back to the changelist, filters kept
        modeladmin.message_user(request, error_message, messages.ERROR)
    return intermediate_page(modeladmin, request, form=form, queryset=queryset, **page)


class ReadOnlyInlineMixin:
    """An inline that shows recorded rows (events, arguments) and never adds,
    changes or deletes them."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
