"""The full demo world (`seed_demo`), loaded once for this module (the
`world` fixture, tests/demo/conftest.py): what it holds, that it runs again
without change and sends no mail. Whether it reads true (dates that agree,
texts that fit) is test_seed_demo_story.py; runs on an empty database
(--if-empty, partial runs) are in test_seed_runs.py.
"""

import io
from datetime import timedelta
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import Department, User
from accounts.ownership import unowned_total
from accounts.predicates import must_use_second_factor
from accounts.roles import Role
from accounts.selectors import headless_departments, latest_consent
from answers.models import Answer
from debates.models import Argument, Debate, Stance
from debates.notices import DebateNotice
from demo import members, plan
from demo.institutions import institution_proposal_count
from demo.themes import theme_proposal_count
from meetings.models import AgendaItem, ExpertOpinionRequest, RealizationMeeting
from meetings.services import meeting_time_in
from notifications.models import Notification
from notifications.tasks import send_notification_email, send_pending_emails
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
from tests.demo.helpers import seed
from tracking.models import (
    CardAttachment,
    CardEvent,
    CardKind,
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

pytestmark = pytest.mark.django_db


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
            Notification,
        )
    }


def test_full_seed_creates_the_demo_world(world):
    # Given an empty database, when the full demo is loaded, then it says what it made
    assert "210 proposals" in world.output

    # and there are departments and categories, each with its default department
    # (the city's; the partner institution has its own, demo/institutions.py)
    assert Category.objects.filter(institution=None).count() == len(members.CATEGORIES)
    assert not Category.objects.filter(default_department=None).exists()
    assert Department.objects.filter(code="creative-policy", name="창의담당관").exists()
    assert Category.objects.get(code="transport").default_department.name == "교통정책과"

    # and members of every role
    for role in Role:
        assert User.objects.filter(groups__name=role).exists(), role
    assert User.objects.filter(email__startswith="member").count() == members.GENERATED_MEMBER_COUNT

    # and at least 200 proposals spread over the last year, the realized examples among them
    proposals = Proposal.objects.all()
    assert proposals.count() >= 200
    for title in plan.REALIZED_TITLES:
        realized = proposals.get(title=title)
        assert realized.endorsement_count >= 60
        assert realized.comment_count >= 5
    now = timezone.now()
    oldest = proposals.order_by("created_at").first().created_at
    assert (now - oldest).days >= 300
    assert not proposals.filter(created_at__gt=now).exists()
    assert proposals.filter(created_at__gte=now - timedelta(days=30)).exists()

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
    for proposal in withdrawn:
        event = proposal.events.get(kind=EventKind.STATUS_CHANGED)
        assert event.actor_id == proposal.author_id
        assert event.created_at == proposal.withdrawn_at > proposal.created_at
    # and the pipeline shows every stage, from open to adopted
    assert set(proposals.values_list("status", flat=True)) == set(ProposalStatus.values)

    # and officials' comments carry their department's badge
    badged = Comment.objects.exclude(author_department=None)
    assert badged.exists()
    assert set(badged.values_list("author_department__code", flat=True)) <= {
        "transport-policy",
        "climate-environment-policy",
    }


def test_realization_meetings_every_two_months_the_first_most_of_a_year_ago(world):
    now = timezone.now()
    *held, upcoming = RealizationMeeting.objects.order_by("scheduled_at")
    assert [m.number for m in [*held, upcoming]] == list(range(1, len(held) + 2))
    assert len(held) >= 2
    for meeting in held:
        assert meeting.status == "held" and meeting.scheduled_at < now
        assert meeting.scheduled_at < meeting.held_at < now
        assert meeting.items.exists()
    assert (now - held[0].scheduled_at).days >= 240, "the first meeting was most of a year ago"
    assert upcoming.status == "scheduled" and upcoming.scheduled_at > now
    assert upcoming.items.count() >= 2
    # Two months apart, each at the usual time: the last Thursday, 14:00 in Seoul.
    for earlier, later in zip([*held, upcoming], [*held, upcoming][1:], strict=False):
        first, second = (
            timezone.localtime(earlier.scheduled_at),
            timezone.localtime(later.scheduled_at),
        )
        assert (second.year * 12 + second.month) - (first.year * 12 + first.month) == 2
        assert later.scheduled_at == meeting_time_in(second.year, second.month)
    # The meetings decided all three ways; the first one adopted and refused.
    assert {"adopted", "not_adopted"} <= set(held[0].items.values_list("decision", flat=True))
    assert set(AgendaItem.objects.filter(meeting__in=held).values_list("decision", flat=True)) == {
        "adopted",
        "held_over",
        "not_adopted",
    }
    held_over = AgendaItem.objects.get(decision="held_over")
    assert upcoming.items.filter(proposal=held_over.proposal, held_over_from=held_over).exists()


