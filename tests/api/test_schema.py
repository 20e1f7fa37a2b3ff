"""/api/schema/ is a valid OpenAPI 3 document that says what a caller
needs: the key header, the language, the filters and the errors."""

import json

import pytest
from django.test import Client
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on anything OpenAPI 3 does not allow


def test_the_schema_names_the_key_the_language_and_the_errors(schema):
    scheme = schema["components"]["securitySchemes"]["PartnerKey"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "X-Api-Key"}
    listing = schema["paths"]["/api/v1/proposals/"]["get"]
    assert {"PartnerKey": []} in listing["security"] and {} in listing["security"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"lang", "page", "page_size", "q", "status", "category", "district", "tag"} <= names
    assert {"stage", "year", "department", "theme", "sort"} <= names
    for path in schema["paths"].values():
        assert {"200", "400", "401", "404", "429"} <= set(path["get"]["responses"])


def test_the_docs_pages_answer():
    assert Client().get("/api/docs/").status_code == 200
    assert Client().get("/api/docs/?script=").status_code == 200
    assert Client().get("/api/redoc/").status_code == 200


def test_anything_else_under_api_is_a_json_404():
    for path in ("/api/v1/nothing/", "/api/v2/proposals/", "/api/v1/proposals/1.5/"):
        response = Client().get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
