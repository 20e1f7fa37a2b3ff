"""A partner institution's administrators moderate their institution's
proposals as the city's operators moderate the city's (issue 16), role ×
institution, through the admin and the proposal page as rendered: institution
A's administrator hides and restores, trashes and restores A's proposals,
hides A's comments and closes reports on A's; the city's and institution B's
rows are refused by id in a URL, in a form and in a bulk action's selection,
nothing written; the city's operator still acts on every row; an A official
acts on none."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from oasis.errors import PermissionDenied, ServiceError
from proposals import services
from proposals.models import (
    Comment,
    EventKind,
    Proposal,
    ProposalEvent,
    Report,
    ReportReason,
)
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    official,
    operator,
)
from tests.institutions.orgadmin_world import institution, institution_admin
from tests.pages import form_posting_to, logged_in, messages_sent, page_html, page_text

from .helpers import run_action, shown

pytestmark = pytest.mark.django_db

CHANGELIST_NAME = "admin:proposals_proposal_changelist"
COMMENTS = "admin:proposals_comment_changelist"
REPORTS = "admin:proposals_report_changelist"
NOT_YOURS_KO = "소속 기관의 제안이 아니어서 처리할 수 없습니다."
NOT_YOURS = "This is not your institution's proposal, so you cannot act on it."


@dataclass
class Side:
    """One owner's rows: a proposal with a comment, a report on each."""

    key: str
    proposal: Proposal
    comment: Comment
    proposal_report: Report
    comment_report: Report


def _side(key, of) -> Side:
    department = DepartmentFactory(code=f"d-{key}", name=f"부서 {key}", institution=of)
    category = CategoryFactory(
        code=f"c-{key}", name=f"분야 {key}", default_department=department, institution=of
    )
    proposal = ProposalFactory(
        title=f"제안 {key}: 보행로를 넓혀 주세요", category=category, institution=of
    )
    comment = CommentFactory(proposal=proposal, body=f"댓글 {key}: 광고입니다")
    return Side(
        key,
        proposal,
        comment,
        Report.objects.create(reporter=UserFactory(), proposal=proposal, reason=ReportReason.SPAM),
        Report.objects.create(reporter=UserFactory(), comment=comment, reason=ReportReason.ABUSE),
    )


@pytest.fixture
def world():
    a, b = institution("A"), institution("B")
    sides = {"city": _side("city", None), "A": _side("A", a), "B": _side("B", b)}
    return sides, {
        "a_admin": institution_admin(a),
        "operator": operator(),
        "a_official": official(department=sides["A"].proposal.category.default_department),
    }


def _reload(*objects):
    for obj in objects:
        obj.refresh_from_db()


# --- proposals: the admin's bulk actions -------------------------------------------


def test_the_a_admin_hides_and_restores_as_rendered_and_a_tampered_selection_does_nothing(world):
    sides, users = world
    admin_user = users["a_admin"]
    client = logged_in(admin_user, csrf_checks=False)
    listing = client.get(reverse("admin:proposals_proposal_changelist"))
    # The list is A's, and it offers the moderation actions
    assert shown(listing) == {sides["A"].proposal.pk}
    html = page_html(listing)
    for action in ("hide_proposals", "unhide_proposals", "trash_proposals", "restore_from_trash"):
        assert f'value="{action}"' in html

    # The selection carries the city's and B's ids as a forged request would
    every = [sides[key].proposal for key in ("A", "city", "B")]
    done = run_action(client, "hide_proposals", every, reason="운영 원칙 위반")
    assert "1 proposal was hidden." in messages_sent(done)
    _reload(*every)
    assert [p.is_hidden for p in every] == [True, False, False]
    assert sides["A"].proposal.hidden_reason == "운영 원칙 위반"
    event = ProposalEvent.objects.get(kind=EventKind.HIDDEN)
    assert (event.proposal_id, event.actor) == (sides["A"].proposal.pk, admin_user)
    # The timeline names the actor's role as institution administrator
    assert event.actor_role == "institution_admin"
    # A's hidden proposal stays in their list (the moderators see it)
    assert sides["A"].proposal.pk in shown(client.get(reverse(CHANGELIST_NAME)))

    done = run_action(client, "unhide_proposals", every, reason="오해였어요")
    assert "1 proposal was restored." in messages_sent(done)
    _reload(*every)
    assert [p.is_hidden for p in every] == [False, False, False]