def test_the_upcoming_meeting_has_opinion_requests_answered_open_and_overdue(world):
    upcoming = RealizationMeeting.objects.get(status="scheduled")
    today = timezone.localdate()
    requests = list(
        ExpertOpinionRequest.objects.filter(agenda_item__meeting=upcoming).order_by("id")
    )
    answered = [r for r in requests if r.status == "answered"]
    waiting = [r for r in requests if r.status == "open"]
    assert len(answered) == 1 and answered[0].opinion.expert == answered[0].expert
    overdue = [r for r in waiting if r.due_date < today]
    assert len(overdue) == 1 and overdue[0].overdue_told_at is not None
    # Beat told the expert and the operators of the overdue one.
    assert Notification.objects.filter(kind="opinion_overdue").count() == 1
    assert Notification.objects.filter(kind="opinion_missing").exists()
    if timezone.localdate(upcoming.scheduled_at) > today:
        assert [r for r in waiting if r.due_date >= today], "one still open, due ahead"
    for request in requests:
        assert request.due_date < timezone.localdate(upcoming.scheduled_at)
        assert request.created_at < world.started


def test_adopted_items_cards_show_every_stage_and_case(world):
    check_adopted_items(timezone.now())


def test_every_timeline_reads_in_order_and_nothing_lies_ahead(world):
    now = timezone.now()
    for proposal in Proposal.objects.prefetch_related("events"):
        moments = [e.created_at for e in sorted(proposal.events.all(), key=lambda e: e.pk)]
        assert moments == sorted(moments), proposal.title
        assert moments[-1] <= now, proposal.title
    # A proposal moved on when the bar was crossed, at the latest when its
    # window closed, not on the day the demo was loaded.
    for event in ProposalEvent.objects.filter(
        to_status__in=[ProposalStatus.ASSIGNED, ProposalStatus.NOT_REACHED]
    ).select_related("proposal"):
        assert event.created_at <= event.proposal.endorsement_deadline, event.proposal.title
    assert not Endorsement.objects.filter(created_at__gt=F("proposal__endorsement_deadline"))
    assert not Notification.objects.filter(created_at__gt=now).exists()
    for answer in Answer.objects.exclude(published_at=None).select_related("assignment"):
        assignment = answer.assignment
        assert assignment.assigned_at < answer.submitted_at < answer.published_at < now


# What may lie at or after the moment the demo was loaded: what is still ahead.
AHEAD = {
    ("Proposal", "endorsement_deadline"),
    ("Assignment", "deadline"),
    ("DeadlineExtension", "old_deadline"),
    ("DeadlineExtension", "new_deadline"),
    ("Debate", "ends_at"),
    ("RealizationMeeting", "scheduled_at"),
    ("PipelineSettings", "updated_at"),
    # The open themed call and the city polls end ahead (the draft poll
    # also starts ahead); PollResponse is a proxy of Poll.
    ("Theme", "ends_at"),
    ("Poll", "starts_at"),
    ("Poll", "ends_at"),
    ("PollResponse", "starts_at"),
    ("PollResponse", "ends_at"),
    # Not the story's moments: when the statistics were counted, which is
    # at the loading (stats/refresh.py), as the beat would.
    ("ProposalFact", "refreshed_at"),
    ("Refresh", "started_at"),
    ("Refresh", "finished_at"),
    # The open-data files are made at the loading too, from the counted world.
    ("Export", "generated_at"),
    ("Export", "as_of"),
    # The demo's reports are made at the loading from the figures counted
    # then (stats/reports.py), as the beat's catch-up would.
    ("Report", "as_of"),
    ("Report", "generated_at"),
}


def test_nothing_is_stamped_with_the_day_the_demo_was_loaded(world):
    # Every service stamped "now"; the demo moved every stamp to its story's
    # moment, so only what lies ahead is dated at or after the loading.
    stamped_now = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (model.__name__, field.name) in AHEAD:
                continue
            if isinstance(field, models.DateTimeField):
                rows = model.objects.filter(**{f"{field.name}__gte": world.started})
                if count := rows.count():
                    stamped_now[f"{model.__name__}.{field.name}"] = count
    assert stamped_now == {}


