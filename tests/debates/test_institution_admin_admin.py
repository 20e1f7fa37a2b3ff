"""The debates admin as a partner institution's administrator uses it
(issue 16): the list shows their institution's debates and offers the
operators' actions; closing early, publishing the results and hiding
arguments work on theirs, through the forms as rendered; the city's and
another institution's debates, put into a URL, into a bulk action's
selection or into the action's form, are refused and nothing is written.
The city's operator still runs every debate; an institution's official
runs none."""

import re

import pytest

from debates.models import Argument, Debate, DebateStatus
from proposals.models import EventKind, ProposalStatus
from tests.pages import form_fields, forms_on, logged_in, messages_sent, page_text

from .institution_admin_world import SIDES, build_world

pytestmark = pytest.mark.django_db

DEBATES = "/admin/debates/debate/"
ARGUMENTS = "/admin/debates/argument/"
# Every debate, not only the open ones and those waiting for results.
ALL_DEBATES = DEBATES + "?state=all"


@pytest.fixture
def world():
    return build_world()


def _listed_ids(page) -> set[int]:
    """The rows the list offers to select."""
    return {
        int(pk)
        for pk in re.findall(r'name="_selected_action" value="(\d+)"', page.content.decode())
    }


def _start_action(client, url, action, ids):
    """Tick `ids` in the list at `url` (even ids the list does not show: a
    forged selection) and run `action` from its drop-down, as rendered."""
    page = client.get(url)
    form = next(f for f in forms_on(page) if f["id"] == "changelist-form")
    assert action in form["options"]["action"]
    fields = {**form["fields"], "action": action, "_selected_action": [str(i) for i in ids]}
    return client.post(url, fields)


def _apply(client, url, page, **answers):
    """Fill the action's intermediate page as rendered and send it."""
    fields = form_fields(page)
    fields.update(answers)
    return client.post(url, fields)


def test_the_list_offers_its_institutions_debates_and_the_operators_actions(world):
    client = logged_in(world.users["a_admin"])
    page = client.get(ALL_DEBATES)
    assert page.status_code == 200
    assert _listed_ids(page) == {world["A"].running.pk, world["A"].closed.pk}
    form = next(f for f in forms_on(page) if f["id"] == "changelist-form")
    assert {"close_debates", "publish_summary"} <= set(form["options"]["action"])
    arguments = client.get(ARGUMENTS)
    assert _listed_ids(arguments) == {world["A"].argument.pk}
    # Another's debate by its id in the URL: the admin's "doesn't exist".
    for key in ("city", "B"):
        response = client.get(f"{DEBATES}{world[key].running.pk}/change/", follow=True)
        assert "doesn’t exist" in page_text(response)
        response = client.get(f"{ARGUMENTS}{world[key].argument.pk}/change/", follow=True)
        assert "doesn’t exist" in page_text(response)


def test_closing_its_debate_early_with_a_reason(world):
    admin = world.users["a_admin"]
    client = logged_in(admin, csrf_checks=True)
    debate = world["A"].running
    page = _start_action(client, DEBATES, "close_debates", [debate.pk])
    assert page.status_code == 200 and debate.proposal.title in page_text(page)
    response = _apply(client, DEBATES, page, reason="중복 제안이에요.")
    assert "1 debate was closed." in messages_sent(response)
    debate.refresh_from_db()
    assert (debate.status, debate.closed_by, debate.close_reason) == (
        DebateStatus.CLOSED,
        admin,
        "중복 제안이에요.",
    )


def test_the_city_and_another_institution_in_the_selection_are_left_alone(world):
    client = logged_in(world.users["a_admin"], csrf_checks=True)
    ids = [world[key].running.pk for key in SIDES]
    page = _start_action(client, DEBATES, "close_debates", ids)
    # Only A's reaches the form; the others were never theirs to select.
    assert _listed_ids(page) == {world["A"].running.pk}
    # The form's selection forged to name them all again.
    fields = form_fields(page)
    fields.update(reason="한꺼번에 닫아요", _selected_action=[str(i) for i in ids])
    response = client.post(DEBATES, fields)
    assert "1 debate was closed." in messages_sent(response)
    statuses = dict(Debate.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {
        world["A"].running.pk: DebateStatus.CLOSED,
        world["city"].running.pk: DebateStatus.OPEN,
        world["B"].running.pk: DebateStatus.OPEN,
    }
    # Only others' debates selected: the form lists none, and changes none.
    others = [world["city"].running.pk, world["B"].running.pk]
    page = _start_action(client, DEBATES, "close_debates", others)
    assert _listed_ids(page) == set()
    fields = form_fields(page)
    fields.update(reason="닫아요", _selected_action=[str(i) for i in others])
    response = client.post(DEBATES, fields)
    assert "Nothing was changed." in messages_sent(response)
    assert Debate.objects.filter(pk__in=others, status=DebateStatus.OPEN).count() == 2


def test_publishing_its_debates_results_through_the_form(world):
    admin = world.users["a_admin"]
    client = logged_in(admin, csrf_checks=True)
    debate = world["A"].closed
    page = _start_action(client, DEBATES, "publish_summary", [debate.pk])
    assert 'name="summary"' in page.content.decode()
    response = _apply(client, DEBATES, page, summary="찬성이 우세했어요.\r\n예산은 과제예요.")
    assert any("are published" in m for m in messages_sent(response))
    debate.refresh_from_db()
    assert (debate.summary, debate.summary_by) == ("찬성이 우세했어요.\n예산은 과제예요.", admin)
    debate.proposal.refresh_from_db()
    assert debate.proposal.status == ProposalStatus.REVIEW


def test_publishing_another_institutions_results_is_refused(world):
    client = logged_in(world.users["a_admin"], csrf_checks=True)
    page = _start_action(client, DEBATES, "publish_summary", [world["A"].closed.pk])
    for key in ("city", "B"):
        debate = world[key].closed
        # The rendered form, its selection changed to the other's debate.
        response = _apply(
            client, DEBATES, page, summary="남의 결과", _selected_action=[str(debate.pk)]
        )
        assert "Select one debate to publish its results." in messages_sent(response)
        debate.refresh_from_db()
        assert (debate.summary, debate.summary_published_at) == ("", None)
        assert not debate.proposal.events.filter(kind=EventKind.DEBATE_SUMMARY).exists()
    assert Debate.objects.get(pk=world["A"].closed.pk).summary_published_at is None


def test_hiding_its_arguments_and_not_anothers(world):
    admin = world.users["a_admin"]
    client = logged_in(admin, csrf_checks=True)
    ids = [world[key].argument.pk for key in SIDES]
    page = _start_action(client, ARGUMENTS, "hide_arguments", ids)
    assert _listed_ids(page) == {world["A"].argument.pk}
    fields = form_fields(page)
    fields.update(reason="광고예요", _selected_action=[str(i) for i in ids])
    response = client.post(ARGUMENTS, fields)
    assert "1 argument was hidden." in messages_sent(response)
    hidden = dict(Argument.objects.filter(pk__in=ids).values_list("pk", "is_hidden"))
    assert hidden == {
        world["A"].argument.pk: True,
        world["city"].argument.pk: False,
        world["B"].argument.pk: False,
    }
    # And restores it.
    page = _start_action(client, ARGUMENTS, "unhide_arguments", [world["A"].argument.pk])
    response = _apply(client, ARGUMENTS, page, reason="괜찮은 글이에요")
    assert "1 argument was restored." in messages_sent(response)
    assert not Argument.objects.get(pk=world["A"].argument.pk).is_hidden


def test_the_citys_operator_runs_every_institutions_debates(world):
    client = logged_in(world.users["operator"], csrf_checks=True)
    ids = [world[key].running.pk for key in SIDES]
    page = _start_action(client, DEBATES, "close_debates", ids)
    assert _listed_ids(page) == set(ids)
    response = _apply(client, DEBATES, page, reason="운영 정리")
    assert "3 debates were closed." in messages_sent(response)
    arguments = [world[key].argument.pk for key in SIDES]
    page = _start_action(client, ARGUMENTS, "hide_arguments", arguments)
    response = _apply(client, ARGUMENTS, page, reason="광고")
    assert "3 arguments were hidden." in messages_sent(response)
    page = _start_action(client, DEBATES, "publish_summary", [world["B"].closed.pk])
    _apply(client, DEBATES, page, summary="B의 결과예요.")
    assert Debate.objects.get(pk=world["B"].closed.pk).summary == "B의 결과예요."


@pytest.mark.parametrize("role", ["a_official", "city_official"])
def test_an_official_still_runs_no_debate(world, role):
    client = logged_in(world.users[role], csrf_checks=False)
    assert client.get(DEBATES).status_code == 403
    debate = world["A"].running
    response = client.post(
        DEBATES,
        {
            "action": "close_debates",
            "_selected_action": [str(debate.pk)],
            "apply": "yes",
            "reason": "닫아요",
        },
    )
    assert response.status_code == 403
    debate.refresh_from_db()
    assert debate.status == DebateStatus.OPEN
