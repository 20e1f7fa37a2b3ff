"""A partner institution's administrators answer their institution's poll
results and export them, and find their institution's poll work on the
staff home (issue 16). Role × institution: A's administrator answers A's
polls; the city's and B's are neither listed, opened by id, answered nor
exported; the city's operator still answers every poll."""

import pytest
from django.urls import reverse

from accounts.models import AuditRecord
from oasis.errors import PermissionDenied
from polls.models import Poll, ResultsShown
from polls.results_audit_words import RESPONSE_PUBLISHED, RESPONSE_WRITTEN
from polls.services import editing, responses
from tests.pages import form_fields, logged_in, messages_sent, page_text

from .editor_helpers import a_poll, vote
from .institution_admin_helpers import build_world

pytestmark = pytest.mark.django_db

SCREEN = "/admin/polls/pollresponse/"


def _screen(poll):
    return reverse("admin:polls_pollresponse_change", args=[poll.pk])


def _export(poll, what="results", file_format="csv"):
    return reverse("admin:polls_pollresponse_export", args=[poll.pk, what, file_format])


@pytest.fixture
def world():
    """Each owner's poll published, voted in once and closed."""
    built = build_world()
    operator = built.users["operator"]
    for key in ("city", "A", "B"):
        poll = built[key].poll
        editing.poll_publish(poll=poll, actor=operator)
        vote(poll)
        editing.poll_close(poll=poll, actor=operator, reason="기간 단축")
        poll.refresh_from_db()
    return built


def test_the_institution_admin_answers_and_exports_their_institutions_poll(world):
    a_admin = world.users["a_admin"]
    poll = world["A"].poll
    client = logged_in(a_admin, csrf_checks=True)

    listing = client.get(SCREEN)
    assert listing.status_code == 200
    text = page_text(listing)
    assert poll.title in text
    assert world["city"].poll.title not in text and world["B"].poll.title not in text

    page = client.get(_screen(poll))
    assert page.status_code == 200
    fields = form_fields(page)
    fields["response"] = "결과에 따라 엘리베이터부터 설치하겠습니다."
    fields["_publish"] = "Save and publish"
    done = client.post(_screen(poll), fields)
    assert done.status_code == 302
    assert "The response is published; the voters are being told." in messages_sent(done)
    poll.refresh_from_db()
    assert poll.response == "결과에 따라 엘리베이터부터 설치하겠습니다."
    assert poll.response_published_at is not None
    assert sorted(AuditRecord.objects.filter(actor=a_admin).values_list("action", flat=True)) == (
        sorted([RESPONSE_WRITTEN, RESPONSE_PUBLISHED])
    )

    exported = client.get(_export(poll))
    assert exported.status_code == 200 and "attachment" in exported["Content-Disposition"]
    assert client.get(_export(poll, "answers", "xlsx")).status_code == 200


@pytest.mark.parametrize("owner", ["city", "B"])
def test_the_city_and_another_institutions_results_are_not_theirs(world, owner):
    target = world[owner].poll
    client = logged_in(world.users["a_admin"], csrf_checks=True)
    assert client.get(_screen(target)).status_code == 404
    assert client.get(_export(target)).status_code == 404
    assert client.get(_export(target, "answers")).status_code == 404
    # The response form of A's poll, sent to the other poll's id
    fields = form_fields(client.get(_screen(world["A"].poll)))
    fields.update(response="남의 투표에 쓴 응답", _publish="Save and publish")
    assert client.post(_screen(target), fields).status_code == 404
    # and the service itself, given the poll
    with pytest.raises(PermissionDenied):
        responses.poll_respond(poll=target, actor=world.users["a_admin"], response="남의 응답")
    target.refresh_from_db()
    assert (target.response, target.response_published_at) == ("", None)
    assert not AuditRecord.objects.filter(actor=world.users["a_admin"]).exists()


def test_the_city_operator_still_answers_every_owners_poll(world):
    client = logged_in(world.users["operator"], csrf_checks=True)
    text = page_text(client.get(SCREEN))
    for key in ("city", "A", "B"):
        poll = world[key].poll
        assert poll.title in text
        fields = form_fields(client.get(_screen(poll)))
        fields["response"] = f"운영자의 응답 {key}"
        assert client.post(_screen(poll), fields).status_code == 302
        poll.refresh_from_db()
        assert poll.response == f"운영자의 응답 {key}"


def test_results_not_yet_public_show_to_the_polls_institution_only():
    world = build_world()
    poll = world["A"].poll
    Poll.objects.filter(pk=poll.pk).update(results_shown=ResultsShown.AFTER_CLOSE)
    editing.poll_publish(poll=poll, actor=world.users["operator"])
    vote(poll)
    url = reverse("polls:results", args=[poll.pk])
    own = page_text(logged_in(world.users["a_admin"]).get(url))
    other = page_text(logged_in(world.users["b_admin"]).get(url))
    choice = poll.questions.get().choices.first().label
    assert "not public yet" in own.lower() and choice in own
    assert "not public yet" not in other.lower()
    # A draft's results page is the staff's: B's administrator gets nothing
    draft = a_poll(
        title="A의 초안", department=world["A"].department, institution=world["A"].institution
    )
    draft_url = reverse("polls:results", args=[draft.pk])
    assert logged_in(world.users["a_admin"]).get(draft_url).status_code == 200
    assert logged_in(world.users["b_admin"]).get(draft_url).status_code == 404


def test_the_staff_home_shows_the_institution_admin_their_polls_work_only():
    world = build_world()
    operator = world.users["operator"]
    # Each owner: a draft (the world's), a running poll and a closed one
    # waiting for its response.
    for key in ("city", "A", "B"):
        owner = world[key]
        running = a_poll(
            title=f"진행 중인 투표 {key}",
            department=owner.department,
            institution=owner.institution,
        )
        editing.poll_publish(poll=running, actor=operator)
        closed = a_poll(
            title=f"응답을 기다리는 투표 {key}",
            department=owner.department,
            institution=owner.institution,
        )
        editing.poll_publish(poll=closed, actor=operator)
        editing.poll_close(poll=closed, actor=operator, reason="조기 마감")

    page = logged_in(world.users["a_admin"]).get(reverse("admin:index"))
    assert page.status_code == 200
    text = page_text(page)
    assert "Your institution's polls waiting to be published" in text
    assert "Your institution's polls taking votes" in text
    assert "Poll results waiting for the department's response" in text
    for title in (world["A"].poll.title, "진행 중인 투표 A", "응답을 기다리는 투표 A"):
        assert title in text
    for key in ("city", "B"):
        for title in (
            world[key].poll.title,
            f"진행 중인 투표 {key}",
            f"응답을 기다리는 투표 {key}",
        ):
            assert title not in text
    # The operator's own sections still list every owner's drafts
    operator_text = page_text(logged_in(operator).get(reverse("admin:index")))
    assert "City polls waiting to be published" in operator_text
    assert "Your institution's polls waiting to be published" not in operator_text
    for key in ("city", "A", "B"):
        assert world[key].poll.title in operator_text
