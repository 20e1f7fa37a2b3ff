"""The admin site every app registers with (`admin.site`, made the default
by accounts.apps.StaffAdminConfig).

- It has no login form of its own: /admin/login/ sends to allauth's login,
  whose rate limits (oasis/settings/auth.py) then hold for staff too; a
  password posted to /admin/login/ is never checked.
- Staff without their second factor are sent to set it up or to enter its
  code before any page, the admin's among them, by
  accounts.second_factor.SecondFactorRequiredMiddleware; `has_permission`
  says no to them as well, so nothing that asks the site lets them through.
"""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .second_factor import second_factor_passed, second_factor_step
from .staff_home import home_sections


class StaffAdminSite(admin.AdminSite):
    # The index is the staff home, "오늘 할 일" (accounts/staff_home.py),
    # with the admin's list of screens below it.
    index_template = "admin/staff_home.html"

    def has_permission(self, request):
        return super().has_permission(request) and second_factor_passed(request)

    def _safe_next(self, request) -> str:
        next_url = request.GET.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return next_url
        return reverse("admin:index", current_app=self.name)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """Staff sign in where everyone does; `next` is kept if it stays on
        this site. A signed-in member is sent on (or through the second
        factor); one who may not use the admin is refused rather than sent
        back and forth between the two logins."""
        next_url = self._safe_next(request)
        user = request.user
        if not user.is_authenticated:
            return HttpResponseRedirect(
                f"{reverse('account_login')}?{urlencode({'next': next_url})}"
            )
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        return second_factor_step(request, next_url) or HttpResponseRedirect(next_url)

    def index(self, request, extra_context=None):
        """The staff home: what waits for the member in each of their roles,
        then the admin's screens."""
        extra_context = {
            **(extra_context or {}),
            "title": _("Today's work"),
            "home_groups": home_sections(request.user),
        }
        return super().index(request, extra_context)

    def logout(self, request, extra_context=None):
        """The admin's "log out" button posts here: sign out as the site does
        and go to the front page. A plain visit asks first, on the site's
        own sign-out page."""
        if request.method != "POST":
            return HttpResponseRedirect(reverse("account_logout"))
        get_adapter(request).logout(request)
        messages.success(request, _("You have signed out."))
        return HttpResponseRedirect(resolve_url(settings.ACCOUNT_LOGOUT_REDIRECT_URL))
