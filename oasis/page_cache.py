"""A short cache of whole public pages for visitors who are not logged in.

A proposal going viral is read by thousands who are not logged in, and each
of them is shown the same page. This middleware keeps that page for a few
seconds (settings.PAGE_CACHE_SECONDS, from OASIS_PAGE_CACHE_SECONDS) and
answers from it before sessions, authentication, the locale, CSRF and the
rest of the middleware stack do their work, so a reader watching a count
costs one cache read.

What is served from it, and to whom:
- only views that opt in with @cached_for_anonymous: public pages that are
  the same for every anonymous reader (the front page, the lists, a
  proposal's, a meeting's, a debate's, an adopted item's page);
- only GET and HEAD from a browser that has neither a session cookie nor a
  messages cookie: a member (and their first page after logging in, which
  carries the new session cookie) and anyone with a message waiting are
  always answered by the views;
- keyed by scheme, host, full path with its query string and the language
  LocaleMiddleware would choose (the language cookie or Accept-Language);
- only 200 responses that set no cookie and do not ask not to be stored are
  kept. A page that put a CSRF token in a form sets the csrftoken cookie, so
  it is never stored: a token is never handed to another reader.

How fresh: a copy is served for PAGE_CACHE_SECONDS. When it has expired, one
request recomputes it (single flight, a short lock in the cache) while the
others are served the expired copy for that moment, so a viral page's expiry
sends one reader to the database, not two hundred. With no copy at all yet,
the others wait up to COLD_WAIT_SECONDS for the one computing it.

Content Security Policy nonces: a stored page carries the nonce of the
response it was made for. On every hit the nonce is replaced in the body by
the request's own fresh nonce, which ContentSecurityPolicyMiddleware (before
this one) puts in the header, so no two readers share a nonce.

The cache is CACHES["pages"] (oasis.cache.FailSafeRedisCache on Redis,
apart from the rate-limit counters so that copies never push them out): with Redis
down, each process keeps its own copies in memory."""

import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation


class _PagesCache:
    """settings.CACHES["pages"], a cache of its own: copies of pages may be
    evicted freely, rate-limit counters must not be pushed out by them. A
    configuration without it (a test's own CACHES) uses the default."""

    def __getattr__(self, name):
        return getattr(caches["pages" if "pages" in settings.CACHES else "default"], name)


cache = _PagesCache()

# Django's messages framework keeps its cookie under this name
# (django.contrib.messages.storage.cookie.CookieStorage.cookie_name).
MESSAGES_COOKIE_NAME = "messages"
# How long an expired copy is still served while one request recomputes it.
STALE_SECONDS = 30
# How long the recomputing request holds the lock at most (if its worker
# dies, another takes over after this).
LOCK_SECONDS = 10
# With no copy at all (the first reader, or after STALE_SECONDS without one),
# how long the others wait for the one computing it before computing it too.
COLD_WAIT_SECONDS = 2.0
COLD_POLL_SECONDS = 0.05
# Headers never stored: cookies are never shared, and the policy header is
# written for each response by ContentSecurityPolicyMiddleware.
NOT_STORED = {"set-cookie", "content-security-policy", "content-security-policy-report-only"}
# The response header saying how the page was answered (for operators and
# the benchmark): hit, stale or miss.
STATUS_HEADER = "X-Page-Cache"


@dataclass(frozen=True)
class CachedPage:
    fresh_until: float
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    nonce: str | None


def cached_for_anonymous(view=None, *, on_hit=None):
    """Let the page cache answer this view for anonymous readers.

    `on_hit(request, **url_kwargs)`, if given, runs on every answer from the
    cache (proposal pages count their views with it). It runs before the
    session, user and locale exist: it may only use the request's address,
    headers and URL."""

    def decorate(view_func):
        view_func.page_cache_on_hit = on_hit
        view_func.page_cache = True
        return view_func

    return decorate(view) if view is not None else decorate


def _eligible(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE_NAME not in request.COOKIES
    )


# Parameters that links shared on social media and in campaigns carry, often
# different for each visitor, and that no view reads: left out of the key, so
# readers arriving from a share (the viral case the cache is for) share a copy.
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "dclid", "msclkid", "igshid", "_ga")


def query_for_key(request) -> str:
    """The query string without tracking parameters, in the order given."""
    return urlencode(
        [
            (name, value)
            for name, values in request.GET.lists()
            if not name.startswith(TRACKING_PARAMETERS)
            for value in values
        ]
    )


def page_key(request) -> str:
    """The cache key of the page `request` asks for (its lock: this + ":lock")."""
    language = translation.get_language_from_request(request)
    where = f"{request.scheme}://{request.get_host()}{request.path}?{query_for_key(request)}"
    return f"page:{language}:{hashlib.sha256(where.encode()).hexdigest()}"


def _storable(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


def _store(request, key: str, response) -> None:
    nonce = getattr(request, "_csp_nonce", None)
    page = CachedPage(
        fresh_until=time.time() + settings.PAGE_CACHE_SECONDS,
        status=response.status_code,
        headers=tuple(
            (name, value) for name, value in response.items() if name.lower() not in NOT_STORED
        ),
        body=response.content,
        nonce=nonce if isinstance(nonce, str) else None,
    )
    cache.set(key, page, settings.PAGE_CACHE_SECONDS + STALE_SECONDS)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if not getattr(match.func, "page_cache", False):
            return self.get_response(request)

        key = page_key(request)
        page = cache.get(key)
        if page is not None and page.fresh_until > time.time():
            return self._answer(request, match, page, "hit")
        # Missing or expired: one request recomputes it, single flight.
        if cache.add(f"{key}:lock", 1, LOCK_SECONDS):
            try:
                response = self.get_response(request)
                if _storable(request, response):
                    _store(request, key, response)
                else:
                    # Say so, so that readers waiting for this page (a 404,
                    # a trashed proposal) go to the view at once instead of
                    # sleeping for a copy that will never come.
                    cache.set(f"{key}:none", 1, settings.PAGE_CACHE_SECONDS)
            finally:
                cache.delete(f"{key}:lock")
            response[STATUS_HEADER] = "miss"
            return response
        if page is not None:
            return self._answer(request, match, page, "stale")
        deadline = time.monotonic() + COLD_WAIT_SECONDS
        while time.monotonic() < deadline and cache.get(f"{key}:none") is None:
            time.sleep(COLD_POLL_SECONDS)
            page = cache.get(key)
            if page is not None:
                return self._answer(request, match, page, "hit")
        response = self.get_response(request)
        response[STATUS_HEADER] = "miss"
        return response

    def _answer(self, request, match, page: CachedPage, how: str) -> HttpResponse:
        body = page.body
        if page.nonce:
            # A fresh nonce for this response: reading it makes
            # ContentSecurityPolicyMiddleware write it into the header.
            body = body.replace(page.nonce.encode(), str(request.csp_nonce).encode())
        response = HttpResponse(b"" if request.method == "HEAD" else body, status=page.status)
        for name, value in page.headers:
            response[name] = value
        response["Content-Length"] = str(len(body))
        response[STATUS_HEADER] = how
        on_hit = getattr(match.func, "page_cache_on_hit", None)
        if on_hit is not None:
            on_hit(request, *match.args, **match.kwargs)
        return response
