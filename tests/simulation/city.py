"""A small city that lives a year in a test (issue 12): departments with heads
and officials, members proposing and endorsing every day, departments
answering (some late), debates, the working review and the realization
meetings adopting items, cards with their bimonthly reports, and staff who
are transferred, leave, lose the role or stop heading their department at
random times. Seeded: the same seed makes the same year.

Issue 13 adds what mileage counts besides: comments and debate arguments,
endorsements taken back and given again (the loop that must earn nothing),
answers rated, and the operators hiding and showing comments and
proposals. These draw from a random source of their own (`mileage_rng`),
so the pipeline's year is the one it was before.

Every change goes through the services staff and members use (or, for the
department head, the admin's own form); nothing here writes a model to
change a state. The beat's tasks run at their times (beat.py). Set-up only
(the members, the categories) is written with the factories, as the demo's
sign-ups would be."""

import datetime as dt
import logging
import random
from collections import Counter
from dataclasses import dataclass, field

import time_machine
from django.db.models.signals import pre_save
from django.utils import timezone

from accounts import services as staff_services
from accounts.admin import DepartmentForm
from accounts.models import Department, User
from accounts.roles import Role
from accounts.signals import participation
from answers import services as answer_services
from answers.models import AnswerDecision, AnswerStatus, Assignment
from debates import services as debate_services
from debates.models import Debate, DebateStatus
from meetings import services as meeting_services
from meetings.models import AgendaDecision, AgendaItem, RealizationMeeting, WorkingReview
from oasis.errors import ServiceError
from pipeline import services as conductor
from proposals import services as proposal_services
from proposals.models import (
    Comment,
    Endorsement,
    EventKind,
    PipelineSettings,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from proposals.rules import is_gathering_endorsements
from tests.clock import SEOUL
from tests.factories import CategoryFactory, DepartmentFactory, UserFactory, operator
from tracking import selectors as card_selectors
from tracking import services as card_services
from tracking.models import CardStage, ManagementCard, ProgressReport, ReportStatus

from . import invariants
from .beat import Beat

DEPARTMENTS = [
    ("transport", "교통정책과", "Transport Policy"),
    ("parks", "공원녹지과", "Parks and Greenery"),
    ("welfare", "복지정책과", "Welfare Policy"),
    ("housing", "주택정책과", "Housing Policy"),
]
OFFICIALS_PER_DEPARTMENT = 3
MEMBERS = 60
BARS = {"answer_threshold": 5, "debate_threshold": 12}
PERIODS = {"endorsement_window_days": 30, "debate_length_days": 14}

# The day's ticks (Seoul): members act in the morning, staff in the
# afternoon; the frequent entries of the beat run at night and after the
# staff's work.
NIGHT, MEMBERS_ACT, STAFF_ACT = dt.time(0, 40), dt.time(10), dt.time(15)
CHECK = dt.time(23, 30)

ANSWER = {
    "summary": "검토 결과를 알려 드립니다. 내년 예산에 반영해 추진하겠습니다.",
    "necessity": "시민 불편이 크고 요청이 꾸준합니다.",
    "effectiveness": "이용자 안전과 편의가 나아집니다.",
    "feasibility": "관련 부서와 협의하면 추진할 수 있습니다.",
    "estimated_budget": 50_000_000,
}
# Amendments of published answers (issue 12's amendments part), when merged.
AMENDMENTS = hasattr(answer_services, "amendment_save")
ANSWER_FIELDS = (*ANSWER, "decision", "refusal_basis_kind", "refusal_basis")

# Requests for more time (issue 12's deadlines part), when it is merged.
EXTENSIONS = hasattr(answer_services, "extension_request")

REFUSAL = {"refusal_basis_kind": "budget", "refusal_basis": "올해 예산으로는 추진하기 어렵습니다."}


@dataclass
class Figures:
    days: int = 0
    proposals: int = 0
    endorsements: int = 0
    assigned: int = 0
    not_reached: int = 0
    answers_on_time: int = 0
    answers_late: int = 0
    answers_extended: int = 0
    escalated: int = 0
    escalated_to_head: int = 0
    escalated_to_operators: int = 0
    extensions: Counter = field(default_factory=Counter)
    accepted: int = 0
    amendments: int = 0
    debates: int = 0
    debates_closed: int = 0
    reviews: int = 0
    meetings_held: int = 0
    adopted: int = 0
    cards: int = 0
    reports_on_time: int = 0
    reports_late: int = 0
    reports_escalated: int = 0
    handoffs: int = 0
    staff_events: Counter = field(default_factory=Counter)
    max_unowned: int = 0
    max_stale: int = 0
    max_answer_gaps: int = 0
    max_timeline_gaps: int = 0
    comments: int = 0
    arguments: int = 0
    endorsements_taken_back: int = 0
    answers_rated: int = 0
    hidden_and_shown: Counter = field(default_factory=Counter)
    comments_deleted: int = 0
    participation_signals: int = 0
    max_mileage_gaps: int = 0
    failures: list = field(default_factory=list)


class City:
    """The city and its year. `churn` names the staff events that may happen
    ("deactivated", "moved", "role_withdrawn", "head_moved")."""

    def __init__(self, *, seed: int, start: dt.date, churn: set[str]):
        self.rng = random.Random(seed)
        self.mileage_rng = random.Random(seed * 7919 + 13)
        # What the services told mileage, net per (action, member, source
        # model, source id): +1 for each award, -1 for each undo.
        self.told: Counter = Counter()
        self.start = start
        self.churn = churn
        self.figures = Figures()
        self.beat = Beat()
        self.status_writes: Counter = Counter()
        self.traveller = self.clock = None
        # Plans made when something happens, acted on later: pk → day.
        self.answer_day: dict[int, dt.date] = {}
        self.publish_day: dict[int, dt.date] = {}
        self.report_day: dict[int, dt.date] = {}
        self.extension_day: dict[int, tuple[dt.date, int]] = {}
        self.summary_day: dict[int, dt.date] = {}
        self.handoff_day: dict[int, dt.date] = {}
        self.head_day: dict[int, dt.date] = {}
        self.popularity: dict[int, float] = {}
        self.hired = 0

    # --- the clock --------------------------------------------------------------

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        moment = dt.datetime.combine(day, time, SEOUL)
        self.clock.move_to(moment)
        return moment

    def _count_status_writes(self, sender, instance, **kwargs):
        if instance.pk is None:
            return
        old = Proposal.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        if old is not None and old != instance.status:
            self.status_writes[instance.pk] += 1

    def _note_participation(self, sender, action, member_id, source, undo, **kwargs):
        self.told[(str(action), member_id, source._meta.label, source.pk)] += -1 if undo else 1
        self.figures.participation_signals += 1

    # --- the year ---------------------------------------------------------------

    def live(self, days: int, *, stop_on_failure: bool = True) -> Figures:
        pre_save.connect(self._count_status_writes, sender=Proposal, weak=False)
        participation.connect(
            self._note_participation, weak=False, dispatch_uid="simulation.participation"
        )
        # Twenty thousand "task succeeded" lines would cost more than the tasks.
        trace_log = logging.getLogger("celery.app.trace")
        trace_level = trace_log.level
        trace_log.setLevel(logging.WARNING)
        self.traveller = time_machine.travel(
            dt.datetime.combine(self.start, dt.time(9), SEOUL), tick=False
        )
        self.clock = self.traveller.start()
        try:
            self.at(self.start, dt.time(9))
            self._found()
            for n in range(days):
                day = self.start + dt.timedelta(days=n)
                self._day(day)
                self.figures.days = n + 1
                if stop_on_failure and self.figures.failures:
                    break
            self._count()
        finally:
            self.traveller.stop()
            pre_save.disconnect(self._count_status_writes, sender=Proposal)
            participation.disconnect(dispatch_uid="simulation.participation")
            trace_log.setLevel(trace_level)
        return self.figures

    def _day(self, day: dt.date) -> None:
        # (time, what the members or staff do, whether the frequent beat
        # entries run after it)
        ticks = [
            (NIGHT, None, True),
            (MEMBERS_ACT, self._members, False),
            (STAFF_ACT, self._staff, True),
        ]
        plan = [(moment, "beat", (entry, False)) for moment, entry in self.beat.moments(day)]
        plan += [
            (dt.datetime.combine(day, t, SEOUL), "tick", (act, beat)) for t, act, beat in ticks
        ]
        for moment, what, (thing, frequent) in sorted(plan, key=lambda p: (p[0], p[1] == "tick")):
            self.clock.move_to(moment)
            if what == "beat":
                self.beat.run(thing)
                continue
            if thing is not None:
                thing(day)
            if frequent:
                self.beat.run_intervals()
        self._check(day)

    def _check(self, day: dt.date) -> None:
        now = self.at(day, CHECK)
        found = {
            "unowned": invariants.unowned(now),
            "stale": invariants.stale_cards(now),
            "answer_gaps": invariants.answer_gaps(now),
            "timeline_gaps": invariants.timeline_gaps(self.status_writes),
            "mileage": invariants.mileage_gaps(self.told),
        }
        f = self.figures
        f.max_unowned = max(f.max_unowned, len(found["unowned"]))
        f.max_stale = max(f.max_stale, len(found["stale"]))
        f.max_answer_gaps = max(f.max_answer_gaps, len(found["answer_gaps"]))
        f.max_timeline_gaps = max(f.max_timeline_gaps, len(found["timeline_gaps"]))
        f.max_mileage_gaps = max(f.max_mileage_gaps, len(found["mileage"]))
        for name, problems in found.items():
            for problem in problems:
                f.failures.append(f"{day} {name}: {problem}")

    # --- founding the city --------------------------------------------------------

    def _found(self) -> None:
        self.operator = operator(email="operator@city.example")
        self.mayor = UserFactory(
            email="mayor@city.example", roles=[Role.MAYOR_OFFICE], is_staff=True
        )
        self.departments = []
        for code, name, name_en in DEPARTMENTS:
            department = DepartmentFactory(
                code=code, name=name, name_en=name_en, email=f"{code}@city.example"
            )
            CategoryFactory(code=code, name=name, default_department=department)
            for _ in range(OFFICIALS_PER_DEPARTMENT):
                self._hire(department)
            self._name_head(department)
            self.departments.append(department)
        self.members = [UserFactory(email=f"citizen{n}@city.example") for n in range(MEMBERS)]
        self.categories = {
            c.default_department_id: c for c in CategoryFactory._meta.model.objects.all()
        }
        values = {**BARS, **PERIODS}
        row = PipelineSettings.load()
        for name, value in values.items():
            setattr(row, name, value)
        preview = conductor.bars_preview(
            settings_row=row, based_on=conductor.saved_values(PipelineSettings.load())
        )
        conductor.pipeline_settings_change(
            user=self.operator, values=values, preview_seen=preview.fingerprint
        )

    def _hire(self, department) -> User:
        self.hired += 1
        member = UserFactory(email=f"official{self.hired}@city.example")
        staff_services.staff_role_grant(
            actor=self.operator, member=member, role=Role.OFFICIAL, department=department
        )
        return User.objects.get(pk=member.pk)

    def officials_of(self, department) -> list[User]:
        return list(
            User.objects.filter(
                groups__name=str(Role.OFFICIAL), department=department, is_active=True
            ).order_by("pk")
        )

    def _name_head(self, department) -> None:
        """The operator names a head in the department's admin form."""
        department.refresh_from_db()
        candidates = self.officials_of(department)
        if not candidates:
            return
        head = self.rng.choice(candidates)
        data = {
            "code": department.code,
            "name": department.name,
            "name_en": department.name_en,
            "email": department.email,
            "head": head.pk,
            "is_active": "on",
        }
        form = DepartmentForm(data=data, instance=department)
        assert form.is_valid(), form.errors
        form.save()

    # --- members --------------------------------------------------------------------

    def _members(self, day: dt.date) -> None:
        rng = self.rng
        if rng.random() < 0.22:
            author = rng.choice(self.members)
            department = rng.choice(self.departments)
            proposal = proposal_services.proposal_create(
                author=author,
                title=f"{department.name} 제안 {self.figures.proposals + 1}: 우리 동네를 바꿔요",
                body="시민의 불편을 줄이기 위해 이런 변화를 제안합니다. 함께 추천해 주세요.",
                category=self.categories[department.pk],
            )
            self.figures.proposals += 1
            self.popularity[proposal.pk] = rng.choice(
                [0.05, 0.1, 0.1, 0.3, 0.3, 0.4, 0.6, 0.8, 1.2]
            )
        endorsable = Proposal.objects.filter(
            status__in=[ProposalStatus.OPEN, ProposalStatus.ASSIGNED, ProposalStatus.ANSWERED]
        )
        for proposal in endorsable.order_by("pk"):
            if not is_gathering_endorsements(proposal):
                continue
            wanted = self.popularity.get(proposal.pk, 0)
            count = int(wanted) + (rng.random() < wanted - int(wanted))
            for member in rng.sample(self.members, count):
                if member.pk == proposal.author_id:
                    continue
                try:
                    proposal_services.proposal_endorse(proposal=proposal, user=member)
                except ServiceError:
                    continue  # endorsed it already
                self.figures.endorsements += 1
        for debate in Debate.objects.filter(status=DebateStatus.OPEN).order_by("pk"):
            if debate.ends_at <= timezone.now():
                continue
            for member in rng.sample(self.members, rng.randint(0, 1)):
                debate_services.stance_set(
                    debate=debate,
                    user=member,
                    position=rng.choice(["for", "for", "against", "undecided"]),
                )
        self._members_for_mileage()

    def _pick(self, queryset):
        """One row of `queryset` chosen by the seeded mileage source (the
        database's own random order would not repeat), or None."""
        pks = list(queryset.order_by("pk").values_list("pk", flat=True))
        return queryset.get(pk=self.mileage_rng.choice(pks)) if pks else None

    def _members_for_mileage(self) -> None:
        """What members do that only mileage counts (see the module's
        docstring): a comment, an argument, an endorsement taken back and
        given again, a published answer rated by its proposer."""
        rng = self.mileage_rng
        public = Proposal.objects.public().order_by("pk")
        if rng.random() < 0.6 and (proposals := list(public.values_list("pk", flat=True))):
            proposal = Proposal.objects.get(pk=rng.choice(proposals))
            proposal_services.comment_create(
                proposal=proposal,
                author=rng.choice(self.members),
                body="좋은 제안이에요. 응원합니다!",
            )
            self.figures.comments += 1
        for debate in Debate.objects.filter(status=DebateStatus.OPEN).order_by("pk"):
            if debate.ends_at > timezone.now() and rng.random() < 0.4:
                debate_services.argument_create(
                    debate=debate,
                    author=rng.choice(self.members),
                    side=rng.choice(["for", "against"]),
                    body="이 제안이 실현되면 동네가 더 안전해질 것입니다.",
                )
                self.figures.arguments += 1
        if rng.random() < 0.3:
            # The loop: taken back and given again; the count ends where it was.
            endorsements = Endorsement.objects.filter(
                proposal__status=ProposalStatus.OPEN
            ).select_related("proposal", "user")
            if endorsement := self._pick(endorsements):
                proposal, member = endorsement.proposal, endorsement.user
                if is_gathering_endorsements(proposal):
                    proposal_services.proposal_unendorse(proposal=proposal, user=member)
                    proposal_services.proposal_endorse(proposal=proposal, user=member)
                    self.figures.endorsements_taken_back += 1
        from answers.models import Answer

        unrated = (
            Answer.objects.filter(status=AnswerStatus.PUBLISHED, rating__isnull=True)
            .select_related("assignment__proposal__author")
            .order_by("pk")
        )
        for answer in unrated:
            author = answer.assignment.proposal.author
            if rng.random() < 0.3 and author.is_active:
                answer_services.answer_rate(answer=answer, user=author, score=rng.randint(1, 5))
                self.figures.answers_rated += 1

    # --- staff ------------------------------------------------------------------------

    def _staff(self, day: dt.date) -> None:
        self._decide_extensions(day)
        self._answer(day)
        self._publish(day)
        self._amend(day)
        self._debates(day)
        self._review_and_meetings(day)
        self._reports(day)
        self._hand_over(day)
        self._churn(day)
        self._moderate()

    def _moderate(self) -> None:
        """The operators hide a comment or an argument now and then and show
        some again; a member deletes a comment; a proposal is hidden and
        shown again in the same afternoon (so the pipeline's year does not
        change), which takes back and gives back all it brought."""
        rng = self.mileage_rng
        comments = Comment.objects.filter(deleted_at__isnull=True).order_by("pk")
        if rng.random() < 0.15 and (comment := self._pick(comments.filter(is_hidden=False))):
            proposal_services.comment_set_hidden(
                comment=comment, user=self.operator, reason="운영 원칙 위반", hidden=True
            )
            self.figures.hidden_and_shown["comment hidden"] += 1
        for comment in comments.filter(is_hidden=True):
            if rng.random() < 0.2:
                proposal_services.comment_set_hidden(
                    comment=comment, user=self.operator, reason="다시 보니 괜찮습니다", hidden=False
                )
                self.figures.hidden_and_shown["comment shown again"] += 1
        if rng.random() < 0.05 and (comment := self._pick(comments)):
            proposal_services.comment_delete(comment=comment, user=comment.author)
            self.figures.comments_deleted += 1
        from debates.models import Argument

        arguments = Argument.objects.filter(deleted_at__isnull=True)
        if rng.random() < 0.1 and (argument := self._pick(arguments.filter(is_hidden=False))):
            debate_services.argument_hide(argument=argument, user=self.operator, reason="주제 밖")
            self.figures.hidden_and_shown["argument hidden"] += 1
        if rng.random() < 0.1 and (argument := self._pick(arguments.filter(is_hidden=True))):
            debate_services.argument_unhide(argument=argument, user=self.operator, reason="확인")
            self.figures.hidden_and_shown["argument shown again"] += 1
        if rng.random() < 0.05 and (proposal := self._pick(Proposal.objects.public())):
            proposal_services.proposal_hide(proposal=proposal, user=self.operator, reason="확인 중")
            proposal_services.proposal_unhide(
                proposal=proposal, user=self.operator, reason="문제없음"
            )
            self.figures.hidden_and_shown["proposal hidden and shown"] += 1

    def _someone_in(self, department) -> User | None:
        officials = self.officials_of(department)
        return self.rng.choice(officials) if officials else None

    def _answer(self, day: dt.date) -> None:
        rng = self.rng
        waiting = Assignment.objects.awaiting_answer().select_related("proposal", "department")
        for assignment in waiting.order_by("pk"):
            if assignment.pk not in self.answer_day:
                deadline = timezone.localdate(assignment.deadline)
                assigned = timezone.localdate(assignment.assigned_at)
                late = rng.random() < 0.2
                span = (deadline - assigned).days
                self.answer_day[assignment.pk] = (
                    deadline + dt.timedelta(days=rng.randint(1, 12))
                    if late
                    else assigned + dt.timedelta(days=rng.randint(3, max(3, span - 2)))
                )
                # Most departments that will be late ask for more time first
                # (once issue 12's deadlines part is merged).
                if late and EXTENSIONS and rng.random() < 0.6:
                    late_by = (self.answer_day[assignment.pk] - deadline).days
                    self.extension_day[assignment.pk] = (
                        max(day, deadline - dt.timedelta(days=2)),
                        late_by + 2,
                    )
            asks = self.extension_day.get(assignment.pk)
            if asks is not None and asks[0] <= day:
                del self.extension_day[assignment.pk]
                asker = self._someone_in(assignment.department)
                if asker is not None:
                    answer_services.extension_request(
                        assignment=assignment,
                        user=asker,
                        reason="현장 조사가 더 필요합니다.",
                        days=asks[1],
                    )
            if self.answer_day[assignment.pk] > day:
                continue
            answer = getattr(assignment, "answer", None)
            if answer is not None and answer.status != AnswerStatus.DRAFT:
                continue
            writer = self._someone_in(assignment.department)
            if writer is None:
                continue
            decision = rng.choice(
                [
                    AnswerDecision.ACCEPT,
                    AnswerDecision.ACCEPT,
                    AnswerDecision.PARTIALLY_ACCEPT,
                    AnswerDecision.NOT_ACCEPT,
                ]
            )
            values = {**ANSWER, "decision": decision}
            if decision == AnswerDecision.NOT_ACCEPT:
                values.update(REFUSAL)
            answer = answer_services.answer_save(assignment=assignment, user=writer, **values)
            answer_services.answer_submit(answer=answer, user=writer)
            # The operators approve the same day or the next.
            self.publish_day[answer.pk] = day + dt.timedelta(days=rng.randint(0, 1))

    def _decide_extensions(self, day: dt.date) -> None:
        """The operators decide requests for more time the next working
        morning: most are granted as asked, some refused."""
        if not EXTENSIONS:
            return
        from answers.models import DeadlineExtension, ExtensionStatus

        pending = DeadlineExtension.objects.filter(status=ExtensionStatus.PENDING)
        for extension in pending.order_by("pk"):
            if timezone.localdate(extension.created_at) >= day:
                continue
            grant = self.rng.random() < 0.75
            answer_services.extension_decide(
                extension=extension,
                user=self.operator,
                grant=grant,
                days=extension.days_requested if grant else None,
                reason="" if grant else "기한 안에 답변해 주세요.",
            )

    def _amend(self, day: dt.date) -> None:
        """Now and then a department corrects a published answer (its budget,
        sometimes how far it accepts); the operators approve it the next
        day (issue 12's amendments, when merged)."""
        if not AMENDMENTS:
            return
        from answers.models import AmendmentStatus, Answer, AnswerAmendment

        rng = self.rng
        waiting = AnswerAmendment.objects.filter(status=AmendmentStatus.SUBMITTED)
        for amendment in waiting.order_by("pk"):
            if timezone.localdate(amendment.submitted_at) < day:
                answer_services.amendment_approve(amendment=amendment, user=self.operator)
                self.figures.amendments += 1
        if rng.random() > 0.04:
            return
        published = Answer.objects.filter(status=AnswerStatus.PUBLISHED).exclude(
            amendments__status=AmendmentStatus.SUBMITTED
        )
        answer = rng.choice(list(published.select_related("assignment").order_by("pk")) or [None])
        writer = answer and self._someone_in(answer.assignment.department)
        if writer is None:
            return
        values = {name: getattr(answer, name) for name in ANSWER_FIELDS}
        values["estimated_budget"] = (answer.estimated_budget or 0) + 10_000_000
        swap = {
            AnswerDecision.ACCEPT: AnswerDecision.PARTIALLY_ACCEPT,
            AnswerDecision.PARTIALLY_ACCEPT: AnswerDecision.ACCEPT,
        }
        if answer.decision in swap and rng.random() < 0.5:
            values["decision"] = swap[answer.decision]
        amendment = answer_services.amendment_save(
            answer=answer, user=writer, reason="예산을 다시 산정했습니다.", **values
        )
        answer_services.amendment_submit(amendment=amendment, user=writer)

    def _publish(self, day: dt.date) -> None:
        from answers.models import Answer

        submitted = Answer.objects.filter(
            status=AnswerStatus.SUBMITTED, assignment__is_current=True
        )
        for answer in submitted.order_by("pk"):
            if self.publish_day.get(answer.pk, day) > day:
                continue
            answer_services.answer_publish(answer=answer, user=self.operator)
            if answer.decision in (AnswerDecision.ACCEPT, AnswerDecision.PARTIALLY_ACCEPT):
                self.figures.accepted += 1

    def _debates(self, day: dt.date) -> None:
        closed = Debate.objects.filter(
            status=DebateStatus.CLOSED, summary_published_at__isnull=True
        )
        for debate in closed.order_by("pk"):
            when = self.summary_day.setdefault(
                debate.pk, day + dt.timedelta(days=self.rng.randint(1, 4))
            )
            if when <= day:
                debate_services.debate_publish_summary(
                    debate=debate,
                    operator=self.operator,
                    summary="찬성이 많았고, 안전 대책을 함께 마련하자는 의견이 있었습니다.",
                )

    def _review_and_meetings(self, day: dt.date) -> None:
        rng = self.rng
        for meeting in RealizationMeeting.objects.filter(status="scheduled").order_by(
            "scheduled_at"
        ):
            meeting_day = timezone.localdate(meeting.scheduled_at)
            # The working review sits two weeks before the meeting.
            if day == meeting_day - dt.timedelta(days=14):
                waiting = list(Proposal.objects.filter(status=ProposalStatus.REVIEW).order_by("pk"))
                if waiting:
                    review = WorkingReview.objects.create(held_on=day, next_meeting=meeting)
                    for proposal in waiting:
                        meeting_services.working_review_decide(
                            review=review,
                            proposal=proposal,
                            selected=rng.random() < 0.8,
                            reason="시민 공감과 실현 가능성을 살폈습니다.",
                            user=self.operator,
                        )
                    meeting_services.working_review_finalise(review=review, user=self.operator)
                    self.figures.reviews += 1
            if day == meeting_day:
                items = AgendaItem.objects.filter(meeting=meeting, decision=AgendaDecision.PENDING)
                for item in items.order_by("position"):
                    roll = rng.random()
                    decision = (
                        AgendaDecision.ADOPTED
                        if roll < 0.7
                        else AgendaDecision.NOT_ADOPTED
                        if roll < 0.9
                        else AgendaDecision.HELD_OVER
                    )
                    meeting_services.agenda_item_decide(
                        item=item,
                        decision=decision,
                        reason="회의에서 논의한 결과입니다.",
                        user=self.mayor,
                    )
                    self.figures.adopted += decision == AgendaDecision.ADOPTED
                meeting_services.meeting_mark_held(meeting=meeting, user=self.mayor)
                self.figures.meetings_held += 1

    def _reports(self, day: dt.date) -> None:
        rng = self.rng
        requested = ProgressReport.objects.filter(status=ReportStatus.REQUESTED).select_related(
            "card__department", "card__responsible_official"
        )
        for report in requested.order_by("pk"):
            if report.pk not in self.report_day:
                late = rng.random() < 0.12
                self.report_day[report.pk] = report.due_date + (
                    dt.timedelta(days=rng.randint(1, 10))
                    if late
                    else -dt.timedelta(days=rng.randint(0, 10))
                )
            if self.report_day[report.pk] > day:
                continue
            card = report.card
            if card.is_completed:
                continue
            owner = card.responsible_official
            writer = (
                owner
                if owner is not None
                and owner.is_active
                and owner.department_id == card.department_id
                else self._someone_in(card.department)
            )
            if writer is None:
                continue
            stage = {
                CardStage.REVIEW: CardStage.PLANNING,
                CardStage.PLANNING: CardStage.IN_PROGRESS,
            }.get(card.stage, "")
            percent = min(100, (card.percent_complete or 0) + rng.randint(10, 35))
            if card.stage == CardStage.IN_PROGRESS and percent == 100:
                stage = CardStage.COMPLETED
            elif percent == 100:
                percent = 95
            card_services.report_submit(
                report=report,
                user=writer,
                done="계획대로 진행했습니다.",
                stage=stage or None,
                percent=percent,
                next_steps="다음 단계를 준비합니다.",
            )
            if day <= report.due_date:
                self.figures.reports_on_time += 1
            else:
                self.figures.reports_late += 1

    def _hand_over(self, day: dt.date) -> None:
        """Cards shown without owner: the operator hands each to an official
        of its department a few days later."""
        for card in card_selectors.cards_without_owner().order_by("pk"):
            when = self.handoff_day.setdefault(
                card.pk, day + dt.timedelta(days=self.rng.randint(1, 5))
            )
            if when > day:
                continue
            to = self._someone_in(card.department)
            if to is None:
                continue
            card_services.card_handoff(
                card=card, user=self.operator, to_official=to, note="담당자가 바뀌어 넘깁니다."
            )
            self.handoff_day.pop(card.pk)
            self.figures.handoffs += 1
        for department in Department.objects.filter(
            pk__in=[d.pk for d in self.departments], head__isnull=True
        ).order_by("pk"):
            when = self.head_day.setdefault(
                department.pk, day + dt.timedelta(days=self.rng.randint(2, 10))
            )
            if when <= day:
                self._name_head(department)
                self.head_day.pop(department.pk)

    def _churn(self, day: dt.date) -> None:
        """About every seventeen days, something happens to a member of staff."""
        rng = self.rng
        if not self.churn or rng.random() > 0.06:
            return
        event = rng.choice(sorted(self.churn))
        department = rng.choice(self.departments)
        department.refresh_from_db()
        officials = self.officials_of(department)
        if event == "head_moved":
            if department.head_id is None:
                return
            member = department.head
        else:
            # Half the time it is someone who carries a card: the case the
            # seeds are about (work lost when its carrier rotates).
            carriers = [
                o
                for o in officials
                if ManagementCard.objects.filter(responsible_official=o)
                .exclude(stage=CardStage.COMPLETED)
                .exists()
            ]
            member = rng.choice(carriers if carriers and rng.random() < 0.5 else officials)
        if event in ("moved", "head_moved"):
            elsewhere = rng.choice([d for d in self.departments if d.pk != department.pk])
            staff_services.official_department_set(
                actor=self.operator, member=member, department=elsewhere
            )
        elif event == "deactivated":
            staff_services.staff_deactivate(actor=self.operator, member=member)
        elif event == "role_withdrawn":
            staff_services.staff_role_withdraw(
                actor=self.operator, member=member, role=Role.OFFICIAL
            )
        self.figures.staff_events[event] += 1
        # The department hires when it is down to one official.
        if len(self.officials_of(department)) < 2:
            self._hire(department)
            self.figures.staff_events["hired"] += 1

    # --- the figures ----------------------------------------------------------------

    def _count(self) -> None:
        from answers.models import Answer

        f = self.figures
        f.assigned = Assignment.objects.filter(is_current=True).count()
        f.not_reached = Proposal.objects.filter(status=ProposalStatus.NOT_REACHED).count()
        published = Answer.objects.filter(status=AnswerStatus.PUBLISHED)
        f.answers_on_time = published.filter(met_deadline=True).count()
        f.answers_late = published.filter(met_deadline=False).count()
        f.escalated = (
            ProposalEvent.objects.filter(kind=EventKind.ANSWER_OVERDUE, is_public=True)
            .values("proposal_id")
            .distinct()
            .count()
        )
        f.escalated_to_operators = Assignment.objects.filter(escalated_at__isnull=False).count()
        if hasattr(Assignment, "head_told_at"):
            f.escalated_to_head = Assignment.objects.filter(head_told_at__isnull=False).count()
        if EXTENSIONS:
            from answers.models import DeadlineExtension

            extensions = DeadlineExtension.objects.values_list("status", flat=True)
            f.extensions = Counter(extensions)
            f.answers_extended = (
                Answer.objects.filter(
                    status=AnswerStatus.PUBLISHED,
                    assignment__extensions__status="granted",
                )
                .distinct()
                .count()
            )
        f.debates = Debate.objects.count()
        f.debates_closed = Debate.objects.filter(status=DebateStatus.CLOSED).count()
        f.cards = ManagementCard.objects.count()
        f.reports_escalated = ProgressReport.objects.filter(escalated_at__isnull=False).count()


def table(figures: Figures, beat: Beat) -> str:
    f = figures
    rows = [
        ("days simulated", f.days),
        ("proposals", f.proposals),
        ("endorsements", f.endorsements),
        ("not reached (window closed)", f.not_reached),
        ("past the answer bar (assigned)", f.assigned),
        ("answers on time", f.answers_on_time),
        ("answers late", f.answers_late),
        ("answers after an extension", f.answers_extended),
        *((f"extension requests {status}", n) for status, n in sorted(f.extensions.items())),
        ("answers shown overdue", f.escalated),
        ("overdue answers told to the head", f.escalated_to_head),
        ("overdue answers told to the operators", f.escalated_to_operators),
        ("accepted (수용/일부 수용)", f.accepted),
        ("answers amended", f.amendments),
        ("debates opened / closed", f"{f.debates} / {f.debates_closed}"),
        ("working reviews", f.reviews),
        ("meetings held", f.meetings_held),
        ("items adopted", f.adopted),
        ("cards", f.cards),
        ("reports on time / late", f"{f.reports_on_time} / {f.reports_late}"),
        ("report requests escalated", f.reports_escalated),
        ("cards handed over", f.handoffs),
        *((f"staff: {name}", n) for name, n in sorted(f.staff_events.items())),
        ("max unowned on a day", f.max_unowned),
        ("max stale cards on a day", f.max_stale),
        ("max answer gaps on a day", f.max_answer_gaps),
        ("max timeline gaps on a day", f.max_timeline_gaps),
        ("comments / deleted", f"{f.comments} / {f.comments_deleted}"),
        ("debate arguments", f.arguments),
        ("endorsements taken back and given again", f.endorsements_taken_back),
        ("answers rated", f.answers_rated),
        *((f"moderation: {name}", n) for name, n in sorted(f.hidden_and_shown.items())),
        ("participation signals", f.participation_signals),
        ("max mileage gaps on a day", f.max_mileage_gaps),
        ("beat runs", sum(beat.runs.values())),
        ("failures", len(f.failures)),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)
