"""What the attacker finds on the portal: people in every role and their
objects at every stage an attack aims at, built through the factories and
the services as the pipeline builds them. `text` goes into every field a
member, official or expert writes (the XSS suite passes its payloads, the
formula suite its formulae), so one world serves every attack class.

Two departments, X and Y, so that an official of one can be tried against
the other's assignments, answers and cards; two citizens, A and B, so that
each can be tried against the other's proposals, comments, arguments and
notices."""

from dataclasses import dataclass, field
from types import SimpleNamespace

from accounts.permissions import sync_role_groups
from accounts.roles import Role
from debates import services as debate_services
from meetings.models import RealizationMeeting
from panel import services as panel_services
from polls.services import votes as poll_votes
from proposals import services as proposal_services
from proposals.models import ProposalPhoto
from tests.answers.helpers import COMPLETE, assigned, drafted, published
from tests.debates.helpers import open_debate
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    UserFactory,
    image_file,
    official,
    operator,
)
from tests.meetings.helpers import external_expert, internal_expert, mayor_office
from tests.polls.vote_helpers import choice_ids, yes_no_poll
from tests.tracking.helpers import adopted_card, requested_report
from tracking import services as tracking_services


@dataclass
class World:
    text: str
    people: SimpleNamespace = field(default_factory=SimpleNamespace)
    # objects by name: proposals, comments, arguments, answers, cards…
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None

    def user(self, role: str):
        """The member playing `role` ("anonymous" is None)."""
        return None if role == "anonymous" else getattr(self.people, role)


def build_world(text: str) -> World:
    sync_role_groups()  # a transactional test before may have flushed them
    world = World(text=text)
    o = world.objects
    dept_x = DepartmentFactory(code="dept-x", name=f"도로과 {text}"[:50])
    dept_y = DepartmentFactory(code="dept-y", name="공원과")
    o.update(dept_x=dept_x, dept_y=dept_y)
    o["category_x"] = CategoryFactory(
        code="roads", name=f"도로 {text}"[:50], default_department=dept_x
    )
    people = world.people
    people.citizen_a = UserFactory(email="a@example.com", display_name="김시민", nickname=text[:30])
    people.citizen_b = UserFactory(email="b@example.com", display_name="박시민")
    people.operator = operator(email="operator@example.com")
    people.official_x = official(department=dept_x, email="x@example.com")
    people.official_y = official(department=dept_y, email="y@example.com")
    people.expert = internal_expert(email="expert@example.com")
    people.expert_external = external_expert(email="outside@example.com")
    people.mayor_office = mayor_office(email="mayor@example.com")
    a, b = people.citizen_a, people.citizen_b

    def propose(author, label, **kwargs):
        return proposal_services.proposal_create(
            author=author,
            title=f"{label} {text}"[:100],
            body=f"{label}: {text}. 보행로를 넓혀 주세요.",
            category=o["category_x"],
            tag_names=kwargs.pop("tags", ()),
            **kwargs,
        )

    # A's own proposal, still editable (nobody endorsed it); B comments on it
    # (and A is told, so A has a notice).
    o["proposal_a"] = propose(a, "A의 제안", tags=["보행"])
    o["comment_b_on_a"] = proposal_services.comment_create(
        proposal=o["proposal_a"], author=b, body=f"B의 댓글 {text}"
    )
    # B's proposal, endorsed and commented by A.
    o["proposal_b"] = propose(b, "B의 제안", photos=[image_file()])
    proposal_services.proposal_endorse(proposal=o["proposal_b"], user=a)
    o["comment_a"] = proposal_services.comment_create(
        proposal=o["proposal_b"], author=a, body=f"A의 댓글 {text}"
    )
    proposal_services.report_create(
        reporter=a, reason="spam", detail=f"신고 {text}", proposal=o["proposal_b"]
    )
    # Hidden (with a photo) and trashed proposals of B.
    hidden = propose(b, "숨긴 제안", photos=[image_file()])
    o["proposal_hidden"] = proposal_services.proposal_hide(
        proposal=hidden, user=people.operator, reason=f"운영원칙 {text}"
    )
    o["photo_hidden"] = ProposalPhoto.objects.get(proposal=hidden)
    o["photo_b"] = ProposalPhoto.objects.get(proposal=o["proposal_b"])
    trashed = propose(b, "지운 제안", photos=[image_file()])
    o["proposal_trashed"] = proposal_services.proposal_trash(proposal=trashed, user=b)
    o["photo_trashed"] = ProposalPhoto.objects.get(proposal=trashed)

    # An answer published to A (A may rate it); a draft answer in Y.
    values = {**COMPLETE, "summary": f"답변 {text}", "feasibility": f"검토 {text}"}
    o["assignment_x"] = assigned(dept_x, author=a, title=f"답변 받은 제안 {text}"[:100])
    o["answer_x"] = published(o["assignment_x"], values, by=people.operator)
    o["assignment_y"] = assigned(dept_y, author=b, title=f"Y 부서 제안 {text}"[:100])
    o["answer_y"] = drafted(
        o["assignment_y"], {**values, "summary": f"Y 부서의 초안 {text}"}, by=people.official_y
    )

    # An open debate with an argument of A's and one of B's.
    o["debate"] = open_debate(author=b, title=f"토론 중인 제안 {text}"[:100])
    o["argument_a"] = debate_services.argument_create(
        debate=o["debate"], author=a, side="for", body=f"A의 찬성 {text}"
    )
    o["argument_b"] = debate_services.argument_create(
        debate=o["debate"], author=b, side="against", body=f"B의 반대 {text}"
    )

    # Adopted proposals: a card in X with a submitted report, a card in Y.
    o["card_x"] = adopted_card(dept_x, author=b, title=f"채택 X {text}"[:100])
    report = requested_report(o["card_x"])
    o["report_x"] = tracking_services.report_submit(
        report=report,
        user=people.official_x,
        done=f"한 일 {text}",
        percent=30,
        next_steps=f"다음 {text}",
    )
    o["card_y"] = adopted_card(dept_y, author=b, title=f"채택 Y {text}"[:100])
    o["meeting"] = o["card_x"].agenda_item.meeting
    RealizationMeeting.objects.filter(pk=o["meeting"].pk).update(
        notes=f"회의 메모 {text}", attendees_citizens=f"시민 {text}"
    )
    # The citizen panel: a member who rates (A's proposal, with a note) and
    # a citizen whose application waits.
    people.panel = UserFactory(email="panel@example.com", roles=[Role.PANEL])
    people.applicant = UserFactory(email="applicant@example.com", display_name=text[:30])
    o["panel_application"] = panel_services.panel_apply(
        member=people.applicant, motivation=f"신청 {text}"
    )
    o["panel_rating"] = panel_services.panel_rate(
        proposal=o["proposal_a"],
        member=people.panel,
        creativity=4,
        public_value=4,
        feasibility=3,
        note=f"메모 {text}",
    )
    # An open city poll (yes/no) in X, the text in all staff write on it,
    # with B's vote and reason (A has not voted: the CSRF suite votes).
    o["poll"] = yes_no_poll(
        department=dept_x,
        title=f"찬반 투표 {text}"[:120],
        summary=f"요약 {text}"[:300],
        background=f"배경 {text}",
    )
    question = o["poll"].questions.get()
    poll_votes.poll_vote(
        poll=o["poll"],
        member=b,
        answers={question.pk: choice_ids(question, "보호조치 찬성")},
        reason=f"이유 {text}"[:500],
    )
    return world


def refreshed(obj):
    """The object as stored now."""
    return type(obj).objects.get(pk=obj.pk)
