"""The "similar proposals" fragment the proposal forms fetch while a member
types (static/js/similar.js): an HTML fragment for the form's aria-live
region, empty when nothing is similar enough (proposals/similarity.py)."""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from oasis.ratelimits import count_and_check

from .models import TITLE_MAX_LENGTH, ProposalStatus
from .similarity import generation, similar_proposals, terms_of

# Longer input is refused (400), not cut: the form never sends more. The body
# is read only this far for terms: its first paragraphs say what it is about.
MAX_TITLE = TITLE_MAX_LENGTH
MAX_BODY = 10000
READ_BODY = 1500
MIN_CHARS = 2
# Members typing the same words meet the same answer for this long; the
# browser keeps it too.
FRAGMENT_SECONDS = 60


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
    if count_and_check(request, "similar"):
        return HttpResponse(status=429)
    terms = terms_of(title, body[:READ_BODY])
    key = (
        "similar:typing:"
        + hashlib.sha256(f"{generation()}|{get_language()}|{terms}".encode()).hexdigest()
    )
    html = cache.get(key)
    if html is None:
        hits = similar_proposals("", terms=terms) if terms else []
        rows = [
            {
                "pk": hit.proposal.pk,
                "title": hit.proposal.title,
                "status": hit.proposal.status,
                "endorsement_count": hit.proposal.endorsement_count,
                "institution": hit.proposal.institution.short_label
                if hit.proposal.institution
                else "",
                "answer": hit.answer,
            }
            for hit in hits
        ]
        # No request: the fragment needs no context processor (each would
        # cost its queries on every pause in typing).
        html = render_to_string("proposals/similar_fragment.html", {"hits": with_labels(rows)})
        cache.set(key, html, FRAGMENT_SECONDS)
    response = HttpResponse(html)
    patch_cache_control(response, private=True, max_age=FRAGMENT_SECONDS)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def with_labels(rows: list[dict]) -> list[dict]:
    """Rows with their status label in the reader's language."""
    return [{**row, "status_label": ProposalStatus(row["status"]).label} for row in rows]
