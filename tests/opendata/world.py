"""A small hand-made world for the open-data tests: what each file must
carry, and what it must leave out (hidden, trashed, private, unpublished)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from answers.models import Answer, AnswerStatus, Assignment
from debates.models import Debate, DebateStatus
from meetings.models import AgendaDecision, AgendaItem, RealizationMeeting
from polls.models import Choice, Poll, PollKind, PollStatus, Question, ResultsShown
from proposals.models import EventKind, ProposalEvent, ProposalStatus
from tests.factories import CategoryFactory, DepartmentFactory, ProposalFactory
from tracking.models import CardKind, CardStage, ManagementCard, ProgressReport, ReportStatus

FORMULA = '=HYPERLINK("http://evil.example","click")'


@dataclass
class World:
    public: list
    hidden: object
    trashed: object
    polls_public: list
    poll_draft: object
    poll_live_hidden: object


def build_world() -> World:
    now = timezone.now()
    department = DepartmentFactory(code="transport", name="교통정책과")
    category = CategoryFactory(code="transport", name="교통", default_department=department)
    public = [
        ProposalFactory(category=category, title=FORMULA, district="jongno"),
        ProposalFactory(category=category, title="+1+cmd 다리", department=department),
        ProposalFactory(category=category, title="-2 평범한 제안", department=department),
    ]
    hidden = ProposalFactory(
        category=category, title="숨긴 제안", is_hidden=True, hidden_reason="욕설"
    )
    trashed = ProposalFactory(category=category, title="휴지통 제안", deleted_at=now)
    for proposal in [*public, hidden, trashed]:
        ProposalEvent.objects.create(
            proposal=proposal, kind=EventKind.CREATED, to_status=ProposalStatus.OPEN
        )
    # An internal row of a public proposal stays out.
    ProposalEvent.objects.create(
        proposal=public[1], kind=EventKind.EXTENSION_REQUESTED, is_public=False, reason="내부 사유"
    )
    # Hidden once and shown again: the rows stay, the operator's reason not.
    for kind in (EventKind.HIDDEN, EventKind.UNHIDDEN):
        ProposalEvent.objects.create(proposal=public[2], kind=kind, reason="숨김 사유 비밀")
    # Answers: one published (public proposal), one draft, one published on the hidden one.
    answered = public[1]
    for proposal, status in (
        (answered, AnswerStatus.PUBLISHED),
        (public[2], AnswerStatus.DRAFT),
        (hidden, AnswerStatus.PUBLISHED),
    ):
        assignment = Assignment.objects.create(
            proposal=proposal, department=department, deadline=now + timedelta(days=10)
        )
        published = status == AnswerStatus.PUBLISHED
        Answer.objects.create(
            assignment=assignment,
            status=status,
            decision="accept",
            summary="@SUM(1+9) 보행로를 넓히겠습니다" if published else "초안",
            submitted_at=now if published else None,
            published_at=now if published else None,
            met_deadline=True if published else None,
        )
    Debate.objects.create(
        proposal=answered,
        status=DebateStatus.OPEN,
        starts_at=now,
        ends_at=now + timedelta(days=14),
        for_count=3,
        against_count=1,
        summary="아직 안 낸 결과",
    )
    Debate.objects.create(
        proposal=hidden, status=DebateStatus.OPEN, starts_at=now, ends_at=now + timedelta(days=14)
    )
    meeting = RealizationMeeting.objects.create(number=7, scheduled_at=now, place="시청 8층")
    item = AgendaItem.objects.create(
        meeting=meeting,
        proposal=answered,
        decision=AgendaDecision.ADOPTED,
        reason="효과가 큼",
        decided_at=now,
    )
    AgendaItem.objects.create(
        meeting=meeting,
        proposal=hidden,
        decision=AgendaDecision.ADOPTED,
        reason="숨긴 안건 사유",
        decided_at=now,
    )
    card = ManagementCard.objects.create(
        proposal=answered,
        kind=CardKind.ADOPTED,
        agenda_item=item,
        department=department,
        stage=CardStage.IN_PROGRESS,
        conditions=FORMULA,
        percent_complete=40,
    )
    ProgressReport.objects.create(
        card=card,
        period=1,
        requested_at=now,
        due_date=now.date(),
        status=ReportStatus.SUBMITTED,
        submitted_at=now,
        percent_complete=40,
        done="공사 설계를 마쳤습니다",
        next_steps="착공",
    )
    ProgressReport.objects.create(
        card=card, period=2, requested_at=now, due_date=now.date(), done="아직 안 낸 보고"
    )
    closed = Poll.objects.create(
        title="따릉이 대여소를 늘릴까요?",
        summary="의견을 묻습니다",
        kind=PollKind.CHOICE,
        department=department,
        status=PollStatus.CLOSED,
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=1),
        closed_at=now - timedelta(days=1),
        voter_count=4,
    )
    question = Question.objects.create(poll=closed, text="어디에?", answer_count=4)
    Choice.objects.create(question=question, position=0, label="강북", vote_count=3)
    Choice.objects.create(question=question, position=1, label="강남", vote_count=1)
    draft = Poll.objects.create(
        title="초안 설문",
        summary="초안",
        kind=PollKind.CHOICE,
        department=department,
        starts_at=now,
        ends_at=now + timedelta(days=5),
    )
    # Published, open, results after close: the poll is public, its results not yet.
    live = Poll.objects.create(
        title="진행 중 설문",
        summary="진행 중",
        kind=PollKind.CHOICE,
        department=department,
        status=PollStatus.PUBLISHED,
        results_shown=ResultsShown.AFTER_CLOSE,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=5),
        voter_count=2,
    )
    live_question = Question.objects.create(poll=live, text="비밀 질문", answer_count=2)
    Choice.objects.create(question=live_question, label="비밀 선택지", vote_count=2)
    return World(
        public=public,
        hidden=hidden,
        trashed=trashed,
        polls_public=[closed, live],
        poll_draft=draft,
        poll_live_hidden=live,
    )