def test_each_debate_has_its_own_crowd_and_its_dates_in_order(world):
    now = timezone.now()
    debates = list(Debate.objects.select_related("proposal"))
    assert len(debates) >= 3
    counts = {(d.for_count, d.against_count, d.undecided_count) for d in debates}
    assert len(counts) == len(debates), "no two debates have the same stance counts"
    bodies = list(Argument.objects.values_list("body", flat=True))
    assert len(set(bodies)) == len(bodies), "no argument is posted twice"
    for debate in debates:
        end = debate.closed_at or now
        assert debate.starts_at < end <= now
        if debate.closed_at:
            assert debate.closed_at <= debate.ends_at
        assert Stance.objects.filter(debate=debate).count() == sum(
            [debate.for_count, debate.against_count, debate.undecided_count]
        )
        for model in (Stance, Argument):
            rows = model.objects.filter(debate=debate)
            assert rows.exists()
            assert not rows.exclude(created_at__gte=debate.starts_at, created_at__lte=end).exists()
        # The arguments came over the debate's days, not all at once.
        days = {timezone.localdate(a.created_at) for a in Argument.objects.filter(debate=debate)}
        assert len(days) > 1, debate.proposal.title
        # The "open for debate until …" notice names the debate's own end.
        ends = timezone.localtime(debate.ends_at).strftime("%Y-%m-%d %H:%M")
        for notice in Notification.objects.filter(
            proposal=debate.proposal, kind=DebateNotice.DEBATE_OPENED
        ):
            assert notice.params["ends"] == ends
            assert notice.created_at == debate.starts_at


def test_each_answer_is_written_for_its_own_proposal(world):
    answers = Answer.objects.exclude(published_at=None)
    assert answers.count() >= 10
    for field in ("summary", "necessity", "effectiveness", "feasibility"):
        values = list(answers.values_list(field, flat=True))
        assert len(set(values)) == len(values), field
    budgets = [b for b in answers.values_list("estimated_budget", flat=True) if b]
    assert len(set(budgets)) == len(budgets)
    assert answers.filter(decision="not_accept").exclude(refusal_basis="").exists()
    # Published within the deadline, as the story dates them.
    assert not answers.exclude(met_deadline=True).exists()
    for answer in answers.select_related("assignment"):
        assert answer.published_at <= answer.assignment.deadline


def test_the_demo_sends_no_mail(world):
    # When what the seed left for after its commit runs (as it would on a
    # real server, with a worker)
    with mock.patch.object(send_notification_email, "delay") as email_queued:
        for callback in world.on_commit:
            callback()

    # then no e-mail was queued or sent, and nothing is left for the
    # pending-e-mail sweep: every demo notice counts as handled.
    assert Notification.objects.count() > 100
    email_queued.assert_not_called()
    assert mail.outbox == []
    assert not Notification.objects.filter(emailed_at=None).exists()
    assert send_pending_emails() == 0
    assert mail.outbox == []


def test_running_again_creates_nothing_new(world):
    before = world_counts()

    output = seed()

    assert world_counts() == before
    assert "nothing new" in output


def test_a_larger_run_adds_only_the_missing_proposals(world):
    # Given the world as a smaller run left it: without its last proposals
    specs = plan.proposal_specs()
    for spec in specs[-5:]:
        proposal = Proposal.objects.get(title=spec.title, author__email=spec.author)
        # (a department promise's card keeps its proposal: it goes first)
        ManagementCard.objects.filter(proposal=proposal).delete()
        proposal.delete()
    kept = set(Proposal.objects.values_list("pk", flat=True))

    # When the whole demo is loaded
    seed()

    # Then the missing ones are added, and the others stay as they were
    # (the themed calls', the institution's proposals and the merged
    # duplicate are extra by design: demo/themes.py, demo/institutions.py,
    # demo/merges.py)
    assert Proposal.objects.count() == (
        len(specs) + theme_proposal_count() + institution_proposal_count() + 1
    )
    assert kept <= set(Proposal.objects.values_list("pk", flat=True))


def test_demo_logins_have_their_roles(world):
    def user(email):
        return User.objects.get(email=email)

    official = user(members.OFFICIAL_EMAIL)
    assert official.role_names == {Role.OFFICIAL}
    assert official.department.name == "교통정책과"
    assert official.is_staff
    # The transport department's head: may hand its adopted items over.
    assert official.department.head == official
    # … and has a colleague to hand a card to.
    colleague = user("official.transport-policy@demo.oasis.kr")
    assert colleague.department == official.department and colleague.has_role(Role.OFFICIAL)
    assert user(members.OFFICIAL2_EMAIL).department.code == "climate-environment-policy"
    operator = user(members.OPERATOR_EMAIL)
    # A real operator, not a superuser: the admin's guards hold them as they would.
    assert operator.has_role(Role.OPERATOR) and operator.is_staff and not operator.is_superuser
    assert operator.department.name == "창의담당관"
    assert user(members.PANEL_EMAIL).has_role(Role.PANEL)
    assert user(members.EXPERT_EMAIL).has_role(Role.EXPERT_INTERNAL)
    assert user(members.EXPERT2_EMAIL).has_role(Role.EXPERT_EXTERNAL)
    assert user(members.MAYOR_EMAIL).has_role(Role.MAYOR_OFFICE)
    citizen = user(members.CITIZEN_EMAIL)
    assert citizen.display_name == "김서울" and not citizen.is_staff
    assert user(members.CITIZEN2_EMAIL).nickname
    assert list(User.objects.filter(is_superuser=True).values_list("email", flat=True)) == [
        members.ADMIN_EMAIL
    ]
    assert user(members.ADMIN_EMAIL).is_staff


