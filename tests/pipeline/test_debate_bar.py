"""The debate bar, measure by measure: an answered proposal goes to debate
when its endorsements, comments, views and the citizen panel's score (with
enough raters) all pass the operators' minimums, each of the last four only
when set. Each measure decides alone, all together open the debate (by the
wake-up and by the sweep), any one missing keeps the proposal answered."""

from decimal import Decimal

import pytest

from pipeline import services as pipeline
from proposals import services
from proposals.models import PipelineSettings, Proposal, ProposalStatus
from tests.factories import ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bar():
    """Only the endorsement bar is set (5); each test adds its measures."""
    settings_row = PipelineSettings.load()
    settings_row.answer_threshold = 3
    settings_row.debate_threshold = 5
    settings_row.save()
    return settings_row


def _set(settings_row, **values):
    for name, value in values.items():
        setattr(settings_row, name, value)
    settings_row.full_clean()
    settings_row.save()


def _answered(**counts):
    """An answered proposal with its counters as given. The panel's score
    and raters are kept by panel's rating service on the proposal; here they
    are written as it writes them (hundredths, and how many rated)."""
    return ProposalFactory(status=ProposalStatus.ANSWERED, **counts)


def _status(proposal):
    proposal.refresh_from_db()
    return proposal.status


# All the measures set: 5 endorsements, 3 comments, 10 views, a panel score
# of 3.50 from at least 2 raters. MET passes each; each MISSING_* fails one.
ALL_SET = {
    "debate_min_comments": 3,
    "debate_min_views": 10,
    "debate_min_panel_score": Decimal("3.50"),
    "debate_min_panel_raters": 2,
}
MET = {
    "endorsement_count": 5,
    "comment_count": 3,
    "view_count": 10,
    "panel_score": 350,
    "panel_rating_count": 2,
}


# --- each measure alone ------------------------------------------------------------------


def test_endorsements_alone_decide_when_nothing_else_is_set(bar):
    # Given comments, views and the panel not required (0)
    below = _answered(endorsement_count=4)
    at = _answered(endorsement_count=5)
    # Then the endorsements alone decide
    assert not pipeline.is_due(below, bar)
    assert pipeline.is_due(at, bar)
    assert pipeline.promote_if_due(proposal_id=below.pk) is None
    assert pipeline.promote_if_due(proposal_id=at.pk) == ProposalStatus.DEBATE


def test_the_endorsement_that_reaches_the_bar_opens_the_debate(
    bar, django_capture_on_commit_callbacks
):
    proposal = _answered(endorsement_count=0)
    for member in UserFactory.create_batch(4):
        services.proposal_endorse(proposal=proposal, user=member)
    assert _status(proposal) == ProposalStatus.ANSWERED
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_endorse(proposal=proposal, user=UserFactory())
    assert _status(proposal) == ProposalStatus.DEBATE


def test_comments_alone_decide(bar):
    _set(bar, debate_min_comments=3)
    few = _answered(endorsement_count=5, comment_count=2)
    enough = _answered(endorsement_count=5, comment_count=3)
    assert pipeline.promote_if_due(proposal_id=few.pk) is None
    assert pipeline.promote_if_due(proposal_id=enough.pk) == ProposalStatus.DEBATE
    assert _status(few) == ProposalStatus.ANSWERED


def test_views_alone_decide(bar):
    _set(bar, debate_min_views=10)
    few = _answered(endorsement_count=5, view_count=9)
    enough = _answered(endorsement_count=5, view_count=10)
    assert pipeline.promote_if_due(proposal_id=few.pk) is None
    assert pipeline.promote_if_due(proposal_id=enough.pk) == ProposalStatus.DEBATE


def test_the_panel_score_alone_decides(bar):
    _set(bar, debate_min_panel_score=Decimal("3.50"), debate_min_panel_raters=2)
    low = _answered(endorsement_count=5, panel_score=349, panel_rating_count=4)
    high = _answered(endorsement_count=5, panel_score=350, panel_rating_count=4)
    assert pipeline.promote_if_due(proposal_id=low.pk) is None
    assert pipeline.promote_if_due(proposal_id=high.pk) == ProposalStatus.DEBATE


