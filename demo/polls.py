"""The demo's city polls (서울시가 묻습니다): an open and a closed poll of each
type (yes/no, discussion, multiple choice, survey), one open poll for the
members of one district (마포구, where citizen@ lives and citizen2@ does
not), a draft waiting for the operator, and votes from demo members. The
closed polls ran weeks ago and closed by the beat's own sweep, so their
departments were told; the oldest has its department's response.

Polls are written, published and closed through polls.services.editing at
the moments they tell of. The votes go through the voting service
(polls.services.votes.poll_vote); the discussion polls' arguments are the
discussion part's to add.
Idempotent: a second run adds nothing."""

import random
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from accounts.models import Department, User
from accounts.roles import STAFF_ROLES
from polls.models import Poll, PollKind, Question, QuestionKind
from polls.rules import vote_refusal
from polls.services import editing, responses, votes

from .clock import at
from .members import CITIZEN2_EMAIL, CITIZEN_EMAIL, DEMO_EMAIL_DOMAIN
from .polls_discussion import DISCUSSION_TOPICS, seed_poll_arguments
from .staff import Staff

Q = editing.QuestionDraft


@dataclass
class PollSpec:
    kind: str
    title: str
    summary: str
    department: str  # its code
    background: str = ""
    labels: list[str] = field(default_factory=list)  # a yes/no poll's three words
    questions: list[Q] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    results_live: bool = False
    voters: int = 30
    response: str = ""
    # A discussion poll's arguments (demo/polls_discussion.py DISCUSSION_TOPICS).
    topic: str = ""


OPEN = [
    PollSpec(
        PollKind.YES_NO,
        "무더운 여름, 민간 상업시설도 적정 실내온도를 지키면 어떨까요?",
        "냉방을 지나치게 하는 상업시설에 적정 실내온도(26도)를 권고하는 방안을 묻습니다.",
        "climate-environment-policy",
        background="여름철 전력 사용의 상당 부분이 상업시설 냉방에서 나옵니다. 공공기관은 이미 "
        "26도 이상을 지키고 있습니다.",
        labels=["적정온도 권고 찬성", "적정온도 권고 반대", "기타 의견"],
        results_live=True,
        voters=34,
    ),
    PollSpec(
        PollKind.DISCUSSION,
        DISCUSSION_TOPICS["quiet_parks"]["title"],
        "밤 시간 공원 음주를 어디까지 허용할지, 주민의 쉼과 이웃의 잠 사이에서 함께 찾습니다.",
        "park-development",
        voters=0,
        topic="quiet_parks",
    ),
    PollSpec(
        PollKind.CHOICE,
        "길고양이와 함께 사는 동네, 어떤 방안이 좋을까요?",
        "길고양이와 공존하기 위한 방안을 모두 골라 주세요. (최대 3개)",
        "welfare-policy",
        questions=[
            Q(
                "길고양이와 공존을 위한 방안을 골라 주세요.",
                kind=QuestionKind.MULTIPLE,
                max_choices=3,
                labels=[
                    "아파트 공동 관리",
                    "시민단체 협조",
                    "자치구 행정 지원",
                    "시민 개개인의 솔선수범",
                    "협의체 구성 및 토론",
                ],
            )
        ],
        voters=41,
    ),
    PollSpec(
        PollKind.SURVEY,
        "한강공원 이용 실태 설문",
        "한강공원을 더 쓸모 있게 가꾸기 위해 이용 습관을 묻습니다.",
        "park-development",
        questions=[
            Q(
                "한강공원을 얼마나 자주 이용하시나요?",
                labels=["거의 매일", "일주일에 한두 번", "한 달에 한두 번", "거의 안 간다"],
            ),
            Q(
                "주로 무엇을 하시나요? (최대 2개)",
                kind=QuestionKind.MULTIPLE,
                max_choices=2,
                labels=["산책·달리기", "자전거", "피크닉", "수상 레저", "공연·행사"],
            ),
            Q("한강공원에 바라는 점을 짧게 적어 주세요.", kind=QuestionKind.TEXT, required=False),
        ],
        voters=27,
    ),
    PollSpec(
        PollKind.YES_NO,
        "경의선숲길 야간 조명을 늘리면 어떨까요?",
        "마포구 주민께 묻습니다: 경의선숲길의 밤길 조명을 늘리는 방안입니다.",
        "park-development",
        labels=["조명 확대 찬성", "조명 확대 반대", "기타 의견"],
        districts=["mapo"],
        voters=12,
    ),
]

