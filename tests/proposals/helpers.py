"""Shared by the proposal tests: the form a member fills in, the English
client the pages are read with, the admin's changelist and its actions."""

import re

import pytest
from django.urls import reverse

from proposals import services
from proposals.models import Proposal
from tests.factories import CategoryFactory, UserFactory, image_file, pdf_file
from tests.pages import english, form_fields

CREATE = "/proposals/new/"
BODY = "한강 다리를 걷고 싶은 다리로 만들면 좋겠습니다."
CHANGELIST = "admin:proposals_proposal_changelist"


# --- pages ---------------------------------------------------------------------


@pytest.fixture(name="client")
def english_page_client(client):
    """The page tests read the English interface. Imported by name into the
    page test files rather than set in a conftest, because the other proposal
    tests (the list, the media, the admin) use the default Korean client."""
    return english(client)


def proposal_form(**overrides) -> dict:
    data = {
        "title": "걷고 싶은 한강다리",
        "body": BODY,
        "category": CategoryFactory(code="transport", name="교통").pk,
        "district": "",
        "tags": "",
    }
    data.update(overrides)
    return data


def endorsement_count(response) -> int:
    match = re.search(r'data-testid="endorsement-count">([\d,]+)<', response.content.decode())
    return int(match.group(1).replace(",", ""))


def _with_uploads(**kwargs) -> Proposal:
    return services.proposal_create(
        author=kwargs.pop("author", None) or UserFactory(display_name="김영희"),
        title=kwargs.pop("title", "한강 다리를 걷고 싶게"),
        body=BODY,
        category=CategoryFactory(name="교통", name_en="Transport"),
        photos=[image_file("a.jpg")],
        files=[pdf_file("계획서.pdf")],
        tag_names=["한강"],
        **kwargs,
    )


# --- services ------------------------------------------------------------------


def _propose(author=None, **kwargs) -> Proposal:
    fields = {"title": "걷고 싶은 한강다리", "body": BODY, "category": CategoryFactory()}
    fields.update(kwargs)
    return services.proposal_create(author=author or UserFactory(), **fields)


# --- admin ---------------------------------------------------------------------


def shown(response) -> set[int]:
    """The ids of the rows the changelist shows."""
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def run_action(client, action, objects, *, url_name=CHANGELIST, query="", reason=None):
    """Choose an action on the changelist and, when `reason` is given, answer
    the intermediate page the way the operator does."""
    url = reverse(url_name) + query
    ids = [str(obj.pk) for obj in objects]
    first = client.post(url, {"action": action, "_selected_action": ids, "index": "0"})
    if reason is None:
        return first
    return client.post(
        url,
        {"action": action, "_selected_action": ids, "apply": "yes", "reason": reason},
        follow=True,
    )


def export(client, file_format: str, query: str = ""):
    """Export as the admin's export page offers it: the rendered form (every
    column ticked) with `file_format` chosen. A member who cannot open the
    page posts the bare choice, as a hand-made request would."""
    url = reverse("admin:proposals_proposal_export") + query
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    fields = form_fields(page) if page.status_code == 200 else {"resource": "0"}
    return client.post(url, {**fields, "format": file_format}, HTTP_ACCEPT_LANGUAGE="en")
