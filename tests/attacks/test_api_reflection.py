"""Reflected XSS and content sniffing through the read API and its
documentation pages: every query parameter the schema names (and `lang`,
`version`, `format`, which the pages read themselves) carrying a payload.

The HTML pages (/api/docs/, /api/redoc/) never show the raw markup, and
every API answer, error or not, is JSON that a browser is told not to sniff
as HTML: an error may repeat the value it refuses, but as JSON text it is
never run."""

import pytest
from django.core.cache import caches
from django.test import Client

pytestmark = pytest.mark.django_db

PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
RAW = ["<script>alert", "<img src=x"]
PAGES = ["/api/docs/", "/api/redoc/"]
READ_BY_THE_PAGES = ["lang", "version", "format", "url", "urls.primaryName"]


def _schema(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _query_parameters(schema: dict) -> list[tuple[str, str]]:
    """(path, parameter) for every GET path without path parameters and
    each query parameter it documents, plus the ones every view reads."""
    found = []
    for path, operations in schema.get("paths", {}).items():
        if "get" not in operations or "{" in path:
            continue
        names = {
            parameter["name"]
            for parameter in operations["get"].get("parameters") or []
            if parameter.get("in") == "query"
        }
        for name in sorted(names | {"lang", "page", "page_size", "format"}):
            found.append((path, name))
    return found


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("parameter", READ_BY_THE_PAGES)
def test_the_documentation_pages_never_show_a_parameter_raw(page, parameter):
    response = Client().get(page, {parameter: PAYLOAD})

    assert response.status_code < 500
    content = response.content.decode("utf-8", "replace")
    assert [needle for needle in RAW if needle in content] == []


def test_every_api_answer_to_a_payload_is_json_not_sniffed():
    client = Client()
    checked = []
    for path, name in _query_parameters(_schema(client)):
        caches["default"].clear()  # the anonymous rate limit, not the filter, would answer
        response = client.get(path, {name: PAYLOAD})
        checked.append(path)
        assert response.status_code != 429
        assert response.status_code < 500, (path, name, response.status_code)
        content_type = response.get("Content-Type", "")
        assert content_type.startswith("application/json"), (path, name, content_type)
        assert response.get("X-Content-Type-Options") == "nosniff", (path, name)
    # Until the API has routes there is nothing to attack; then every list is.
    assert checked or not _schema(client).get("paths")


def test_the_schema_itself_is_not_html():
    response = Client().get("/api/schema/", {"lang": PAYLOAD, "format": "json"})

    assert response.status_code == 200
    assert "html" not in response["Content-Type"]
    assert response.get("X-Content-Type-Options") == "nosniff"