CLOSED = [
    PollSpec(
        PollKind.YES_NO,
        "긴급 소방 활동을 방해하는 불법주차 차량, 강제 처분해도 될까요?",
        "소방차 진입을 막는 불법주차 차량을 강제로 옮기거나 부숴도 되는지 묻습니다.",
        "safety-management",
        labels=["강제 처분 찬성", "강제 처분 반대", "기타 의견"],
        voters=48,
        response="시민 여러분의 뜻에 따라 소방차 전용구역 불법주차는 손실보상 없이 강제 처분할 수 "
        "있도록 관련 지침을 고쳤습니다. 주요 골목길 소화전 주변부터 단속을 늘리겠습니다.",
    ),
    PollSpec(
        PollKind.DISCUSSION,
        DISCUSSION_TOPICS["street_cats"]["title"],
        "길고양이와 이웃이 함께 지내는 방법을 시민 여러분의 의견과 공감으로 찾습니다.",
        "welfare-policy",
        voters=0,
        topic="street_cats",
    ),
    PollSpec(
        PollKind.CHOICE,
        "보건소에서 받고 싶은 서비스를 골라 주세요",
        "보건소 서비스를 늘릴 때 무엇부터 할지 정하려고 합니다. (최대 2개)",
        "health-policy",
        questions=[
            Q(
                "보건소에서 받고 싶은 서비스",
                kind=QuestionKind.MULTIPLE,
                max_choices=2,
                labels=["난임 주사", "야간 진료", "정신건강 상담", "방문 건강관리"],
            )
        ],
        voters=36,
    ),
    PollSpec(
        PollKind.SURVEY,
        "따릉이 이용 만족도 조사",
        "공공자전거 따릉이를 더 편하게 쓰도록 만족도와 바라는 점을 묻습니다.",
        "transport-policy",
        questions=[
            Q("따릉이에 얼마나 만족하시나요?", labels=["매우 만족", "만족", "보통", "불만족"]),
            Q(
                "가장 고쳤으면 하는 점은 무엇인가요?",
                labels=["대여소 부족", "자전거 고장", "앱 사용", "요금"],
            ),
            Q("따릉이에 바라는 점을 적어 주세요.", kind=QuestionKind.TEXT, required=False),
        ],
        voters=30,
    ),
]

DRAFT = PollSpec(
    PollKind.YES_NO,
    "공원 전체를 금연 구역으로 정하면 어떨까요?",
    "도시공원 전체를 금연 구역으로 정하는 방안을 묻습니다.",
    "park-development",
    labels=["금연 구역 찬성", "금연 구역 반대", "기타 의견"],
)

REASONS = [
    "여름철 전력 부족이 걱정됩니다.",
    "가게마다 사정이 다르니 권고 정도가 좋겠습니다.",
    "밤길이 어두워 무섭습니다.",
]

TEXT_ANSWERS = [
    "그늘막과 쉼터가 더 있었으면 합니다.",
    "화장실을 늘려 주세요.",
    "밤에도 안전하게 다닐 수 있게 해 주세요.",
    "대여소를 지하철역 가까이에 두면 좋겠습니다.",
]


def seed_polls(staff: Staff, now: datetime) -> None:
    """Requires the demo members and departments. Polls open a few days ago
    and close in a week or two; closed ones ran five to two months ago."""
    if Poll.objects.exists():
        return
    departments = {d.code: d for d in Department.objects.all()}
    voters = _voters()
    for number, spec in enumerate(OPEN):
        starts = now - timedelta(days=3 + number)
        poll = _poll(spec, staff, departments, starts, now + timedelta(days=5 + 3 * number))
        _votes(poll, spec, voters, starts, now)
        if spec.topic:
            seed_poll_arguments(poll=poll, topic=spec.topic, now=now)
        # Last changed by its editor, when it was published.
        Poll.objects.filter(pk=poll.pk).update(updated_at=starts - timedelta(days=1))
    for number, spec in enumerate(CLOSED):
        starts = now - timedelta(days=150 - 25 * number)
        ends = starts + timedelta(days=30)
        poll = _poll(spec, staff, departments, starts, ends)
        _votes(poll, spec, voters, starts, ends)
        if spec.topic:
            seed_poll_arguments(poll=poll, topic=spec.topic, now=ends - timedelta(hours=1))
        # The beat's sweep, when the poll ended: its department is told.
        with at(ends):
            editing.close_due_polls(now=ends)
        if spec.response:
            # The department's response, written and published a week later
            # through the results part's service (the voters are told).
            answered = ends + timedelta(days=7)
            with at(answered):
                responses.poll_respond(
                    poll=poll, actor=staff.operator, response=spec.response, now=answered
                )
                responses.poll_response_publish(poll=poll, actor=staff.operator, now=answered)
        # Last changed when it closed, or when its response was published.
        changed = ends + timedelta(days=7) if spec.response else ends
        Poll.objects.filter(pk=poll.pk).update(updated_at=changed)
    # The draft, written yesterday, is to open in a week once published.
    _poll(
        DRAFT,
        staff,
        departments,
        now + timedelta(days=7),
        now + timedelta(days=37),
        written=now - timedelta(days=1),
    )


