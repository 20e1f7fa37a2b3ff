"""The meetings admin as each role uses it: working review rows saved through
the service, the finalise, invite and mark-held actions, one page per agenda
decision, and expert opinions scoped to their author."""

import re

import pytest

from meetings.models import (
    ExpertOpinion,
    RealizationMeeting,
    ReviewDecision,
    WorkingReview,
)
from notifications.models import Notification
from tests.factories import ProposalFactory, official, operator
from tests.pages import logged_in, messages_sent
from tracking.models import ManagementCard

from .helpers import (
    external_expert,
    internal_expert,
    make,
    mayor_office,
    meeting,
    on_agenda,
    review,
)

pytestmark = pytest.mark.django_db

ADMIN = "/admin/meetings"


def inline_data(rows, *, initial=0, prefix="decisions") -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                value = "on"
            if value is False:
                continue
            data[f"{prefix}-{index}-{key}"] = value
    return data


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        ("operator", ["workingreview", "realizationmeeting", "agendaitem", "expertopinion"]),
        ("official", ["workingreview", "realizationmeeting", "agendaitem"]),
        ("mayor_office", ["realizationmeeting", "agendaitem", "expertopinion"]),
        ("expert_internal", ["workingreview", "realizationmeeting", "expertopinion"]),
        ("expert_external", ["realizationmeeting", "expertopinion"]),
    ],
)
def test_each_role_opens_its_lists(role, pages):
    user = make(role)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    target = meeting(days=-0.01)
    on_agenda(target)
    review(next_meeting=target)
    client = logged_in(user)

    for page in pages:
        assert client.get(f"{ADMIN}/{page}/").status_code == 200, page
    assert client.get(f"{ADMIN}/realizationmeeting/{target.pk}/change/").status_code == 200


