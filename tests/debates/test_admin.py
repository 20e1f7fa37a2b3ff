"""The operators' admin for debates: lists, closing early with a reason,
publishing results through a form, hiding arguments. Every action goes through
the services, so the refusals are the same as on the pages."""

import html
import re

import pytest

from accounts.permissions import sync_role_groups
from debates import services
from debates.models import Argument, DebateStatus
from proposals.models import EventKind, ProposalStatus
from tests.factories import UserFactory, official
from tests.pages import form_fields, log_in_with_second_factor, messages_sent, page_text

from .helpers import closed_debate, open_debate

pytestmark = pytest.mark.django_db

DEBATES = "/admin/debates/debate/"
ARGUMENTS = "/admin/debates/argument/"


@pytest.fixture(autouse=True)
def _role_groups():
    """The role groups hold the debates permissions (accounts/permissions.py);
    the migration that grants them may come after this app's, so sync here."""
    sync_role_groups()


def test_operators_see_debates_with_status_ends_and_counts(
    operator_client, django_assert_max_num_queries
):
    running = open_debate(title="진행 중 토론")
    services.stance_set(debate=running, user=UserFactory(), position="for")
    services.argument_create(
        debate=running, author=UserFactory(), side="for", body="찬성 논거입니다."
    )
    closed_debate(title="마감 토론")
    with django_assert_max_num_queries(15):
        response = operator_client.get(DEBATES)
    assert response.status_code == 200
    rows = {d.pk: d for d in response.context["cl"].result_list}
    assert rows[running.pk].for_count == 1 and rows[running.pk].live_arguments == 1
    text = response.content.decode()
    assert "진행 중 토론" in text and "마감 토론" in text
    assert operator_client.get(f"{DEBATES}{running.pk}/change/").status_code == 200
    # nothing is added or deleted by hand
    assert operator_client.get(f"{DEBATES}add/").status_code == 403


def test_officials_and_citizens_do_not_run_debates(client):
    log_in_with_second_factor(client, official())
    assert client.get(DEBATES).status_code == 403
    client.force_login(UserFactory())
    assert client.get(DEBATES).status_code == 302  # to the admin login


def _act(client, url, action, ids, **data):
    return client.post(url, {"action": action, "_selected_action": [str(i) for i in ids], **data})


def test_closing_early_asks_for_a_reason_then_closes(operator_client, operator_user):
    debate = open_debate()
    response = _act(operator_client, DEBATES, "close_debates", [debate.pk])
    assert response.status_code == 200
    assert "Reason" in response.content.decode()

    response = _act(operator_client, DEBATES, "close_debates", [debate.pk], apply="yes", reason="")
    assert "Please give a reason. Nothing has been changed." in messages_sent(response)
    debate.refresh_from_db()
    assert debate.status == DebateStatus.OPEN

    response = _act(
        operator_client,
        DEBATES,
        "close_debates",
        [debate.pk],
        apply="yes",
        reason="중복 제안입니다.",
    )
    assert response.status_code == 302
    assert "1 debate was closed." in messages_sent(response)
    debate.refresh_from_db()
    assert (debate.status, debate.closed_by, debate.close_reason) == (
        DebateStatus.CLOSED,
        operator_user,
        "중복 제안입니다.",
    )

    # closing again is refused, with the service's message, and changes nothing
    response = _act(
        operator_client, DEBATES, "close_debates", [debate.pk], apply="yes", reason="또"
    )
    texts = messages_sent(response)
    assert "Nothing was changed." in texts
    assert any("This debate is already closed." in t for t in texts)
    assert debate.proposal.events.filter(kind=EventKind.DEBATE_CLOSED).count() == 1


