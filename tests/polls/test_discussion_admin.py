"""The operators' list of discussion polls' arguments: read-only, hidden and
shown again through actions that ask for a reason and write an audit row."""

import pytest

from accounts.models import AuditRecord
from accounts.permissions import sync_role_groups
from polls.models import PollArgument
from polls.services import discussion as services
from tests.factories import UserFactory, official
from tests.pages import log_in_with_second_factor, messages_sent, page_text

from .discussion_helpers import discussion_poll

pytestmark = pytest.mark.django_db

ARGUMENTS = "/admin/polls/pollargument/"


@pytest.fixture(autouse=True)
def _role_groups():
    """The role groups hold the polls permission (accounts/permissions.py)."""
    sync_role_groups()


def _argue(poll, body):
    return services.argument_post(poll=poll, author=UserFactory(), side="against", body=body)


def _act(client, action, ids, **data):
    return client.post(
        ARGUMENTS, {"action": action, "_selected_action": [str(i) for i in ids], **data}
    )


@pytest.mark.parametrize("rows", [2, 12])
def test_operators_list_the_arguments_in_a_fixed_number_of_queries(
    rows, operator_client, django_assert_max_num_queries
):
    poll = discussion_poll(title="길고양이 토론")
    for n in range(rows):
        _argue(poll, f"관리자가 보는 의견 {n:02d}호")
    with django_assert_max_num_queries(16):
        response = operator_client.get(ARGUMENTS)
    assert response.status_code == 200
    text = page_text(response)
    assert "관리자가 보는 의견 00호" in text and "길고양이 토론" in text
    argument = PollArgument.objects.first()
    assert operator_client.get(f"{ARGUMENTS}{argument.pk}/change/").status_code == 200
    # nothing is added by hand
    assert operator_client.get(f"{ARGUMENTS}add/").status_code == 403


def test_officials_and_citizens_do_not_moderate_arguments(client):
    log_in_with_second_factor(client, official())
    assert client.get(ARGUMENTS).status_code == 403
    client.force_login(UserFactory())
    assert client.get(ARGUMENTS).status_code == 302  # to the admin login


def test_hiding_asks_for_a_reason_then_hides_with_an_audit_row(operator_client, operator_user):
    poll = discussion_poll()
    argument = _argue(poll, "전화번호 010-0000-0000 으로 연락 주세요.")

    asked = _act(operator_client, "hide_poll_arguments", [argument.pk])
    assert asked.status_code == 200 and "Reason" in page_text(asked)

    refused = _act(operator_client, "hide_poll_arguments", [argument.pk], apply="yes", reason="")
    assert "Please give a reason. Nothing has been changed." in messages_sent(refused)
    argument.refresh_from_db()
    assert not argument.is_hidden and not AuditRecord.objects.exists()

    done = _act(
        operator_client, "hide_poll_arguments", [argument.pk], apply="yes", reason="개인정보"
    )
    assert "1 argument was hidden." in messages_sent(done)
    argument.refresh_from_db()
    assert (argument.is_hidden, argument.hidden_reason) == (True, "개인정보")
    record = AuditRecord.objects.get()
    assert (record.actor, record.action) == (operator_user, "polls.argument_hidden")
    # the public page no longer shows it
    page = operator_client.get(f"/polls/{poll.pk}/")
    assert "010-0000-0000" not in page_text(page)

    shown = _act(
        operator_client, "unhide_poll_arguments", [argument.pk], apply="yes", reason="확인 완료"
    )
    assert "1 argument is shown again." in messages_sent(shown)
    argument.refresh_from_db()
    assert not argument.is_hidden
    assert AuditRecord.objects.count() == 2
