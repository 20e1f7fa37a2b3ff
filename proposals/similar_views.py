"""The "similar proposals" fragment the proposal forms fetch while a member
types (static/js/similar.js): an HTML fragment for the form's aria-live
region, empty when nothing is similar enough (proposals/similarity.py).

This view never reads text with Kiwi (it would cost a web worker 320 MB):
the query's result is looked up in the cache; on a miss the worker is asked
once (`similar_query`) and the answer is 202, empty, which the script takes
as "ask again shortly". Under eager Celery (tests, the embedded demo) the
task has run by the time the cache is read again, so the first answer is
the list. With the broker down the form works as ever; no list appears."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from oasis.ratelimits import count_and_check
from oasis.tasks import enqueue_now

from .models import TITLE_MAX_LENGTH, ProposalStatus
from .similarity import (
    TYPING_SECONDS,
    typing_asked,
    typing_forget_asked,
    typing_key,
    typing_result,
)

# Longer input is refused (400), not cut: the form never sends more. The body
# is read only this far for terms: its first paragraphs say what it is about.
MAX_TITLE = TITLE_MAX_LENGTH
MAX_BODY = 10000
READ_BODY = 1500
MIN_CHARS = 2
# Members typing the same words meet the same answer for this long; the
# browser keeps it too.
FRAGMENT_SECONDS = TYPING_SECONDS
SEARCH_TASK = "proposals.tasks.similar_query"


def _nonsense(title: str, body: str) -> bool:
    text = title + body
    if len(title) > MAX_TITLE or len(body) > MAX_BODY:
        return True
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
        return True
    return len("".join(text.split())) < MIN_CHARS


@require_GET
def similar_fragment(request):
    title = request.GET.get("title", "")
    body = request.GET.get("body", "")
    if _nonsense(title, body):
        return HttpResponseBadRequest("")
    body = body[:READ_BODY]
    language = get_language() or "ko"
    key = typing_key(title, body, language)
    rows = typing_result(key)
    if rows is None and typing_asked(key):
        # Only a query the worker is asked to read counts against the rate
        # limit: the script's polls for it and cached answers cost nothing.
        if count_and_check(request, "similar"):
            typing_forget_asked(key)
            return HttpResponse(status=429)
        enqueue_now(SEARCH_TASK, key, title, body, language)
        rows = typing_result(key)  # eager Celery: already there
    if rows is None:
        # Still looking: empty, never kept by the browser.
        response = HttpResponse("", status=202)
        add_never_cache_headers(response)
        return response
    # No request: the fragment needs no context processor (each would
    # cost its queries on every pause in typing).
    html = render_to_string("proposals/similar_fragment.html", {"hits": with_labels(rows)})
    response = HttpResponse(html)
    patch_cache_control(response, private=True, max_age=FRAGMENT_SECONDS)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def with_labels(rows: list[dict]) -> list[dict]:
    """Rows with their status label in the reader's language."""
    return [{**row, "status_label": ProposalStatus(row["status"]).label} for row in rows]
