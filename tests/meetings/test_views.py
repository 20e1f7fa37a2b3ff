"""The public meeting pages: the list with outcomes, a meeting's page, the
printable agenda (HTML) and the meetings panel of a proposal's page."""

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.utils import timezone

from meetings import selectors, services
from meetings.models import RealizationMeeting
from tests.factories import ProposalFactory, UserFactory, operator
from tests.pages import english_client, log_in_with_second_factor, page_text

from .helpers import external_expert, internal_expert, meeting, on_agenda, review

pytestmark = pytest.mark.django_db


def decided_meeting(*, adopted=1, held=1, not_adopted=1, pending=0) -> RealizationMeeting:
    target = meeting(days=-0.01)
    items = on_agenda(target, adopted + held + not_adopted + pending)
    decisions = ["adopted"] * adopted + ["held_over"] * held + ["not_adopted"] * not_adopted
    for item, decision in zip(items, decisions, strict=False):
        services.agenda_item_decide(
            item=item, decision=decision, reason=f"{decision} 이유", user=operator()
        )
    return target


# --- /meetings/ ---------------------------------------------------------------------


def test_the_list_shows_upcoming_and_past_meetings_with_outcomes():
    past = decided_meeting(adopted=2, held=1, not_adopted=1)
    upcoming = RealizationMeeting.objects.exclude(pk=past.pk).get()  # where the held item went
    hidden = on_agenda(upcoming)[0].proposal
    hidden.is_hidden = True
    hidden.save(update_fields=["is_hidden"])

    response = english_client().get("/meetings/")

    assert response.status_code == 200
    page = page_text(response)
    upcoming_part, past_part = page.split("Past meetings", 1)
    assert upcoming.title in upcoming_part and past.title in past_part
    assert re.search(r"Adopted 2 Held over 1 Not adopted 1", past_part)
    for item in past.items.all():
        assert item.proposal.get_absolute_url() in response.content.decode()
    assert "Hidden proposal" in upcoming_part
    assert hidden.title not in page


def test_the_list_runs_a_fixed_number_of_queries(django_assert_num_queries):
    decided_meeting()
    client = english_client()
    client.get("/meetings/")  # warm up (site, content types)

    with django_assert_num_queries(5):  # upcoming + items; past: count, page + items
        client.get("/meetings/")
    for _ in range(3):
        decided_meeting(adopted=2, held=0)
    with django_assert_num_queries(5):
        client.get("/meetings/")


def test_the_list_without_meetings():
    response = english_client().get("/meetings/")

    assert "No meeting is scheduled yet." in page_text(response)


# --- /meetings/<id>/ ----------------------------------------------------------------


def test_a_meeting_page_shows_each_decision_with_its_reason():
    past = decided_meeting(adopted=1, held=1, not_adopted=1)
    adopted = past.items.get(decision="adopted")
    held = past.items.get(decision="held_over")

    response = english_client().get(past.get_absolute_url())

    page = page_text(response)
    assert past.title in page and past.place in page
    assert "adopted 이유" in page and "held_over 이유" in page and "not_adopted 이유" in page
    assert adopted.proposal.title in page
    assert held.held_over_to.meeting.title in page  # where the held item went
    assert page.count("홍*동") >= 3  # proposers by public (masked) name
    assert f'href="/meetings/{past.pk}/agenda/"' in response.content.decode()


def test_an_unknown_meeting_is_404():
    assert english_client().get("/meetings/999/").status_code == 404
    assert english_client().get("/meetings/999/agenda/").status_code == 404


# --- /meetings/<id>/agenda/ -------------------------------------------------------------


def _answer_and_debate(proposal, *, for_=3, against=2, undecided=1):
    """A published department answer and a closed debate with a published
    summary, written as the answers and debates apps store them."""
    from answers.models import Answer, Assignment
    from debates.models import Debate, Stance
    from tests.factories import DepartmentFactory

    now = timezone.now()
    assignment = Assignment.objects.create(
        proposal=proposal,
        department=DepartmentFactory(code="walking", name="보행정책과"),
        assigned_at=now - dt.timedelta(days=30),
        deadline=now - dt.timedelta(days=10),
        closed_at=now - dt.timedelta(days=12),
    )
    Answer.objects.create(
        assignment=assignment,
        summary="보행로 확장을 검토하겠습니다.",
        necessity="보행 안전을 위해 필요합니다.",
        effectiveness="한강 접근성이 좋아집니다.",
        feasibility="구조 검토 후 가능합니다.",
        estimated_budget=1_200_000_000,
        decision="partially_accept",
        status="published",
        submitted_at=now - dt.timedelta(days=13),
        published_at=now - dt.timedelta(days=12),
        met_deadline=True,
    )
    debate = Debate.objects.create(
        proposal=proposal,
        status="closed",
        starts_at=now - dt.timedelta(days=40),
        ends_at=now - dt.timedelta(days=10),
        closed_at=now - dt.timedelta(days=10),
        summary="찬성 의견이 많았고 안전 대책을 요구했습니다.",
        summary_published_at=now - dt.timedelta(days=9),
        # stance_set keeps these counters with the stances
        for_count=for_,
        against_count=against,
        undecided_count=undecided,
    )
    for position, count in (("for", for_), ("against", against), ("undecided", undecided)):
        for _ in range(count):
            Stance.objects.create(debate=debate, user=UserFactory(), position=position)


