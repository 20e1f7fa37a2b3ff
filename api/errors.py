"""Every API error as JSON, `{"detail": ..., "code": ...}`, with the message
in the reader's language (api.base sets it), plus `errors` (field → list of
messages) for a bad filter or parameter. Django's own Http404 and
PermissionDenied are shaped alike; anything else is a bug and left to the
site's 500 handler."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.views import exception_handler as drf_exception_handler


def _messages(detail):
    """A ValidationError's detail as {field: [message, ...]}."""
    if isinstance(detail, dict):
        return {
            str(field): [str(m) for m in (value if isinstance(value, list) else [value])]
            for field, value in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found. It does not exist or is not public."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.Throttled):
        wait = max(1, int(exc.wait or 1))
        exc = exceptions.Throttled(wait=wait)
        # Our sentence alone (DRF would append its own about the wait).
        exc.detail = ErrorDetail(
            _("Too many requests. Please try again in %(seconds)d seconds.") % {"seconds": wait},
            code="throttled",
        )
    elif isinstance(exc, exceptions.NotFound) and exc.get_codes() == "not_found":
        if str(exc.detail) == str(exceptions.NotFound.default_detail):
            exc = exceptions.NotFound(_("Not found. It does not exist or is not public."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": _("Some parameters have values that cannot be used."),
            "code": "invalid",
            "errors": _messages(exc.detail),
        }
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = {
            "detail": str(exc.detail),
            "code": code if isinstance(code, str) else "error",
        }
    return response
