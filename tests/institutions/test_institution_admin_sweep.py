"""Review of issue 16's second round (institution administrators run their
institution's work): a sweep over the merged whole, as institution A's
administrator, of the city's and institution B's work in every state an
operator acts on (a reported comment, an answer to approve, requests for
reassignment and more time, an amendment, an open and a closed debate with
an argument, a published poll). A's own rows are in the world too, so the
sweep shows it reads the pages it means to.

- Every admin list, with the filters that open the waiting work and the
  "all" ones, and the staff home name A's work and never the city's or B's.
- Every bulk action each list offers, sent with a selection forged to hold
  the city's and B's ids (as a browser would send it, with the reason the
  intermediate page asks for), writes nothing of theirs.
"""

import re

import pytest
from django.contrib.admin import site
from django.urls import NoReverseMatch, reverse

from answers.models import (
    Answer,
    AnswerAmendment,
    Assignment,
    DeadlineExtension,
    ReassignmentRequest,
)
from debates import services as debate_services
from debates.models import Argument, Debate
from polls.models import Poll, PollKind
from polls.services import editing
from proposals.models import Comment, Proposal, ProposalEvent, Report
from tests.answers.institution_world import build_world
from tests.debates.helpers import closed_debate, open_debate
from tests.factories import UserFactory
from tests.pages import forms_on, logged_in
from tests.polls.editor_helpers import a_poll

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_days")]

# The words every row of an owner carries (institution_world's titles and
# names, and the ones added below): "<owner> <what>".
WHAT = "열린|제출된|재배정|기한|수정|도로과|공원과|분야|신고|토론|결과|설문|논거"
MARK = re.compile(rf"(?<![\w-])(city|A|B) ({WHAT})")
QUERIES = ["", "?state=all", "?state=due", "?handled=yes", "?queue=reassigned", "?trash=all"]
QUERIES += ["?status=all", "?response=waiting", "?answer=all"]

WATCHED = [
    Proposal,
    Comment,
    Report,
    Assignment,
    Answer,
    ReassignmentRequest,
    DeadlineExtension,
    AnswerAmendment,
    Debate,
    Argument,
    Poll,
]


def add_work(world):
    """Each owner's reported comment, open and closed debates with an
    argument, and a published poll."""
    operator = world.users["operator"]
    for key in ("city", "A", "B"):
        owner = world[key]
        comment = Comment.objects.create(
            proposal=owner.open_proposal, author=UserFactory(), body=f"{key} 신고된 댓글"
        )
        Report.objects.create(reporter=UserFactory(), comment=comment, reason="spam")
        Report.objects.create(reporter=UserFactory(), proposal=owner.open_proposal, reason="spam")
        fields = {"category": owner.category, "institution": owner.institution}
        running = open_debate(title=f"{key} 토론 진행", **fields)
        debate_services.argument_create(
            debate=running, author=UserFactory(), side="for", body=f"{key} 논거입니다"
        )
        closed_debate(title=f"{key} 결과 대기 토론", **fields)
        poll = a_poll(
            PollKind.CHOICE,
            title=f"{key} 설문",
            department=owner.department,
            institution=owner.institution,
        )
        editing.poll_publish(poll=poll, actor=operator)


def changelists():
    for model in site._registry:
        try:
            yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        except NoReverseMatch:
            continue


def owners_on(response) -> set[str]:
    if response.status_code != 200:
        return set()
    return {match.group(1) for match in MARK.finditer(response.content.decode())}


def others_ids(model) -> list[int]:
    """The city's and B's rows of `model` (by the titles and names above)."""
    rows = []
    for row in model.objects.all():
        text = " ".join(str(value) for value in vars(row).values()) + " " + str(row)
        if isinstance(row, (Comment, Report, Assignment, Answer, Debate, Argument)):
            text += " " + str(_proposal_of(row).title)
        if re.search(rf"(?<![\w-])(city|B) ({WHAT})", text):
            rows.append(row.pk)
    return rows


def _proposal_of(row):
    if isinstance(row, Report):
        return row.proposal or row.comment.proposal
    if isinstance(row, Argument):
        return row.debate.proposal
    if isinstance(row, Answer):
        return row.assignment.proposal
    return row.proposal


def snapshot():
    """Every watched row as stored, and the timeline's length."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}
    rows["events"] = ProposalEvent.objects.count()
    return rows


@pytest.fixture
def world():
    world = build_world()
    add_work(world)
    return world


def test_no_list_nor_the_home_names_the_citys_or_bs_work_to_the_a_admin(world):
    client = logged_in(world.users["a_admin"])
    seen, read_own = [], False
    for url in [reverse("admin:index"), *changelists()]:
        for query in QUERIES:
            response = client.get(url + query)
            assert response.status_code < 500, url + query
            owners = owners_on(response)
            read_own = read_own or "A" in owners
            if owners - {"A"}:
                seen.append((url + query, sorted(owners - {"A"})))
    assert read_own
    assert seen == []


def test_the_home_lists_a_s_work_waiting_in_each_app(world):
    """The control: the sweep above reads A's work where it is listed."""
    text = logged_in(world.users["a_admin"]).get(reverse("admin:index")).content.decode()
    for what in ("제출된 답변", "재배정 요청", "기한 연장", "수정 요청", "결과 대기 토론"):
        assert f"A {what}" in text, what


def test_every_bulk_action_with_a_forged_selection_writes_nothing_of_the_city_or_b(world):
    client = logged_in(world.users["a_admin"], csrf_checks=True)
    before = snapshot()
    tried = []
    for model in site._registry:
        if model not in WATCHED:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = client.get(url)
        if page.status_code != 200:
            continue
        lists = [form for form in forms_on(page) if "action" in form.get("options", {})]
        if not lists:
            continue
        fields = lists[0]["fields"]
        forged = [str(pk) for pk in others_ids(model)]
        assert forged, model
        for action in lists[0]["options"]["action"]:
            if not action:
                continue
            data = {
                "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
                "action": action,
                "index": "0",
                "_selected_action": forged,
                # The intermediate pages' confirmation and reason.
                "apply": "1",
                "post": "yes",
                "reason": "위조된 선택",
                "summary": "위조된 결과 " * 10,
            }
            response = client.post(url, data)
            assert response.status_code < 500, (url, action)
            tried.append((model.__name__, action))
    assert len(tried) >= 10, tried
    assert snapshot() == before
