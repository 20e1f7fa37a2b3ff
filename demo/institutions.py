"""The demo's partner institution (issue 16): 서울시설공단 (`sisul`), with
its branding (no logo), two departments with an official each, three
categories of its own, an administrator, ten proposals addressed to it at
various stages (gathering endorsements, given to its department to answer,
its answer submitted and waiting for the administrator, answered,
withdrawn) and one open poll with votes. The texts and the story's days are
demo/data/institutions.json.

Everything goes through the services, as citizens and the pipeline would
do it; the services stamp "now", so afterwards every stamp written for a
proposal is moved back to that proposal's own day (as the rest of the demo
dates its story), and the poll's to an hour ago. The staff steps are the
answers': the department's official writes and submits its answer, and
the institution's administrator (not the city's operators: issue 16)
publishes it, each on its own day in office hours. Run by `seed_demo`
after the city's world; idempotent: an institution already there (by slug)
is left alone.
The administrator is appointed by the city's demo operator through
`accounts.services.institution_admin_grant`, as on the institution's
"Administrators" screen (the role, `User.institution`, an audit row)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import models, transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone

from accounts.models import Department, Institution, User
from accounts.roles import Role
from accounts.services import institution_admin_grant, user_set_roles
from answers.models import Assignment
from answers.services import answer_publish, answer_save, answer_submit, assignment_open
from polls.models import PollKind
from proposals.models import Category, EventKind, Proposal, ProposalEvent, ProposalStatus
from proposals.services import proposal_create, proposal_endorse, proposal_withdraw
from tracking.models import ManagementCard

from . import history
from .consents import consent_as_signed_up
from .datafiles import read
from .members import DEMO_PASSWORD, OPERATOR_EMAIL, demo_email, generated_members
from .polls import PollSpec, _poll, _votes

TEXTS = "institutions"
# The stages whose proposal's department has written its answer: submitted
# (waiting for the institution's administrator) or published by them.
ANSWER_STAGES = {"submitted", "answered"}
ANSWER_VALUES = ("summary", "necessity", "effectiveness", "feasibility", "estimated_budget")
# Stamps that tell what lies ahead, set on purpose: never moved back.
KEPT = {("Poll", "starts_at"), ("Poll", "ends_at"), ("Debate", "ends_at")}
# The ledger dates its own entries from their sources (demo/mileage.py).
NOT_MOVED_APPS = {"mileage"}


@dataclass(frozen=True)
class InstitutionLogin:
    role_ko: str
    role_en: str
    email: str


def institution_logins() -> list[InstitutionLogin]:
    """The institution's demo logins, for print_demo_logins."""
    admin = read(TEXTS)["admin"]
    return [InstitutionLogin(admin["role_ko"], admin["role_en"], demo_email(admin["email"]))]


def institution_proposal_count() -> int:
    """How many proposals the demo addresses to its institutions, whatever
    the plan's size (as themes.theme_proposal_count)."""
    return len(read(TEXTS)["proposals"])


@dataclass
class InstitutionsCreated:
    institutions: int = 0
    proposals: int = 0
    polls: int = 0


def seed_institutions(*, now: datetime | None = None) -> InstitutionsCreated:
    """Requires the demo's members (DemoSeeder); idempotent."""
    now = now or timezone.now()
    created = InstitutionsCreated()
    texts = read(TEXTS)
    spec = texts["institution"]
    if Institution.objects.filter(slug=spec["slug"]).exists():
        return created
    with transaction.atomic():
        began = timezone.now()
        institution = Institution.objects.create(**spec)
        departments = {
            row["code"]: Department.objects.create(
                code=row["code"], name=row["name"], name_en=row["name_en"], institution=institution
            )
            for row in texts["departments"]
        }
        categories = {
            row["code"]: Category.objects.create(
                code=row["code"],
                name=row["name"],
                name_en=row["name_en"],
                default_department=departments[row["department"]],
                institution=institution,
                position=100 + position,
            )
            for position, row in enumerate(texts["categories"])
        }
        password = _demo_password_hash()
        admin = _account(texts["admin"], password)
        operator = (
            User.objects.filter(groups__name=str(Role.OPERATOR), is_active=True)
            .order_by("pk")
            .first()
        )
        institution_admin_grant(actor=operator, institution=institution, member=admin)
        # As they sign in: with the institution and the role the grant gave.
        admin = User.objects.get(pk=admin.pk)
        officials = {
            row["email"]: _account(row, password, department=departments[row["department"]])
            for row in texts["officials"]
        }
        for official in officials.values():
            user_set_roles(user=official, roles={Role.OFFICIAL}, department=official.department)
        consent_as_signed_up([admin, *officials.values()])
        _move_back(began, now - timedelta(days=60))
        members = list(
            User.objects.filter(email__in=[m.email for m in generated_members()]).order_by("email")
        )
        for index, row in enumerate(texts["proposals"]):
            began = timezone.now()
            proposal = _proposal(index, row, members, categories, institution, texts)
            _move_back(began, _story_moment(now, row["days_ago"], row["minute_of_day"]))
            _as_told(proposal)
            if row["stage"] in ANSWER_STAGES:
                _answer(proposal, row, officials, admin, now)
            created.proposals += 1
        began = timezone.now()
        created.polls += _institution_poll(texts["poll"], institution, departments, now)
        _move_back(began, now - timedelta(hours=1))
        created.institutions = 1
    return created


def _demo_password_hash() -> str:
    citizen = User.objects.filter(email=demo_email("citizen")).first()
    if citizen is not None:
        return citizen.password  # the demo logins share the published password
    holder = User(email="x@example.org")
    holder.set_password(DEMO_PASSWORD)
    return holder.password


