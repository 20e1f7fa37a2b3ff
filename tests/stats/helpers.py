"""A small world for the statistics, built through the stage apps' services
at known moments, whose figures are counted by hand in test_figures.py; and
the check that the tallies say what the facts say."""

from dataclasses import dataclass, field

from django.db.models import Q

from debates.services import debate_open
from meetings import services as meeting_services
from proposals import services as proposal_services
from stats.models import STAGE_FIELDS, Dimension, ProposalFact, Tally
from tests.answers.helpers import COMPLETE, REFUSAL, assigned, published
from tests.clock import at
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
    operator,
)
from tests.meetings.helpers import meeting, on_agenda, review
from tests.themes.helpers import make_theme
from tests.tracking.helpers import at_stage
from themes import services as theme_services
from tracking import services as card_services
from tracking.models import CardStage, ManagementCard

# "Now" for the figures: 10 March 2026, noon in Seoul.
NOW = (2026, 3, 10, 12)


@dataclass
class World:
    roads: object = None  # department A
    parks: object = None  # department B
    transport: object = None
    environment: object = None
    theme: object = None
    operator: object = None
    p: dict = field(default_factory=dict)


def answer(assignment_maker, when_assigned, when_published, values=REFUSAL):
    """A proposal assigned at one moment and answered at another (Seoul)."""
    with at(*when_assigned):
        assignment = assignment_maker()
    with at(*when_published):
        published(assignment, values)
    assignment.proposal.refresh_from_db()
    return assignment.proposal


