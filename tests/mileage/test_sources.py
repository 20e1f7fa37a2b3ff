"""What members do tells mileage (accounts.signals.participation): each
service that does something the portal rewards sends exactly one signal per
thing done, and its undo when it is taken back, hidden, deleted or
withdrawn; nothing when the action is refused. Driven through the pages a
member uses, where there is one; the staff-only steps (publishing an
answer, opening a debate, the meetings) through their services."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.services import account_withdraw
from accounts.signals import participation
from answers.models import AnswerRating
from debates import services as debate_services
from meetings import services as meeting_services
from proposals import services as proposal_services
from proposals.models import Comment, Endorsement, Proposal, ProposalStatus
from tests.answers.helpers import assigned, published
from tests.debates.helpers import open_debate
from tests.factories import CommentFactory, ProposalFactory, UserFactory, operator
from tests.meetings.helpers import mayor_office, meeting, on_agenda
from tests.pages import english_client, flash, form_posting_to, logged_in
from tests.proposals.helpers import proposal_form

pytestmark = pytest.mark.django_db


class Told(list):
    proposal_ids: list


@pytest.fixture
def told():
    """Every participation signal sent during the test, as (action, member
    id, source model label, source id, undo); `told.proposal_ids` keeps the
    proposal each was about."""
    calls = Told()
    calls.proposal_ids = []

    def record(sender, action, member_id, source, proposal_id, undo, **kwargs):
        calls.append((str(action), member_id, source._meta.label, source.pk, undo))
        calls.proposal_ids.append(proposal_id)

    participation.connect(record, weak=False, dispatch_uid="tests.mileage.told")
    yield calls
    participation.disconnect(dispatch_uid="tests.mileage.told")


def submit(browser, page_url: str, posting_to: str | None, /, **typed):
    """Load `page_url`, fill the form posting to `posting_to` (None: the
    form posting back to the page) with `typed` (a button's name and value
    included, as a browser sends the one clicked) and send it."""
    page = browser.get(page_url)
    assert page.status_code == 200, page.status_code
    fields = form_posting_to(page, posting_to)["fields"]
    fields.update(typed)
    return browser.post(posting_to or page_url, fields, follow=True)


def _one(calls, action):
    return [call for call in calls if call[0] == action]


# --- signing up -------------------------------------------------------------------------


PASSWORD = "Seongsu-bridge-2025"


def _signup_fields(client, **values):
    page = client.get("/accounts/signup/")
    fields = form_posting_to(page, "/accounts/signup/")["fields"]
    fields.update(
        email="hong@example.com",
        password1=PASSWORD,
        password2=PASSWORD,
        display_name="홍길동",
        agree_terms="on",
        agree_privacy="on",
    )
    fields.update(values)
    return fields


def test_signing_up_tells_once_and_a_refused_sign_up_tells_nothing(told):
    client = english_client(csrf_checks=True)
    fields = _signup_fields(client)
    del fields["agree_terms"]
    assert client.post("/accounts/signup/", fields).status_code == 200
    assert told == []

    client = english_client(csrf_checks=True)
    response = client.post("/accounts/signup/", _signup_fields(client))
    assert response.status_code == 302
    user = User.objects.get()
    assert told == [("signup", user.pk, "accounts.User", user.pk, False)]


# --- proposing ----------------------------------------------------------------------------


def test_proposing_from_the_form_tells_once_and_bad_input_tells_nothing(told):
    browser = logged_in(csrf_checks=True)
    member = User.objects.get()
    response = submit(browser, "/proposals/new/", None, **proposal_form(body="짧다"))
    assert not Proposal.objects.exists() and told == []

    response = submit(browser, "/proposals/new/", None, **proposal_form())
    assert response.status_code == 200
    proposal = Proposal.objects.get()
    assert told == [("propose", member.pk, "proposals.Proposal", proposal.pk, False)]
    assert told.proposal_ids == [proposal.pk]


def test_withdrawing_a_proposal_takes_back_what_it_brought(told):
    proposal = ProposalFactory()
    browser = logged_in(proposal.author, csrf_checks=True)
    url = proposal.get_absolute_url()
    submit(browser, url, f"/proposals/{proposal.pk}/withdraw/", reason="다시 쓸게요")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert told == [("propose", proposal.author_id, "proposals.Proposal", proposal.pk, True)]
    assert told.proposal_ids == [proposal.pk]
    # Asked again (a second tab): refused, nothing more
    browser.post(f"/proposals/{proposal.pk}/withdraw/", {"reason": ""})
    assert len(told) == 1


def test_hiding_and_showing_a_proposal_again_from_its_page(told):
    proposal = ProposalFactory()
    moderator = logged_in(operator(), csrf_checks=True)
    url = proposal.get_absolute_url()
    action = f"/proposals/{proposal.pk}/moderate/"
    response = submit(moderator, url, action, reason="개인정보 노출", action="hide")
    assert flash(response) == ["Hidden."]
    # Hidden twice (an old tab): refused, nothing more
    moderator.post(action, {"action": "hide", "reason": "또"})
    response = submit(moderator, url, action, reason="삭제 확인", action="restore")
    assert flash(response) == ["Restored."]
    pk, author = proposal.pk, proposal.author_id
    assert told == [
        ("propose", author, "proposals.Proposal", pk, True),
        ("propose", author, "proposals.Proposal", pk, False),
    ]
    # A reason is needed: refused, nothing told
    moderator.post(action, {"action": "hide", "reason": " "})
    assert len(told) == 2


def test_the_trash_takes_back_and_a_restore_gives_again(told):
    proposal = ProposalFactory()
    browser = logged_in(proposal.author, csrf_checks=True)
    submit(browser, proposal.get_absolute_url(), f"/proposals/{proposal.pk}/delete/")
    proposal.refresh_from_db()
    assert proposal.deleted_at is not None
    proposal_services.proposal_restore(proposal=proposal, user=operator())
    pk, author = proposal.pk, proposal.author_id
    assert told == [
        ("propose", author, "proposals.Proposal", pk, True),
        ("propose", author, "proposals.Proposal", pk, False),
    ]


def test_a_proposal_down_twice_is_undone_once_and_given_back_once_it_is_up(told):
    # Hidden, then trashed: one undo. Restored while still hidden: nothing.
    # Shown again: one credit. A withdrawn proposal shown again: nothing.
    proposal = ProposalFactory()
    moderator = operator()
    proposal_services.proposal_hide(proposal=proposal, user=moderator, reason="확인 중")
    proposal_services.proposal_trash(proposal=proposal, user=moderator, reason="정리")
    proposal_services.proposal_restore(proposal=proposal, user=moderator)
    assert [call[4] for call in told] == [True]
    proposal_services.proposal_unhide(proposal=proposal, user=moderator, reason="확인 끝")
    assert [call[4] for call in told] == [True, False]

    withdrawn = ProposalFactory()
    proposal_services.proposal_withdraw(proposal=withdrawn, user=withdrawn.author)
    proposal_services.proposal_hide(proposal=withdrawn, user=moderator, reason="확인 중")
    proposal_services.proposal_unhide(proposal=withdrawn, user=moderator, reason="확인 끝")
    assert [(call[3], call[4]) for call in told[2:]] == [(withdrawn.pk, True)]


# --- endorsing ----------------------------------------------------------------------------


def test_endorsing_tells_the_endorser_and_the_proposer_and_taking_back_undoes_both(told):
    proposal = ProposalFactory()
    member = UserFactory()
    browser = logged_in(member, csrf_checks=True)
    url, action = proposal.get_absolute_url(), f"/proposals/{proposal.pk}/endorse/"
    assert flash(submit(browser, url, action, action="endorse")) == ["You endorsed this proposal."]
    first = Endorsement.objects.get().pk
    # Twice (an old tab): refused, nothing more
    browser.post(action, {"action": "endorse"})
    assert flash(submit(browser, url, action, action="withdraw")) == [
        "Your endorsement is taken back."
    ]
    submit(browser, url, action, action="endorse")
    second = Endorsement.objects.get().pk
    author = proposal.author_id
    assert told == [
        ("endorse", member.pk, "proposals.Endorsement", first, False),
        ("endorsed", author, "proposals.Endorsement", first, False),
        ("endorse", member.pk, "proposals.Endorsement", first, True),
        ("endorsed", author, "proposals.Endorsement", first, True),
        ("endorse", member.pk, "proposals.Endorsement", second, False),
        ("endorsed", author, "proposals.Endorsement", second, False),
    ]
    assert set(told.proposal_ids) == {proposal.pk}


def test_refused_endorsements_tell_nothing(told):
    own = ProposalFactory()
    closed = ProposalFactory(status=ProposalStatus.NOT_REACHED)
    late = ProposalFactory(endorsement_deadline=timezone.now() - dt.timedelta(minutes=1))
    hidden = ProposalFactory(is_hidden=True, hidden_reason="x")
    logged_in(own.author).post(f"/proposals/{own.pk}/endorse/", {"action": "endorse"})
    browser = logged_in()
    for proposal in (closed, late, hidden):
        browser.post(f"/proposals/{proposal.pk}/endorse/", {"action": "endorse"})
        browser.post(f"/proposals/{proposal.pk}/endorse/", {"action": "withdraw"})
    assert not Endorsement.objects.exists()
    assert told == []


def test_a_proposer_who_withdrew_from_the_portal_earns_nothing_from_endorsements(told):
    proposal = ProposalFactory()
    account_withdraw(user=proposal.author)
    member = UserFactory()
    logged_in(member).post(f"/proposals/{proposal.pk}/endorse/", {"action": "endorse"})
    assert [call[:2] for call in told] == [("endorse", member.pk)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_single_statement_path_tells_once_per_row_with_its_id(told):
    # On PostgreSQL, outside a transaction, the row is written by one INSERT
    # (proposals.services._endorsement_insert) and counted by the reconcile:
    # the signal goes with the insert, once, with the row's id; the
    # reconcile (and the sweep) tell nothing.
    proposal = ProposalFactory()
    member = UserFactory()
    proposal_services.proposal_endorse(proposal=proposal, user=member)
    endorsement = Endorsement.objects.get()
    assert not endorsement.pending
    proposal_services.endorsement_counts_reconcile_all()
    with pytest.raises(proposal_services.ServiceError):
        proposal_services.proposal_endorse(proposal=proposal, user=member)
    proposal_services.proposal_unendorse(proposal=proposal, user=member)
    author = proposal.author_id
    assert told == [
        ("endorse", member.pk, "proposals.Endorsement", endorsement.pk, False),
        ("endorsed", author, "proposals.Endorsement", endorsement.pk, False),
        ("endorse", member.pk, "proposals.Endorsement", endorsement.pk, True),
        ("endorsed", author, "proposals.Endorsement", endorsement.pk, True),
    ]


# --- comments -------------------------------------------------------------------------------


def test_commenting_deleting_and_moderation_from_the_page(told):
    proposal = ProposalFactory()
    member = UserFactory()
    browser = logged_in(member, csrf_checks=True)
    url = proposal.get_absolute_url()
    create = f"/proposals/{proposal.pk}/comments/"
    submit(browser, url, create, body="   ")
    assert told == []
    submit(browser, url, create, body="좋은 생각이에요!")
    comment = Comment.objects.get()
    moderator = logged_in(operator(), csrf_checks=True)
    moderate = f"/proposals/comments/{comment.pk}/moderate/"
    submit(moderator, url, moderate, reason="욕설", action="hide")
    submit(moderator, url, moderate, reason="오해였음", action="restore")
    submit(browser, url, f"/proposals/comments/{comment.pk}/delete/")
    browser.post(f"/proposals/comments/{comment.pk}/delete/")  # again: refused
    pk = comment.pk
    assert told == [
        ("comment", member.pk, "proposals.Comment", pk, False),
        ("comment", member.pk, "proposals.Comment", pk, True),
        ("comment", member.pk, "proposals.Comment", pk, False),
        ("comment", member.pk, "proposals.Comment", pk, True),
    ]
    assert set(told.proposal_ids) == {proposal.pk}


def test_a_deleted_comment_hidden_and_shown_again_stays_undone_once(told):
    comment = CommentFactory(proposal=ProposalFactory(comment_count=2))
    proposal_services.comment_delete(comment=comment, user=comment.author)
    moderator = operator()
    proposal_services.comment_set_hidden(comment=comment, user=moderator, reason="x", hidden=True)
    proposal_services.comment_set_hidden(comment=comment, user=moderator, reason="y", hidden=False)
    hidden = CommentFactory(proposal=comment.proposal)
    proposal_services.comment_set_hidden(comment=hidden, user=moderator, reason="x", hidden=True)
    proposal_services.comment_delete(comment=hidden, user=hidden.author)
    assert [(call[3], call[4]) for call in told] == [(comment.pk, True), (hidden.pk, True)]


def test_comments_on_a_closed_proposal_tell_nothing(told):
    proposal = ProposalFactory(is_hidden=True, hidden_reason="x")
    logged_in().post(f"/proposals/{proposal.pk}/comments/", {"body": "보이나요?"})
    assert not Comment.objects.exists() and told == []


# --- the department's answer ------------------------------------------------------------


def test_a_published_answer_credits_the_proposer_and_rating_it_credits_the_rater(told):
    assignment = assigned()
    proposal = assignment.proposal
    answer = published(assignment)
    assert told == [("answered", proposal.author_id, "answers.Answer", answer.pk, False)]

    browser = logged_in(proposal.author, csrf_checks=True)
    action = f"/answers/{answer.pk}/rate/"
    submit(browser, proposal.get_absolute_url(), action, score="9")  # refused: 1 to 5
    assert len(told) == 1
    response = submit(browser, proposal.get_absolute_url(), action, score="4", comment="감사")
    assert flash(response) == ["Thank you for rating the answer."]
    browser.post(action, {"score": "5"})  # twice: refused
    rating = AnswerRating.objects.get()
    assert told[1:] == [
        ("rate_answer", proposal.author_id, "answers.AnswerRating", rating.pk, False)
    ]
    assert told.proposal_ids == [proposal.pk, proposal.pk]


def test_an_answer_to_a_proposal_whose_author_withdrew_credits_nobody(told):
    assignment = assigned()
    account_withdraw(user=assignment.proposal.author)
    published(assignment)
    assert told == []


# --- debates ------------------------------------------------------------------------------


def test_opening_a_debate_credits_the_proposer(told):
    debate = open_debate()
    proposal = debate.proposal
    assert told == [("debated", proposal.author_id, "debates.Debate", debate.pk, False)]
    assert told.proposal_ids == [proposal.pk]


def test_arguments_from_the_page_deleted_and_moderated(told):
    debate = open_debate()
    told.clear()
    told.proposal_ids.clear()
    member = UserFactory()
    browser = logged_in(member, csrf_checks=True)
    url = debate.proposal.get_absolute_url()
    create = f"/debates/{debate.pk}/arguments/"
    submit(browser, url, create, side="for", body="짧")  # too short: refused
    assert told == []
    submit(browser, url, create, side="for", body="보행로가 넓어지면 모두 안전합니다.")
    argument = debate.arguments.get()
    moderator = operator()
    debate_services.argument_hide(argument=argument, user=moderator, reason="주제 밖")
    debate_services.argument_unhide(argument=argument, user=moderator, reason="확인")
    submit(browser, url, f"/debates/arguments/{argument.pk}/delete/")
    debate_services.argument_hide(argument=argument, user=moderator, reason="정리")
    pk = argument.pk
    assert told == [
        ("debate_argument", member.pk, "debates.Argument", pk, False),
        ("debate_argument", member.pk, "debates.Argument", pk, True),
        ("debate_argument", member.pk, "debates.Argument", pk, False),
        ("debate_argument", member.pk, "debates.Argument", pk, True),
    ]
    assert set(told.proposal_ids) == {debate.proposal_id}


# --- meetings ------------------------------------------------------------------------------


def test_the_agenda_credits_once_and_adoption_credits_the_proposer(told):
    (item,) = on_agenda(meeting(days=-0.01))
    proposal = item.proposal
    assert told == [("meeting", proposal.author_id, "meetings.AgendaItem", item.pk, False)]
    # Held over to the next meeting: the same step, nothing more
    meeting(days=20)
    meeting_services.agenda_item_decide(
        item=item, decision="held_over", reason="자료 보완", user=mayor_office()
    )
    assert len(told) == 1
    later = proposal.agenda_items.exclude(pk=item.pk).get()
    later.meeting.scheduled_at = timezone.now() - dt.timedelta(minutes=1)
    later.meeting.save(update_fields=["scheduled_at"])
    meeting_services.agenda_item_decide(
        item=later,
        decision="adopted",
        reason="시민 생활에 바로 도움이 됩니다.",
        user=mayor_office(),
    )
    assert told[1:] == [("adopted", proposal.author_id, "meetings.AgendaItem", later.pk, False)]


def test_not_adopting_credits_nothing(told):
    (item,) = on_agenda(meeting(days=-0.01))
    told.clear()
    meeting_services.agenda_item_decide(
        item=item, decision="not_adopted", reason="예산이 없습니다.", user=mayor_office()
    )
    assert told == []
