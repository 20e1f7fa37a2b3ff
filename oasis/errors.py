"""Errors raised by services. Views turn them into a message in the user's
language (ServiceError) or a 403 (PermissionDenied)."""

from django.core.exceptions import PermissionDenied

__all__ = ["PermissionDenied", "ServiceError", "TransitionNotAllowed"]


class ServiceError(Exception):
    """A rule refused the change; `message` is translated and safe to show."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class TransitionNotAllowed(ServiceError):
    pass
