"""The secret world: every kind of thing the public must never read, each
carrying its own marker, beside public things that must be read.

A marker is a short ASCII word ("SECRET-HIDDEN-PROPOSAL") no label,
translation or number can contain by chance, so a walker that finds one
anywhere in an API answer or a bulk file has found a leak, and can name it.
The public markers ("PUBLIC-PROPOSAL") prove the walker saw data at all: a
test that reads nothing finds no secret either.

Built through the services where a member or official would have made the
thing, and straight to the database where only the state matters (a draft
poll, an internal card note), as the other worlds do (tests/attacks/world.py)."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.permissions import sync_role_groups
from answers.services import amending
from debates import services as debate_services
from meetings import services as meeting_services
from meetings.models import RealizationMeeting
from polls.models import Poll, PollStatus, ResultsShown
from polls.services import votes as poll_votes
from proposals import services as proposal_services
from proposals.models import EventKind, ProposalEvent
from tests.answers.helpers import COMPLETE, assigned, drafted, published, submitted
from tests.debates.helpers import open_debate
from tests.factories import CategoryFactory, DepartmentFactory, UserFactory, official, operator
from tests.meetings.helpers import external_expert, internal_expert
from tests.polls import vote_helpers
from tests.themes.page_helpers import a_theme
from tests.tracking.helpers import adopted_card, requested_report
from tracking import services as tracking_services
from tracking.models import CardEvent, CardEventKind

# Never in an API answer or a bulk file. The key says what the marker is.
SECRETS = {
    # Members' personal data.
    "member_name": "SECRET-MEMBER-NAME",
    "member_nickname": "SECRET-NICK",
    "member_email": "secret-member-email",
    "voter_name": "SECRET-VOTER-NAME",
    # Staff are named nowhere in public data (departments are).
    "official_name": "SECRET-OFFICIAL-NAME",
    "official_email": "secret-official-email",
    "expert_name": "SECRET-EXPERT-NAME",
    "external_expert_name": "SECRET-OUTSIDE-EXPERT-NAME",
    "operator_name": "SECRET-OPERATOR-NAME",
    # Moderated away.
    "hidden_proposal": "SECRET-HIDDEN-PROPOSAL",
    "hidden_proposal_body": "SECRET-HIDDEN-BODY",
    "hiding_reason": "SECRET-HIDING-REASON",
    "unhiding_reason": "SECRET-UNHIDING-REASON",
    "trashed_proposal": "SECRET-TRASHED-PROPOSAL",
    "trash_reason": "SECRET-TRASH-REASON",
    "hidden_argument": "SECRET-HIDDEN-ARGUMENT",
    "argument_hiding_reason": "SECRET-ARGUMENT-HIDING-REASON",
    # People's words tied to accounts: comments and arguments are left out.
    "comment": "SECRET-COMMENT",
    "hidden_comment": "SECRET-HIDDEN-COMMENT",
    "argument": "SECRET-ARGUMENT",
    "report_detail": "SECRET-REPORT-DETAIL",
    # Internal steps.
    "private_event": "SECRET-PRIVATE-EVENT",
    "draft_answer": "SECRET-DRAFT-ANSWER",
    "submitted_answer": "SECRET-SUBMITTED-ANSWER",
    "returned_amendment": "SECRET-RETURNED-AMENDMENT",
    "amendment_reason": "SECRET-AMENDMENT-REASON",
    "amendment_return_reason": "SECRET-AMENDMENT-RETURN",
    "card_internal_note": "SECRET-CARD-NOTE",
    "unsubmitted_report": "SECRET-UNSUBMITTED-REPORT",
    # Polls before they are public, and what voters typed.
    "draft_poll": "SECRET-DRAFT-POLL",
    "draft_poll_question": "SECRET-DRAFT-QUESTION",
    "survey_text": "SECRET-SURVEY-TEXT",
    "vote_reason": "SECRET-VOTE-REASON",
    "draft_theme": "SECRET-DRAFT-THEME",
    # A partner institution's key and contact (the key's value is random:
    # the world keeps it in objects["partner_key"]).
    "partner_institution": "SECRET-PARTNER-INSTITUTION",
    "partner_contact": "secret-partner-contact",
}

# Must be read somewhere (which endpoint or file is checked by the tests).
PUBLIC = {
    "proposal": "PUBLIC-PROPOSAL",
    "answer": "PUBLIC-ANSWER",
    "debate": "PUBLIC-DEBATE",
    "adopted": "PUBLIC-ADOPTED",
    "report": "PUBLIC-REPORT",
    "meeting": "PUBLIC-MEETING",
    "poll": "PUBLIC-POLL",
    "theme": "PUBLIC-THEME",
    "department": "PUBLIC-DEPARTMENT",
}

# The district only one voter of the small-group poll lives in: its share
# is under the hiding threshold (settings.POLL_MIN_GROUP) and no proposal
# of the world is in it, so neither its code nor a count of it may appear
# beside that poll's results.
SMALL_GROUP_DISTRICT = "dobong"


@dataclass
class SecretWorld:
    objects: dict = field(default_factory=dict)
    # Ids the public must not reach, by kind: a detail URL built from one
    # answers 404.
    hidden_ids: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def build_secret_world() -> SecretWorld:
    sync_role_groups()
    world = SecretWorld()
    o = world.objects
    s = SECRETS
    now = timezone.now()

    dept = DepartmentFactory(code="privacy-dept", name=f"{PUBLIC['department']} 도로과")
    category = CategoryFactory(code="privacy-roads", name="도로", default_department=dept)
    member = UserFactory(
        email=f"{s['member_email']}@example.com",
        display_name=s["member_name"],
        nickname=s["member_nickname"],
        birth_year=1931,
        gender="female",
        district="gangnam",
    )
    other = UserFactory(email="privacy-other@example.com", display_name=s["member_name"])
    staff = operator(email="privacy-operator@example.com", display_name=s["operator_name"])
    clerk = official(
        department=dept,
        email=f"{s['official_email']}@example.com",
        display_name=s["official_name"],
    )
    o.update(dept=dept, category=category, member=member, other=other, clerk=clerk)

    def propose(author, title, body="보행로를 넓혀 주세요. 한강 다리를 걷고 싶습니다."):
        return proposal_services.proposal_create(
            author=author, title=title, body=body, category=category
        )

    # A public proposal, with a comment, a hidden comment, a report and a
    # private timeline row.
    o["proposal"] = propose(member, f"{PUBLIC['proposal']} 한강 다리를 걷고 싶게")
    o["comment"] = proposal_services.comment_create(
        proposal=o["proposal"], author=other, body=f"{s['comment']} 좋은 생각이에요"
    )
    hidden_comment = proposal_services.comment_create(
        proposal=o["proposal"], author=other, body=f"{s['hidden_comment']} 나쁜 말"
    )
    proposal_services.comment_set_hidden(
        comment=hidden_comment, user=staff, reason=s["hiding_reason"], hidden=True
    )
    proposal_services.report_create(
        reporter=other, reason="spam", detail=s["report_detail"], proposal=o["proposal"]
    )
    ProposalEvent.objects.create(
        proposal=o["proposal"],
        kind=EventKind.EDITED,
        actor=staff,
        actor_role="operator",
        reason=s["private_event"],
        is_public=False,
    )

    # Hidden and trashed proposals (and their ids for the 404s).
    hidden = propose(
        member, f"{s['hidden_proposal']} 숨긴 제안", f"{s['hidden_proposal_body']} 본문입니다."
    )
    o["proposal_hidden"] = proposal_services.proposal_hide(
        proposal=hidden, user=staff, reason=s["hiding_reason"]
    )
    # A proposal hidden and shown again: public, its timeline keeps both
    # steps, but the operators' reasons stay theirs.
    shown_again = propose(member, f"{PUBLIC['proposal']} 다시 공개된 제안")
    proposal_services.proposal_hide(proposal=shown_again, user=staff, reason=s["hiding_reason"])
    o["proposal_shown_again"] = proposal_services.proposal_unhide(
        proposal=shown_again, user=staff, reason=s["unhiding_reason"]
    )
    trashed = propose(member, f"{s['trashed_proposal']} 지운 제안")
    o["proposal_trashed"] = proposal_services.proposal_trash(
        proposal=trashed, user=member, reason=s["trash_reason"]
    )

    # Answers: one published (with a returned amendment), one submitted
    # but not published, one draft.
    answer_values = {**COMPLETE, "summary": f"{PUBLIC['answer']} 보행로를 넓히겠습니다."}
    o["assignment"] = assigned(dept, author=member, title="답변 받은 제안 한강 보행로")
    o["answer"] = published(o["assignment"], answer_values, by=staff)
    amendment = amending.amendment_save(
        answer=o["answer"],
        user=clerk,
        reason=s["amendment_reason"],
        **{**answer_values, "summary": f"{s['returned_amendment']} 고친 답변"},
    )
    amendment = amending.amendment_submit(amendment=amendment, user=clerk)
    o["amendment"] = amending.amendment_return(
        amendment=amendment, user=staff, reason=s["amendment_return_reason"]
    )
    o["assignment_submitted"] = assigned(dept, author=member, title="제출된 답변의 제안")
    o["answer_submitted"] = submitted(
        o["assignment_submitted"],
        {**COMPLETE, "summary": f"{s['submitted_answer']} 검토 중"},
        by=clerk,
    )
    o["assignment_draft"] = assigned(dept, author=member, title="초안 답변의 제안")
    o["answer_draft"] = drafted(
        o["assignment_draft"], {**COMPLETE, "summary": f"{s['draft_answer']} 초안"}, by=clerk
    )

    # A debate with an argument each side and a hidden one.
    o["debate"] = open_debate(author=member, title=f"{PUBLIC['debate']} 토론 중인 제안")
    debate_services.argument_create(
        debate=o["debate"], author=member, side="for", body=f"{s['argument']} 찬성합니다"
    )
    hidden_argument = debate_services.argument_create(
        debate=o["debate"], author=other, side="against", body=f"{s['hidden_argument']} 반대"
    )
    debate_services.argument_hide(
        argument=hidden_argument, user=staff, reason=s["argument_hiding_reason"]
    )

    # An adopted item: a submitted report, an unsubmitted one, an internal
    # card note, and the experts who wrote opinions on it before.
    o["card"] = adopted_card(dept, author=member, title=f"{PUBLIC['adopted']} 채택된 제안")
    RealizationMeeting.objects.filter(pk=o["card"].agenda_item.meeting_id).update(
        place=f"{PUBLIC['meeting']} 서울시청"
    )
    report = requested_report(o["card"])
    o["report"] = tracking_services.report_submit(
        report=report,
        user=clerk,
        done=f"{PUBLIC['report']} 설계를 마쳤습니다.",
        percent=30,
        next_steps="공사를 시작합니다.",
    )
    o["report_unsubmitted"] = requested_report(o["card"])
    type(o["report_unsubmitted"]).objects.filter(pk=o["report_unsubmitted"].pk).update(
        done=s["unsubmitted_report"], next_steps=s["unsubmitted_report"]
    )
    CardEvent.objects.create(
        card=o["card"],
        kind=CardEventKind.HANDOFF,
        actor=staff,
        from_official=clerk,
        to_official=clerk,
        note=s["card_internal_note"],
        is_public=False,
    )
    o["expert"] = internal_expert(email="privacy-expert@example.com", display_name=s["expert_name"])
    o["expert_external"] = external_expert(
        email="privacy-outside@example.com", display_name=s["external_expert_name"]
    )
    on_agenda_proposal = o["assignment"].proposal
    for expert in (o["expert"], o["expert_external"]):
        meeting_services.expert_opinion_save(
            proposal=on_agenda_proposal,
            expert=expert,
            text="교량 구조상 보행로 확장이 가능하다고 봅니다.",
            recommendation="adopt",
        )

    # Polls: a draft, an open one whose results wait for the close, a closed
    # survey with typed answers, and a closed poll with a tiny district group.
    o["poll_draft"] = vote_helpers.yes_no_poll(
        department=dept, status=PollStatus.DRAFT, title=f"{s['draft_poll']} 준비 중인 투표"
    )
    o["poll_draft"].questions.update(text=s["draft_poll_question"])
    o["poll_open"] = vote_helpers.yes_no_poll(
        department=dept,
        title=f"{PUBLIC['poll']} 길고양이 보호조치",
        results_shown=ResultsShown.AFTER_CLOSE,
    )
    voter = vote_helpers.citizen(email="privacy-voter@example.com", display_name=s["voter_name"])
    question = o["poll_open"].questions.get()
    poll_votes.poll_vote(
        poll=o["poll_open"],
        member=voter,
        answers={question.pk: vote_helpers.choice_ids(question, "보호조치 찬성")},
        reason=s["vote_reason"],
    )
    o["poll_survey"] = vote_helpers.survey_poll(department=dept, title="길고양이 리서치 설문")
    survey_answers = {}
    for each in o["poll_survey"].questions.prefetch_related("choices"):
        first = [choice.pk for choice in each.choices.all()][:1]
        survey_answers[each.pk] = s["survey_text"] if each.kind == "text" else first
    poll_votes.poll_vote(poll=o["poll_survey"], member=voter, answers=survey_answers)
    o["poll_small"] = vote_helpers.choice_poll(department=dept, title="작은 집단 투표")
    small_question = o["poll_small"].questions.get()
    first_choice = small_question.choices.order_by("position").first()
    voters = [vote_helpers.citizen(email=f"privacy-gangnam{i}@example.com") for i in range(5)]
    voters.append(
        vote_helpers.citizen(email="privacy-dobong@example.com", district=SMALL_GROUP_DISTRICT)
    )
    for each in voters:
        poll_votes.poll_vote(
            poll=o["poll_small"], member=each, answers={small_question.pk: [first_choice.pk]}
        )
    ended = now - dt.timedelta(minutes=1)
    Poll.objects.filter(pk__in=[o["poll_survey"].pk, o["poll_small"].pk]).update(
        status=PollStatus.CLOSED, ends_at=ended, closed_at=ended
    )

    # Themes: a public one and a draft.
    o["theme"] = a_theme(title=f"{PUBLIC['theme']} 한강 공원을 더 즐겁게", department=dept)
    o["theme_draft"] = a_theme(
        phase="draft", title=f"{s['draft_theme']} 준비 중인 주제", department=dept
    )

    # Hidden after reaching a department: one answered (its answer must not
    # count in the department's timeliness), one overdue (nor in its
    # overdue-now count).
    o["assignment_hidden_answered"] = assigned(dept, title=f"{s['hidden_proposal']} 답변된 제안")
    published(
        o["assignment_hidden_answered"],
        {**COMPLETE, "summary": f"{s['hidden_proposal']} 숨긴 제안의 답변"},
        by=staff,
    )
    o["assignment_hidden_overdue"] = assigned(dept, title=f"{s['hidden_proposal']} 늦은 제안")
    type(o["assignment_hidden_overdue"]).objects.filter(
        pk=o["assignment_hidden_overdue"].pk
    ).update(assigned_at=now - dt.timedelta(days=40), deadline=now - dt.timedelta(days=3))
    for assignment in (o["assignment_hidden_answered"], o["assignment_hidden_overdue"]):
        proposal_services.proposal_hide(
            proposal=assignment.proposal, user=staff, reason=s["hiding_reason"]
        )

    # A debate and an adopted item whose proposals were hidden since.
    o["debate_hidden"] = open_debate(author=member, title=f"{s['hidden_proposal']} 숨긴 토론")
    o["card_hidden"] = adopted_card(dept, author=member, title=f"{s['hidden_proposal']} 숨긴 채택")
    for proposal in (o["debate_hidden"].proposal, o["card_hidden"].proposal):
        proposal_services.proposal_hide(proposal=proposal, user=staff, reason=s["hiding_reason"])

    o["partner_key"] = _partner_key(staff)

    world.hidden_ids = {
        "proposal": [
            o["proposal_hidden"].pk,
            o["proposal_trashed"].pk,
            o["assignment_hidden_answered"].proposal_id,
            o["assignment_hidden_overdue"].proposal_id,
            o["debate_hidden"].proposal_id,
            o["card_hidden"].proposal_id,
        ],
        "debate": [o["debate_hidden"].pk],
        "adopted": [o["card_hidden"].pk],
        "answer": [o["answer_draft"].pk, o["answer_submitted"].pk],
        "poll": [o["poll_draft"].pk],
        "theme": [o["theme_draft"].pk],
    }
    return world


def _partner_key(staff) -> str | None:
    """A partner's API key, issued as an operator issues it, when the API
    has keys (the api-core part adds them): returns the key itself."""
    try:
        from api.services import key_issue
    except ImportError:
        return None
    _key, raw = key_issue(
        actor=staff,
        institution=SECRETS["partner_institution"],
        contact_email=f"{SECRETS['partner_contact']}@example.com",
        rate="6000/h",
    )
    return raw