def test_the_agenda_has_a_cover_and_one_section_per_item_with_everything_the_meeting_needs():
    target = meeting(
        days=10,
        attendees_mayor="서울특별시장",
        attendees_experts="김교수 (서울대)",
        attendees_citizens="상상누리단 10명",
    )
    first, second, third = on_agenda(target, 3)
    ProposalFactory._meta.model.objects.filter(pk=first.proposal_id).update(
        endorsement_count=512, comment_count=48, view_count=3021, district="mapo"
    )
    _answer_and_debate(first.proposal)
    services.expert_opinion_save(
        proposal=first.proposal,
        expert=internal_expert(display_name="박정수"),
        text="구조 안전 진단을 먼저 하면 실현할 수 있습니다.",
        recommendation="adopt_with_conditions",
    )
    services.expert_opinion_save(
        proposal=first.proposal,
        expert=external_expert(display_name="윤서연"),
        text="예산 대비 효과가 큽니다. 채택을 권합니다.",
        recommendation="adopt",
    )

    response = english_client().get(target.get_agenda_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="/static/css/agenda.css"' in content
    cover, *sections = re.split(r'<section class="agenda-page agenda-item"', content)
    assert len(sections) == 3
    cover_text = page_text(cover)
    assert target.title in cover_text and target.place in cover_text
    assert timezone.localtime(target.scheduled_at).strftime("%Y-%m-%d") in cover_text
    assert (
        "서울특별시장" in cover_text
        and "김교수 (서울대)" in cover_text
        and "상상누리단 10명" in cover_text
    )
    toc = re.search(r'<ol class="agenda-toc".*?</ol>', cover, re.S).group(0)
    assert [html.unescape(t) for t in re.findall(r'<a href="#item-\d+">(.*?)</a>', toc)] == [
        i.proposal.title for i in (first, second, third)
    ]
    assert "홍*동" in cover_text  # proposers listed among attendees, masked

    page = page_text(sections[0])
    assert first.proposal.title in page and first.proposal.body in page
    assert "Proposer 홍*동" in page and "홍길동" not in content
    assert "Mapo-gu" in page or "마포구" in page
    assert "Endorsements 512" in page and "Comments 48" in page and "Views 3,021" in page
    assert "For 3 Against 2 Undecided 1" in page
    assert "찬성 의견이 많았고 안전 대책을 요구했습니다." in page
    assert "보행정책과" in page and "Partially accepted" in page
    for words in (
        "보행 안전을 위해 필요합니다.",
        "한강 접근성이 좋아집니다.",
        "구조 검토 후 가능합니다.",
    ):
        assert words in page
    assert "₩1,200,000,000" in page
    assert "박* 수" not in page and "박*수" in page and "윤*연" in page
    assert (
        "Adopt with conditions" in page and "구조 안전 진단을 먼저 하면 실현할 수 있습니다." in page
    )
    assert "☐ Adopted" in page

    bare = page_text(sections[1])
    assert "No department answer has been published." in bare
    assert "No debate was held on this proposal." in bare
    assert "No expert opinion yet." in bare


def test_the_agenda_says_when_there_is_no_answer_and_no_debate():
    # (The agenda no longer guards against the answers and debates apps being
    # absent: meetings stands above them and imports their models.)
    target = meeting(days=10)
    on_agenda(target)

    response = english_client().get(target.get_agenda_url())

    page = page_text(response)
    assert "No department answer has been published." in page and "No debate was held" in page


def test_a_draft_debate_summary_is_not_printed():
    from debates.models import Debate

    target = meeting(days=10)
    (item,) = on_agenda(target)
    _answer_and_debate(item.proposal)
    Debate.objects.filter(proposal=item.proposal).update(summary_published_at=None)

    page = page_text(english_client().get(target.get_agenda_url()))

    assert "찬성 의견이 많았고" not in page and "not published yet" in page


def test_the_agenda_shows_recorded_decisions():
    past = decided_meeting(adopted=1, held=0, not_adopted=0)

    page = page_text(english_client().get(past.get_agenda_url()))

    assert "adopted 이유" in page and "☐ Adopted" not in page


def test_the_agenda_reads_in_korean_by_default():
    target = meeting(days=10)
    on_agenda(target)

    response = Client().get(target.get_agenda_url())

    assert response.status_code == 200
    page = page_text(response)
    assert '<html lang="ko">' in response.content.decode()
    assert f"제{target.number}회 실현회의" in page
    assert "제안자 홍*동" in page and "공개된 부서 답변이 없어요." in page


def test_the_agenda_runs_a_fixed_number_of_queries(django_assert_num_queries):
    target = meeting(days=10)
    items = on_agenda(target, 2)
    for item in items:
        _answer_and_debate(item.proposal)
        services.expert_opinion_save(
            proposal=item.proposal,
            expert=internal_expert(),
            text="실현 가능성이 높습니다.",
            recommendation="adopt",
        )
    client = english_client()
    client.get(target.get_agenda_url())

    with django_assert_num_queries(7):
        client.get(target.get_agenda_url())
    asker = operator()
    for item in on_agenda(target, 3):
        _answer_and_debate(item.proposal)
        expert = external_expert()
        services.expert_opinion_request(
            item=item,
            experts=[expert, internal_expert()],
            due_date=timezone.localdate() + dt.timedelta(days=3),
            user=asker,
        )
        services.expert_opinion_save(
            proposal=item.proposal,
            expert=expert,
            text="예산 대비 효과가 큽니다.",
            recommendation="adopt",
        )
    # meeting, items, answers, debates (with their counts), opinions, experts'
    # roles, experts asked for opinions
    with django_assert_num_queries(7):
        client.get(target.get_agenda_url())


# --- the proposal page panel -----------------------------------------------------------


def test_the_proposal_page_shows_the_meeting_it_is_on():
    target = meeting(days=10)
    (item,) = on_agenda(target)

    page = page_text(english_client().get(item.proposal.get_absolute_url()))

    assert f"On the agenda of {target.title} on" in page


def test_the_proposal_page_shows_the_decision_with_reason_and_conditions():
    (item,) = on_agenda(meeting(days=-0.01))
    services.agenda_item_decide(
        item=item,
        decision="adopted",
        reason="효과가 큽니다.",
        conditions="안전 진단 후 시행",
        user=operator(),
    )

    page = page_text(english_client().get(item.proposal.get_absolute_url()))

    assert (
        "Adopted" in page
        and "Reason: 효과가 큽니다." in page
        and "Conditions: 안전 진단 후 시행" in page
    )


def test_the_proposal_page_says_why_it_was_not_put_to_the_meeting():
    user, proposal = operator(), ProposalFactory(status="review")
    working_review = review(next_meeting=meeting())
    services.working_review_decide(
        review=working_review,
        proposal=proposal,
        selected=False,
        reason="유사 사업이 진행 중입니다.",
        user=user,
    )
    services.working_review_finalise(review=working_review, user=user)

    page = page_text(english_client().get(proposal.get_absolute_url()))

    assert "Not put to the realization meeting" in page and "유사 사업이 진행 중입니다." in page


def test_experts_are_offered_to_write_an_opinion_on_the_proposal_page():
    proposal = ProposalFactory(status="review")
    client = english_client()
    log_in_with_second_factor(client, internal_expert())

    response = client.get(proposal.get_absolute_url())

    assert f"/admin/meetings/expertopinion/add/?proposal={proposal.pk}" in response.content.decode()
    assert "Write an expert opinion" not in page_text(
        english_client().get(proposal.get_absolute_url())
    )


def test_the_panel_reads_nothing_for_proposals_that_have_not_reached_the_meetings(
    django_assert_num_queries,
):
    early = ProposalFactory(status="debate")
    (item,) = on_agenda(meeting())
    item.proposal.refresh_from_db()

    with django_assert_num_queries(0):
        assert selectors.proposal_meeting_state(early).is_empty
    with django_assert_num_queries(1):
        assert selectors.proposal_meeting_state(item.proposal).items == [item]


def test_the_meeting_page_lists_the_same_attendees_as_the_agenda_cover(client):
    target = meeting(attendees_mayor="서울특별시장", attendees_proposers="제안자 가족 2명")
    on_agenda(target)
    client.cookies["django_language"] = "en"

    page = client.get(target.get_absolute_url()).content.decode()
    cover = client.get(target.get_agenda_url()).content.decode()

    def attendees(html, testid):
        block = html.split(f'data-testid="{testid}"')[1].split("</dl>")[0]
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)).strip()

    shown = attendees(page, "meeting-attendees")
    assert shown == attendees(cover, "agenda-attendees")
    assert "Proposers" in shown and "제안자 가족 2명" in shown and "서울특별시장" in shown