def test_the_operator_creates_a_review_with_decisions_saved_through_the_service():
    user, chosen, later = (
        operator(),
        ProposalFactory(status="review"),
        ProposalFactory(status="review"),
    )
    upcoming = meeting(days=20)
    client = logged_in(user)

    response = client.post(
        f"{ADMIN}/workingreview/add/",
        {
            "held_on": "2026-11-20",
            "place": "서소문청사 회의실",
            "attendees": "창의담당관, 보행정책과",
            "next_meeting": upcoming.pk,
            **inline_data(
                [
                    {
                        "position": "0",
                        "proposal": chosen.pk,
                        "selected": True,
                        "reason": "효과가 큽니다.",
                    },
                    {
                        "position": "1",
                        "proposal": later.pk,
                        "selected": False,
                        "reason": "추가 검토 필요",
                    },
                ]
            ),
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    working_review = WorkingReview.objects.get()
    decisions = {d.proposal_id: d for d in working_review.decisions.all()}
    assert decisions[chosen.pk].selected and decisions[chosen.pk].decided_by == user
    assert not decisions[later.pk].selected and decisions[later.pk].reason == "추가 검토 필요"


def test_an_official_adds_a_decision_to_a_draft_review():
    working_review, proposal = review(), ProposalFactory(status="review")

    response = logged_in(official()).post(
        f"{ADMIN}/workingreview/{working_review.pk}/change/",
        {
            "held_on": "2026-11-20",
            **inline_data(
                [
                    {
                        "position": "0",
                        "proposal": proposal.pk,
                        "selected": True,
                        "reason": "필요합니다.",
                    }
                ]
            ),
        },
    )

    assert response.status_code == 302
    assert ReviewDecision.objects.get().proposal == proposal


def test_a_proposal_not_in_working_review_cannot_be_chosen_in_the_admin():
    working_review, answered = review(), ProposalFactory(status="answered")
    client = logged_in(operator())

    form_page = client.get(f"{ADMIN}/workingreview/{working_review.pk}/change/")
    response = client.post(
        f"{ADMIN}/workingreview/{working_review.pk}/change/",
        {
            "held_on": "2026-11-20",
            **inline_data(
                [{"position": "0", "proposal": answered.pk, "selected": True, "reason": "이유"}]
            ),
        },
    )

    assert f'<option value="{answered.pk}"' not in form_page.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ReviewDecision.objects.exists()


def test_the_finalise_action_is_the_operators():
    target = meeting(days=20)
    working_review, proposal = review(next_meeting=target), ProposalFactory(status="review")
    ReviewDecision.objects.create(
        review=working_review, proposal=proposal, selected=True, reason="효과가 큽니다."
    )
    data = {"action": "finalise_reviews", "_selected_action": [working_review.pk]}

    official_page = logged_in(official()).get(f"{ADMIN}/workingreview/")
    logged_in(operator()).post(f"{ADMIN}/workingreview/", data)
    again = logged_in(operator()).post(f"{ADMIN}/workingreview/", data, follow=True)

    assert "finalise_reviews" not in official_page.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "on_agenda" and target.items.get().proposal == proposal
    assert any("already finalised" in message for message in messages_sent(again))


def test_a_finalised_review_is_read_only():
    target = meeting(days=20)
    on_agenda(target)
    finalised = WorkingReview.objects.get()

    page = logged_in(operator()).get(f"{ADMIN}/workingreview/{finalised.pk}/change/")

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_the_mayors_office_records_a_decision_on_its_own_page():
    target = meeting(days=-0.01)
    (item,) = on_agenda(target)
    client = logged_in(mayor_office())
    url = f"{ADMIN}/realizationmeeting/{target.pk}/decide/{item.pk}/"

    form = client.get(url)
    response = client.post(
        url, {"decision": "adopted", "reason": "효과가 큽니다.", "conditions": "예산 확보 후"}
    )

    assert form.status_code == 200 and item.proposal.title in form.content.decode()
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.decision == "adopted" and item.conditions == "예산 확보 후"
    assert ManagementCard.objects.filter(proposal=item.proposal).count() == 1
    twice = client.post(url, {"decision": "not_adopted", "reason": "다시"}, follow=True)
    assert any("already decided" in message for message in messages_sent(twice))
    item.refresh_from_db()
    assert item.decision == "adopted"
    assert Notification.objects.filter(kind__startswith="decision_").count() == 1


def test_a_decision_page_for_an_item_of_another_meeting_changes_nothing():
    this_meeting, other_meeting = meeting(days=-0.01), meeting(days=-0.02)
    (item,) = on_agenda(other_meeting)
    client = logged_in(operator())
    url = f"{ADMIN}/realizationmeeting/{this_meeting.pk}/decide/{item.pk}/"

    response = client.post(url, {"decision": "adopted", "reason": "이유"}, follow=True)

    assert any("is not on the agenda of" in message for message in messages_sent(response))
    item.refresh_from_db()
    assert item.is_pending


@pytest.mark.parametrize("make_user", [official, internal_expert])
def test_others_cannot_open_the_decision_page(make_user):
    target = meeting(days=-0.01)
    (item,) = on_agenda(target)

    response = logged_in(make_user()).post(
        f"{ADMIN}/realizationmeeting/{target.pk}/decide/{item.pk}/",
        {"decision": "adopted", "reason": "이유"},
    )

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.is_pending


def test_a_decision_without_a_reason_shows_the_form_again():
    target = meeting(days=-0.01)
    (item,) = on_agenda(target)

    response = logged_in(operator()).post(
        f"{ADMIN}/realizationmeeting/{target.pk}/decide/{item.pk}/",
        {"decision": "adopted", "reason": ""},
    )

    assert response.status_code == 200 and "This field is required" in response.content.decode()


def test_invite_and_mark_held_actions():
    target = meeting(days=-0.01)
    (item,) = on_agenda(target)
    client = logged_in(operator())
    changelist = f"{ADMIN}/realizationmeeting/"

    invited = client.post(
        changelist, {"action": "invite_proposers", "_selected_action": [target.pk]}, follow=True
    )
    early = client.post(
        changelist, {"action": "mark_held", "_selected_action": [target.pk]}, follow=True
    )
    client.post(
        f"{ADMIN}/realizationmeeting/{target.pk}/decide/{item.pk}/",
        {"decision": "not_adopted", "reason": "이유"},
    )
    client.post(changelist, {"action": "mark_held", "_selected_action": [target.pk]})

    assert any("1 new invitations sent" in message for message in messages_sent(invited))
    assert Notification.objects.filter(kind="meeting_invitation").count() == 1
    assert any("no decision yet" in message for message in messages_sent(early))
    target.refresh_from_db()
    assert target.status == "held"


def test_the_mayors_office_sees_no_invite_action():
    meeting(days=3)
    page = logged_in(mayor_office()).get(f"{ADMIN}/realizationmeeting/")

    actions = re.search(r'<select name="action".*?</select>', page.content.decode(), re.S).group(0)
    assert "invite_proposers" not in actions and "mark_held" in actions


def test_the_meeting_page_links_to_the_printable_agenda():
    target = meeting(days=10)

    page = logged_in(operator()).get(f"{ADMIN}/realizationmeeting/{target.pk}/change/")

    assert f'href="/meetings/{target.pk}/agenda/"' in page.content.decode()


def test_a_new_meeting_form_suggests_the_next_number():
    meeting(days=-50, number=41)

    page = logged_in(operator()).get(f"{ADMIN}/realizationmeeting/add/")

    assert re.search(r'name="number" value="42"', page.content.decode())


# --- expert opinions -----------------------------------------------------------------------


def test_an_expert_writes_an_opinion_as_themselves():
    expert, proposal = internal_expert(), ProposalFactory(status="debate")

    response = logged_in(expert).post(
        f"{ADMIN}/expertopinion/add/",
        {
            "proposal": proposal.pk,
            "recommendation": "adopt",
            "text": "실현 가능하고 효과가 큽니다.",
        },
    )

    assert response.status_code == 302
    opinion = ExpertOpinion.objects.get()
    assert opinion.expert == expert and opinion.proposal == proposal


def test_an_expert_sees_and_edits_only_their_own_opinions():
    author, colleague = internal_expert(), external_expert()
    proposal = ProposalFactory(status="review")
    own = ExpertOpinion.objects.create(
        proposal=proposal, expert=author, text="내 의견입니다.", recommendation="adopt"
    )
    theirs = ExpertOpinion.objects.create(
        proposal=proposal, expert=colleague, text="동료 의견입니다.", recommendation="not_adopt"
    )
    client = logged_in(author)

    listing = client.get(f"{ADMIN}/expertopinion/").content.decode()
    other = client.get(f"{ADMIN}/expertopinion/{theirs.pk}/change/")
    client.post(
        f"{ADMIN}/expertopinion/{theirs.pk}/change/",
        {"recommendation": "adopt", "text": "바꿔 봅니다."},
    )
    client.post(
        f"{ADMIN}/expertopinion/{own.pk}/change/",
        {"recommendation": "further_study", "text": "더 검토가 필요합니다."},
    )

    assert (
        f"/expertopinion/{own.pk}/change/" in listing
        and f"/expertopinion/{theirs.pk}/change/" not in listing
    )
    assert other.status_code == 302  # not found for this expert
    theirs.refresh_from_db()
    own.refresh_from_db()
    assert theirs.text == "동료 의견입니다."
    assert own.recommendation == "further_study" and own.text == "더 검토가 필요합니다."


def test_an_expert_cannot_write_a_second_opinion_on_the_same_proposal():
    expert, proposal = internal_expert(), ProposalFactory(status="review")
    ExpertOpinion.objects.create(
        proposal=proposal, expert=expert, text="첫 의견입니다.", recommendation="adopt"
    )

    response = logged_in(expert).post(
        f"{ADMIN}/expertopinion/add/",
        {"proposal": proposal.pk, "recommendation": "adopt", "text": "두 번째 의견입니다."},
    )

    assert response.status_code == 200 and "already written an opinion" in response.content.decode()
    assert ExpertOpinion.objects.count() == 1


def test_the_operator_reads_every_opinion_but_writes_none():
    opinion = ExpertOpinion.objects.create(
        proposal=ProposalFactory(status="review"),
        expert=internal_expert(),
        text="의견입니다.",
        recommendation="adopt",
    )
    client = logged_in(operator())

    assert (
        f"/expertopinion/{opinion.pk}/change/"
        in client.get(f"{ADMIN}/expertopinion/").content.decode()
    )
    assert client.get(f"{ADMIN}/expertopinion/add/").status_code == 403


def test_meetings_created_by_hand_need_an_operator():
    response = logged_in(mayor_office()).get(f"{ADMIN}/realizationmeeting/add/")

    assert response.status_code == 403
    assert RealizationMeeting.objects.count() == 0


def test_before_the_meeting_day_the_admin_says_when_instead_of_offering_the_button():
    upcoming, today = meeting(days=10), meeting(days=-0.01)
    (waiting,) = on_agenda(upcoming)
    (ready,) = on_agenda(today)
    client = logged_in(mayor_office())

    before = client.get(f"{ADMIN}/realizationmeeting/{upcoming.pk}/change/").content.decode()
    on_the_day = client.get(f"{ADMIN}/realizationmeeting/{today.pk}/change/").content.decode()
    listing = client.get(f"{ADMIN}/agendaitem/").content.decode()

    assert f"/decide/{waiting.pk}/" not in before
    assert "Decisions can be recorded from the day of the meeting" in before
    assert f"/decide/{ready.pk}/" in on_the_day
    assert f"/decide/{waiting.pk}/" not in listing and f"/decide/{ready.pk}/" in listing


def test_the_decision_choices_are_a_named_group():
    target = meeting(days=-0.01)
    (item,) = on_agenda(target)

    page = logged_in(mayor_office()).get(
        f"{ADMIN}/realizationmeeting/{target.pk}/decide/{item.pk}/"
    )

    html = page.content.decode()
    group = html[html.index('<fieldset class="flex-container"') :]
    assert re.search(r"<legend[^>]*>\s*Decision", group)
    assert group.index('name="decision"') < group.index("</fieldset>")


@pytest.mark.parametrize("meeting_id", ["abc", "1.5", "%27", "99999999999999999999999"])
def test_a_decision_page_with_a_meeting_id_that_is_not_a_number_is_not_found(meeting_id):
    target = meeting(days=-0.01)
    (item,) = on_agenda(target)
    client = logged_in(mayor_office())
    client.raise_request_exception = False
    response = client.get(f"{ADMIN}/realizationmeeting/{meeting_id}/decide/{item.pk}/")
    assert response.status_code == 404
