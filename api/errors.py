"""Every API error as JSON with a message in the reader's language.

Shared ground: DRF's handler. The api-core part shapes the body."""

from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    return drf_exception_handler(exc, context)