def test_every_demo_login_can_log_in(world, client):
    staff_roles = 0
    for login in members.DEMO_LOGINS:
        response = client.post(
            "/accounts/login/?next=/admin/",
            {"login": login.email, "password": members.DEMO_PASSWORD},
        )
        assert response.status_code == 302, login.email
        user = User.objects.get(email=login.email)
        if must_use_second_factor(user):
            # Staff give the code `demo_totp_code` prints, then the admin opens.
            staff_roles += 1
            assert response["Location"].startswith("/accounts/2fa/authenticate/"), login.email
            code = io.StringIO()
            call_command("demo_totp_code", "--quiet", stdout=code)
            response = client.post("/accounts/2fa/authenticate/", {"code": code.getvalue().strip()})
            assert response["Location"] == "/admin/", login.email
            assert client.get("/admin/").status_code == 200, login.email
        assert client.session.get("_auth_user_id") == str(user.pk), login.email
        client.logout()
    # two officials, the operator, the system administrator, two experts, the mayor's office
    assert staff_roles == 7
    # Every demo account that works in the admin has the demo's authenticator app.
    staff = [
        u
        for u in User.objects.filter(email__endswith=members.DEMO_EMAIL_DOMAIN)
        if must_use_second_factor(u)
    ]
    assert len(staff) > 6
    assert all(u.authenticator_set.filter(type="totp").exists() for u in staff)
    member = members.generated_members()[0]
    assert client.login(email=member.email, password=members.DEMO_PASSWORD)


def test_demo_members_have_agreed_so_nobody_is_sent_to_agree_first(world, client):
    # Every demo account has a consent to the documents in force, with the
    # optional items it holds; logging in leads to the page, not to consent.
    demo = User.objects.filter(email__endswith="@" + members.DEMO_EMAIL_DOMAIN)
    assert not demo.filter(consents__isnull=True).exists()
    for user in demo.filter(district__gt=""):
        assert "district" in latest_consent(user).optional_items
    client.post(
        "/accounts/login/", {"login": members.CITIZEN_EMAIL, "password": members.DEMO_PASSWORD}
    )
    assert client.get("/proposals/").status_code == 200


def test_print_demo_logins_lists_every_login_with_the_password(world):
    out = io.StringIO()

    call_command("print_demo_logins", stdout=out)

    text = out.getvalue()
    for login in members.DEMO_LOGINS:
        line = next(line for line in text.splitlines() if login.email + " " in line)
        assert login.role_ko in line and login.role_en in line
        assert members.DEMO_PASSWORD in line
    assert "not in the database" not in text
    assert "demo_totp_code" in text and members.DEMO_TOTP_SECRET in text


def check_adopted_items(now):
    """The adopted items' management cards show every stage and case."""
    cards = ManagementCard.objects.all()
    adopted = cards.filter(kind=CardKind.ADOPTED)
    assert adopted.count() == AgendaItem.objects.filter(decision="adopted").count()
    # department promises (accepting answers below the debate bar), some with
    # reports, and one taken over by a meeting's adoption
    promises = cards.filter(kind=CardKind.PROMISE)
    assert promises.count() >= 3
    assert ProgressReport.objects.filter(
        card__kind=CardKind.PROMISE, status=ReportStatus.SUBMITTED
    ).exists()
    assert adopted.filter(answer__isnull=False, events__kind="adopted").exists()
    assert promises.filter(proposal__status="not_adopted").exists()
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
    assert any(
        card.progress_reports.filter(escalated_at__isnull=False).exists() for card in ownerless
    )
    # issue 12: an official who retired and a head who moved left cards that
    # are flagged (with who left, and why), nothing is without a fallback,
    # and the department the head left shows headless
    left = CardEvent.objects.filter(kind="owner_left")
    assert set(left.values_list("params__reason", flat=True)) == {"deactivated", "moved"}
    assert {event.card_id for event in left} <= {card.pk for card in ownerless}
    moved = left.get(params__reason="moved")
    assert moved.card.department in headless_departments()
    assert sum(unowned_total().values()) == 0
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
        if card.answer_id is not None:  # a promise: opened with the answer
            opened = card.answer.published_at
            assert card.created_at > opened
            assert card.created_at < opened + timezone.timedelta(hours=1)
            if card.agenda_item_id is not None:
                assert card.agenda_item.decided_at > card.created_at
        else:
            opened = card.agenda_item.meeting.scheduled_at
            assert card.created_at == opened == card.agenda_item.decided_at
        opened = card.created_at
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
