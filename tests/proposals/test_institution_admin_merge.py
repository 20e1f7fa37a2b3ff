"""A partner institution's administrators recategorise, promote for
creativity and merge their institution's proposals (issue 16), role ×
institution, through the admin's screens as rendered: A's administrator
works on A's proposals with A's categories and A's merge targets; the
city's and B's proposals, categories and targets are refused by id in the
URL, in the form and in the service, nothing written; the city's operator
still works on every owner's; an A official on none."""

import pytest
import rules
from django.urls import reverse

from accounts.models import AuditRecord
from oasis.errors import ServiceError
from pipeline import services as pipeline
from proposals import merging, services
from proposals.models import (
    CarryState,
    Endorsement,
    EndorsementCarry,
    EventKind,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    official,
    operator,
)
from tests.institutions.orgadmin_world import institution, institution_admin
from tests.pages import (
    form_fields,
    form_posting_to,
    forms_on,
    logged_in,
    messages_sent,
    page_html,
    page_text,
)

pytestmark = pytest.mark.django_db

NOT_YOURS = "This is not your institution's proposal, so you cannot act on it."


def _owner(key, of):
    department = DepartmentFactory(code=f"d-{key}", name=f"부서 {key}", institution=of)
    first = CategoryFactory(
        code=f"c1-{key}", name=f"분야 {key}", default_department=department, institution=of
    )
    second = CategoryFactory(
        code=f"c2-{key}", name=f"다른 분야 {key}", default_department=department, institution=of
    )
    # Two proposals of the owner that repeat each other, the first endorsed.
    source = ProposalFactory(
        title=f"한강 다리 보행로 {key}", category=first, institution=of, endorsement_count=2
    )
    for member in UserFactory.create_batch(2):
        Endorsement.objects.create(proposal=source, user=member)
    target = ProposalFactory(title=f"한강 다리 걷기 {key}", category=first, institution=of)
    return {"source": source, "target": target, "category": first, "other_category": second}


@pytest.fixture
def owners():
    return {
        "city": _owner("city", None),
        "A": _owner("A", institution("A")),
        "B": _owner("B", institution("B")),
    }


@pytest.fixture
def a_admin(owners):
    return institution_admin(owners["A"]["source"].institution)


def _merge(proposal):
    return reverse("admin:proposals_proposal_merge", args=[proposal.pk])


def _recategorise(proposal):
    return reverse("admin:proposals_proposal_recategorise", args=[proposal.pk])


def _change(proposal):
    return reverse("admin:proposals_proposal_change", args=[proposal.pk])


# --- merging ---------------------------------------------------------------------------


def test_the_a_admin_finds_previews_and_merges_two_a_proposals(owners, a_admin):
    source, target = owners["A"]["source"], owners["A"]["target"]
    client = logged_in(a_admin, csrf_checks=True)
    assert f'href="{_merge(source)}"' in page_html(client.get(_change(source)))

    # The search lists A's proposals only, though the city's and B's match the words
    found = client.get(_merge(source), {"q": "한강 다리"})
    html = page_html(found)
    assert f'href="?target={target.pk}"' in html
    for key in ("city", "B"):
        for proposal in (owners[key]["source"], owners[key]["target"]):
            assert f'href="?target={proposal.pk}"' not in html

    page = client.get(_merge(source), {"target": target.pk})
    fields = form_fields(page, "merge-form")
    done = client.post(_merge(source), {**fields, "reason": "같은 제안입니다"})
    assert done.status_code == 302
    assert f"#{source.pk} was merged into #{target.pk}." in messages_sent(done)
    source.refresh_from_db()
    assert (source.status, source.merged_into_id) == (ProposalStatus.MERGED, target.pk)
    assert EndorsementCarry.objects.filter(source=source, state=CarryState.ASKED).count() == 2
    assert AuditRecord.objects.filter(action=merging.MERGE_AUDIT, actor=a_admin).exists()


