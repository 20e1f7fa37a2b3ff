"""The demo data command (`seed_demo`) and the demo logins table."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import Department, User
from accounts.roles import Role
from proposals import demo_data
from proposals.models import (
    Category,
    Comment,
    Endorsement,
    EventKind,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    ProposalView,
    Tag,
)
from tests.factories import ProposalFactory

SMALL = 15  # proposals in the quick runs; the realized examples come first


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def world_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Department,
            Category,
            User,
            EmailAddress,
            Group,
            Proposal,
            Endorsement,
            Comment,
            ProposalEvent,
            ProposalView,
            Tag,
        )
    }


# --- the plan (no database) -----------------------------------------------------------


def test_the_plan_is_deterministic_and_a_smaller_count_is_a_prefix():
    full = demo_data.proposal_specs()
    demo_data.proposal_specs.cache_clear()
    assert demo_data.proposal_specs() == full
    assert demo_data.proposal_specs(SMALL) == full[:SMALL]


def test_the_plan_has_varied_realistic_proposals():
    specs = demo_data.proposal_specs()
    assert len(specs) >= 200
    assert len({(s.title, s.author) for s in specs}) == len(specs)
    assert len(demo_data.IDEAS) >= 50
    assert len({s.idea for s in specs if s.idea}) == len(demo_data.IDEAS)
    assert [s.title for s in specs[: len(demo_data.REALIZED)]] == list(demo_data.REALIZED_TITLES)
    for spec in specs:
        assert 2 <= len(spec.title) <= 100
        assert "\n\n" in spec.body, "bodies have several paragraphs"
        assert not re.search(r"[{}]", spec.title + spec.body), "no unfilled placeholder"
        assert 1 <= len(spec.tags) <= 4
        assert spec.author not in spec.endorsers
        assert len(spec.comments) <= 8
    assert len({s.district for s in specs}) >= 20
    assert len({s.category for s in specs}) == len(demo_data.CATEGORIES)


# --- the command ---------------------------------------------------------------------


@pytest.mark.django_db
def test_full_seed_creates_the_demo_world():
    # Given an empty database, when the full demo is loaded
    output = seed()

    # Then it says what it made
    assert "210 proposals" in output

    # and there are departments and categories, each with its default department
    assert Category.objects.count() == len(demo_data.CATEGORIES)
    assert not Category.objects.filter(default_department=None).exists()
    assert Department.objects.filter(code="creative-policy", name="창의담당관").exists()
    assert Category.objects.get(code="transport").default_department.name == "교통정책과"

    # and members of every role
    for role in Role:
        assert User.objects.filter(groups__name=role).exists(), role
    assert (
        User.objects.filter(email__startswith="member").count() == demo_data.GENERATED_MEMBER_COUNT
    )

    # and at least 200 proposals spread over the last year, the realized examples among them
    proposals = Proposal.objects.all()
    assert proposals.count() >= 200
    for title in demo_data.REALIZED_TITLES:
        realized = proposals.get(title=title)
        assert realized.endorsement_count >= 60
        assert realized.comment_count >= 5
    now = timezone.now()
    oldest = proposals.order_by("created_at").first().created_at
    assert (now - oldest).days >= 300
    assert not proposals.filter(created_at__gt=now).exists()
    assert proposals.filter(created_at__gte=now - timezone.timedelta(days=30)).exists()

    # and every counter equals the rows it counts
    mismatched = proposals.annotate(
        endorsement_rows=Count("endorsements", distinct=True),
        comments_shown=Count("comments", filter=Q(comments__deleted_at=None), distinct=True),
    ).exclude(endorsement_count=F("endorsement_rows"), comment_count=F("comments_shown"))
    assert list(mismatched.values_list("title", flat=True)) == []
    views = dict(ProposalView.objects.values_list("proposal").annotate(n=Count("id")))
    assert {p.pk: p.view_count for p in proposals if p.view_count} == views

    # and the timeline agrees with the backdated proposal
    created_events = ProposalEvent.objects.filter(kind=EventKind.CREATED)
    assert created_events.count() == proposals.count()
    assert not created_events.exclude(created_at=F("proposal__created_at")).exists()
    assert not Endorsement.objects.filter(created_at__lt=F("proposal__created_at")).exists()
    assert not Comment.objects.filter(created_at__lt=F("proposal__created_at")).exists()
    assert not Comment.objects.exclude(updated_at=F("created_at")).exists(), "none looks edited"

    # and a few were withdrawn by their authors, through the pipeline
    withdrawn = proposals.filter(status=ProposalStatus.WITHDRAWN)
    assert 3 <= withdrawn.count() <= 12
    # and the pipeline shows every stage, from open to adopted
    assert set(proposals.values_list("status", flat=True)) == set(ProposalStatus.values)
    from meetings.models import RealizationMeeting

    first, past, upcoming = RealizationMeeting.objects.order_by("scheduled_at")
    assert [first.number, past.number, upcoming.number] == [1, 2, 3]
    for meeting in (first, past):
        assert meeting.status == "held" and meeting.scheduled_at < now
        assert meeting.scheduled_at < meeting.held_at < now
    assert (now - first.scheduled_at).days >= 240, "the first meeting was most of a year ago"
    assert {"adopted", "not_adopted"} <= set(first.items.values_list("decision", flat=True))
    assert set(past.items.values_list("decision", flat=True)) == {
        "adopted",
        "held_over",
        "not_adopted",
    }
    assert upcoming.status == "scheduled" and upcoming.scheduled_at > timezone.now()
    assert upcoming.items.count() >= 2
    check_adopted_items(now)
    for proposal in withdrawn:
        event = proposal.events.get(kind=EventKind.STATUS_CHANGED)
        assert event.actor_id == proposal.author_id
        assert event.created_at == proposal.withdrawn_at > proposal.created_at

    # and officials' comments carry their department's badge
    badged = Comment.objects.exclude(author_department=None)
    assert badged.exists()
    assert set(badged.values_list("author_department__code", flat=True)) <= {
        "transport-policy",
        "climate-environment-policy",
    }


@pytest.mark.django_db
def test_demo_logins_have_their_roles():
    seed("--proposals", "0")

    def user(email):
        return User.objects.get(email=email)

    official = user(demo_data.OFFICIAL_EMAIL)
    assert official.role_names == {Role.OFFICIAL}
    assert official.department.name == "교통정책과"
    assert official.is_staff
    # The transport department's head: may hand its adopted items over.
    assert official.department.head == official
    # … and has a colleague to hand a card to.
    colleague = user("official.transport-policy@demo.oasis.kr")
    assert colleague.department == official.department and colleague.has_role(Role.OFFICIAL)
    assert user(demo_data.OFFICIAL2_EMAIL).department.code == "climate-environment-policy"
    operator = user(demo_data.OPERATOR_EMAIL)
    assert operator.has_role(Role.OPERATOR) and operator.is_staff and operator.is_superuser
    assert operator.department.name == "창의담당관"
    assert user(demo_data.PANEL_EMAIL).has_role(Role.PANEL)
    assert user(demo_data.EXPERT_EMAIL).has_role(Role.EXPERT_INTERNAL)
    assert user(demo_data.EXPERT2_EMAIL).has_role(Role.EXPERT_EXTERNAL)
    assert user(demo_data.MAYOR_EMAIL).has_role(Role.MAYOR_OFFICE)
    citizen = user(demo_data.CITIZEN_EMAIL)
    assert citizen.display_name == "김서울" and not citizen.is_staff
    assert user(demo_data.CITIZEN2_EMAIL).nickname
    assert (
        not User.objects.filter(is_superuser=True).exclude(email=demo_data.OPERATOR_EMAIL).exists()
    )


@pytest.mark.django_db
def test_every_demo_login_can_log_in(client):
    seed("--proposals", "0")
    for login in demo_data.DEMO_LOGINS:
        response = client.post(
            "/accounts/login/", {"login": login.email, "password": demo_data.DEMO_PASSWORD}
        )
        assert response.status_code == 302, login.email
        assert client.session.get("_auth_user_id") == str(User.objects.get(email=login.email).pk), (
            login.email
        )
        client.logout()
    member = demo_data.generated_members()[0]
    assert client.login(email=member.email, password=demo_data.DEMO_PASSWORD)


@pytest.mark.django_db
def test_running_twice_creates_nothing_new():
    seed("--proposals", str(SMALL))
    before = world_counts()

    output = seed("--proposals", str(SMALL))

    assert world_counts() == before
    assert "nothing new" in output
    assert before["Proposal"] == SMALL


@pytest.mark.django_db
def test_a_larger_run_adds_only_the_missing_proposals():
    seed("--proposals", "5")
    first = set(Proposal.objects.values_list("pk", flat=True))

    seed("--proposals", str(SMALL))

    assert Proposal.objects.count() == SMALL
    assert first <= set(Proposal.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_if_empty_does_nothing_when_a_proposal_exists():
    ProposalFactory()
    before = world_counts()

    output = seed("--if-empty")

    assert world_counts() == before
    assert "not loaded" in output
    assert not User.objects.filter(email__endswith="@" + demo_data.DEMO_EMAIL_DOMAIN).exists()


@pytest.mark.django_db
def test_if_empty_loads_an_empty_database():
    seed("--if-empty", "--proposals", "3")
    assert Proposal.objects.count() == 3


@pytest.mark.django_db
def test_print_demo_logins_lists_every_login_with_the_password():
    seed("--proposals", "0")
    out = io.StringIO()

    call_command("print_demo_logins", stdout=out)

    text = out.getvalue()
    for login in demo_data.DEMO_LOGINS:
        line = next(line for line in text.splitlines() if login.email + " " in line)
        assert login.role_ko in line and login.role_en in line
        assert demo_data.DEMO_PASSWORD in line
    assert "not in the database" not in text


@pytest.mark.django_db
def test_print_demo_logins_warns_before_the_seed():
    out = io.StringIO()
    call_command("print_demo_logins", stdout=out)
    assert "run `python manage.py seed_demo`" in out.getvalue()


def check_adopted_items(now):
    """The adopted items' management cards show every stage and case."""
    from meetings.models import AgendaItem
    from tracking.models import (
        CardAttachment,
        CardEvent,
        CardStage,
        ManagementCard,
        ProgressReport,
        ReportStatus,
    )
    from tracking.selectors import (
        cards_without_owner,
        dashboard_by_department,
        overdue_reports,
        public_cards,
    )

    cards = ManagementCard.objects.all()
    assert cards.count() == AgendaItem.objects.filter(decision="adopted").count()
    # every stage
    assert set(cards.values_list("stage", flat=True)) == set(CardStage.values)
    assert set(public_cards().values_list("stage", flat=True)) == set(CardStage.values)
    # a completed card with photos (shown as "what was realised") and reports reaching 100%
    completed = cards.get(stage=CardStage.COMPLETED)
    assert completed.percent_complete == 100
    assert completed.attachments.filter(kind="photo").count() >= 2
    percents = list(
        completed.progress_reports.filter(status=ReportStatus.SUBMITTED)
        .order_by("period")
        .values_list("percent_complete", flat=True)
    )
    assert len(percents) >= 3 and percents == sorted(percents) and percents[-1] == 100
    # cards under way with submitted reports
    assert ProgressReport.objects.filter(
        card__stage=CardStage.IN_PROGRESS, status=ReportStatus.SUBMITTED
    ).exists()
    # a suspended card with its reason, in its history too
    suspended = cards.get(stage=CardStage.SUSPENDED)
    assert len(suspended.suspended_reason) > 20
    assert suspended.events.filter(to_stage=CardStage.SUSPENDED, note=suspended.suspended_reason)
    # an overdue report the operators were told about, and a card nobody carries
    overdue = overdue_reports(now=now)
    assert overdue.exists()
    assert not overdue.filter(escalated_at__isnull=True).exists()
    ownerless = list(cards_without_owner())
    assert ownerless and ownerless[0].progress_reports.filter(escalated_at__isnull=False).exists()
    # the dashboard counts them all, one stalled card among them
    rows = dashboard_by_department(now=now)
    for column in ("open", "overdue", "stalled", "completed"):
        assert sum(row[column] for row in rows) >= 1, column
    # nothing is dated in the future, and every history reads in order
    for model, fields in (
        (ManagementCard, ("created_at", "updated_at", "stage_changed_at")),
        (CardEvent, ("created_at",)),
        (CardAttachment, ("created_at",)),
        (ProgressReport, ("requested_at", "submitted_at", "reminded_at", "escalated_at")),
        (ProposalEvent, ("created_at",)),
    ):
        for name in fields:
            assert not model.objects.filter(**{f"{name}__gt": now}).exists(), (model, name)
    for card in cards:
        opened = card.agenda_item.meeting.scheduled_at
        assert card.created_at == opened == card.agenda_item.decided_at
        events = list(card.events.order_by("created_at", "pk"))
        assert events[0].kind == "opened"
        assert all(e.created_at >= opened for e in events)
        assert card.stage_changed_at == max(
            [opened] + [e.created_at for e in events if e.kind == "stage_changed"]
        )
        previous = opened
        for report in card.progress_reports.order_by("period"):
            assert report.requested_at > previous
            assert report.due_date == timezone.localdate(report.requested_at) + timezone.timedelta(
                days=14
            )
            if report.submitted_at:
                assert report.requested_at < report.submitted_at
            if report.escalated_at:
                assert report.status == ReportStatus.REQUESTED
                assert timezone.localdate(report.escalated_at) > report.due_date
            previous = report.requested_at
        timeline = card.proposal.events.filter(kind="card_stage_changed")
        assert timeline.count() == card.events.filter(kind="stage_changed").count()
        assert all(e.created_at >= opened for e in timeline)