def test_the_a_admin_moves_to_the_trash_and_back(world):
    sides, users = world
    client = logged_in(users["a_admin"])
    every = [sides[key].proposal for key in ("A", "city", "B")]
    done = run_action(client, "trash_proposals", every, reason="중복 게시")
    assert "1 proposal was moved to the trash." in messages_sent(done)
    _reload(*every)
    assert [p.deleted_at is not None for p in every] == [True, False, False]
    # The trash lists A's only; restoring a forged selection restores A's only
    Proposal.objects.filter(pk=sides["B"].proposal.pk).update(deleted_at=every[0].deleted_at)
    in_trash = client.get(reverse(CHANGELIST_NAME) + "?trash=yes")
    assert shown(in_trash) == {sides["A"].proposal.pk}
    done = run_action(client, "restore_from_trash", every, query="?trash=yes", reason="복구")
    assert "1 proposal was restored from the trash." in messages_sent(done)
    _reload(*every)
    assert [p.deleted_at is not None for p in every] == [False, False, True]


def test_another_owners_proposal_by_id_is_the_admins_doesnt_exist(world):
    sides, users = world
    client = logged_in(users["a_admin"])
    for key in ("city", "B"):
        pk = sides[key].proposal.pk
        response = client.get(reverse("admin:proposals_proposal_change", args=[pk]), follow=True)
        assert "doesn’t exist" in page_text(response)
        assert sides[key].proposal.title not in page_text(response)


def test_the_city_operator_still_moderates_every_owners_proposals(world):
    sides, users = world
    client = logged_in(users["operator"])
    every = [sides[key].proposal for key in ("A", "city", "B")]
    done = run_action(client, "hide_proposals", every, reason="운영 원칙 위반")
    assert "3 proposals were hidden." in messages_sent(done)
    _reload(*every)
    assert all(p.is_hidden for p in every)


def test_an_a_official_gets_no_moderation_action(world):
    sides, users = world
    client = logged_in(users["a_official"])
    listing = client.get(reverse(CHANGELIST_NAME))
    assert shown(listing) == {sides["A"].proposal.pk}
    assert 'value="hide_proposals"' not in page_html(listing)
    run_action(client, "hide_proposals", [sides["A"].proposal], reason="숨김")
    _reload(sides["A"].proposal)
    assert sides["A"].proposal.is_hidden is False
    assert not ProposalEvent.objects.filter(kind=EventKind.HIDDEN).exists()


# --- comments and reports -----------------------------------------------------------


def test_the_a_admin_hides_a_comments_only_and_sees_a_comments_only(world):
    sides, users = world
    client = logged_in(users["a_admin"])
    assert shown(client.get(reverse(COMMENTS))) == {sides["A"].comment.pk}
    every = [sides[key].comment for key in ("A", "city", "B")]
    done = run_action(client, "hide_comments", every, url_name=COMMENTS, reason="광고")
    assert "1 comment was hidden." in messages_sent(done)
    _reload(*every)
    assert [c.is_hidden for c in every] == [True, False, False]
    # Hiding the comment closed its report
    _reload(sides["A"].comment_report, sides["B"].comment_report)
    assert sides["A"].comment_report.resolved_at is not None
    assert sides["B"].comment_report.resolved_at is None
    for key in ("city", "B"):
        url = reverse("admin:proposals_comment_change", args=[sides[key].comment.pk])
        assert "doesn’t exist" in page_text(client.get(url, follow=True))