def test_a_high_panel_score_from_too_few_raters_does_not_count(bar):
    _set(bar, debate_min_panel_score=Decimal("3.50"), debate_min_panel_raters=3)
    one_fan = _answered(endorsement_count=5, panel_score=500, panel_rating_count=2)
    assert pipeline.promote_if_due(proposal_id=one_fan.pk) is None
    Proposal.objects.filter(pk=one_fan.pk).update(panel_rating_count=3)
    assert pipeline.promote_if_due(proposal_id=one_fan.pk) == ProposalStatus.DEBATE


def test_raters_are_not_asked_for_when_the_score_is_not_required(bar):
    _set(bar, debate_min_panel_score=Decimal("0"), debate_min_panel_raters=50)
    unrated = _answered(endorsement_count=5)
    assert "panel_rating_count" not in pipeline.due_bars(bar)[ProposalStatus.ANSWERED]
    assert pipeline.promote_if_due(proposal_id=unrated.pk) == ProposalStatus.DEBATE


def test_measures_set_to_0_are_not_required_and_not_listed(bar):
    _set(bar, debate_min_comments=0, debate_min_views=0, debate_min_panel_score=Decimal("0"))
    assert pipeline.due_bars(bar)[ProposalStatus.ANSWERED] == {"endorsement_count": 5}


# --- all together ------------------------------------------------------------------------


def test_all_measures_met_open_the_debate_by_the_promotion_check(bar):
    _set(bar, **ALL_SET)
    proposal = _answered(**MET)
    assert pipeline.promote_if_due(proposal_id=proposal.pk) == ProposalStatus.DEBATE
    assert _status(proposal) == ProposalStatus.DEBATE
    # and checking again changes nothing
    assert pipeline.promote_if_due(proposal_id=proposal.pk) is None


def test_all_measures_met_open_the_debate_by_the_sweep(bar):
    _set(bar, **ALL_SET)
    proposal = _answered(**MET)
    assert pipeline.sweep()["promoted"] == 1
    assert pipeline.sweep()["promoted"] == 0
    assert _status(proposal) == ProposalStatus.DEBATE


@pytest.mark.parametrize(
    "short",
    [
        {"endorsement_count": 4},
        {"comment_count": 2},
        {"view_count": 9},
        {"panel_score": 349},
        {"panel_rating_count": 1},
    ],
    ids=lambda short: next(iter(short)),
)
def test_any_one_measure_missing_keeps_it_answered(bar, short):
    _set(bar, **ALL_SET)
    proposal = _answered(**{**MET, **short})
    # Neither the check for this proposal nor the sweep's query moves it:
    # is_due and due_filter say the same.
    assert not pipeline.is_due(proposal, bar)
    assert not Proposal.objects.filter(pk=proposal.pk).filter(pipeline.due_filter(bar)).exists()
    assert pipeline.promote_if_due(proposal_id=proposal.pk) is None
    assert pipeline.sweep()["promoted"] == 0
    assert _status(proposal) == ProposalStatus.ANSWERED


def test_the_preview_of_a_bar_change_names_the_proposals_the_panel_score_lets_through(bar):
    # Lowering the panel bar is a bar change: the settings page previews it
    # with the sweep's own query before the operator confirms.
    _set(bar, debate_min_panel_score=Decimal("4.00"), debate_min_panel_raters=2)
    proposal = _answered(endorsement_count=5, panel_score=380, panel_rating_count=2)
    assert pipeline.bars_preview(settings_row=bar).to_debate == ()
    bar.debate_min_panel_score = Decimal("3.50")
    preview = pipeline.bars_preview(settings_row=bar, based_on=pipeline.saved_values(bar))
    assert preview.to_debate == (proposal.pk,)
    assert preview.fingerprint  # the Decimal is carried as text, so it can be digested


# --- comments ----------------------------------------------------------------------------


def test_the_comment_that_reaches_the_bar_wakes_the_conductor(
    bar, django_capture_on_commit_callbacks
):
    # Given an answered proposal past every other condition, one comment short
    _set(bar, debate_min_comments=3)
    proposal = _answered(endorsement_count=5)
    for _ in range(2):
        services.comment_create(proposal=proposal, author=UserFactory(), body="좋아요")
    assert _status(proposal) == ProposalStatus.ANSWERED
    # When the third comment is posted
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.comment_create(proposal=proposal, author=UserFactory(), body="찬성합니다")
    # Then the debate opens at once, not at the next sweep
    assert callbacks
    assert _status(proposal) == ProposalStatus.DEBATE


