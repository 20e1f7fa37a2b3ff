"""Middleware of the whole site: the health check's early answer, the
Content Security Policy, the admin's refusal of malformed input, and the
note that follow-up work (notices, e-mails) is delayed while the broker is
away."""

import base64
import hashlib

from csp.constants import UNSAFE_HASHES, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from . import tasks, views

HEALTHZ_PATH = "/healthz"

# Inline event handlers the admin's third-party templates carry, allowed by
# their exact text and nothing else: django-import-export's export page
# ("select all" fields toggle).
ADMIN_EVENT_HANDLERS = ["onSelectToggleChange(event)"]


def _source_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


class HealthCheckMiddleware:
    """Answer /healthz before any other middleware sees the request.

    Container engines and load balancers probe the web container by its
    address, over plain HTTP, with a Host header that is none of the public
    host names. Answering here, first, keeps ALLOWED_HOSTS to the real names
    (no loopback in production) and the probe out of the HTTPS redirect. The
    answer (database and broker up or down) says nothing about any host or
    visitor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTHZ_PATH:
            return views.healthz(request)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy from settings.CONTENT_SECURITY_POLICY, plus, in the
    admin only: style attributes (django-import-export's templates and some of
    our admin columns write style="…", which nonces cannot cover), and the
    ADMIN_EVENT_HANDLERS by hash. Script elements need our origin or the
    nonce there as everywhere."""

    admin_update = {
        "style-src-attr": [UNSAFE_INLINE],
        "script-src-attr": [UNSAFE_HASHES, *map(_source_hash, ADMIN_EVENT_HANDLERS)],
    }

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(reverse("admin:index")):
            parts.update = {**(parts.update or {}), **self.admin_update}
        return parts


# The largest id a BigAutoField holds; every model in the admin has an
# integer primary key (AutoField or BigAutoField).
MAX_ID = 2**63 - 1


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID


def refuse_malformed_admin_input(get_response):
    """Refuse with 400 (the friendly "could not be handled" page) two kinds
    of admin request no browser sends, which would otherwise reach the
    database and fail there with a 500:

    - a query string carrying a NUL byte: the admin takes its search and
      filter parameters (`q`, `status__exact`…) to the database as they
      come, and PostgreSQL cannot hold a NUL in text. (The public lists need
      no such guard: their filters are forms, whose fields refuse NUL with a
      message of their own.)
    - an action on selected rows (`_selected_action`) naming something other
      than a row id: the admin filters `pk__in` with it, which raises for
      "abc" and overflows for an id beyond the database's integers."""

    # The 400 page itself, not an exception: with DEBUG on (`make run`) an
    # exception would show Django's technical page, paths and all.
    def middleware(request):
        if request.path.startswith(reverse("admin:index")):
            if any(
                "\x00" in text for key, values in request.GET.lists() for text in (key, *values)
            ):
                return bad_request(request, BadRequest("NUL byte in the admin's query string"))
            if request.method == "POST" and not all(
                _is_id(value) for value in request.POST.getlist("_selected_action")
            ):
                return bad_request(
                    request, BadRequest("An admin action on something other than row ids")
                )
        return get_response(request)

    return middleware


def tell_when_follow_up_is_delayed(get_response):
    """When the broker could not take a task this request queued (Redis
    down), what the member did is saved, but what follows from it (notices,
    e-mails, a promotion) waits for the periodic sweeps: say so plainly, on
    the next page they see. Costs nothing while the broker answers."""

    def middleware(request):
        token = tasks.watch_for_delays()
        try:
            response = get_response(request)
            if tasks.work_was_delayed() and hasattr(request, "_messages"):
                messages.info(
                    request,
                    _(
                        "Saved. Notices and e-mails about it may arrive a few minutes late "
                        "while part of our system catches up."
                    ),
                )
            return response
        finally:
            tasks.stop_watching(token)

    return middleware
