"""The demo's themed calls (테마상상): one open now with its first proposals
and endorsements, and one closed a few days ago whose department picked two
proposals for the theme debate (테마토론), answered one (its debate is
open), and published its final response and what came of it. The texts
are demo/data/themes.json.

Everything goes through themes.services (and answers' and proposals'), as
an operator, a department and members would do it; the services stamp
"now", so afterwards each stamp is moved to the moment the story tells of
(demo.clock.at for timeline rows, notices and audit rows; the rows' own
dates here). Idempotent: a theme already there (by title) is left alone."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from accounts.models import Department, User
from answers.models import Answer, Assignment
from answers.services import answer_publish, answer_save, answer_submit
from debates.models import Argument, Debate, Position, Stance
from debates.notices import DebateNotice
from debates.services import argument_create, stance_set
from notifications.models import Notification
from pipeline.services import close_if_expired
from proposals.models import Category, Endorsement, PipelineSettings, Proposal, ProposalStatus
from proposals.services import proposal_endorse
from themes import services
from themes.models import Theme, ThemeMaterial, ThemeProposal, ThemeStatus

from . import history
from .clock import at
from .datafiles import read
from .members import generated_members
from .staff import Staff, staff_gather

# Members who take a stance in the closed theme's debate, and their stances in turn.
STANCES = 7
POSITIONS = (Position.FOR, Position.FOR, Position.AGAINST, Position.UNDECIDED)


@dataclass
class ThemesCreated:
    themes: int = 0
    proposals: int = 0


def seed_themes(*, now: datetime | None = None) -> ThemesCreated:
    """Requires the demo's departments, categories and members (DemoSeeder)
    and its staff; idempotent."""
    now = now or timezone.now()
    created = ThemesCreated()
    texts = read("themes")
    if Theme.objects.filter(title__in=[texts["open"]["title"], texts["closed"]["title"]]).exists():
        return created
    staff = staff_gather()
    members = list(
        User.objects.filter(email__in=[m.email for m in generated_members()]).order_by("email")
    )
    for key, story in (("open", _open_story), ("closed", _closed_story)):
        theme, proposals = story(texts[key], staff, members, now)
        # Each proposal last changed at the last step of its timeline.
        for proposal in proposals:
            last = proposal.events.aggregate(last=Max("created_at"))["last"]
            Proposal.objects.filter(pk=proposal.pk).update(updated_at=last or proposal.created_at)
        created.themes += 1
        created.proposals += len(proposals)
    return created


def theme_proposal_count() -> int:
    """How many proposals the themed calls add, whatever the plan's size
    (seed_demo --proposals counts the plan's proposals only)."""
    texts = read("themes")
    return sum(len(texts[key]["proposals"]) for key in ("open", "closed"))


# --- the pieces both stories share -----------------------------------------------------


def _theme(spec: dict, staff: Staff, *, starts_at: datetime, ends_at: datetime) -> Theme:
    """The theme as the operator writes it in the admin's editor (with its
    reference material inline), then published through the service. Its end
    is put ahead of now for the publication (a theme whose period is over
    cannot be published); the closed story moves it back afterwards."""
    theme = Theme.objects.create(
        title=spec["title"],
        summary=spec["summary"],
        description=spec["description"],
        policy=spec["policy"],
        department=Department.objects.get(code=spec["department"]),
        status=ThemeStatus.DRAFT,
        starts_at=starts_at,
        ends_at=max(ends_at, timezone.now() + timedelta(hours=1)),
        created_by=staff.operator,
    )
    for position, material in enumerate(spec["materials"]):
        ThemeMaterial.objects.create(
            theme=theme, title=material["title"], url=material["url"], position=position
        )
    published_at = starts_at - timedelta(days=1)
    with at(published_at):
        services.theme_publish(theme=theme, actor=staff.operator)
    Theme.objects.filter(pk=theme.pk).update(
        published_at=published_at, created_at=published_at, updated_at=published_at
    )
    return theme


def _proposals(
    theme: Theme, spec: dict, members: list[User], *, first: datetime, last: datetime
) -> list[Proposal]:
    """Members propose to the theme through its service, spread between
    `first` and `last`, and a few others endorse each proposal."""
    rows = spec["proposals"]
    step = (last - first) / max(len(rows), 1)
    window = timedelta(days=PipelineSettings.load().endorsement_window_days)
    made = []
    for n, row in enumerate(rows):
        moment = first + step * n
        author = members[(7 * n + 3) % len(members)]
        with at(moment):
            proposal = services.theme_propose(
                theme=theme,
                author=author,
                title=row["title"],
                body=row["body"],
                category=Category.objects.get(code=row["category"]),
                district=row["district"],
            )
        endorsers = [m for m in members if m.pk != author.pk][
            n * 5 : n * 5 + spec["endorsements"][n]
        ]
        endorsed_at = moment + timedelta(hours=5)
        with at(endorsed_at):
            for endorser in endorsers:
                proposal_endorse(proposal=proposal, user=endorser)
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=moment,
            endorsement_deadline=moment + window,
            first_endorsed_at=endorsed_at if endorsers else None,
        )
        Endorsement.objects.filter(proposal=proposal).update(created_at=endorsed_at)
        ThemeProposal.objects.filter(proposal=proposal).update(created_at=moment)
        proposal.refresh_from_db()
        made.append(proposal)
    return made


# --- the open theme ------------------------------------------------------------------


