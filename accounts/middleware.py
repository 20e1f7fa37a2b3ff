"""Members agree again when a document they agreed to changed materially.

After login, a member whose consent is to an older material version of the
terms or the privacy policy (or who has none: an account from before
consents were recorded, or a social sign-up that skipped the form) is sent to
the consent page before anything else. Left alone: the legal pages
themselves (to read what one is asked to agree to), logging out, changing
the language, closing the account and taking one's data (refusing to agree
must leave those open), and the health check. Static files never reach
Django's URLs in production (whitenoise answers them first)."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import legal
from .selectors import latest_consent

EXEMPT_VIEWS = {
    "legal:document",
    "legal:version",
    "legal:consent",
    "account_logout",
    "admin:logout",
    "set_language",
    "accounts:delete",
    "accounts:export",
    "healthz",
    "django.views.static.serve",
}


def consent_is_on_record(user) -> bool:
    record = latest_consent(user)
    return bool(record) and legal.consent_is_current(record.terms_version, record.privacy_version)


def remember_current_consent(sender, request, user, **kwargs):
    """On login (Django's user_logged_in, connected in AccountsConfig.ready),
    note in the new session whether the member's consent is current: the
    session is being written anyway, and the pages after it need not ask."""
    session = getattr(request, "session", None)
    if session is not None and consent_is_on_record(user):
        session[legal.CONSENT_SESSION_KEY] = legal.consent_signature()


class ConsentRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated):
            return None
        match = request.resolver_match
        if match is None or match.view_name in EXEMPT_VIEWS:
            return None
        signature = legal.consent_signature()
        if request.session.get(legal.CONSENT_SESSION_KEY) == signature:
            return None
        if consent_is_on_record(user):
            # Only after a new material version took effect, or for a
            # session from before consents were recorded.
            request.session[legal.CONSENT_SESSION_KEY] = signature
            return None
        target = reverse("legal:consent")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