@pytest.mark.parametrize("key", ["city", "B"])
def test_another_owners_target_in_the_form_is_no_proposal_and_nothing_is_written(
    owners, a_admin, key
):
    source, theirs = owners["A"]["source"], owners[key]["target"]
    client = logged_in(a_admin, csrf_checks=True)
    shown = client.get(_merge(source), {"target": theirs.pk})
    assert f"There is no proposal #{theirs.pk}." in messages_sent(shown)
    assert theirs.title not in page_text(shown)
    page = client.get(_merge(source))
    answer = client.post(
        _merge(source),
        {**form_fields(page, "merge-form"), "target": str(theirs.pk), "reason": "중복"},
    )
    assert answer.status_code == 200
    assert f"There is no proposal #{theirs.pk}." in page_text(answer)
    source.refresh_from_db()
    assert source.status == ProposalStatus.OPEN
    assert not ProposalEvent.objects.filter(kind=EventKind.MERGED_INTO).exists()


@pytest.mark.parametrize("key", ["city", "B"])
def test_another_owners_source_by_url_is_not_found_and_the_service_refuses_it(owners, a_admin, key):
    source, target = owners[key]["source"], owners[key]["target"]
    client = logged_in(a_admin, csrf_checks=True)
    assert client.get(_merge(source)).status_code == 404
    assert client.post(_merge(source), {"target": target.pk, "reason": "중복"}).status_code in (
        403,
        404,
    )
    with pytest.raises(ServiceError) as refused:
        merging.proposal_merge(actor=a_admin, source=source, target=target, reason="중복")
    assert refused.value.message == "You can merge only your own institution's proposals."
    # Nor into one of theirs from A's
    with pytest.raises(ServiceError):
        merging.proposal_merge(
            actor=a_admin, source=owners["A"]["source"], target=target, reason="중복"
        )
    assert not Proposal.objects.filter(status=ProposalStatus.MERGED).exists()
    assert not EndorsementCarry.objects.exists()


def test_the_city_operator_merges_within_b_and_an_a_official_sees_no_merge(owners):
    source, target = owners["B"]["source"], owners["B"]["target"]
    merging.proposal_merge(actor=operator(), source=source, target=target, reason="중복")
    source.refresh_from_db()
    assert source.merged_into_id == target.pk

    own = owners["A"]["source"]
    clerk = logged_in(official(department=own.category.default_department), csrf_checks=True)
    assert clerk.get(_merge(own)).status_code == 403
    assert _merge(own) not in page_html(clerk.get(_change(own)))


# --- recategorising ---------------------------------------------------------------------


def test_the_a_admin_moves_an_a_proposal_among_a_categories_only(owners, a_admin):
    proposal = owners["A"]["source"]
    client = logged_in(a_admin, csrf_checks=True)
    assert f'href="{_recategorise(proposal)}"' in page_html(client.get(_change(proposal)))
    page = client.get(_recategorise(proposal))
    form = next(f for f in forms_on(page) if "category" in f["options"])
    offered = set(form["options"]["category"]) - {""}
    assert offered == {str(owners["A"]["other_category"].pk)}

    for key in ("city", "B"):
        refused = client.post(
            _recategorise(proposal),
            {**form["fields"], "category": str(owners[key]["category"].pk), "reason": "잘못 분류"},
        )
        assert "Select a valid choice" in page_text(refused)
    proposal.refresh_from_db()
    assert proposal.category == owners["A"]["category"]

    moved = owners["A"]["other_category"]
    done = client.post(
        _recategorise(proposal),
        {**form["fields"], "category": str(moved.pk), "reason": "분야 정정"},
    )
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.category == moved
    row = ProposalEvent.objects.get(kind=EventKind.RECATEGORISED)
    assert (row.proposal_id, row.actor) == (proposal.pk, a_admin)


