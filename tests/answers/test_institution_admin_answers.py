"""An institution's administrators run their institution's answers as the
city's operators run the city's (issue 16), role × institution, through the
admin as rendered: the A administrator assigns, reassigns, decides requests
and reviews answers and amendments of A's proposals; the city's and B's are
refused by id in the address, in a form field and in a bulk action's
selection, with nothing written; the city's operator still acts on all;
A's official still cannot act as an operator. The services refuse a
tampered row themselves, with a plain message."""

import pytest
import rules
from django.urls import reverse

from accounts.models import Department
from answers import rules as answer_rules
from answers import selectors, services
from answers.models import (
    AmendmentStatus,
    Answer,
    AnswerAmendment,
    AnswerStatus,
    Assignment,
    DeadlineExtension,
    ExtensionStatus,
    ReassignmentRequest,
    ReassignmentStatus,
)
from notifications.models import Notification
from oasis.errors import ServiceError
from proposals.models import PipelineSettings, Proposal, ProposalStatus
from tests.factories import CategoryFactory, ProposalFactory
from tests.pages import forms_on, logged_in, messages_sent, page_text

from .institution_world import KEYS, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_days")]

OTHERS = ["city", "B"]


@pytest.fixture
def world():
    return build_world()


def workroom(assignment_id) -> str:
    return reverse("admin:answers_assignment_change", args=[assignment_id])


def form_having(response, field: str) -> dict:
    """The page's one form that sends `field` (the workroom's forms have no
    id), as a browser would send it untouched."""
    found = [form for form in forms_on(response) if field in form["fields"]]
    assert len(found) == 1, f"{len(found)} forms send {field}"
    return found[0]


def token(response) -> str:
    return next(
        form["fields"]["csrfmiddlewaretoken"]
        for form in forms_on(response)
        if "csrfmiddlewaretoken" in form["fields"]
    )


def client_of(world, role):
    return logged_in(world.users[role], csrf_checks=True)


# --- reviewing answers ---------------------------------------------------------------------


def test_the_a_admin_publishes_as_rendered_an_answer_of_their_institution(world):
    answer = world["A"].submitted
    client = client_of(world, "a_admin")
    page = client.get(workroom(answer.assignment_id))
    assert page.status_code == 200
    assert 'name="_publish"' in page.content.decode()
    response = client.post(
        workroom(answer.assignment_id),
        {"csrfmiddlewaretoken": token(page), "_publish": "1"},
        follow=True,
    )
    assert "The answer is published." in messages_sent(response)
    answer.refresh_from_db()
    assert (answer.status, answer.approved_by) == (AnswerStatus.PUBLISHED, world.users["a_admin"])
    assert Proposal.objects.get(pk=answer.assignment.proposal_id).status == ProposalStatus.ANSWERED


def test_the_a_admin_returns_an_answer_with_the_reason_form_as_rendered(world):
    answer = world["A"].submitted
    client = client_of(world, "a_admin")
    page = client.get(workroom(answer.assignment_id))
    form = form_having(page, "return-reason")
    client.post(
        workroom(answer.assignment_id),
        {**form["fields"], "return-reason": "근거를 더 적어 주세요.", "_return": "1"},
    )
    answer.refresh_from_db()
    assert (answer.status, answer.return_reason) == (AnswerStatus.DRAFT, "근거를 더 적어 주세요.")


@pytest.mark.parametrize("other", OTHERS)
def test_the_a_admin_cannot_open_or_publish_the_city_s_or_b_s_answer_by_its_id(world, other):
    answer = world[other].submitted
    client = client_of(world, "a_admin")
    page = client.get(workroom(world["A"].submitted.assignment_id))
    assert client.get(workroom(answer.assignment_id)).status_code == 404
    response = client.post(
        workroom(answer.assignment_id), {"csrfmiddlewaretoken": token(page), "_publish": "1"}
    )
    assert response.status_code == 404
    answer_page = reverse("admin:answers_answer_change", args=[answer.pk])
    assert client.get(answer_page).status_code == 404
    assert Answer.objects.get(pk=answer.pk).status == AnswerStatus.SUBMITTED


