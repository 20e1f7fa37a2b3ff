"""Staff's second factor, on top of allauth's MFA (TOTP with recovery codes).

allauth asks for the code at login whenever an account has TOTP turned on,
and keeps a record of each step of the sign-in in the session
(`allauth.account.authentication.get_authentication_records`). The admin
(accounts.admin_site) lets staff in only when their account has TOTP and
their session holds an "mfa" record; `second_factor_step` says where to send
them otherwise."""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .predicates import must_use_second_factor


def has_totp(user) -> bool:
    """`user` has an authenticator app set up (recovery codes alone are a
    way back in, not a second factor to sign in with every day)."""
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def session_passed_second_factor(request: HttpRequest) -> bool:
    """The current session's sign-in included a second-factor step (a TOTP
    or recovery code) for the user now logged in."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def second_factor_passed(request: HttpRequest) -> bool:
    """Nothing more to ask: the user needs no second factor, or has one and
    used it in this session."""
    # Asked by every admin view, the admin's permission check and its page
    # context: one answer (one query) per request.
    cached = getattr(request, "_oasis_second_factor_passed", None)
    if cached is None:
        user = request.user
        cached = not must_use_second_factor(user) or (
            session_passed_second_factor(request) and has_totp(user)
        )
        request._oasis_second_factor_passed = cached
    return cached


def second_factor_step(request: HttpRequest, next_url: str) -> HttpResponseRedirect | None:
    """Where a signed-in staff member goes before `next_url` (an admin page):
    to set up an authenticator app if they have none, else to enter its code
    if this session has not; None when they may go on."""
    user = request.user
    if second_factor_passed(request):
        return None
    if not has_totp(user):
        messages.warning(
            request,
            _(
                "Staff accounts need a second factor to open the administration. Set up "
                "an authenticator app (Google Authenticator, Microsoft Authenticator, …) "
                "on the page that follows: scan its QR code, enter the 6-digit code it "
                "shows, then go back to the administration."
            ),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
    messages.info(
        request,
        _("Enter the code from your authenticator app to open the administration."),
    )
    return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}")


def record_second_factor(request: HttpRequest, authenticator: Authenticator) -> None:
    """Record in the session that its user just typed a right code from
    `authenticator`, as allauth's login stage does (allauth.mfa's
    post_authentication), so that the admin lets them in."""
    record_authentication(
        request, authenticator.user, "mfa", id=authenticator.pk, type=authenticator.type
    )


class StaffMFAAdapter(DefaultMFAAdapter):
    """Staff cannot turn their second factor off themselves: with it off,
    their password alone would be enough to set up a new one and open the
    admin. A superuser removes a lost one in the admin (Authenticators)."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return not must_use_second_factor(authenticator.user)


# What a staff member whose session has not given the code may still open:
# the steps that give it (or set the app up, after the password again), the
# legal pages and consent (the consent middleware may send them there first),
# leaving, and changing the language. Not the recovery-code pages: with the
# password alone they would show codes that open everything.
OPEN_BEFORE_SECOND_FACTOR = {
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "accounts:activate_totp",  # our page at allauth's address
    "account_reauthenticate",
    "account_logout",
    "admin:logout",
    "set_language",
    "legal:document",
    "legal:version",
    "legal:consent",
    "healthz",
    "django.views.static.serve",
}


class SecondFactorRequiredMiddleware:
    """Staff powers need the second factor everywhere, not only in the admin:
    the public site has staff actions too (hiding a proposal or an argument,
    promoting by hand, reading hidden content). A staff session without the
    code (one from before the rule, or a password-only login before the app
    is set up) is sent to give it, or to set the app up, before any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated) or second_factor_passed(request):
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        next_url = request.get_full_path() if request.method == "GET" else "/"
        return second_factor_step(request, next_url)
