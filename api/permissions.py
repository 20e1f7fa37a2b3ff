from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnly(BasePermission):
    """The API only reads: GET, HEAD and OPTIONS, for everyone."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS
