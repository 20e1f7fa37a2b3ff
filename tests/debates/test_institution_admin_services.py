"""A partner institution's administrators run their institution's debates
as the city's operators run the city's (issue 16): role × institution for
every permission and every service that acts, the page's moderation, the
argument's badge, the "results due" notice and the staff home."""

from datetime import timedelta

import pytest
import rules
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.staff_home import home_sections
from debates import services
from debates.models import Argument, Debate, DebateStatus
from notifications.models import Notification
from oasis.errors import ServiceError
from proposals.models import EventKind, ProposalStatus
from tests.pages import form_posting_to, logged_in, messages_sent, page_text

from .institution_admin_world import RUNS, SIDES, build_world

pytestmark = pytest.mark.django_db

ROLES = list(RUNS)
ANOTHER_INSTITUTION = "This debate belongs to another institution's proposal"


@pytest.fixture
def world():
    return build_world()


def _refused(call) -> str:
    """Run `call`, which must be refused; its message ("" for a plain 403)."""
    with pytest.raises((PermissionDenied, ServiceError)) as refusal:
        call()
    return getattr(refusal.value, "message", "")


@pytest.mark.parametrize("role", ROLES)
def test_each_permission_asked_with_the_debate_is_true_exactly_for_whoever_runs_it(world, role):
    user = world.users[role]
    for key in SIDES:
        side = world[key]
        runs = key in RUNS[role]
        assert rules.has_perm("debates.open_debate", user, side.answered()) is runs
        assert rules.has_perm("debates.moderate", user, side.argument) is runs
        assert rules.has_perm("debates.moderate", user, side.running) is runs
        assert rules.has_perm("debates.close_debate", user, side.running) is runs
        assert rules.has_perm("debates.close_debate", user, side.closed) is False
        assert rules.has_perm("debates.publish_results", user, side.closed) is runs
        assert rules.has_perm("debates.publish_results", user, side.running) is False
    # Asked without a debate: may run some debate at all.
    may_at_all = bool(RUNS[role])
    for perm in ("open_debate", "moderate", "close_debate", "publish_results"):
        assert rules.has_perm(f"debates.{perm}", user) is may_at_all


@pytest.mark.parametrize("key", SIDES)
@pytest.mark.parametrize("role", ROLES)
def test_hiding_an_argument(world, role, key):
    user, argument = world.users[role], world[key].argument
    events = argument.debate.proposal.events.filter(kind=EventKind.COMMENT_HIDDEN)
    if key in RUNS[role]:
        services.argument_hide(argument=argument, user=user, reason="광고")
        argument.refresh_from_db()
        assert (argument.is_hidden, argument.hidden_reason) == (True, "광고")
        assert events.get().actor == user
        services.argument_unhide(argument=argument, user=user, reason="오해였어요")
        assert not Argument.objects.get(pk=argument.pk).is_hidden
        return
    message = _refused(lambda: services.argument_hide(argument=argument, user=user, reason="광고"))
    if RUNS[role]:  # an institution's administrator: told it is not theirs
        assert ANOTHER_INSTITUTION in message
    argument.refresh_from_db()
    assert not argument.is_hidden and argument.hidden_reason == ""
    assert not events.exists()


@pytest.mark.parametrize("key", SIDES)
@pytest.mark.parametrize("role", ROLES)
def test_closing_a_debate_early(world, role, key):
    user, debate = world.users[role], world[key].running
    if key in RUNS[role]:
        services.debate_close(debate=debate, actor=user, reason="중복 제안이에요.")
        debate.refresh_from_db()
        assert (debate.status, debate.closed_by, debate.close_reason) == (
            DebateStatus.CLOSED,
            user,
            "중복 제안이에요.",
        )
        return
    message = _refused(
        lambda: services.debate_close(debate=debate, actor=user, reason="중복 제안이에요.")
    )
    if RUNS[role]:
        assert ANOTHER_INSTITUTION in message
    debate.refresh_from_db()
    assert (debate.status, debate.closed_by, debate.close_reason) == (DebateStatus.OPEN, None, "")
    assert not debate.proposal.events.filter(kind=EventKind.DEBATE_CLOSED).exists()


@pytest.mark.parametrize("key", SIDES)
@pytest.mark.parametrize("role", ROLES)
def test_publishing_the_results(world, role, key):
    user, debate = world.users[role], world[key].closed
    publish = lambda: services.debate_publish_summary(  # noqa: E731
        debate=debate, operator=user, summary="찬성이 많았어요."
    )
    if key in RUNS[role]:
        publish()
        debate.refresh_from_db()
        assert (debate.summary, debate.summary_by) == ("찬성이 많았어요.", user)
        debate.proposal.refresh_from_db()
        assert debate.proposal.status == ProposalStatus.REVIEW
        return
    message = _refused(publish)
    if RUNS[role]:
        assert ANOTHER_INSTITUTION in message
    debate.refresh_from_db()
    assert (debate.summary, debate.summary_published_at) == ("", None)
    debate.proposal.refresh_from_db()
    assert debate.proposal.status == ProposalStatus.DEBATE


@pytest.mark.parametrize("key", SIDES)
@pytest.mark.parametrize("role", ROLES)
def test_opening_a_debate_by_hand(world, role, key):
    user, proposal = world.users[role], world[key].answered()
    if key in RUNS[role]:
        debate = services.debate_open(proposal=proposal, actor=user, reason="창의적인 제안이에요.")
        assert debate.proposal_id == proposal.pk
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.DEBATE
        return
    message = _refused(
        lambda: services.debate_open(proposal=proposal, actor=user, reason="창의적인 제안이에요.")
    )
    if RUNS[role]:
        assert ANOTHER_INSTITUTION in message
    assert not Debate.objects.filter(proposal=proposal).exists()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ANSWERED
    assert not proposal.events.exists()


