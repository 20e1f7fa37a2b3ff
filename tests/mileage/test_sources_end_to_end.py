"""Mileage from what members do, end to end: the pages and services send the
participation signal (sources), the ledger writes the entries; balances are
read as the member's page reads them. Needs the ledger's services."""

import pytest

pytest.importorskip("mileage.services")

from accounts.participation import Action  # noqa: E402
from debates import services as debate_services  # noqa: E402
from meetings import services as meeting_services  # noqa: E402
from proposals import services as proposal_services  # noqa: E402
from proposals.models import Comment, Proposal  # noqa: E402
from tests.answers.helpers import assigned, published  # noqa: E402
from tests.debates.helpers import open_debate  # noqa: E402
from tests.factories import ProposalFactory, UserFactory, operator  # noqa: E402
from tests.meetings.helpers import mayor_office, meeting, on_agenda  # noqa: E402
from tests.pages import flash, form_posting_to, logged_in  # noqa: E402
from tests.proposals.helpers import proposal_form  # noqa: E402

from .helpers import assert_exact, balance, set_rule  # noqa: E402

pytestmark = pytest.mark.django_db

POINTS = {
    Action.PROPOSE: 10,
    Action.COMMENT: 2,
    Action.ENDORSE: 1,
    Action.ENDORSED: 3,
    Action.ANSWERED: 20,
    Action.DEBATED: 50,
    Action.DEBATE_ARGUMENT: 4,
    Action.MEETING: 100,
    Action.ADOPTED: 300,
    Action.RATE_ANSWER: 5,
}


@pytest.fixture(autouse=True)
def _rules():
    """Known amounts, no caps (caps are the ledger's own tests)."""
    for action, points in POINTS.items():
        set_rule(action, points)


def _endorse(browser, proposal, button):
    page = browser.get(proposal.get_absolute_url())
    action = f"/proposals/{proposal.pk}/endorse/"
    fields = form_posting_to(page, action)["fields"]
    return browser.post(action, {**fields, "action": button}, follow=True)


def test_propose_endorse_take_back_and_endorse_again_in_a_loop_earns_once():
    author = UserFactory()
    writer = logged_in(author, csrf_checks=True)
    page = writer.get("/proposals/new/")
    writer.post("/proposals/new/", {**form_posting_to(page, None)["fields"], **proposal_form()})
    proposal = Proposal.objects.get()
    assert balance(author) == 10

    member = UserFactory()
    browser = logged_in(member, csrf_checks=True)
    assert flash(_endorse(browser, proposal, "endorse")) == ["You endorsed this proposal."]
    assert (balance(member), balance(author)) == (1, 13)
    _endorse(browser, proposal, "withdraw")
    assert (balance(member), balance(author)) == (0, 10)
    # The loop: ten more rounds earn nothing beyond the one endorsement
    for _ in range(10):
        _endorse(browser, proposal, "endorse")
        _endorse(browser, proposal, "withdraw")
    _endorse(browser, proposal, "endorse")
    assert (balance(member), balance(author)) == (1, 13)
    assert_exact()


def test_a_comment_hidden_shown_again_and_deleted():
    proposal = ProposalFactory()
    member = UserFactory()
    browser = logged_in(member, csrf_checks=True)
    page = browser.get(proposal.get_absolute_url())
    create = f"/proposals/{proposal.pk}/comments/"
    fields = form_posting_to(page, create)["fields"]
    browser.post(create, {**fields, "body": "좋은 생각이에요!"})
    comment = Comment.objects.get()
    assert balance(member) == 2
    moderator = operator()
    proposal_services.comment_set_hidden(comment=comment, user=moderator, reason="x", hidden=True)
    assert balance(member) == 0
    proposal_services.comment_set_hidden(comment=comment, user=moderator, reason="y", hidden=False)
    assert balance(member) == 2
    page = browser.get(proposal.get_absolute_url())
    delete = f"/proposals/comments/{comment.pk}/delete/"
    browser.post(delete, form_posting_to(page, delete)["fields"])
    assert balance(member) == 0
    assert_exact()


def test_hiding_a_proposal_takes_back_all_it_brought_its_author_and_showing_it_gives_it_back():
    assignment = assigned()
    proposal = assignment.proposal
    author = proposal.author
    endorsers = UserFactory.create_batch(2)
    for member in endorsers:
        proposal_services.proposal_endorse(proposal=proposal, user=member)
    published(assignment)
    proposal.refresh_from_db()
    # Made by the factory (nothing sent for proposing): endorsed ×2 + answered
    assert balance(author) == 3 * 2 + 20
    moderator = operator()
    proposal_services.proposal_hide(proposal=proposal, user=moderator, reason="확인 중")
    assert balance(author) == 0
    # The endorsers keep what they earned for endorsing
    assert [balance(m) for m in endorsers] == [1, 1]
    proposal_services.proposal_unhide(proposal=proposal, user=moderator, reason="문제없음")
    assert balance(author) == 26
    # Withdrawn by its author: gone for good
    proposal_services.proposal_withdraw(proposal=proposal, user=author)
    assert balance(author) == 0
    assert_exact()


def test_the_debate_the_meeting_and_the_adoption_credit_the_proposer():
    debate = open_debate()
    assert balance(debate.proposal.author) == 50
    member = UserFactory()
    argument = debate_services.argument_create(
        debate=debate, author=member, side="for", body="보행로가 넓어지면 모두 안전합니다."
    )
    assert balance(member) == 4
    debate_services.argument_delete(argument=argument, user=member)
    assert balance(member) == 0

    (item,) = on_agenda(meeting(days=-0.01))
    proposer = item.proposal.author
    assert balance(proposer) == 100
    meeting_services.agenda_item_decide(
        item=item, decision="adopted", reason="시민 생활에 바로 도움이 됩니다.", user=mayor_office()
    )
    assert balance(proposer) == 400
    assert_exact()


def test_rating_the_answer_credits_the_proposer_once():
    assignment = assigned()
    answer = published(assignment)
    author = assignment.proposal.author
    assert balance(author) == 20
    browser = logged_in(author, csrf_checks=True)
    page = browser.get(assignment.proposal.get_absolute_url())
    action = f"/answers/{answer.pk}/rate/"
    fields = form_posting_to(page, action)["fields"]
    browser.post(action, {**fields, "score": "4"})
    browser.post(action, {**fields, "score": "5"})  # twice: refused
    assert balance(author) == 25
    assert_exact()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_endorsement_and_its_points_commit_together():
    # The single-statement path (outside a transaction): the claim is
    # written in the endorsement's own transaction and folded at once.
    for action, points in POINTS.items():
        set_rule(action, points)
    proposal = ProposalFactory()
    members = UserFactory.create_batch(3)
    for member in members:
        proposal_services.proposal_endorse(proposal=proposal, user=member)
    proposal_services.proposal_unendorse(proposal=proposal, user=members[0])
    proposal_services.proposal_endorse(proposal=proposal, user=members[0])
    assert [balance(m) for m in members] == [1, 1, 1]
    assert balance(proposal.author) == 9
    assert_exact()
