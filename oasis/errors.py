"""Errors raised by services. Views turn them into a message in the user's
language (ServiceError) or a 403 (PermissionDenied)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

__all__ = ["PermissionDenied", "ServiceError", "TransitionNotAllowed"]


class ServiceError(Exception):
    """A rule refused the change; `message` is translated and safe to show.
    `code` names the refusal for a caller that must store or act on it in
    no particular language (a notice stores the code, not the sentence)."""

    def __init__(self, message, *, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


class TransitionNotAllowed(ServiceError):
    pass


def require_reason(reason: str, *, max_length: int = 300) -> str:
    """A moderator's reason: required, trimmed, and cut to what the field holds."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Please give a reason."))
    return reason[:max_length]
