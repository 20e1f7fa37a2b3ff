"""The demo's partner institution (issue 16): 서울시설공단 (`sisul`), with
its branding (no logo), two departments, three categories of its own, an
administrator, ten proposals addressed to it at various stages (open with
endorsements, one waiting for its answer, one answered, one withdrawn) and
one open poll. The texts are demo/data/institutions.json.

Everything goes through the services, as a citizen, the operators and the
institution's department would do it. Run by `seed_demo` after the city's
world; idempotent: an institution already there (by slug) is left alone.

TODO(orgadmin): the administrator gets only `User.institution`; the
institution administrator role (Role.INSTITUTION_ADMIN) is added by the
orgadmin part of issue 16 and should be given here once it is on main."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import Department, Institution, User
from answers.models import Assignment
from answers.services import answer_publish, answer_save, answer_submit
from pipeline import services as conductor
from polls.models import Poll, PollKind
from proposals.models import Category, Proposal, ProposalStatus
from proposals.services import proposal_create, proposal_endorse, proposal_withdraw

from .consents import consent_as_signed_up
from .datafiles import read
from .members import DEMO_PASSWORD, demo_email, generated_members
from .polls import PollSpec, _poll, _votes
from .staff import staff_gather

TEXTS = "institutions"


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
    """Requires the demo's members and staff (DemoSeeder, the pipeline)."""
    now = now or timezone.now()
    created = InstitutionsCreated()
    texts = read(TEXTS)
    spec = texts["institution"]
    if Institution.objects.filter(slug=spec["slug"]).exists():
        return created
    with transaction.atomic():
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
        _administrator(texts["admin"], institution)
        # An official for each new department (the demo's colleagues).
        staff = staff_gather()
        members = list(
            User.objects.filter(email__in=[m.email for m in generated_members()]).order_by("email")
        )
        for index, row in enumerate(texts["proposals"]):
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
            _to_stage(proposal, row["stage"], staff, texts)
            created.proposals += 1
        created.polls += _institution_poll(texts["poll"], institution, departments, staff, now)
        created.institutions = 1
    return created


def _administrator(row: dict, institution: Institution) -> User:
    email = demo_email(row["email"])
    citizen = User.objects.filter(email=demo_email("citizen")).first()
    user = User.objects.create(
        email=email,
        display_name=row["display_name"],
        # The demo password's hash, as the other demo logins share it.
        password=citizen.password if citizen else "",
        institution=institution,
    )
    if citizen is None:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    consent_as_signed_up([user])
    return user


def _to_stage(proposal: Proposal, stage: str, staff, texts: dict) -> None:
    """Move a fresh proposal to its demo stage through the services."""
    if stage == "withdrawn":
        proposal_withdraw(proposal=proposal, user=proposal.author)
        return
    if stage not in ("assigned", "answered"):
        return
    proposal.refresh_from_db()
    if proposal.status == ProposalStatus.OPEN:
        conductor.proposal_promote_by_hand(
            proposal=proposal, user=staff.operator, reason=texts["promote_reason"]
        )
    if stage == "answered":
        assignment = Assignment.objects.get(proposal=proposal, is_current=True)
        official = staff.officials[assignment.department_id]
        answer = answer_save(assignment=assignment, user=official, **texts["answer"])
        answer_submit(answer=answer, user=official)
        answer_publish(answer=answer, user=staff.operator)


def _institution_poll(row: dict, institution, departments, staff, now) -> int:
    """One yes/no poll, open for two weeks from yesterday, with some votes."""
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
    poll = _poll(spec, staff, {department.code: department}, starts, ends)
    # The poll editor leaves the institution to the operators' admin
    # (orgadmin's part of issue 16); the demo sets it directly.
    Poll.objects.filter(pk=poll.pk).update(institution=institution)
    voters = list(User.objects.filter(email__in=[m.email for m in generated_members()]))
    _votes(poll, spec, voters, starts, now)
    return 1
