"""What the tests of the debates, meetings, adopted items, polls and
statistics endpoints share: a reader of the API in a language, and the
walk that finds a string anywhere in an answer."""

import json

from django.test import Client

from proposals.models import Proposal


def read(path: str, *, lang: str | None = None, accept: str | None = None, **params):
    """GET `path` as an anonymous reader; `lang` as ?lang=, `accept` as the
    Accept-Language header. Returns the response (its JSON in `.data`)."""
    if lang:
        params["lang"] = lang
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = Client().get(path, params, **headers)
    response.data_json = json.loads(response.content) if response.content else None
    return response


def text_of(response) -> str:
    """The whole answer as one string, for "this never appears" checks."""
    return response.content.decode()


def hide(proposal) -> None:
    """The operators hide a proposal (the public sees nothing of it)."""
    Proposal.objects.filter(pk=proposal.pk).update(is_hidden=True, hidden_reason="개인정보 노출")