def _open_story(spec, staff, members, now):
    starts_at = now - timedelta(days=spec["days_ago"])
    theme = _theme(
        spec, staff, starts_at=starts_at, ends_at=now + timedelta(days=spec["days_left"])
    )
    proposals = _proposals(
        theme, spec, members, first=starts_at + timedelta(hours=9), last=now - timedelta(hours=6)
    )
    return theme, proposals


# --- the closed theme, its debate picks and the department's response ---------------------


def _closed_story(spec, staff, members, now):
    starts_at = now - timedelta(days=spec["days_ago"])
    ends_at = starts_at + timedelta(days=spec["days_long"])
    theme = _theme(spec, staff, starts_at=starts_at, ends_at=ends_at)
    proposals = _proposals(
        theme,
        spec,
        members,
        first=starts_at + timedelta(hours=10),
        last=ends_at - timedelta(days=2),
    )
    # The period ends; the beat closes it and tells the department.
    Theme.objects.filter(pk=theme.pk).update(ends_at=ends_at)
    with at(ends_at):
        services.close_due_themes(now=ends_at)
    theme.refresh_from_db()
    official = staff.officials[theme.department_id]

    # Three days later, in office hours, the operator picks two proposals
    # for the theme debate: still gathering endorsements, each goes to the
    # department to answer first (its answer due as from the pick).
    picked = [proposals[i] for i in spec["picked"]]
    picked_at = _office_hours(ends_at + timedelta(days=3), 10, 20)
    with at(picked_at):
        services.theme_pick_for_debate(theme=theme, actor=staff.operator, proposals=picked)
    ThemeProposal.objects.filter(proposal__in=picked).update(picked_for_debate_at=picked_at)
    Assignment.objects.filter(proposal__in=picked, is_current=True).update(
        assigned_at=picked_at, deadline=PipelineSettings.load().answer_due(picked_at)
    )
    for proposal in picked:
        history.notices_name_the_deadline(proposal)

    # The department answers the first and the operator publishes it that
    # afternoon; its theme debate opens minutes later (the queued task).
    answered = picked[0]
    answered_at = _office_hours(min(picked_at + timedelta(days=4), now - timedelta(days=4)), 14, 5)
    published_at = answered_at + timedelta(hours=1, minutes=50)
    assignment = Assignment.objects.get(proposal=answered, is_current=True)
    with at(answered_at):
        answer = answer_save(assignment=assignment, user=official, **spec["answer"])
        answer_submit(answer=answer, user=official)
    with at(published_at):
        answer_publish(answer=answer, user=staff.operator)
    Answer.objects.filter(pk=answer.pk).update(
        created_at=answered_at,
        submitted_at=answered_at,
        published_at=published_at,
        updated_at=published_at,
    )
    Assignment.objects.filter(pk=assignment.pk).update(closed_at=published_at)
    debate_at = published_at + timedelta(minutes=7)
    with at(debate_at):
        services.open_picked_debate(proposal_id=answered.pk)
    debate = Debate.objects.get(proposal=answered)
    ends = debate.ends_at + (debate_at - debate.starts_at)
    Debate.objects.filter(pk=debate.pk).update(
        starts_at=debate_at, ends_at=ends, created_at=debate_at
    )
    # The "open for debate until …" notice names the debate's own end.
    for notice in Notification.objects.filter(proposal=answered, kind=DebateNotice.DEBATE_OPENED):
        notice.params["ends"] = timezone.localtime(ends).strftime("%Y-%m-%d %H:%M")
        notice.save(update_fields=["params"])
    # A few members take a stance in the theme debate, and some argue,
    # over its first days.
    for n, member in enumerate(members[-STANCES:]):
        moment = debate_at + timedelta(hours=2 + 7 * n)
        with at(moment):
            stance = stance_set(debate=debate, user=member, position=POSITIONS[n % len(POSITIONS)])
        Stance.objects.filter(pk=stance.pk).update(created_at=moment, updated_at=moment)
    last = debate_at
    for n, (side, body) in enumerate(spec["arguments"]):
        author = members[-STANCES - 1 - n]
        last = debate_at + timedelta(hours=3 + 19 * n)
        with at(last):
            argument = argument_create(debate=debate, author=author, side=side, body=body)
        Argument.objects.filter(pk=argument.pk).update(created_at=last, updated_at=last)
    last = max(last, debate_at + timedelta(hours=2 + 7 * (STANCES - 1)))
    Debate.objects.filter(pk=debate.pk).update(updated_at=last)

    # Proposals not picked whose endorsement window has closed below the
    # answer bar end as not reached, as the conductor's sweep leaves them.
    for proposal in proposals:
        proposal.refresh_from_db()
        deadline = proposal.endorsement_deadline
        if proposal.status == ProposalStatus.OPEN and deadline <= now:
            with at(deadline):
                close_if_expired(proposal_id=proposal.pk, now=now)

    # The department's final response and what came of it.
    responded_at = _office_hours(debate_at + timedelta(days=1), 11, 30)
    with at(responded_at):
        services.theme_respond(
            theme=theme, actor=official, response=spec["response"], outcome=spec["outcome"]
        )
    Theme.objects.filter(pk=theme.pk).update(
        closed_at=ends_at, response_published_at=responded_at, updated_at=responded_at
    )
    return theme, proposals


def _office_hours(moment: datetime, hour: int, minute: int) -> datetime:
    """`moment`'s day (Seoul time) at hour:minute: staff act in office hours."""
    return timezone.localtime(moment).replace(hour=hour, minute=minute, second=0, microsecond=0)