def test_a_bulk_publish_of_a_tampered_selection_publishes_only_the_admins_own(world):
    client = client_of(world, "a_admin")
    changelist = reverse("admin:answers_answer_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    text = page_text(page)
    assert "A 제출된 답변" in text
    assert "B 제출된 답변" not in text and "city 제출된 답변" not in text
    selected = [world[key].submitted.pk for key in KEYS]
    client.post(
        changelist,
        {
            "csrfmiddlewaretoken": token(page),
            "action": "publish_answers",
            "_selected_action": selected,
            "index": "0",
        },
    )
    statuses = {key: Answer.objects.get(pk=world[key].submitted.pk).status for key in KEYS}
    assert statuses == {
        "A": AnswerStatus.PUBLISHED,
        "B": AnswerStatus.SUBMITTED,
        "city": AnswerStatus.SUBMITTED,
    }


@pytest.mark.parametrize("key", KEYS)
def test_the_city_s_operator_still_publishes_every_owner_s_answer(world, key):
    answer = world[key].submitted
    client = client_of(world, "operator")
    page = client.get(workroom(answer.assignment_id))
    client.post(
        workroom(answer.assignment_id), {"csrfmiddlewaretoken": token(page), "_publish": "1"}
    )
    assert Answer.objects.get(pk=answer.pk).status == AnswerStatus.PUBLISHED


def test_the_a_official_still_cannot_publish_or_return_their_own_answer(world):
    answer = world["A"].submitted
    client = client_of(world, "a_official")
    page = client.get(workroom(answer.assignment_id))
    assert page.status_code == 200
    assert 'name="_publish"' not in page.content.decode()
    for button in ({"_publish": "1"}, {"_return": "1", "return-reason": "다시"}):
        response = client.post(
            workroom(answer.assignment_id), {"csrfmiddlewaretoken": token(page), **button}
        )
        assert response.status_code == 403
    assert Answer.objects.get(pk=answer.pk).status == AnswerStatus.SUBMITTED
    assert not rules.has_perm("answers.oversee_answers", world.users["a_official"])


# --- reassignment ----------------------------------------------------------------------------


def test_the_a_admin_approves_a_request_to_one_of_their_departments_only(world):
    request = world["A"].requested
    client = client_of(world, "a_admin")
    page = client.get(workroom(request.assignment_id))
    form = form_having(page, "decide-department")
    offered = {int(value) for value in form["options"]["decide-department"] if value}
    own = set(
        Department.objects.filter(institution=world["A"].institution)
        .exclude(pk=world["A"].department.pk)
        .values_list("pk", flat=True)
    )
    assert offered == own
    # A tampered department of B's (or the city's) is not one of the choices.
    for other in OTHERS:
        refused = client.post(
            workroom(request.assignment_id),
            {
                **form["fields"],
                "decide-department": world[other].other_department.pk,
                "_approve_reassignment": "1",
            },
        )
        assert refused.status_code == 400
        assert "decide-department" in refused.content.decode()
        assert ReassignmentRequest.objects.get(pk=request.pk).status == ReassignmentStatus.PENDING
    # As rendered: the suggested department is chosen already.
    assert form["fields"]["decide-department"] == str(world["A"].other_department.pk)
    client.post(workroom(request.assignment_id), {**form["fields"], "_approve_reassignment": "1"})
    request.refresh_from_db()
    assert request.status == ReassignmentStatus.APPROVED
    assert request.decided_by == world.users["a_admin"]
    current = Assignment.objects.get(proposal_id=request.assignment.proposal_id, is_current=True)
    assert current.department == world["A"].other_department


def test_the_a_admin_reassigns_directly_within_their_institution(world):
    assignment = world["A"].extension.assignment
    client = client_of(world, "a_admin")
    page = client.get(workroom(assignment.pk))
    form = form_having(page, "reassign-department")
    assert {int(v) for v in form["options"]["reassign-department"] if v} == {
        world["A"].other_department.pk
    }
    client.post(
        workroom(assignment.pk),
        {
            **form["fields"],
            "reassign-department": world["B"].department.pk,
            "reassign-reason": "공원 소관",
            "_reassign": "1",
        },
    )
    assert Assignment.objects.get(pk=assignment.pk).is_current
    client.post(
        workroom(assignment.pk),
        {
            **form["fields"],
            "reassign-department": world["A"].other_department.pk,
            "reassign-reason": "공원 소관",
            "_reassign": "1",
        },
    )
    assert not Assignment.objects.get(pk=assignment.pk).is_current
    # Handed on, it stays in their queue's "handed to another department".
    queue = client.get(reverse("admin:answers_assignment_changelist") + "?queue=reassigned")
    assert [row.pk for row in queue.context["cl"].result_list] == [assignment.pk]


def test_a_bulk_refusal_of_a_tampered_selection_refuses_only_the_admins_own(world):
    client = client_of(world, "a_admin")
    changelist = reverse("admin:answers_reassignmentrequest_changelist")
    page = client.get(changelist)
    assert "A 재배정 요청" in page_text(page)
    assert "B 재배정 요청" not in page_text(page)
    client.post(
        changelist,
        {
            "csrfmiddlewaretoken": token(page),
            "action": "refuse_requests",
            "_selected_action": [world[key].requested.pk for key in KEYS],
            "apply": "yes",
            "reason": "도로 소관입니다.",
        },
    )
    statuses = {
        key: ReassignmentRequest.objects.get(pk=world[key].requested.pk).status for key in KEYS
    }
    assert statuses == {
        "A": ReassignmentStatus.REFUSED,
        "B": ReassignmentStatus.PENDING,
        "city": ReassignmentStatus.PENDING,
    }


# --- more time, amendments -----------------------------------------------------------------


def test_the_a_admin_grants_more_time_as_rendered_and_not_on_b_s(world):
    extension = world["A"].extension
    client = client_of(world, "a_admin")
    page = client.get(workroom(extension.assignment_id))
    form = form_having(page, "extension_decide-days")
    client.post(workroom(extension.assignment_id), {**form["fields"], "_grant_extension": "1"})
    extension.refresh_from_db()
    assert (extension.status, extension.days_granted) == (ExtensionStatus.GRANTED, 5)
    for other in OTHERS:
        theirs = world[other].extension
        response = client.post(
            workroom(theirs.assignment_id), {**form["fields"], "_grant_extension": "1"}
        )
        assert response.status_code == 404
        assert DeadlineExtension.objects.get(pk=theirs.pk).status == ExtensionStatus.PENDING


def test_the_a_admin_approves_an_amendment_and_not_b_s(world):
    amendment = world["A"].amendment
    client = client_of(world, "a_admin")
    assignment_id = amendment.answer.assignment_id
    page = client.get(workroom(assignment_id))
    assert 'name="_approve_amendment"' in page.content.decode()
    client.post(
        workroom(assignment_id), {"csrfmiddlewaretoken": token(page), "_approve_amendment": "1"}
    )
    assert AnswerAmendment.objects.get(pk=amendment.pk).status == AmendmentStatus.APPROVED
    assert Answer.objects.get(pk=amendment.answer_id).estimated_budget == 90_000_000
    for other in OTHERS:
        theirs = world[other].amendment
        response = client.post(
            workroom(theirs.answer.assignment_id),
            {"csrfmiddlewaretoken": token(page), "_approve_amendment": "1"},
        )
        assert response.status_code == 404
        assert AnswerAmendment.objects.get(pk=theirs.pk).status == AmendmentStatus.SUBMITTED


# --- assigning by hand -----------------------------------------------------------------------


def _assign_page(proposal_id) -> str:
    return reverse("admin:proposals_proposal_assign", args=[proposal_id])


def test_the_a_admin_assigns_by_hand_to_one_of_their_departments_only(world):
    proposal = world["A"].open_proposal
    client = client_of(world, "a_admin")
    page = client.get(_assign_page(proposal.pk))
    assert page.status_code == 200
    form = form_having(page, "reason")
    offered = {int(v) for v in form["options"]["department"] if v}
    assert offered == {world["A"].department.pk, world["A"].other_department.pk}
    for other in OTHERS:
        refused = client.post(
            _assign_page(proposal.pk),
            {**form["fields"], "department": world[other].department.pk, "reason": "빨리"},
        )
        assert refused.status_code == 200
        assert "Select a valid choice" in page_text(refused)
    assert not Assignment.objects.filter(proposal=proposal).exists()
    client.post(
        _assign_page(proposal.pk),
        {**form["fields"], "department": world["A"].other_department.pk, "reason": "공원 소관"},
    )
    assignment = Assignment.objects.get(proposal=proposal)
    assert assignment.department == world["A"].other_department
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.ASSIGNED


@pytest.mark.parametrize("other", OTHERS)
def test_the_a_admin_cannot_assign_the_city_s_or_b_s_proposal(world, other):
    proposal = world[other].open_proposal
    client = client_of(world, "a_admin")
    assert client.get(_assign_page(proposal.pk)).status_code == 404
    # Several ids in the address: only theirs would be shown; none here.
    many = reverse("admin:proposals_proposal_assign_many")
    assert client.get(f"{many}?ids={proposal.pk}").status_code == 404
    page = client.get(_assign_page(world["A"].open_proposal.pk))
    response = client.post(
        many,
        {
            "csrfmiddlewaretoken": token(page),
            "ids": f"{proposal.pk},{world['A'].open_proposal.pk}",
            "department": world["A"].department.pk,
            "reason": "한꺼번에",
        },
    )
    assert response.status_code == 302
    assert not Assignment.objects.filter(proposal=proposal).exists()
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.OPEN


# --- the services refuse a tampered row themselves ------------------------------------------


def _acts(world, key):
    """Each operator's step on `key`'s row, as the service is called."""
    owner = world[key]
    return {
        "publish": lambda user: services.answer_publish(answer=owner.submitted, user=user),
        "return": lambda user: services.answer_return(
            answer=owner.submitted, user=user, reason="다시"
        ),
        "reassign": lambda user: services.assignment_reassign(
            assignment=owner.extension.assignment,
            user=user,
            department=owner.other_department,
            reason="공원 소관",
        ),
        "decide_request": lambda user: services.reassignment_decide(
            request=owner.requested, user=user, approve=False, reason="아니요"
        ),
        "decide_extension": lambda user: services.extension_decide(
            extension=owner.extension, user=user, grant=True, days=3
        ),
        "approve_amendment": lambda user: services.amendment_approve(
            amendment=owner.amendment, user=user
        ),
        "return_amendment": lambda user: services.amendment_return(
            amendment=owner.amendment, user=user, reason="다시"
        ),
        "assign": lambda user: services.assignment_open(
            proposal=owner.open_proposal, actor=user, department=owner.department
        ),
    }


def _state(world, key):
    owner = world[key]
    return (
        Answer.objects.get(pk=owner.submitted.pk).status,
        ReassignmentRequest.objects.get(pk=owner.requested.pk).status,
        DeadlineExtension.objects.get(pk=owner.extension.pk).status,
        AnswerAmendment.objects.get(pk=owner.amendment.pk).status,
        Assignment.objects.filter(is_current=True, proposal__institution=owner.institution).count(),
        Proposal.objects.get(pk=owner.open_proposal.pk).status,
    )


@pytest.mark.parametrize(
    "act",
    [
        "publish",
        "return",
        "reassign",
        "decide_request",
        "decide_extension",
        "approve_amendment",
        "return_amendment",
        "assign",
    ],
)
@pytest.mark.parametrize("other", OTHERS)
def test_every_service_refuses_the_a_admin_on_the_city_s_and_b_s_rows(world, act, other):
    before = _state(world, other)
    with pytest.raises(ServiceError) as refused:
        _acts(world, other)[act](world.users["a_admin"])
    expected = "to the city" if other == "city" else "to another institution"
    assert (
        expected in refused.value.message and "Nothing has been changed." in refused.value.message
    )
    assert _state(world, other) == before


@pytest.mark.parametrize("act", ["publish", "decide_request", "decide_extension", "assign"])
def test_every_service_lets_the_a_admin_act_on_a_s_rows(world, act):
    _acts(world, "A")[act](world.users["a_admin"])
    assert _state(world, "A") != _state(world, "B")  # something of A's changed


def test_a_hand_assignment_mixing_a_b_proposal_is_refused_whole(world):
    with pytest.raises(services.HandAssignmentRefused) as refused:
        services.assignments_open_by_hand(
            proposals=[world["A"].open_proposal, world["B"].open_proposal],
            user=world.users["a_admin"],
            department=world["A"].department,
            reason="한꺼번에",
        )
    assert [proposal.pk for proposal, _ in refused.value.refusals] == [world["B"].open_proposal.pk]
    assert not Assignment.objects.filter(
        proposal__in=[world["A"].open_proposal, world["B"].open_proposal]
    ).exists()


# --- the rule and its list twin --------------------------------------------------------------


@pytest.mark.parametrize("role", ["operator", "a_admin", "b_admin", "a_official", "city_official"])
def test_the_runs_scope_lists_exactly_the_assignments_the_rule_lets_them_run(world, role):
    user = world.users[role]
    scope = selectors.runs_scope(user)
    listed = (
        set()
        if scope is None
        else set(Assignment.objects.filter(scope).values_list("pk", flat=True))
    )
    runs = {a.pk for a in Assignment.objects.all() if answer_rules.runs_answer_work(user, a)}
    assert listed == runs
    expected = {"operator": set(KEYS), "a_admin": {"A"}, "b_admin": {"B"}}.get(role, set())
    owners = {
        key
        for key in KEYS
        if Assignment.objects.filter(pk__in=runs, proposal__institution=world[key].institution)
    }
    assert owners == expected


# --- the staff home ----------------------------------------------------------------------------


def test_the_a_admins_home_shows_their_institution_s_waiting_work_only(world):
    client = client_of(world, "a_admin")
    text = page_text(client.get(reverse("admin:index")))
    for title in (
        "Answers waiting for your approval",
        "Reassignment requests",
        "Requests for more time",
        "Answer amendments waiting for your approval",
        "Proposals waiting for your institution's answer",
    ):
        assert title in text
    assert "A 제출된 답변" in text and "A 재배정 요청" in text and "A 기한 연장" in text
    for other in OTHERS:
        assert f"{other} 제출된 답변" not in text
        assert f"{other} 재배정 요청" not in text
        assert f"{other} 기한 연장" not in text
    # Registering departments stays the city's: no "has no official" section.
    assert "A department has no official" not in text


def test_the_operators_home_still_shows_every_owner_s_waiting_work(world):
    text = page_text(client_of(world, "operator").get(reverse("admin:index")))
    for key in KEYS:
        assert f"{key} 제출된 답변" in text and f"{key} 재배정 요청" in text
    assert "Proposals waiting for your institution's answer" not in text


def test_the_a_admins_home_lists_their_proposals_blocked_from_assignment(world):
    settings_row = PipelineSettings.load()
    settings_row.answer_threshold = 3
    settings_row.save()
    for key in KEYS:
        of = world[key].institution
        ProposalFactory(
            title=f"{key} 부서 없는 제안",
            category=CategoryFactory(code=f"none-{key}", default_department=None, institution=of),
            institution=of,
            endorsement_count=4,
        )
    page = client_of(world, "a_admin").get(reverse("admin:index"))
    text = page_text(page)
    assert "Proposals that could not be assigned" in text
    assert "A 부서 없는 제안" in text
    assert "B 부서 없는 제안" not in text and "city 부서 없는 제안" not in text
    blocked = Proposal.objects.get(title="A 부서 없는 제안")
    assert f'href="{reverse("admin:proposals_proposal_assign", args=[blocked.pk])}"' in (
        page.content.decode()
    )
    operator_text = page_text(client_of(world, "operator").get(reverse("admin:index")))
    assert all(f"{key} 부서 없는 제안" in operator_text for key in KEYS)


# --- notices ---------------------------------------------------------------------------------


def test_the_a_admin_is_told_of_a_s_waiting_work_and_not_of_b_s_or_the_city_s(world):
    a_admin, b_admin = world.users["a_admin"], world.users["b_admin"]
    told = {
        kind: set(
            Notification.objects.filter(kind=kind, recipient=a_admin).values_list(
                "proposal__title", flat=True
            )
        )
        for kind in (
            "answer_submitted",
            "reassignment_requested",
            "extension_requested",
            "amendment_submitted",
        )
    }
    assert told == {
        "answer_submitted": {"A 제출된 답변", "A 수정 요청"},
        "reassignment_requested": {"A 재배정 요청"},
        "extension_requested": {"A 기한 연장"},
        "amendment_submitted": {"A 수정 요청"},
    }
    assert not Notification.objects.filter(
        recipient=b_admin, proposal__institution=world["A"].institution
    ).exists()
    # The city's operators are still told of every owner's.
    assert set(
        Notification.objects.filter(
            recipient=world.users["operator"], kind="answer_submitted"
        ).values_list("proposal__title", flat=True)
    ) >= {"city 제출된 답변", "A 제출된 답변", "B 제출된 답변"}


def test_an_institution_official_is_told_their_administrators_decide_their_requests(world):
    # The A official's workroom, with their request for more time waiting:
    # the institution's administrators decide it, not "the operators".
    a_page = page_text(
        client_of(world, "a_official").get(workroom(world["A"].extension.assignment_id))
    )
    assert "Your institution's administrators will decide." in a_page
    assert "The operators will decide." not in a_page
    # the city's official still turns to the operators
    city_page = page_text(
        client_of(world, "city_official").get(workroom(world["city"].extension.assignment_id))
    )
    assert "The operators will decide." in city_page
    # where they may still ask for time, they ask their administrators
    asking = page_text(
        client_of(world, "a_official").get(workroom(world["A"].requested.assignment_id))
    )
    assert "Ask your institution's administrators for more time" in asking
    assert "Ask the operators for more time" not in asking