def _voters() -> list[User]:
    """Demo citizens, not the two fixed citizen logins (left for a visitor to
    vote with), in a fixed order; polls.rules leaves staff accounts out."""
    return list(
        User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN, is_active=True)
        .exclude(email__in=[CITIZEN_EMAIL, CITIZEN2_EMAIL])
        .exclude(groups__name__in=STAFF_ROLES)
        .order_by("pk")
    )


def _poll(
    spec: PollSpec, staff, departments, starts, ends, *, written=None, institution=None
) -> Poll:
    """A poll written and published the day before it starts, or (given
    `written`) a draft written then and not yet published; `institution`:
    a partner institution's (demo/institutions.py)."""
    publish = written is None
    published = starts - timedelta(days=1) if publish else written
    with at(published):
        poll = editing.poll_create(
            actor=staff.operator,
            kind=spec.kind,
            now=published,
            title=spec.title,
            summary=spec.summary,
            background=spec.background,
            department=departments[spec.department],
            institution=institution,
            starts_at=starts,
            ends_at=ends,
            results_shown="live" if spec.results_live else "after_close",
            target_districts=spec.districts,
        )
        if spec.kind == PollKind.YES_NO:
            question = poll.questions.get()
            editing.questions_save(
                poll=poll,
                actor=staff.operator,
                questions=[Q(question.text, pk=question.pk, labels=spec.labels)],
            )
        elif spec.questions:
            editing.questions_save(poll=poll, actor=staff.operator, questions=spec.questions)
        if publish:
            editing.poll_publish(poll=poll, actor=staff.operator, now=published)
    created = published - timedelta(days=2) if publish else written
    Poll.objects.filter(pk=poll.pk).update(created_at=created, updated_at=published)
    return poll


def _votes(poll: Poll, spec: PollSpec, voters: list[User], starts, ends) -> None:
    """`spec.voters` members vote, spread over the period so far, each
    picking as people do: some choices more often than others."""
    if not spec.voters:
        return
    rng = random.Random(zlib.crc32(spec.title.encode()))  # nosec B311  # reproducible demo votes, not a secret
    questions = list(Question.objects.filter(poll=poll).prefetch_related("choices"))
    allowed = [member for member in voters if vote_refusal(member, poll, starts) is None]
    span = (ends - starts).total_seconds()
    for member in rng.sample(allowed, min(spec.voters, len(allowed))):
        moment = starts + timedelta(seconds=rng.uniform(0.02, 0.95) * span)
        _vote(poll, member, questions, rng, moment)


def _vote(poll, member, questions, rng, moment) -> None:
    """One member's vote through the voting service, as the poll page sends it."""
    answers = {}
    for question in questions:
        choices = [choice.pk for choice in question.choices.all()]
        if question.kind == QuestionKind.TEXT:
            if rng.random() < 0.4:
                answers[question.pk] = rng.choice(TEXT_ANSWERS)
            continue
        weights = [len(choices) - i + rng.random() for i in range(len(choices))]
        count = (
            rng.randint(1, question.max_choices) if question.kind == QuestionKind.MULTIPLE else 1
        )
        picked = set()
        while len(picked) < count:
            picked.add(rng.choices(choices, weights=weights)[0])
        answers[question.pk] = sorted(picked)
    reason = rng.choice(REASONS) if poll.kind == PollKind.YES_NO and rng.random() < 0.3 else ""
    votes.poll_vote(poll=poll, member=member, answers=answers, reason=reason, now=moment)