def test_comments_wake_nobody_without_a_comment_bar_or_below_it(
    bar, django_capture_on_commit_callbacks
):
    # Given an answered proposal already past the endorsement bar that nobody
    # woke the conductor for (only the sweep would move it)
    proposal = _answered(endorsement_count=5)
    # When a comment comes and no comment bar is set, then nothing is checked
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(proposal=proposal, author=UserFactory(), body="좋아요")
    assert _status(proposal) == ProposalStatus.ANSWERED
    # nor when a comment bar is set and this comment does not reach it
    _set(bar, debate_min_comments=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(proposal=proposal, author=UserFactory(), body="저도요")
    assert _status(proposal) == ProposalStatus.ANSWERED


def test_a_comment_on_an_open_proposal_wakes_nobody(bar, django_capture_on_commit_callbacks):
    # An open proposal works toward the answer bar, which counts no comments;
    # once answered, the answer's publication checks the debate bar itself.
    _set(bar, debate_min_comments=1, debate_threshold=5)
    proposal = ProposalFactory(status=ProposalStatus.OPEN, endorsement_count=6)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(proposal=proposal, author=UserFactory(), body="좋아요")
    assert _status(proposal) == ProposalStatus.OPEN


def test_deleted_comments_leave_the_count_and_so_the_bar(bar):
    _set(bar, debate_min_comments=2)
    proposal = _answered(endorsement_count=5)
    first = services.comment_create(proposal=proposal, author=UserFactory(), body="좋아요")
    services.comment_create(proposal=proposal, author=UserFactory(), body="저도요")
    services.comment_delete(comment=first, user=first.author)
    assert pipeline.promote_if_due(proposal_id=proposal.pk) is None
    assert _status(proposal) == ProposalStatus.ANSWERED


def test_a_hidden_comment_still_counts_as_comment_count_counts_it(bar, operator_user):
    # comment_count counts every comment not deleted, hidden ones too (the
    # page lists them, marked hidden, and pages its comments by the count);
    # the bar reads the same count. Stated here so that a change to either
    # is a decision, not an accident.
    _set(bar, debate_min_comments=2)
    proposal = _answered(endorsement_count=5)
    spam = services.comment_create(proposal=proposal, author=UserFactory(), body="광고")
    services.comment_create(proposal=proposal, author=UserFactory(), body="좋아요")
    services.comment_set_hidden(comment=spam, user=operator_user, reason="광고", hidden=True)
    proposal.refresh_from_db()
    assert proposal.comment_count == 2
    assert pipeline.promote_if_due(proposal_id=proposal.pk) == ProposalStatus.DEBATE


# --- panel ratings (panel.services.panel_rate wakes the conductor) -----------------------


def test_the_panel_rating_that_passes_the_bar_opens_the_debate(
    bar, django_capture_on_commit_callbacks
):
    # panel's helpers rate through its service (panel.services.panel_rate,
    # which queues the promotion check after its write).
    from tests.panel.helpers import panel_member, rate

    # Given an answered proposal past the endorsement bar, the panel's score
    # required (3.50 from 2 raters) and one rating of 4 so far
    _set(bar, debate_min_panel_score=Decimal("3.50"), debate_min_panel_raters=2)
    proposal = _answered(endorsement_count=5)
    rate(proposal, panel_member())
    assert _status(proposal) == ProposalStatus.ANSWERED
    # When a second panel member rates it low, the mean (3.00) stays below
    with django_capture_on_commit_callbacks(execute=True):
        rate(proposal, panel_member(), c=2, p=2, f=2)
    assert _status(proposal) == ProposalStatus.ANSWERED
    # When a third rates it high, the mean passes (3.67 from 3): debate at once
    with django_capture_on_commit_callbacks(execute=True):
        rate(proposal, panel_member(), c=5, p=5, f=5)
    proposal.refresh_from_db()
    assert (proposal.panel_score, proposal.panel_rating_count) == (367, 3)
    assert proposal.status == ProposalStatus.DEBATE