def _account(row: dict, password: str, **fields) -> User:
    email = demo_email(row["email"])
    user = User.objects.create(
        email=email, display_name=row["display_name"], password=password, **fields
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _proposal(index, row, members, categories, institution, texts) -> Proposal:
    author = members[(index * 7) % len(members)]
    proposal = proposal_create(
        author=author,
        title=row["title"],
        body=row["body"],
        category=categories[row["category"]],
        district=row["district"],
        institution=institution,
    )
    supporters = [m for m in members if m.pk != author.pk][: row["endorsements"]]
    for member in supporters:
        proposal_endorse(proposal=proposal, user=member)
    if row["stage"] == "withdrawn":
        proposal_withdraw(proposal=proposal, user=author)
    elif row["stage"] in {"assigned", *ANSWER_STAGES}:
        # Given to the category's department by the pipeline (no actor).
        proposal.refresh_from_db()
        assignment_open(proposal=proposal, actor=None, reason=texts["assign_reason"])
    return proposal


def _answer(proposal: Proposal, row: dict, officials: dict, admin: User, now: datetime) -> None:
    """The department's answer to an assigned proposal: written and
    submitted by its official on the day told; for an answered proposal,
    published by the institution's administrator on a later day, through
    the same services (and rules) as the city's operators use. Each step's
    stamps are moved back to its own moment."""
    spec = row["answer"]
    official = officials[spec["official"]]
    assignment = Assignment.objects.get(proposal=proposal, is_current=True)
    began = timezone.now()
    answer = answer_save(
        assignment=assignment,
        user=official,
        decision=spec["decision"],
        **{name: spec[name] for name in ANSWER_VALUES},
    )
    answer = answer_submit(answer=answer, user=official)
    _move_back(
        began, _story_moment(now, spec["submitted_days_ago"], spec["submitted_minute_of_day"])
    )
    if row["stage"] == "answered":
        began = timezone.now()
        answer_publish(answer=answer, user=admin)
        _move_back(
            began, _story_moment(now, spec["published_days_ago"], spec["published_minute_of_day"])
        )
        # Publishing closed the assignment, so the move took its deadline
        # along: the deadline stays the one it was given when assigned.
        Assignment.objects.filter(pk=assignment.pk).update(deadline=assignment.deadline)
        # The promise card it opened got its stage a moment before the row
        # was written; in the story both are the moment it opened, as the
        # city's cards are (demo.clock.at).
        ManagementCard.objects.filter(answer=answer).update(stage_changed_at=F("created_at"))
    # The timeline tells each step at the very moment stored on the answer.
    answer.refresh_from_db()
    events = ProposalEvent.objects.filter(proposal=proposal)
    events.filter(kind=EventKind.ANSWER_SUBMITTED).update(created_at=answer.submitted_at)
    if answer.published_at is not None:
        events.filter(to_status=ProposalStatus.ANSWERED).update(created_at=answer.published_at)


def _as_told(proposal: Proposal) -> None:
    """After the move: its "proposed" and "withdrawn" rows are the moments
    stored on the proposal, and the assignment notices name the deadline as
    dated."""
    proposal.refresh_from_db()
    ProposalEvent.objects.filter(proposal=proposal, kind=EventKind.CREATED).update(
        created_at=proposal.created_at
    )
    if proposal.withdrawn_at is not None:
        ProposalEvent.objects.filter(proposal=proposal, to_status=ProposalStatus.WITHDRAWN).update(
            created_at=proposal.withdrawn_at
        )
    history.notices_name_the_deadline(proposal)


def _story_moment(now: datetime, days_ago: int, minute_of_day: int) -> datetime:
    day = timezone.localdate(now) - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(minute_of_day // 60, minute_of_day % 60)))


def _move_back(began: datetime, moment: datetime) -> None:
    """Every stamp the services wrote since `began` (at about "now", or a
    deadline counted from it) moved back by the same span, to start at
    `moment`: the order of what happened is kept, its day is the story's."""
    end = timezone.now()
    span = end - moment
    for model in apps.get_models():
        if model._meta.proxy or model._meta.app_label in NOT_MOVED_APPS:
            continue
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.DateTimeField) and (model.__name__, field.name) not in KEPT
        ]
        if not names:
            continue
        # The rows written since `began` (a stamp in the window), all their
        # stamps from `began` on, deadlines ahead included; other rows'
        # deadlines ahead are left alone. One statement a model: a row's
        # stamps move together, so a check between two of them (a deadline
        # after its assignment) holds.
        touched = Q()
        for name in names:
            touched |= Q(**{f"{name}__range": (began, end)})
        model._base_manager.filter(touched).update(
            **{
                name: Case(When(**{f"{name}__gte": began}, then=F(name) - span), default=F(name))
                for name in names
            }
        )


def _institution_poll(row: dict, institution, departments, now) -> int:
    """One yes/no poll of the institution, open since yesterday for two
    weeks, with some votes."""
    department = next(iter(departments.values()))
    spec = PollSpec(
        PollKind.YES_NO,
        row["title"],
        row["summary"],
        department.code,
        background=row["background"],
        labels=["24시간 운영 찬성", "지금처럼 운영", "기타 의견"],
        voters=12,
    )
    starts, ends = now - timedelta(days=1), now + timedelta(days=13)
    staff = SimpleNamespace(operator=User.objects.get(email=OPERATOR_EMAIL))
    poll = _poll(spec, staff, {department.code: department}, starts, ends, institution=institution)
    voters = list(User.objects.filter(email__in=[m.email for m in generated_members()]))
    _votes(poll, spec, voters, starts, now - timedelta(hours=2))
    return 1
