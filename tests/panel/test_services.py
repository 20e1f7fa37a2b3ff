"""The panel's services: applications and their decisions, the end of a
membership, ratings and the proposal's panel score. Each refusal is a
clear message and writes nothing."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import AuditRecord, User
from accounts.participation import Action
from accounts.roles import Role
from accounts.signals import participation
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError
from panel import rules as panel_rules
from panel import services
from panel.models import ApplicationStatus, PanelApplication, PanelRating
from panel.notices import PanelNotice
from panel.services import panel_score_of
from proposals.models import ProposalStatus
from tests.factories import UserFactory, official, operator

from .helpers import approved_member, open_proposal, panel_member, rate

pytestmark = pytest.mark.django_db

MOTIVATION = "우리 동네 제안을 꼼꼼히 읽고 평가하고 싶습니다."


# --- applications -----------------------------------------------------------------


def test_a_citizen_applies_once_and_a_second_application_waits_for_the_first():
    member = UserFactory()
    application = services.panel_apply(member=member, motivation=f"  {MOTIVATION}  ")
    assert (application.status, application.motivation) == (ApplicationStatus.PENDING, MOTIVATION)

    with pytest.raises(ServiceError, match="already waiting for a decision"):
        services.panel_apply(member=member, motivation=MOTIVATION)
    assert PanelApplication.objects.filter(member=member).count() == 1


@pytest.mark.parametrize("motivation", ["", "   ", "가" * 2001])
def test_an_empty_or_too_long_motivation_is_refused(motivation):
    member = UserFactory()
    with pytest.raises(ServiceError):
        services.panel_apply(member=member, motivation=motivation)
    assert not PanelApplication.objects.exists()


@pytest.mark.parametrize(
    ("who", "message"),
    [
        (lambda: official(), "Staff members cannot join"),
        (lambda: operator(), "Staff members cannot join"),
        (lambda: panel_member(), "already a member"),
    ],
)
def test_staff_and_panel_members_cannot_apply(who, message):
    with pytest.raises(ServiceError, match=message):
        services.panel_apply(member=who(), motivation=MOTIVATION)
    assert not PanelApplication.objects.exists()


def test_approval_gives_the_panel_role_records_an_audit_row_and_tells_the_member():
    actor = operator()
    member = UserFactory()
    application = services.panel_apply(member=member, motivation=MOTIVATION)

    services.panel_application_approve(application=application, actor=actor, note="환영합니다")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert (application.decided_by, application.decision_note) == (actor, "환영합니다")
    assert application.decided_at is not None
    member.refresh_from_db()
    assert member.has_role(Role.PANEL)
    record = AuditRecord.objects.get(action=services.APPLICATION_APPROVED)
    assert (record.actor, record.params) == (actor, {"member": member.pk})
    notice = Notification.objects.get(recipient=member)
    assert notice.kind == PanelNotice.APPLICATION_APPROVED
    assert notice.url == "/panel/"


def test_a_refusal_needs_a_note_which_the_member_is_told():
    actor = operator()
    member = UserFactory()
    application = services.panel_apply(member=member, motivation=MOTIVATION)

    with pytest.raises(ServiceError, match="Please give a reason"):
        services.panel_application_refuse(application=application, actor=actor, note="  ")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING

    services.panel_application_refuse(
        application=application, actor=actor, note="활동 계획을 조금 더 알려 주세요."
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    member.refresh_from_db()
    assert not member.has_role(Role.PANEL)
    notice = Notification.objects.get(recipient=member)
    assert notice.kind == PanelNotice.APPLICATION_REFUSED
    assert notice.params == {"note": "활동 계획을 조금 더 알려 주세요."}
    assert "활동 계획을 조금 더 알려 주세요." in notice.message
    assert AuditRecord.objects.filter(action=services.APPLICATION_REFUSED).count() == 1


def test_a_decided_application_cannot_be_decided_again():
    actor = operator()
    member, application = approved_member(actor)
    with pytest.raises(ServiceError, match="already decided"):
        services.panel_application_approve(application=application, actor=actor)
    with pytest.raises(ServiceError, match="already decided"):
        services.panel_application_refuse(application=application, actor=actor, note="아니요")
    assert AuditRecord.objects.filter(action__startswith="panel.").count() == 1
    assert Notification.objects.filter(recipient=member).count() == 1


def test_only_operators_decide():
    member = UserFactory()
    application = services.panel_apply(member=member, motivation=MOTIVATION)
    for who in (UserFactory(), panel_member(), official()):
        with pytest.raises(PermissionDenied):
            services.panel_application_approve(application=application, actor=who)
        with pytest.raises(PermissionDenied):
            services.panel_application_refuse(application=application, actor=who, note="x")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_a_member_who_became_staff_meanwhile_is_not_approved():
    member = UserFactory()
    application = services.panel_apply(member=member, motivation=MOTIVATION)
    member.groups.add(Group.objects.get_or_create(name=Role.OFFICIAL)[0])
    with pytest.raises(ServiceError, match="staff role"):
        services.panel_application_approve(application=application, actor=operator())
    assert not member.groups.filter(name=Role.PANEL).exists()


def test_the_applicant_withdraws_their_waiting_application_and_may_apply_again():
    member = UserFactory()
    application = services.panel_apply(member=member, motivation=MOTIVATION)
    with pytest.raises(PermissionDenied):
        services.panel_application_withdraw(application=application, member=UserFactory())

    services.panel_application_withdraw(application=application, member=member)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(ServiceError, match="already decided"):
        services.panel_application_withdraw(application=application, member=member)

    assert services.panel_apply(member=member, motivation=MOTIVATION).pk != application.pk


def test_ending_a_membership_removes_the_role_and_keeps_the_ratings_counted():
    actor = operator()
    member, application = approved_member(actor)
    proposal = open_proposal()
    rate(proposal, member, 5, 4, 3)

    with pytest.raises(ServiceError, match="Please give a reason"):
        services.panel_membership_end(application=application, actor=actor, note="")
    services.panel_membership_end(application=application, actor=actor, note="활동 종료 요청")

    application.refresh_from_db()
    assert (application.status, application.ended_by, application.end_note) == (
        ApplicationStatus.ENDED,
        actor,
        "활동 종료 요청",
    )
    member = User.objects.get(pk=member.pk)
    assert not member.has_role(Role.PANEL)
    proposal.refresh_from_db()
    assert (proposal.panel_rating_count, proposal.panel_score) == (1, 400)
    assert Notification.objects.filter(recipient=member, kind=PanelNotice.MEMBERSHIP_ENDED).exists()
    # no longer on the panel: no more ratings, and they may apply again
    with pytest.raises(ServiceError, match="Only members of the citizen panel"):
        rate(open_proposal(), member)
    services.panel_apply(member=member, motivation=MOTIVATION)


def test_only_an_approved_membership_can_end():
    member = UserFactory()
    application = services.panel_apply(member=member, motivation=MOTIVATION)
    with pytest.raises(ServiceError, match="still waiting"):
        services.panel_membership_end(application=application, actor=operator(), note="왜")


# --- ratings ------------------------------------------------------------------------


def test_ratings_keep_the_count_and_the_mean_exact_in_hundredths():
    proposal = open_proposal()
    rate(proposal, panel_member(), 5, 4, 4)  # 13
    rate(proposal, panel_member(), 3, 4, 2)  # 9
    rate(proposal, panel_member(), 4, 4, 5)  # 13
    proposal.refresh_from_db()
    # (13 + 9 + 13) / 9 = 3.888… → 389
    assert (proposal.panel_rating_count, proposal.panel_score) == (3, 389)


@pytest.mark.parametrize(
    ("total", "count", "score"),
    [(0, 0, 0), (3, 1, 100), (15, 1, 500), (35, 3, 389), (22, 2, 367), (45, 4, 375)],
)
def test_the_score_rounds_half_up(total, count, score):
    assert panel_score_of(total, count) == score


def test_a_rating_is_final_and_given_once():
    proposal = open_proposal()
    member = panel_member()
    rate(proposal, member, 5, 5, 5)
    with pytest.raises(ServiceError, match="already rated"):
        rate(proposal, member, 1, 1, 1)
    proposal.refresh_from_db()
    assert (proposal.panel_rating_count, proposal.panel_score) == (1, 500)


def test_a_race_past_the_check_gets_the_same_message(monkeypatch):
    proposal = open_proposal()
    member = panel_member()
    rate(proposal, member)
    # the check saw nothing yet (the other tab's rating committed after it)
    monkeypatch.setattr(panel_rules, "rating_refusal", lambda user, proposal: None)
    with pytest.raises(ServiceError, match="already rated"):
        rate(proposal, member, 1, 1, 1)
    assert PanelRating.objects.count() == 1


def test_own_proposal_and_non_members_are_refused():
    member = panel_member()
    own = open_proposal(author=member)
    with pytest.raises(ServiceError, match="your own proposal"):
        rate(own, member)
    for who in (UserFactory(), official(), operator()):
        with pytest.raises(ServiceError, match="Only members of the citizen panel"):
            rate(open_proposal(), who)
    assert not PanelRating.objects.exists()


@pytest.mark.parametrize(
    ("c", "p", "f"),
    [(0, 3, 3), (3, 6, 3), (3, 3, -1), ("abc", 3, 3), (None, 3, 3), ("3.5", 3, 3), (3, 3, "")],
)
def test_scores_outside_one_to_five_or_not_numbers_are_refused(c, p, f):
    proposal = open_proposal()
    with pytest.raises(ServiceError, match="a score from 1 to 5"):
        rate(proposal, panel_member(), c, p, f)
    proposal.refresh_from_db()
    assert (proposal.panel_rating_count, PanelRating.objects.count()) == (0, 0)


def test_a_note_too_long_is_refused():
    with pytest.raises(ServiceError, match="within 1000 characters"):
        rate(open_proposal(), panel_member(), note="가" * 1001)
    assert not PanelRating.objects.exists()


@pytest.mark.parametrize(
    "status",
    [ProposalStatus.OPEN, ProposalStatus.ASSIGNED, ProposalStatus.ANSWERED, ProposalStatus.DEBATE],
)
def test_open_proposals_are_rated(status):
    rate(open_proposal(status=status), panel_member())
    assert PanelRating.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"status": ProposalStatus.NOT_REACHED},
        {"status": ProposalStatus.REVIEW},
        {"status": ProposalStatus.ADOPTED},
        {"status": ProposalStatus.NOT_ADOPTED},
        {"status": ProposalStatus.WITHDRAWN, "withdrawn_at": timezone.now()},
        {"is_hidden": True},
    ],
)
def test_closed_or_hidden_proposals_are_not_rated(fields):
    with pytest.raises(ServiceError, match="not open for the panel"):
        rate(open_proposal(**fields), panel_member())
    assert not PanelRating.objects.exists()


def test_a_rating_sends_the_participation_signal_once():
    received = []

    def receiver(sender, **kwargs):
        received.append((kwargs["action"], kwargs["member_id"], kwargs["proposal_id"]))

    participation.connect(receiver, dispatch_uid="test-panel-rating")
    try:
        proposal = open_proposal()
        member = panel_member()
        rate(proposal, member)
        with pytest.raises(ServiceError):
            rate(proposal, member)
    finally:
        participation.disconnect(dispatch_uid="test-panel-rating")
    assert received == [(Action.PANEL_RATING, member.pk, proposal.pk)]


def test_a_withdrawn_members_words_for_the_operators_go_after_the_period_and_scores_stay(
    settings,
):
    """Retention (review of issue 13): the motivation and the rating notes
    were written for the operators alone; the scores are part of a
    proposal's public score."""
    from accounts import services as account_services
    from accounts.tasks import purge_withdrawn_residue
    from panel.models import PanelApplication, PanelRating
    from tests.clock import at

    settings.OASIS_WITHDRAWN_RETENTION_DAYS = 30
    with at(2026, 11, 1, 9):
        member, _application = approved_member()
        proposal = open_proposal()
        rate(proposal, member, c=5, p=4, f=3, note="예산 검토가 필요해 보입니다")
        account_services.account_withdraw(user=member)
    with at(2026, 11, 20, 9):
        assert purge_withdrawn_residue() == 0
    assert PanelRating.objects.get(member=member).note
    with at(2026, 12, 20, 9):
        assert purge_withdrawn_residue() == 1
        assert purge_withdrawn_residue() == 0
    application = PanelApplication.objects.get(member=member)
    rating = PanelRating.objects.get(member=member)
    assert (application.motivation, rating.note) == ("", "")
    assert (rating.creativity, rating.public_value, rating.feasibility) == (5, 4, 3)
    proposal.refresh_from_db()
    assert (proposal.panel_rating_count, proposal.panel_score) == (1, 400)
