"""What the navigation needs on every page (settings TEMPLATES)."""

from accounts.predicates import is_operator

from .models import Notification


def site(request):
    """Staff links and the member's unread notices."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav_is_staff": False, "nav_unread": 0}
    return {
        "nav_is_staff": user.is_staff or is_operator(user),
        # One indexed count per page for logged-in members.
        "nav_unread": Notification.objects.filter(
            recipient=user, read_at__isnull=True, in_site=True
        ).count(),
    }
