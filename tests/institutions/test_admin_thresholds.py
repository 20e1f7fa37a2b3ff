"""Partner institutions' own endorsement bars (issue 16): the conductor
(pipeline.services.due_bars, is_due, due_filter, the sweep) and the
proposal page's bar conditions use the proposal's institution's bars where
it set them, else the city's; and a proposal to an institution is answered
by one of its departments, reassigned only within it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from answers.models import Assignment, ReassignmentRequest
from answers.services import OTHER_INSTITUTION
from oasis.errors import ServiceError
from pipeline.selectors import bar_progress
from pipeline.services import due_filter, institutions_with_own_bars, is_due, sweep
from proposals.models import PipelineSettings, Proposal, ProposalStatus
from tests.answers.helpers import assigned
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory, official, operator
from tests.pages import forms_on, logged_in, page_text

from .orgadmin_world import institution

pytestmark = pytest.mark.django_db


def _open(count, of=None, **fields):
    department = DepartmentFactory(institution=of)
    category = CategoryFactory(default_department=department, institution=of)
    return ProposalFactory(
        status=ProposalStatus.OPEN,
        endorsement_count=count,
        category=category,
        institution=of,
        **fields,
    )


@pytest.fixture
def bars():
    settings_row = PipelineSettings.load()
    settings_row.answer_threshold = 50
    settings_row.debate_threshold = 500
    settings_row.save()
    return settings_row


def test_an_institutions_own_answer_bar_decides_for_its_proposals(bars):
    low = institution("A", answer_threshold=5)
    city_bar = institution("B")  # left empty: the city's
    assert is_due(_open(5, low), bars)
    assert not is_due(_open(4, low), bars)
    assert not is_due(_open(5), bars)
    assert not is_due(_open(5, city_bar), bars)
    assert is_due(_open(50, city_bar), bars)


def test_an_institutions_own_debate_bar_keeps_the_citys_other_conditions(bars):
    bars.debate_min_comments = 3
    bars.save()
    own = institution("A", debate_threshold=20)
    answered = _open(20, own)
    Proposal.objects.filter(pk=answered.pk).update(status=ProposalStatus.ANSWERED)
    answered.refresh_from_db()
    assert not is_due(answered, bars)  # the city's comments are still asked
    answered.comment_count = 3
    assert is_due(answered, bars)
    answered.endorsement_count = 19
    assert not is_due(answered, bars)


def test_due_filter_is_the_sql_twin_of_is_due_in_one_query(bars, django_assert_num_queries):
    low = institution("A", answer_threshold=5)
    high = institution("B", answer_threshold=80, debate_threshold=90)
    institution("C")
    proposals = [
        _open(count, of)
        for of in (
            None,
            low,
            high,
            Proposal.institution.field.related_model.objects.get(slug="org-c"),
        )
        for count in (4, 5, 50, 79, 80)
    ]
    for proposal in proposals[:3]:
        Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.ANSWERED)
    institutions = institutions_with_own_bars()
    with django_assert_num_queries(1):
        due = set(
            Proposal.objects.filter(due_filter(bars, institutions)).values_list("pk", flat=True)
        )
    expected = {p.pk for p in Proposal.objects.select_related("institution") if is_due(p, bars)}
    assert due == expected
    assert due  # not an empty agreement
    # Reading the institutions with their own bars is one more small query.
    with django_assert_num_queries(2):
        list(Proposal.objects.filter(due_filter(bars)).values_list("pk", flat=True))


def test_the_sweep_assigns_by_the_institutions_bar_and_closes_by_it(bars):
    own = institution("A", answer_threshold=5)
    ready = _open(5, own)
    city_same_count = _open(5)
    sweep()
    ready.refresh_from_db()
    city_same_count.refresh_from_db()
    assert ready.status == ProposalStatus.ASSIGNED
    assignment = Assignment.objects.get(proposal=ready)
    assert assignment.department.institution_id == own.pk
    assert city_same_count.status == ProposalStatus.OPEN
    # Past its window below the institution's higher bar: not reached, though
    # the city's bar (50) would have sent it to a department.
    high = institution("B", answer_threshold=80)
    short = _open(60, high, endorsement_deadline=timezone.now() - timedelta(days=1))
    sweep()
    short.refresh_from_db()
    assert short.status == ProposalStatus.NOT_REACHED
    assert not Assignment.objects.filter(proposal=short).exists()


def test_the_proposal_page_says_the_institutions_bar(bars):
    own = institution("A", answer_threshold=7)
    proposal = _open(3, own)
    progress = bar_progress(proposal, bars)
    assert [(c.field, c.have, c.need) for c in progress.conditions] == [("endorsement_count", 3, 7)]
    page = logged_in().get(reverse("proposals:detail", args=[proposal.pk]))
    assert page.status_code == 200
    assert "3 / 7" in page_text(page) or "3/7" in page_text(page).replace(" ", "")


# --- routing ----------------------------------------------------------------------


def test_a_proposal_to_an_institution_is_not_given_to_another_ones_department():
    own = institution("A")
    other_department = DepartmentFactory(institution=institution("B"))
    category = CategoryFactory(default_department=other_department, institution=own)
    proposal = ProposalFactory(
        status=ProposalStatus.OPEN, endorsement_count=60, category=category, institution=own
    )
    from answers.services import assignment_open

    with pytest.raises(ServiceError) as refused:
        assignment_open(proposal=proposal, actor=None)
    assert refused.value.code == OTHER_INSTITUTION
    assert not Assignment.objects.exists()
    city_proposal = ProposalFactory(status=ProposalStatus.OPEN, endorsement_count=60)
    with pytest.raises(ServiceError):
        assignment_open(proposal=city_proposal, actor=operator(), department=other_department)
    assert not Assignment.objects.exists()


def test_reassignment_stays_within_the_institution():
    own = institution("A")
    mine = DepartmentFactory(name="A 도로팀", institution=own)
    sibling = DepartmentFactory(name="A 공원팀", institution=own)
    theirs = DepartmentFactory(name="B 도로팀", institution=institution("B"))
    assignment = assigned(
        mine, institution=own, category=CategoryFactory(default_department=mine, institution=own)
    )
    url = reverse("admin:answers_assignment_change", args=[assignment.pk])
    # The operator's "reassign" offers only the institution's departments.
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(url)
    reassign = next(f for f in forms_on(page) if "reassign-department" in f["options"])
    assert str(sibling.pk) in reassign["options"]["reassign-department"]
    assert str(theirs.pk) not in reassign["options"]["reassign-department"]
    tampered = {
        **reassign["fields"],
        "reassign-department": str(theirs.pk),
        "reassign-reason": "다른 기관으로",
        "_reassign": "Reassign",
    }
    refused = client.post(url, tampered)
    assert refused.status_code == 400
    assert "Select a valid choice" in page_text(refused)
    assert Assignment.objects.get(pk=assignment.pk).is_current
    # The department's own request may not suggest another institution's.
    clerk = official(department=mine)
    client = logged_in(clerk, csrf_checks=True)
    page = client.get(url)
    ask = next(f for f in forms_on(page) if "reassignment-suggested_department" in f["options"])
    assert str(theirs.pk) not in ask["options"]["reassignment-suggested_department"]
    tampered = {
        **ask["fields"],
        "reassignment-suggested_department": str(theirs.pk),
        "reassignment-reason": "우리 일이 아니에요",
        "_request_reassignment": "Send",
    }
    refused = client.post(url, tampered)
    assert refused.status_code == 400
    assert "Select a valid choice" in page_text(refused)
    assert not ReassignmentRequest.objects.exists()


def test_recategorising_offers_only_the_institutions_own_categories():
    own = institution("A")
    department = DepartmentFactory(institution=own)
    current = CategoryFactory(name="A 분야 1", default_department=department, institution=own)
    sibling = CategoryFactory(name="A 분야 2", default_department=department, institution=own)
    city = CategoryFactory(name="시 분야")
    theirs_department = DepartmentFactory(institution=institution("B"))
    theirs = CategoryFactory(
        name="B 분야",
        default_department=theirs_department,
        institution=theirs_department.institution,
    )
    proposal = ProposalFactory(category=current, institution=own, status=ProposalStatus.OPEN)
    url = reverse("admin:proposals_proposal_recategorise", args=[proposal.pk])
    client = logged_in(operator(), csrf_checks=True)
    page = client.get(url)
    form = next(f for f in forms_on(page) if "category" in f["options"])
    assert str(sibling.pk) in form["options"]["category"]
    assert str(city.pk) not in form["options"]["category"]
    assert str(theirs.pk) not in form["options"]["category"]
    refused = client.post(
        url, {**form["fields"], "category": str(theirs.pk), "reason": "잘못 분류"}
    )
    assert "Select a valid choice" in page_text(refused)
    proposal.refresh_from_db()
    assert proposal.category_id == current.pk