def test_the_reports_list_is_the_institutions_and_closing_a_forged_selection_closes_its_own(world):
    sides, users = world
    client = logged_in(users["a_admin"])
    listing = client.get(reverse(REPORTS))
    a_reports = {sides["A"].proposal_report.pk, sides["A"].comment_report.pk}
    assert shown(listing) == a_reports
    text = page_text(listing)
    assert sides["A"].proposal.title in text
    assert sides["B"].proposal.title not in text and sides["city"].proposal.title not in text
    for key in ("city", "B"):
        url = reverse("admin:proposals_report_change", args=[sides[key].comment_report.pk])
        assert "doesn’t exist" in page_text(client.get(url, follow=True))

    reports = [
        getattr(sides[key], kind)
        for key in ("A", "city", "B")
        for kind in ("proposal_report", "comment_report")
    ]
    done = run_action(client, "dismiss_reports", reports, url_name=REPORTS, reason="규칙 안")
    assert "2 reports were closed." in messages_sent(done)
    _reload(*reports)
    assert {r.pk for r in reports if r.resolved_at is not None} == a_reports
    assert {r.resolution for r in reports if r.pk in a_reports} == {"규칙 안"}


def test_the_city_operator_sees_and_closes_every_report(world):
    sides, users = world
    client = logged_in(users["operator"])
    reports = [
        getattr(sides[key], kind)
        for key in ("A", "city", "B")
        for kind in ("proposal_report", "comment_report")
    ]
    assert shown(client.get(reverse(REPORTS))) == {r.pk for r in reports}
    done = run_action(client, "dismiss_reports", reports, url_name=REPORTS, reason="규칙 안")
    assert "6 reports were closed." in messages_sent(done)


def test_an_a_official_sees_no_reports(world):
    _sides, users = world
    client = logged_in(users["a_official"])
    assert client.get(reverse(REPORTS)).status_code == 403


# --- the proposal page ---------------------------------------------------------------


def test_the_a_admin_moderates_from_the_proposal_page_of_a_only(world):
    sides, users = world
    client = logged_in(users["a_admin"], csrf_checks=True)
    own = sides["A"].proposal
    page = client.get(own.get_absolute_url())
    moderate_url = reverse("proposals:moderate", args=[own.pk])
    comment_url = reverse("proposals:comment_moderate", args=[sides["A"].comment.pk])
    form = form_posting_to(page, moderate_url)["fields"]
    done = client.post(moderate_url, {**form, "reason": "개인정보 노출", "action": "hide"})
    assert done.status_code == 302
    _reload(own)
    assert (own.is_hidden, own.hidden_reason) == (True, "개인정보 노출")
    # Hidden, A's proposal still reads in full for its administrator
    page = client.get(own.get_absolute_url())
    assert own.body in page_text(page)
    assert form_posting_to(page, comment_url)["fields"]["csrfmiddlewaretoken"]

    # The city's and B's pages offer no moderation, and posting it anyway is a 404
    for key in ("city", "B"):
        theirs = sides[key].proposal
        page = client.get(theirs.get_absolute_url())
        assert reverse("proposals:moderate", args=[theirs.pk]) not in page_html(page)
        token = form_posting_to(page, reverse("proposals:follow", args=[theirs.pk]))["fields"]
        for url in (
            reverse("proposals:moderate", args=[theirs.pk]),
            reverse("proposals:comment_moderate", args=[sides[key].comment.pk]),
        ):
            refused = client.post(url, {**token, "reason": "숨김", "action": "hide"})
            assert refused.status_code == 404
        _reload(theirs, sides[key].comment)
        assert not theirs.is_hidden and not sides[key].comment.is_hidden


def test_an_a_official_gets_no_moderation_on_the_page_of_a(world):
    sides, users = world
    client = logged_in(users["a_official"], csrf_checks=True)
    own = sides["A"].proposal
    page = client.get(own.get_absolute_url())
    moderate_url = reverse("proposals:moderate", args=[own.pk])
    assert moderate_url not in page_html(page)
    token = form_posting_to(page, reverse("proposals:follow", args=[own.pk]))["fields"]
    assert (
        client.post(moderate_url, {**token, "reason": "숨김", "action": "hide"}).status_code == 404
    )
    with pytest.raises(PermissionDenied):
        services.proposal_hide(proposal=own, user=users["a_official"], reason="숨김")
    _reload(own)
    assert not own.is_hidden