def test_publishing_results_through_the_form(operator_client, operator_user):
    debate = closed_debate()
    response = _act(operator_client, DEBATES, "publish_summary", [debate.pk])
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="summary"' in page and debate.proposal.title in page

    response = _act(
        operator_client, DEBATES, "publish_summary", [debate.pk], apply="yes", summary=""
    )
    assert response.status_code == 200  # the form again, with its error
    assert "errorlist" in response.content.decode()
    debate.refresh_from_db()
    assert debate.summary_published_at is None

    response = _act(
        operator_client,
        DEBATES,
        "publish_summary",
        [debate.pk],
        apply="yes",
        summary="찬성이 우세했습니다.\r\n예산은 과제로 남았습니다.",
    )
    assert response.status_code == 302
    assert any("are published" in t for t in messages_sent(response))
    debate.refresh_from_db()
    assert debate.summary == "찬성이 우세했습니다.\n예산은 과제로 남았습니다."
    assert debate.summary_by == operator_user
    debate.proposal.refresh_from_db()
    assert debate.proposal.status == ProposalStatus.REVIEW

    # a second time (from the list of all debates: the default one lists
    # only the open ones and those with results due) is refused before any
    # form is shown
    response = _act(operator_client, DEBATES + "?state=all", "publish_summary", [debate.pk])
    assert response.status_code == 302
    assert "The results of this debate are already published." in messages_sent(response)


def test_results_cannot_be_published_for_an_open_debate_or_several_at_once(operator_client):
    running = open_debate()
    response = _act(operator_client, DEBATES, "publish_summary", [running.pk])
    assert response.status_code == 302
    assert "The results can be published only after the debate has closed." in messages_sent(
        response
    )

    first, second = closed_debate(), closed_debate()
    response = _act(operator_client, DEBATES, "publish_summary", [first.pk, second.pk])
    assert "Select one debate to publish its results." in messages_sent(response)
    # forged: applying to an open debate still goes through the service
    response = _act(
        operator_client, DEBATES, "publish_summary", [running.pk], apply="yes", summary="결과"
    )
    running.refresh_from_db()
    assert running.summary_published_at is None


def test_hiding_arguments_from_the_admin(operator_client):
    debate = open_debate()
    argument = services.argument_create(
        debate=debate, author=UserFactory(), side="against", body="욕설이 담긴 글"
    )
    response = _act(
        operator_client, ARGUMENTS, "hide_arguments", [argument.pk], apply="yes", reason="욕설"
    )
    assert "1 argument was hidden." in messages_sent(response)
    argument.refresh_from_db()
    assert (argument.is_hidden, argument.hidden_reason) == (True, "욕설")

    response = _act(
        operator_client, ARGUMENTS, "unhide_arguments", [argument.pk], apply="yes", reason="오해"
    )
    assert "1 argument was restored." in messages_sent(response)
    assert not Argument.objects.get(pk=argument.pk).is_hidden
    assert operator_client.get(ARGUMENTS).status_code == 200
    assert operator_client.get(f"{ARGUMENTS}{argument.pk}/change/").status_code == 200


# --- the list's filters after an action ----------------------------------------------


def _filter_link(response, label: str) -> str:
    """The href of the filter sidebar's link reading `label`, as a browser
    would follow it (relative to the list)."""
    sidebar = response.content.decode().split('id="changelist-filter"', 1)[1]
    found = re.findall(r'<a href="([^"]*)"[^>]*>\s*' + re.escape(label) + r"\s*</a>", sidebar)
    assert found, f"no filter link {label!r}"
    return html.unescape(found[0])


def test_after_closing_a_debate_the_results_due_filter_finds_it(operator_client):
    # The operator looks at the open debates, closes one early, and then
    # wants to publish its results: the "results due" filter must list it
    # (it used to keep "open" from the previous filter and show 0 rows).
    debate = open_debate(title="일찍 닫을 토론")
    listing = operator_client.get(DEBATES)
    open_url = DEBATES + _filter_link(listing, "Open")
    listing = operator_client.get(open_url)
    assert debate in listing.context["cl"].result_list

    page = _act(operator_client, open_url, "close_debates", [debate.pk])
    fields = form_fields(page)
    fields["reason"] = "중복 제안입니다."
    after = operator_client.post(open_url, fields, follow=True)
    assert "1 debate was closed." in messages_sent(after)

    due = operator_client.get(DEBATES + _filter_link(after, "Closed, results due"))
    assert list(due.context["cl"].result_list) == [debate]
    assert "일찍 닫을 토론" in page_text(due)
