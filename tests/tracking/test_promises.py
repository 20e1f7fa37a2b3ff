"""Every accepted answer is a promise on the tracker: an answer of 수용 or
일부 수용 published below the debate bar opens a `promise` card, kept like
an adopted item; a later adoption by a meeting takes over the same card;
/adopted/, the card page and the proposal page say where a card came from."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from meetings import services as meeting_services
from meetings.models import AgendaItem
from notifications.models import Notification
from proposals.models import EventKind, Proposal, ProposalStatus
from tests.answers.helpers import COMPLETE, REFUSAL, assigned, published
from tests.factories import DepartmentFactory, official, operator
from tests.meetings.helpers import meeting, review
from tests.pages import english_client, page_text
from tracking import services
from tracking.models import CardEventKind, CardKind, CardStage, ManagementCard

from .helpers import adopted_card

pytestmark = pytest.mark.django_db

PARTIAL = {**COMPLETE, "decision": "partially_accept"}
FURTHER_STUDY = {**COMPLETE, "decision": "further_study"}


def promised(department=None, values=COMPLETE, **proposal_fields) -> ManagementCard:
    """A proposal answered 수용 (or `values`) below the debate bar, as the
    pipeline makes it: its promise card."""
    answer = published(assigned(department, **proposal_fields), values)
    return ManagementCard.objects.get(proposal=answer.assignment.proposal_id)


def to_meeting(proposal, decision: str = "adopted", **decide) -> AgendaItem:
    """The proposal put on a meeting's agenda by a working review and decided.
    The debate before it is the debates app's (tested there): the proposal
    is moved to `review` as the debate's published results would move it."""
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.REVIEW)
    staff = operator()
    target = meeting(days=-0.01)
    working_review = review(next_meeting=target)
    meeting_services.working_review_decide(
        review=working_review,
        proposal=Proposal.objects.get(pk=proposal.pk),
        selected=True,
        reason="시민 공감이 큽니다.",
        user=staff,
    )
    meeting_services.working_review_finalise(review=working_review, user=staff)
    item = AgendaItem.objects.get(proposal=proposal)
    return meeting_services.agenda_item_decide(
        item=item,
        decision=decision,
        reason="효과가 큽니다." if decision == "adopted" else "더 검토가 필요합니다.",
        conditions="2027년 예산 반영" if decision == "adopted" else "",
        user=staff,
        **decide,
    )


@pytest.mark.parametrize(
    ("values", "opens"),
    [(COMPLETE, True), (PARTIAL, True), (REFUSAL, False), (FURTHER_STUDY, False)],
    ids=["accept", "partially_accept", "not_accept", "further_study"],
)
def test_only_an_accepting_answer_opens_a_promise_card(values, opens):
    department = DepartmentFactory()
    head = official(department=department)
    department.head = head
    department.save()
    mail.outbox.clear()

    answer = published(assigned(department), values)

    proposal = answer.assignment.proposal
    card = ManagementCard.objects.filter(proposal=proposal).first()
    if not opens:
        assert card is None
        assert not proposal.events.filter(kind=EventKind.PROMISE_OPENED).exists()
        assert not Notification.objects.filter(kind__startswith="promise_opened").exists()
        return
    # kept like an adopted item: its department, stage review, its head
    # carries it, history and timeline say where it came from
    assert (card.kind, card.answer, card.agenda_item) == (CardKind.PROMISE, answer, None)
    assert (card.department, card.stage, card.responsible_official) == (
        department,
        CardStage.REVIEW,
        head,
    )
    opened = card.events.get(kind=CardEventKind.OPENED)
    assert opened.is_public and opened.to_stage == CardStage.REVIEW
    word = "partially accepted" if values is PARTIAL else "accepted"
    with translation.override("en"):
        assert opened.text.startswith(f"Opened from the department's answer ({word})")
    with translation.override("ko"):
        assert "부서 답변" in opened.text
    row = proposal.events.get(kind=EventKind.PROMISE_OPENED)
    assert row.is_public and row.actor_department == department
    # the department hears its promise is tracked, once
    notice = Notification.objects.get(kind="promise_opened_carried", recipient=head)
    with translation.override("en"):
        assert "accepted it" in notice.message
    assert services.promise_card_open(answer=answer) is None  # a second call opens nothing new
    assert ManagementCard.objects.filter(proposal=proposal).count() == 1


def test_a_proposal_past_the_debate_bar_goes_to_debate_without_a_promise_card(
    django_capture_on_commit_callbacks,
):
    # given a proposal with more endorsements than the debate bar (500)
    assignment = assigned(endorsement_count=600)

    # when its department accepts it
    with django_capture_on_commit_callbacks(execute=True):
        published(assignment)

    # then it goes to debate, and the meeting's adoption will open its card
    proposal = Proposal.objects.get(pk=assignment.proposal_id)
    assert proposal.status == ProposalStatus.DEBATE
    assert not ManagementCard.objects.filter(proposal=proposal).exists()