def test_the_schedule_still_closes_every_institutions_debates(world):
    # No actor: the beat closes any debate at its end, whoever runs it.
    latest = max(world[key].running.ends_at for key in SIDES)
    assert services.close_due_debates(now=latest + timedelta(minutes=1)) == 3


# --- the proposal page ---------------------------------------------------------------


def test_the_page_shows_an_institutions_admin_the_hidden_text_and_forms_of_its_debates_only(
    world,
):
    operator = world.users["operator"]
    for key in SIDES:
        services.argument_hide(argument=world[key].argument, user=operator, reason="광고")
    reader = logged_in(world.users["a_admin"])
    own = reader.get(world["A"].running.proposal.get_absolute_url())
    assert "광고가 담긴 논거 A" in page_text(own)
    moderate_a = reverse("debates:argument_moderate", args=[world["A"].argument.pk])
    assert form_posting_to(own, moderate_a)
    for key in ("city", "B"):
        page = reader.get(world[key].running.proposal.get_absolute_url())
        text = page_text(page)
        assert f"광고가 담긴 논거 {key}" not in text
        assert "This argument was hidden by the operators. Reason: 광고" in text
        assert reverse("debates:argument_moderate", args=[world[key].argument.pk]) not in (
            page.content.decode()
        )
        assert "Close early or publish the results in the admin" not in text


def test_an_institutions_admin_restores_its_argument_from_the_page_but_not_anothers(world):
    operator = world.users["operator"]
    for key in SIDES:
        services.argument_hide(argument=world[key].argument, user=operator, reason="광고")
    client = logged_in(world.users["a_admin"], csrf_checks=True)
    argument = world["A"].argument
    page = client.get(argument.debate.proposal.get_absolute_url())
    action = reverse("debates:argument_moderate", args=[argument.pk])
    form = form_posting_to(page, action)
    response = client.post(
        action, {**form["fields"], "reason": "다시 보니 괜찮아요", "action": "restore"}
    )
    assert "Restored." in messages_sent(response)
    assert not Argument.objects.get(pk=argument.pk).is_hidden

    # The same form, its address changed to the city's and B's arguments.
    for key in ("city", "B"):
        other = world[key].argument
        forged = reverse("debates:argument_moderate", args=[other.pk])
        response = client.post(forged, {**form["fields"], "reason": "복원", "action": "restore"})
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.is_hidden and other.hidden_reason == "광고"


def test_an_institutions_admin_argues_with_its_badge(world):
    admin = world.users["a_admin"]
    argument = services.argument_create(
        debate=world["city"].running, author=admin, side="for", body="공단도 찬성해요."
    )
    assert (argument.author_role, argument.author_institution.name) == (
        "institution_admin",
        "기관 A",
    )
    page = logged_in().get(world["city"].running.proposal.get_absolute_url())
    assert "Institution administrator · 기관 A" in page_text(page)


# --- being told and finding the work ---------------------------------------------------


def test_results_due_are_told_to_the_operators_and_the_institutions_admins(world):
    operator, a_admin, b_admin = (world.users[k] for k in ("operator", "a_admin", "b_admin"))
    for key in SIDES:
        services.debate_close(debate=world[key].running, actor=operator, reason="마감해요")
    due = Notification.objects.filter(kind="debate_summary_due")
    by_proposal = {
        key: set(
            due.filter(proposal=world[key].running.proposal).values_list("recipient", flat=True)
        )
        for key in SIDES
    }
    assert operator.pk in by_proposal["city"] and a_admin.pk not in by_proposal["city"]
    assert {operator.pk, a_admin.pk} <= by_proposal["A"] and b_admin.pk not in by_proposal["A"]
    assert {operator.pk, b_admin.pk} <= by_proposal["B"] and a_admin.pk not in by_proposal["B"]


def _section(user, key):
    for _heading, sections in home_sections(user):
        for section in sections:
            if section.key == key:
                return section
    return None


def test_the_staff_home_lists_the_institutions_debates_to_close_and_publish_only(world):
    a_admin = world.users["a_admin"]
    results = _section(a_admin, "debates.institution_results")
    assert [row.title for row in results.rows] == ["결과를 기다리는 토론 A"]
    assert results.rows[0].url == reverse(
        "admin:debates_debate_change", args=[world["A"].closed.pk]
    )
    running = _section(a_admin, "debates.institution_open")
    assert [row.title for row in running.rows] == ["진행 중 토론 A"]
    # The city's operators keep their own section, with every institution's;
    # the institution's sections are not theirs, nor an official's.
    operator_results = _section(world.users["operator"], "debates.results")
    assert {row.title for row in operator_results.rows} == {
        f"결과를 기다리는 토론 {key}" for key in SIDES
    }
    for role in ("operator", "a_official", "city_official"):
        assert _section(world.users[role], "debates.institution_results") is None
        assert _section(world.users[role], "debates.institution_open") is None
    assert _section(a_admin, "debates.results") is None

    # Opened in the admin, each row's page and the list are A's.
    client = logged_in(a_admin)
    home = page_text(client.get("/admin/"))
    assert "결과를 기다리는 토론 A" in home and "진행 중 토론 A" in home
    assert "결과를 기다리는 토론 B" not in home and "결과를 기다리는 토론 city" not in home
    listing = client.get(results.list_url)
    assert [d.pk for d in listing.context["cl"].result_list] == [world["A"].closed.pk]