@pytest.mark.parametrize("key", ["city", "B"])
def test_another_owners_proposal_cannot_be_recategorised_by_url_or_service(owners, a_admin, key):
    theirs = owners[key]["source"]
    client = logged_in(a_admin, csrf_checks=True)
    assert client.get(_recategorise(theirs)).status_code == 404
    with pytest.raises(ServiceError) as refused:
        services.proposal_recategorise(
            proposal=theirs,
            user=a_admin,
            category=owners[key]["other_category"],
            reason="분야 정정",
        )
    assert refused.value.message == NOT_YOURS
    theirs.refresh_from_db()
    assert theirs.category == owners[key]["category"]


def test_the_service_refuses_another_addressees_category_whoever_asks(owners, a_admin):
    own = owners["A"]["source"]
    for user in (a_admin, operator()):
        with pytest.raises(ServiceError):
            services.proposal_recategorise(
                proposal=own, user=user, category=owners["B"]["category"], reason="분야 정정"
            )
    own.refresh_from_db()
    assert own.category == owners["A"]["category"]
    assert not ProposalEvent.objects.filter(kind=EventKind.RECATEGORISED).exists()


def test_the_city_operator_recategorises_bs_proposal_within_b(owners):
    theirs = owners["B"]["source"]
    services.proposal_recategorise(
        proposal=theirs, user=operator(), category=owners["B"]["other_category"], reason="정정"
    )
    theirs.refresh_from_db()
    assert theirs.category == owners["B"]["other_category"]


# --- promoting for creativity -------------------------------------------------------------


@pytest.mark.parametrize("key", ["city", "B"])
def test_another_owners_proposal_cannot_be_promoted_by_page_or_service(owners, a_admin, key):
    theirs = owners[key]["target"]
    client = logged_in(a_admin, csrf_checks=True)
    page = client.get(theirs.get_absolute_url())
    promote = reverse("pipeline:promote", args=[theirs.pk])
    assert promote not in page_html(page)
    token = form_posting_to(page, reverse("proposals:follow", args=[theirs.pk]))["fields"]
    assert client.post(promote, {**token, "reason": "창의적"}).status_code == 404
    with pytest.raises(ServiceError) as refused:
        pipeline.proposal_promote_by_hand(proposal=theirs, user=a_admin, reason="창의적")
    assert refused.value.message == NOT_YOURS
    theirs.refresh_from_db()
    assert theirs.status == ProposalStatus.OPEN
    assert not ProposalEvent.objects.filter(kind=EventKind.PROMOTED_BY_HAND).exists()


def test_the_a_admin_is_offered_promotion_of_an_a_proposal_only(owners, a_admin):
    own = owners["A"]["target"]
    page = logged_in(a_admin).get(own.get_absolute_url())
    assert reverse("pipeline:promote", args=[own.pk]) in page_html(page)
    assert rules.has_perm("proposals.promote_by_hand", a_admin, own)
    assert not rules.has_perm("proposals.promote_by_hand", a_admin, owners["B"]["target"])
    clerk = official(department=own.category.default_department)
    assert not rules.has_perm("proposals.promote_by_hand", clerk, own)


def test_the_a_admin_promotes_an_a_proposal_from_its_page(owners, a_admin):
    # Promoting opens the answers stage, whose own permission
    # (answers.open_assignment) is asked too: both must let them through.
    own = owners["A"]["target"]
    client = logged_in(a_admin, csrf_checks=True)
    page = client.get(own.get_absolute_url())
    promote = reverse("pipeline:promote", args=[own.pk])
    done = client.post(promote, {**form_posting_to(page, promote)["fields"], "reason": "창의적"})
    assert done.status_code == 302
    own.refresh_from_db()
    assert own.status == ProposalStatus.ASSIGNED
    assert ProposalEvent.objects.filter(
        proposal=own, kind=EventKind.PROMOTED_BY_HAND, actor=a_admin
    ).exists()