def test_a_promise_card_is_asked_for_reports_every_two_months():
    card = promised()
    report = services.report_request_due(now=services.report_next_request_at(card))
    assert report == 1
    assert card.progress_reports.get().period == 1


def test_a_later_adoption_takes_over_the_same_card_with_its_history_reports_and_owner():
    # given a promise card in planning, carried by an official, with a report
    department = DepartmentFactory()
    card = promised(department)  # carried by the answer's author
    carrier = official(department=department)
    services.card_handoff(card=card, user=operator(), to_official=carrier, note="담당 지정")
    card = services.card_change_stage(
        card=card, user=carrier, to_stage=CardStage.PLANNING, note="설계 착수"
    )
    services.report_file(card=card, user=carrier, done="현장 조사를 마쳤습니다.", percent=20)
    history = list(card.events.values_list("pk", flat=True))

    # when the proposal goes on to debate and a meeting adopts it
    item = to_meeting(card.proposal)

    # then the same card carries on as an adopted item
    assert ManagementCard.objects.filter(proposal=card.proposal).count() == 1
    card = ManagementCard.objects.get(pk=card.pk)
    assert (card.kind, card.agenda_item, card.conditions) == (
        CardKind.ADOPTED,
        item,
        "2027년 예산 반영",
    )
    assert (card.stage, card.responsible_official, card.percent_complete) == (
        CardStage.PLANNING,
        carrier,
        20,
    )
    assert card.answer_id is not None and card.began_as_promise
    assert card.progress_reports.filter(status="submitted").count() == 1
    assert set(history) < set(card.events.values_list("pk", flat=True))
    adopted = card.events.get(kind=CardEventKind.ADOPTED)
    assert adopted.is_public and adopted.note == "2027년 예산 반영"
    with translation.override("ko"):
        assert "채택 과제로 이어집니다" in adopted.text
    row = card.proposal.events.get(kind=EventKind.PROMISE_ADOPTED)
    assert row.is_public
    with translation.override("ko"):
        assert "회의에서 채택되어 채택 과제로 이어집니다" in row.text
    assert Notification.objects.filter(kind="promise_adopted", recipient=carrier).exists()
    assert not Notification.objects.filter(kind__startswith="card_opened").exists()


@pytest.mark.parametrize("decision", ["not_adopted", "held_over"])
def test_a_meeting_that_does_not_adopt_leaves_the_promise_standing(decision):
    card = promised()
    to_meeting(card.proposal, decision)
    card.refresh_from_db()
    assert (card.kind, card.agenda_item) == (CardKind.PROMISE, None)
    assert not card.events.filter(kind=CardEventKind.ADOPTED).exists()


def test_an_adopted_item_without_a_promise_opens_as_before():
    card = adopted_card()
    assert (card.kind, card.answer) == (CardKind.ADOPTED, None)
    assert not card.began_as_promise


# --- the pages ------------------------------------------------------------------------


def listed(client, **params) -> list[int]:
    response = client.get("/adopted/", params)
    assert response.status_code == 200
    return [card.pk for card in response.context["page"]]


def test_the_tracker_lists_promises_labelled_and_filters_them_by_origin(
    django_assert_max_num_queries,
):
    promise = promised(values=PARTIAL)
    taken_over = promised()
    to_meeting(taken_over.proposal)
    adopted = adopted_card()
    client = english_client()

    assert set(listed(client)) == {promise.pk, taken_over.pk, adopted.pk}
    assert listed(client, kind="promise") == [promise.pk]
    assert set(listed(client, kind="adopted")) == {taken_over.pk, adopted.pk}
    response = client.get("/adopted/", {"kind": "promise"})
    text = page_text(response)
    assert "1 item found" in text
    assert "A promise from the department's answer (partially accepted)" in text
    assert "Origin" in text and "Department promise" in text
    text = page_text(client.get("/adopted/", {"kind": "adopted"}))
    assert "2 items found" in text
    assert "Adopted at realization meeting no." in text
    # Korean, the default
    korean = page_text(Client().get("/adopted/", {"kind": "promise"}))
    assert "부서 답변(일부 수용)에서 시작된 약속" in korean and "부서 약속" in korean

    # a fixed number of queries, whatever the number of cards
    for _ in range(4):
        promised()
    with django_assert_max_num_queries(12):
        assert len(listed(english_client(), kind="promise")) == 5