def test_a_hidden_proposal_of_b_stays_closed_to_the_a_admin(world):
    sides, users = world
    theirs = sides["B"].proposal
    services.proposal_hide(proposal=theirs, user=users["operator"], reason="운영 원칙 위반")
    page = logged_in(users["a_admin"]).get(theirs.get_absolute_url())
    assert theirs.body not in page_text(page)
    assert sides["B"].comment.body not in page_text(page)
    own = sides["A"].proposal
    services.proposal_hide(proposal=own, user=users["operator"], reason="운영 원칙 위반")
    page = logged_in(users["a_admin"]).get(own.get_absolute_url())
    assert own.body in page_text(page)


# --- the services, asked with the row ------------------------------------------------


@pytest.mark.parametrize("key", ["city", "B"])
def test_every_moderation_service_refuses_another_owners_row_in_words(world, key):
    sides, users = world
    admin_user = users["a_admin"]
    side = sides[key]
    calls = [
        lambda: services.proposal_hide(proposal=side.proposal, user=admin_user, reason="숨김"),
        lambda: services.proposal_trash(proposal=side.proposal, user=admin_user, reason="삭제"),
        lambda: services.comment_set_hidden(
            comment=side.comment, user=admin_user, reason="광고", hidden=True
        ),
        lambda: services.report_dismiss(report=side.proposal_report, user=admin_user, reason="x"),
        lambda: services.report_dismiss(report=side.comment_report, user=admin_user, reason="x"),
    ]
    for call in calls:
        with pytest.raises(ServiceError) as refused:
            call()
        assert refused.value.message == NOT_YOURS
    Proposal.objects.filter(pk=side.proposal.pk).update(is_hidden=True, deleted_at=None)
    for call in (
        lambda: services.proposal_unhide(proposal=side.proposal, user=admin_user, reason="복구"),
    ):
        with pytest.raises(ServiceError):
            call()
    _reload(side.proposal, side.comment, side.proposal_report, side.comment_report)
    assert side.proposal.deleted_at is None and not side.comment.is_hidden
    assert side.proposal_report.resolved_at is None and side.comment_report.resolved_at is None
    assert not ProposalEvent.objects.filter(actor=admin_user).exists()


def test_the_refusal_reads_in_korean(world):
    from django.utils import translation

    sides, users = world
    with translation.override("ko"), pytest.raises(ServiceError) as refused:
        services.proposal_hide(proposal=sides["B"].proposal, user=users["a_admin"], reason="숨김")
    assert refused.value.message == NOT_YOURS_KO


# --- the staff home ----------------------------------------------------------------------


def test_the_a_admins_home_lists_the_reports_waiting_on_a_only(world):
    sides, users = world
    client = logged_in(users["a_admin"])
    text = page_text(client.get(reverse("admin:index")))
    assert "Reports on your institution's proposals" in text
    assert sides["A"].proposal.title in text
    assert sides["B"].proposal.title not in text and sides["city"].proposal.title not in text
    home = page_html(client.get(reverse("admin:index")))
    for report in (sides["A"].proposal_report, sides["A"].comment_report):
        assert reverse("admin:proposals_report_change", args=[report.pk]) in home
    for key in ("city", "B"):
        for report in (sides[key].proposal_report, sides[key].comment_report):
            assert reverse("admin:proposals_report_change", args=[report.pk]) not in home

    # Handled, they leave the home
    services.report_dismiss(report=sides["A"].proposal_report, user=users["a_admin"], reason="x")
    services.comment_set_hidden(
        comment=sides["A"].comment, user=users["a_admin"], reason="광고", hidden=True
    )
    text = page_text(client.get(reverse("admin:index")))
    assert "No report on your institution's proposals is waiting." in text
    # The operator's and an official's homes have no such section
    for role in ("operator", "a_official"):
        text = page_text(logged_in(users[role]).get(reverse("admin:index")))
        assert "Reports on your institution's proposals" not in text
