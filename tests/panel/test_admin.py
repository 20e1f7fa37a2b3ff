"""The operators' side of the panel: the applications list opens on those
waiting, approve and refuse are actions calling the services (refusal asks
for a note; a decided application is skipped with its reason), memberships
end with a note, ratings are read-only, and the staff home counts the
applications waiting. Other staff do not see any of it."""

import pytest

from accounts.models import AuditRecord, User
from accounts.permissions import sync_role_groups
from accounts.roles import Role
from accounts.staff_home import home_sections
from panel.models import ApplicationStatus, PanelApplication
from tests.factories import UserFactory, official
from tests.pages import logged_in, messages_sent, page_text

from .helpers import approved_member, open_proposal, panel_member, rate

pytestmark = pytest.mark.django_db

APPLICATIONS = "/admin/panel/panelapplication/"
RATINGS = "/admin/panel/panelrating/"


@pytest.fixture(autouse=True)
def _role_groups():
    sync_role_groups()


def _apply(**fields):
    return PanelApplication.objects.create(
        member=UserFactory(**fields), motivation="동네 제안을 읽고 평가하고 싶어요."
    )


def _act(client, action, ids, query="", **data):
    """The action as the changelist posts it, from the list filtered by
    `query` (the rows a list does not show are not acted on)."""
    return client.post(
        APPLICATIONS + query,
        {"action": action, "_selected_action": [str(i) for i in ids], **data},
    )


def test_the_list_opens_on_the_applications_waiting(operator_client, django_assert_max_num_queries):
    waiting = _apply(display_name="대기 신청자")
    refused = _apply(display_name="거절된 신청자")
    PanelApplication.objects.filter(pk=refused.pk).update(status=ApplicationStatus.REFUSED)
    operator_client.get(APPLICATIONS)
    for _ in range(10):
        _apply()
    with django_assert_max_num_queries(20):
        response = operator_client.get(APPLICATIONS)
    assert response.status_code == 200
    shown = {a.pk for a in response.context["cl"].result_list}
    assert waiting.pk in shown and refused.pk not in shown
    assert "This list shows the applications waiting for a decision." in page_text(response)
    every = operator_client.get(f"{APPLICATIONS}?status=all")
    assert refused.pk in {a.pk for a in every.context["cl"].result_list}
    assert operator_client.get(f"{APPLICATIONS}{waiting.pk}/change/").status_code == 200
    assert operator_client.get(f"{APPLICATIONS}add/").status_code == 403


def test_approving_from_the_list_gives_the_role_and_twice_is_skipped(
    operator_client, operator_user
):
    application = _apply()
    response = _act(operator_client, "approve_applications", [application.pk])
    assert response.status_code == 302
    assert "1 application was approved." in messages_sent(response)
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (
        ApplicationStatus.APPROVED,
        operator_user,
    )
    assert User.objects.get(pk=application.member_id).has_role(Role.PANEL)

    response = _act(operator_client, "approve_applications", [application.pk], "?status=all")
    texts = messages_sent(response)
    assert "Nothing was changed." in texts
    assert any("already decided" in t for t in texts)
    assert AuditRecord.objects.filter(action="panel.application_approved").count() == 1


def test_refusing_asks_for_a_note_then_refuses(operator_client):
    application = _apply()
    response = _act(operator_client, "refuse_applications", [application.pk])
    assert response.status_code == 200 and "Note to the member" in page_text(response)

    response = _act(operator_client, "refuse_applications", [application.pk], apply="yes", note="")
    assert "Please write a note to the member. Nothing has been changed." in messages_sent(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING

    response = _act(
        operator_client,
        "refuse_applications",
        [application.pk],
        apply="yes",
        note="다음 모집 때 다시 신청해 주세요.",
    )
    assert "1 application was refused." in messages_sent(response)
    application.refresh_from_db()
    assert (application.status, application.decision_note) == (
        ApplicationStatus.REFUSED,
        "다음 모집 때 다시 신청해 주세요.",
    )


def test_ending_a_membership_from_the_list(operator_client):
    member, application = approved_member()
    response = _act(
        operator_client,
        "end_memberships",
        [application.pk],
        "?status=approved",
        apply="yes",
        note="본인 요청으로 활동을 마칩니다.",
    )
    assert "1 membership was ended." in messages_sent(response)
    assert not User.objects.get(pk=member.pk).has_role(Role.PANEL)


def test_ratings_are_listed_read_only_and_filtered_by_proposal_or_member(
    operator_client, django_assert_max_num_queries
):
    proposal, other = open_proposal(title="평가받은 제안"), open_proposal(title="다른 제안")
    member = panel_member()
    rate(proposal, member, note="운영자에게만")
    rate(other, panel_member())
    with django_assert_max_num_queries(20):
        response = operator_client.get(RATINGS)
    assert len(response.context["cl"].result_list) == 2
    by_proposal = operator_client.get(f"{RATINGS}?proposal__id__exact={proposal.pk}")
    assert [r.proposal_id for r in by_proposal.context["cl"].result_list] == [proposal.pk]
    by_member = operator_client.get(f"{RATINGS}?member__id__exact={member.pk}")
    assert [r.member_id for r in by_member.context["cl"].result_list] == [member.pk]
    rating = response.context["cl"].result_list[0]
    change = operator_client.get(f"{RATINGS}{rating.pk}/change/")
    assert change.status_code == 200
    assert operator_client.post(f"{RATINGS}{rating.pk}/delete/").status_code == 403


def test_officials_do_not_see_the_panels_admin():
    client = logged_in(official())
    assert client.get(APPLICATIONS).status_code == 403
    assert client.get(RATINGS).status_code == 403


def test_the_operators_home_lists_the_applications_waiting(operator_user, operator_client):
    first = _apply(display_name="먼저 신청")
    _apply(display_name="나중 신청")
    sections = {s.key: s for _h, group in home_sections(operator_user) for s in group}
    section = sections["panel.applications"]
    assert section.count == 2
    assert [row.title for row in section.rows] == ["먼저 신청", "나중 신청"]
    assert section.rows[0].url == f"{APPLICATIONS}{first.pk}/change/"
    assert "Citizen panel applications waiting" in page_text(operator_client.get("/admin/"))
    assert "panel.applications" not in {
        s.key for _h, group in home_sections(official()) for s in group
    }


def test_an_application_of_a_member_who_left_oasis_is_withdrawn_and_leaves_the_home(
    operator_user,
):
    """Review of issue 13: a member who withdrew from Oasis while waiting
    kept a pending application on the operators' home for ever (approving it
    is refused, refusing it notifies nobody)."""
    from accounts.services import account_withdraw
    from panel.models import ApplicationStatus

    leaving = _apply(display_name="떠나는 회원")
    _apply(display_name="남는 회원")
    account_withdraw(user=leaving.member)
    leaving.refresh_from_db()
    assert leaving.status == ApplicationStatus.WITHDRAWN
    sections = {s.key: s for _h, group in home_sections(operator_user) for s in group}
    assert [row.title for row in sections["panel.applications"].rows] == ["남는 회원"]