def test_the_card_and_proposal_pages_say_where_a_card_came_from(client):
    promise = promised()
    # Korean, the default language
    text = page_text(client.get(f"/adopted/{promise.pk}/"))
    assert "부서 답변(수용)에서 시작된 약속" in text
    text = page_text(client.get(promise.proposal.get_absolute_url()))
    assert "부서 답변(수용)에서 시작된 약속" in text
    # English
    english = english_client()
    text = page_text(english.get(f"/adopted/{promise.pk}/"))
    assert "A promise from the department's answer (accepted)" in text
    assert "The department's answer" in text and "Meeting decision" not in text
    text = page_text(english.get(promise.proposal.get_absolute_url()))
    assert "Keeping the department's promise" in text
    assert "The department's promise is tracked" in text  # the timeline row

    to_meeting(promise.proposal)
    number = ManagementCard.objects.get(pk=promise.pk).agenda_item.meeting.number
    text = page_text(client.get(f"/adopted/{promise.pk}/"))
    assert f"제{number}회 실현회의 채택" in text
    text = page_text(client.get(promise.proposal.get_absolute_url()))
    assert f"제{number}회 실현회의 채택" in text
    assert "회의에서 채택되어 채택 과제로 이어집니다" in text
    text = page_text(english.get(f"/adopted/{promise.pk}/"))
    assert f"Adopted at realization meeting no. {number}" in text
    assert "It began as the department's promise in its answer." in text


def test_staff_filter_the_card_list_by_origin():
    from tests.pages import logged_in

    promise = promised()
    adopted = adopted_card()
    client = logged_in(operator())
    response = client.get("/admin/tracking/managementcard/", {"kind__exact": "promise"})
    assert response.status_code == 200
    assert [card.pk for card in response.context["cl"].result_list] == [promise.pk]
    response = client.get("/admin/tracking/managementcard/", {"kind__exact": "adopted"})
    assert [card.pk for card in response.context["cl"].result_list] == [adopted.pk]
    assert client.get(f"/admin/tracking/managementcard/{promise.pk}/change/").status_code == 200


# --- the promise follows an amended answer ----------------------------------------------


def amend_to(answer, values, reason):
    from answers.services import amendment_approve, amendment_save, amendment_submit

    clerk = official(answer.assignment.department)
    amendment = amendment_save(answer=answer, user=clerk, reason=reason, **values)
    amendment_submit(amendment=amendment, user=clerk)
    return amendment_approve(amendment=amendment, user=operator())


def test_an_answer_amended_away_from_accepting_suspends_its_promise_with_the_reason():
    card = promised()
    amend_to(card.answer, REFUSAL, "국토부 협의 결과 승인되지 않았습니다.")

    card.refresh_from_db()
    assert card.kind == CardKind.PROMISE and card.stage == CardStage.SUSPENDED
    assert card.suspended_reason == "국토부 협의 결과 승인되지 않았습니다."
    event = card.events.filter(kind=CardEventKind.STAGE_CHANGED).get()
    assert event.is_public and event.to_stage == CardStage.SUSPENDED
    assert card.proposal.events.filter(kind=EventKind.CARD_STAGE_CHANGED).count() == 1


def test_an_answer_amended_to_accepting_opens_its_promise_and_between_accepts_nothing_moves():
    answer = published(assigned(), FURTHER_STUDY)
    proposal_id = answer.assignment.proposal_id
    assert not ManagementCard.objects.filter(proposal=proposal_id).exists()

    amend_to(answer, PARTIAL, "예산이 확보되어 일부 수용합니다.")
    card = ManagementCard.objects.get(proposal=proposal_id)
    assert card.kind == CardKind.PROMISE and card.stage == CardStage.REVIEW

    answer.refresh_from_db()
    amend_to(answer, COMPLETE, "전부 수용합니다.")
    card.refresh_from_db()
    assert card.stage == CardStage.REVIEW
    assert ManagementCard.objects.filter(proposal=proposal_id).count() == 1


def test_an_answer_amended_back_to_accepting_resumes_its_suspended_promise():
    """수용 → 불수용 suspends the promise; amended back to 수용 the department
    promises again, so the same card carries on (planning), with the
    reason on its public history — not left suspended with nobody tracking."""
    card = promised()
    amend_to(card.answer, REFUSAL, "국토부 협의 결과 승인되지 않았습니다.")
    card.answer.refresh_from_db()
    amend_to(card.answer, COMPLETE, "재협의로 승인되어 다시 수용합니다.")

    card.refresh_from_db()
    assert card.kind == CardKind.PROMISE and card.stage == CardStage.PLANNING
    assert card.suspended_reason == ""
    last = card.events.filter(kind=CardEventKind.STAGE_CHANGED).order_by("-id").first()
    assert last.to_stage == CardStage.PLANNING and last.note == "재협의로 승인되어 다시 수용합니다."
    assert ManagementCard.objects.filter(proposal=card.proposal_id).count() == 1


def test_an_adoption_that_names_an_official_hands_the_promise_card_to_them():
    department = DepartmentFactory()
    card = promised(department)
    named = official(department=department, display_name="정지정")
    to_meeting(card.proposal, responsible_official=named)

    card = ManagementCard.objects.get(pk=card.pk)
    assert card.kind == CardKind.ADOPTED and card.responsible_official == named
    row = card.events.filter(kind=CardEventKind.HANDOFF).order_by("-id").first()
    assert row.to_official == named and row.params["chosen_as"] == "meeting_named"
