"""Themes' services: publishing and closing (by an operator, by the beat
twice → once), the routing of a theme's proposal to the theme's department,
the theme debate picks, and the department's final response with two
departments. Each refusal leaves nothing written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditRecord
from debates.models import Debate
from notifications.models import Notification
from oasis.errors import PermissionDenied, ServiceError
from pipeline import services as conductor
from proposals import services as proposal_services
from proposals.models import EventKind, Proposal, ProposalStatus
from tests.answers.helpers import published
from tests.factories import CategoryFactory, DepartmentFactory, UserFactory, official, operator
from tests.themes.helpers import make_theme, proposal_fields
from themes import services, tasks
from themes.models import ThemeStatus

pytestmark = pytest.mark.django_db


def propose(theme, **fields):
    return services.theme_propose(theme=theme, author=UserFactory(), **proposal_fields(**fields))


# --- publishing and closing -------------------------------------------------------------


def test_an_operator_publishes_a_draft_and_an_audit_row_says_so():
    theme = make_theme(status=ThemeStatus.DRAFT)
    staff = operator()

    services.theme_publish(theme=theme, actor=staff)

    theme.refresh_from_db()
    assert theme.status == ThemeStatus.PUBLISHED and theme.published_at is not None
    assert AuditRecord.objects.get(action="themes.theme_published").actor == staff
    with pytest.raises(ServiceError, match="already published"):
        services.theme_publish(theme=theme, actor=staff)


def test_only_operators_publish_and_a_past_period_is_refused():
    theme = make_theme(status=ThemeStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.theme_publish(theme=theme, actor=official(theme.department))
    now = timezone.now()
    late = make_theme(
        status=ThemeStatus.DRAFT, starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=1)
    )
    with pytest.raises(ServiceError, match="period is already over"):
        services.theme_publish(theme=late, actor=operator())
    late.refresh_from_db()
    assert late.status == ThemeStatus.DRAFT and not AuditRecord.objects.exists()


def test_closing_early_needs_a_reason_and_tells_the_department_once():
    theme = make_theme()
    clerk = official(theme.department)
    propose(theme)
    staff = operator()

    with pytest.raises(ServiceError, match="reason"):
        services.theme_close(theme=theme, actor=staff, reason=" ")
    theme.refresh_from_db()
    assert theme.status == ThemeStatus.PUBLISHED

    services.theme_close(theme=theme, actor=staff, reason="예산 일정이 앞당겨졌습니다")
    theme.refresh_from_db()
    assert theme.status == ThemeStatus.CLOSED and theme.closed_at is not None
    notice = Notification.objects.get(kind="theme_closed")
    assert notice.recipient == clerk and notice.params["count"] == 1
    assert notice.url.endswith(f"/themes/theme/{theme.pk}/respond/")
    audit = AuditRecord.objects.get(action="themes.theme_closed_early")
    assert audit.params == {"reason": "예산 일정이 앞당겨졌습니다", "proposals": 1}
    with pytest.raises(ServiceError, match="already closed"):
        services.theme_close(theme=theme, actor=staff, reason="again")


def test_the_beat_closes_themes_whose_period_ended_once_however_often_it_runs():
    due = make_theme(days_left=1)
    later = make_theme(days_left=5)
    draft = make_theme(status=ThemeStatus.DRAFT, days_left=1)
    official(due.department)
    now = timezone.now() + timedelta(days=2)

    assert services.close_due_themes(now=now) == 1
    assert services.close_due_themes(now=now) == 0
    assert tasks.close_due_themes.delay().get() == 0

    due.refresh_from_db(), later.refresh_from_db(), draft.refresh_from_db()
    assert due.status == ThemeStatus.CLOSED and due.closed_at == now
    assert later.status == ThemeStatus.PUBLISHED and draft.status == ThemeStatus.DRAFT
    assert Notification.objects.filter(kind="theme_closed").count() == 1


# --- routing ------------------------------------------------------------------------------


def test_the_conductor_gives_a_theme_proposal_to_the_theme_department():
    themes_department = DepartmentFactory(name="보행정책과")
    category_department = DepartmentFactory(name="도로관리과")
    category = CategoryFactory(default_department=category_department)
    theme = make_theme(department=themes_department)
    in_theme = propose(theme, category=category)
    free = proposal_services.proposal_create(
        author=UserFactory(), **proposal_fields(category=category)
    )
    Proposal.objects.filter(pk__in=[in_theme.pk, free.pk]).update(endorsement_count=50)

    assert conductor.promote_if_due(proposal_id=in_theme.pk) == ProposalStatus.ASSIGNED
    assert conductor.promote_if_due(proposal_id=free.pk) == ProposalStatus.ASSIGNED

    in_theme.refresh_from_db(), free.refresh_from_db()
    assert in_theme.department == themes_department
    assert in_theme.assignments.get().department == themes_department
    assert free.department == category_department


# --- the theme debate -----------------------------------------------------------------------


def closed_theme_with(*statuses):
    theme = make_theme()
    proposals = [propose(theme, title=f"테마 제안 {n}") for n in range(len(statuses))]
    services.theme_close(theme=theme, actor=operator(), reason="마감")
    for proposal, status in zip(proposals, statuses, strict=True):
        if status in ("assigned", "answered"):
            Proposal.objects.filter(pk=proposal.pk).update(endorsement_count=50)
            conductor.promote_if_due(proposal_id=proposal.pk)
        if status == "answered":
            published(proposal.assignments.get())
        proposal.refresh_from_db()
    theme.refresh_from_db()
    return theme, proposals


def test_picking_opens_the_debate_of_an_answered_proposal_and_hands_an_open_one_to_the_department(
    django_capture_on_commit_callbacks,
):
    theme, (answered, waiting, fresh) = closed_theme_with("answered", "assigned", "open")
    assert [p.status for p in (answered, waiting, fresh)] == ["answered", "assigned", "open"]
    staff = operator()

    services.theme_pick_for_debate(theme=theme, actor=staff, proposals=[answered, waiting, fresh])

    assert Debate.objects.filter(proposal=answered).exists()
    fresh.refresh_from_db()
    assert fresh.status == ProposalStatus.ASSIGNED
    assert fresh.assignments.get().department == theme.department
    for proposal in (answered, waiting, fresh):
        assert proposal.theme_entry.picked_for_debate_at is not None
        assert proposal.events.filter(kind=EventKind.THEME_DEBATE_PICKED).count() == 1
    assert Notification.objects.filter(kind="theme_debate_picked").count() == 3
    assert AuditRecord.objects.get(action="themes.theme_debate_picked").params == {
        "proposals": sorted(p.pk for p in (answered, waiting, fresh))
    }

    # The waiting one's debate opens when its answer is published.
    assert not Debate.objects.filter(proposal=waiting).exists()
    with django_capture_on_commit_callbacks(execute=True):
        published(waiting.assignments.get())
    waiting.refresh_from_db()
    assert waiting.status == ProposalStatus.DEBATE
    assert Debate.objects.filter(proposal=waiting).count() == 1
    # The catch-up finds nothing more to open.
    assert services.open_picked_debates() == 0


def test_picking_is_refused_while_the_theme_is_open_and_for_a_hidden_proposal():
    open_theme = make_theme()
    proposal = propose(open_theme)
    with pytest.raises(ServiceError, match="after the theme closes"):
        services.theme_pick_for_debate(theme=open_theme, actor=operator(), proposals=[proposal])

    theme, (good, hidden) = closed_theme_with("answered", "open")
    staff = operator()
    proposal_services.proposal_hide(proposal=hidden, user=staff, reason="광고")
    with pytest.raises(ServiceError, match="hidden"):
        services.theme_pick_for_debate(theme=theme, actor=staff, proposals=[good, hidden])
    # One refusal refuses all: nothing picked, no debate, nobody told.
    good.refresh_from_db()
    assert good.theme_entry.picked_for_debate_at is None
    assert not Debate.objects.exists()
    assert not Notification.objects.filter(kind="theme_debate_picked").exists()
    with pytest.raises(PermissionDenied):
        services.theme_pick_for_debate(
            theme=theme, actor=official(theme.department), proposals=[good]
        )
    other = propose(make_theme())
    with pytest.raises(ServiceError, match="not submitted to this theme"):
        services.theme_pick_for_debate(theme=theme, actor=staff, proposals=[other])


# --- the final response -----------------------------------------------------------------


def test_the_theme_department_writes_the_final_response_and_another_department_may_not():
    theme, (proposal,) = closed_theme_with("open")
    ours = official(theme.department)
    theirs = official(DepartmentFactory(name="문화정책과"))

    with pytest.raises(PermissionDenied):
        services.theme_respond(theme=theme, actor=theirs, response="남의 부서 답변")
    with pytest.raises(PermissionDenied):
        services.theme_respond(theme=theme, actor=proposal.author, response="시민 답변")

    services.theme_respond(
        theme=theme, actor=ours, response="보행로 확장을 검토합니다.", outcome="2027년 예산 반영"
    )
    theme.refresh_from_db()
    assert theme.response == "보행로 확장을 검토합니다." and theme.outcome == "2027년 예산 반영"
    assert theme.response_published_at is not None
    notice = Notification.objects.get(kind="theme_response_published")
    assert notice.recipient == proposal.author

    # An operator corrects it: still published with its first date, nobody told twice.
    first = theme.response_published_at
    services.theme_respond(theme=theme, actor=operator(), response="고친 답변", outcome="")
    theme.refresh_from_db()
    assert theme.response == "고친 답변" and theme.response_published_at == first
    assert Notification.objects.filter(kind="theme_response_published").count() == 1


def test_the_response_waits_for_the_close_and_is_never_empty():
    theme = make_theme()
    clerk = official(theme.department)
    with pytest.raises(ServiceError, match="after the theme closes"):
        services.theme_respond(theme=theme, actor=clerk, response="이른 답변")
    services.theme_close(theme=theme, actor=operator(), reason="마감")
    with pytest.raises(ServiceError, match="write the department's response"):
        services.theme_respond(theme=theme, actor=clerk, response="  ")
    theme.refresh_from_db()
    assert theme.response == "" and theme.response_published_at is None


def test_a_draft_response_stays_unpublished():
    theme, _ = closed_theme_with("open")
    services.theme_respond(
        theme=theme, actor=official(theme.department), response="초안", publish=False
    )
    theme.refresh_from_db()
    assert theme.response == "초안" and theme.response_published_at is None
    assert not Notification.objects.filter(kind="theme_response_published").exists()


def test_the_beat_opens_a_picked_debate_whose_answer_came_while_the_broker_was_away():
    theme, (waiting,) = closed_theme_with("assigned")
    services.theme_pick_for_debate(theme=theme, actor=operator(), proposals=[waiting])
    published(waiting.assignments.get())  # its after-commit task never ran
    waiting.refresh_from_db()
    assert waiting.status == ProposalStatus.ANSWERED

    services.close_due_themes()
    services.close_due_themes()

    waiting.refresh_from_db()
    assert waiting.status == ProposalStatus.DEBATE
    assert Debate.objects.filter(proposal=waiting).count() == 1
