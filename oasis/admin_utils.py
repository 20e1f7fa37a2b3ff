"""Pieces every app's admin uses: running a service over selected rows, and
read-only inlines for records nobody edits by hand."""

from django.contrib import messages
from django.core.exceptions import ValidationError
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