def build() -> World:
    """Seventeen proposals; the comment on each says what it counts as.
    Departments: roads (A, transport's) and parks (B, environment's)."""
    w = World()
    w.roads = DepartmentFactory(code="roads", name="도로과")
    w.parks = DepartmentFactory(code="parks", name="공원과")
    w.transport = CategoryFactory(code="transport", name="교통", default_department=w.roads)
    w.environment = CategoryFactory(code="environment", name="환경", default_department=w.parks)
    w.operator = operator()
    p = w.p
    transport = {"category": w.transport}
    environment = {"category": w.environment}

    # p1: 2024-06, received only, Gangnam, no department.
    with at(2024, 6, 10, 9):
        p[1] = ProposalFactory(district="gangnam", **transport)
    # p2: 2024-11, city-wide, answered by parks in 10 hours.
    p[2] = answer(
        lambda: assigned(w.parks, district="", **environment),
        (2024, 11, 5, 9),
        (2024, 11, 5, 19),
    )
    # p3: 23:30 on 31 January 2025 in Seoul (14:30 UTC): January. Answered
    # by roads in 30 hours, then debated.
    p[3] = answer(
        lambda: assigned(w.roads, district="gangnam", **transport),
        (2025, 1, 31, 23, 30),
        (2025, 2, 2, 5, 30),
    )
    with at(2025, 2, 2, 6):
        debate_open(proposal=p[3])
    # p4: 00:30 on 1 February in Seoul (still 31 January in UTC): February.
    # Answered by parks in 13 hours, debated, then withdrawn: keeps DEBATED.
    p[4] = answer(
        lambda: assigned(w.parks, district="", **environment),
        (2025, 2, 1, 0, 30),
        (2025, 2, 1, 13, 30),
    )
    with at(2025, 2, 1, 14):
        debate_open(proposal=p[4])
    with at(2025, 2, 3, 9):
        proposal_services.proposal_withdraw(proposal=p[4], user=p[4].author)
    # p5: 2025-02, put on a meeting's agenda (roads, Jongno).
    with at(2025, 2, 10, 9):
        (item,) = on_agenda(meeting(days=10), department=w.roads, district="jongno", **transport)
        p[5] = item.proposal
    # p6: 2025-03, adopted, its card in progress (roads, Jongno).
    with at(2025, 3, 5, 9):
        p[6] = at_stage(CardStage.IN_PROGRESS, w.roads, district="jongno", **transport).proposal
    # p7: 2025-03, adopted and its card completed (parks, city-wide).
    with at(2025, 3, 6, 9):
        p[7] = at_stage(CardStage.COMPLETED, w.parks, district="", **environment).proposal
    # p8: 2025-03, answered "accept" by parks in 22 hours: a promise card,
    # completed. A promise kept is not "completed": the proposal stays ANSWERED.
    p[8] = answer(
        lambda: assigned(w.parks, district="jongno", **environment),
        (2025, 3, 7, 9),
        (2025, 3, 8, 7),
        values=COMPLETE,
    )
    with at(2025, 3, 9, 9):
        card = ManagementCard.objects.get(proposal=p[8])
        for stage in (CardStage.PLANNING, CardStage.IN_PROGRESS, CardStage.COMPLETED):
            card = card_services.card_change_stage(
                card=card, user=w.operator, to_stage=stage, note="약속 진행"
            )
    # p9: hidden after roads answered it in 5 hours: counted nowhere.
    p[9] = answer(lambda: assigned(w.roads, **transport), (2025, 3, 9, 9), (2025, 3, 9, 14))
    with at(2025, 3, 10, 9):
        proposal_services.proposal_hide(proposal=p[9], user=w.operator, reason="개인정보 노출")
    # p10: in the trash: counted nowhere.
    with at(2025, 3, 9, 10):
        p[10] = ProposalFactory(**transport)
        proposal_services.proposal_trash(proposal=p[10], user=w.operator, reason="중복")
    # p11: 2025-04, not put to the meeting by the working review: DEBATED.
    with at(2025, 4, 1, 9):
        p[11] = ProposalFactory(
            status="review", department=w.parks, district="gangnam", **environment
        )
        working = review()
        meeting_services.working_review_decide(
            review=working, proposal=p[11], selected=False, reason="예산 부족", user=w.operator
        )
        meeting_services.working_review_finalise(review=working, user=w.operator)
    # p12: 2025-04, entered in a themed call (Jongno), received only.
    with at(2025, 4, 2, 9):
        w.theme = make_theme(department=w.parks)
        p[12] = theme_services.theme_propose(
            theme=w.theme,
            author=UserFactory(),
            title="잠수교에 그늘막을",
            body="여름에 잠수교를 걸으면 너무 덥습니다. 그늘막을 설치해 주세요.",
            district="jongno",
            **environment,
        )
    # p13: 2025-05, answered by roads in 50 hours (Jongno).
    p[13] = answer(
        lambda: assigned(w.roads, district="jongno", **transport),
        (2025, 5, 1, 9),
        (2025, 5, 3, 11),
    )
    # p14: 2025-06, answered by roads 40 days later (960 hours): late.
    p[14] = answer(
        lambda: assigned(w.roads, district="", **transport), (2025, 6, 2, 9), (2025, 7, 12, 9)
    )
    # p15: 2026-01, given to roads and never answered: overdue now.
    with at(2026, 1, 5, 9):
        p[15] = assigned(w.roads, district="", **transport).proposal
    # p16: 2026-01, given to roads, never answered, hidden: not overdue anywhere.
    with at(2026, 1, 6, 9):
        p[16] = assigned(w.roads, district="", **transport).proposal
        proposal_services.proposal_hide(proposal=p[16], user=w.operator, reason="욕설")
    # p17: 2026-03, given to parks yesterday: not yet due.
    with at(2026, 3, 9, 9):
        p[17] = assigned(w.parks, district="", **environment).proposal
    return w


def _fact_filter(dimension: str, key: str) -> Q:
    if dimension == Dimension.CATEGORY:
        return Q(category__code=key)
    if dimension == Dimension.DISTRICT:
        return Q(district=key)
    if dimension == Dimension.DEPARTMENT:
        return Q(department__code=key)
    if dimension == Dimension.THEME:
        return Q(theme_id=int(key))
    if dimension == Dimension.INSTITUTION:
        return Q(institution__slug=key)
    return Q()


def tallies_disagreeing_with_facts() -> list[str]:
    """Every tally recounted from the public facts it sums, and every group
    of public facts looked for in the tallies: what differs, as text."""
    problems = []
    public = ProposalFact.objects.filter(is_public=True)
    seen = set()
    for tally in Tally.objects.all():
        facts = public.filter(
            _fact_filter(tally.dimension, tally.key), year=tally.year, month=tally.month
        )
        for stage, name in STAGE_FIELDS.items():
            counted = facts.filter(stage__gte=stage).count()
            if getattr(tally, name) != counted:
                problems.append(f"{tally}: {name} {getattr(tally, name)} != {counted} facts")
        seen.add((tally.dimension, tally.key, tally.year, tally.month))
    for year, month in public.values_list("year", "month").distinct():
        if (Dimension.ALL, "", year, month) not in seen:
            problems.append(f"no tally for {year}-{month}")
    return problems
