"""allauth's account adapter, where the portal differs from allauth's
defaults."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        """Staff land on their home in the admin ("오늘 할 일",
        accounts/staff_home.py), citizens where they always did. Asked only
        when the sign-in carries no `next`, which always wins."""
        user = request.user
        if user.is_active and user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)
