"""The proposal page says which conditions of the next bar are met and
which are still missing, only those the operators set, in words as well as
with a mark, without a query of its own."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from proposals.models import PipelineSettings, ProposalStatus
from tests.factories import ProposalFactory
from tests.pages import english_client, page_html, page_text
from tests.pipeline.helpers import panel_rated

pytestmark = pytest.mark.django_db


@pytest.fixture
def bar():
    settings_row = PipelineSettings.load()
    settings_row.answer_threshold = 50
    settings_row.debate_threshold = 500
    settings_row.debate_min_comments = 10
    settings_row.debate_min_views = 0  # not required: not listed
    settings_row.debate_min_panel_score = Decimal("3.50")
    settings_row.debate_min_panel_raters = 3
    settings_row.save()
    return settings_row


def _conditions(page) -> str:
    """The text of the bar's box on the page ('' when there is none)."""
    markup = page_html(page)
    start = markup.find('data-testid="bar-conditions"')
    if start == -1:
        return ""
    return page_text(markup[start : markup.index("</section>", start)])


def test_an_answered_proposal_says_what_the_debate_still_needs(bar):
    proposal = ProposalFactory(
        status=ProposalStatus.ANSWERED, endorsement_count=480, comment_count=12, view_count=900
    )
    # four panel members, a mean of 45 / 12 = 3.75
    panel_rated(proposal, (4, 4, 4), (4, 4, 4), (4, 4, 3), (4, 3, 3))
    text = _conditions(english_client().get(proposal.get_absolute_url()))
    assert "Toward a debate" in text
    assert "3 of 4 conditions met" in text
    assert "Endorsements 480/500 not yet" in text
    assert "Comments 12/10 ✓ met" in text
    assert "Citizen panel score 3.75/3.50 ✓ met" in text
    assert "Citizen panel ratings 4/3 ✓ met" in text
    # views are not required, so not listed
    assert "Views" not in text


def test_the_same_in_korean(bar):
    proposal = ProposalFactory(
        status=ProposalStatus.ANSWERED, endorsement_count=480, comment_count=12
    )
    panel_rated(proposal, (3, 3, 3), (4, 3, 3))  # 19 / 6 = 3.17
    text = _conditions(Client().get(proposal.get_absolute_url()))
    assert "토론까지" in text
    assert "조건 4개 중 1개 충족" in text
    assert "추천 480/500 아직" in text
    assert "댓글 12/10 ✓ 충족" in text
    assert "상상누리단 평점 3.17/3.50 아직" in text
    assert "상상누리단 평가 2/3 아직" in text


def test_an_open_proposal_says_how_far_the_answer_is(bar):
    proposal = ProposalFactory(status=ProposalStatus.OPEN, endorsement_count=12)
    text = _conditions(english_client().get(proposal.get_absolute_url()))
    assert "Toward a department's answer" in text
    assert "Endorsements 12/50 not yet" in text
    # the debate's conditions are not the answer's
    assert "Comments" not in text


def test_without_a_panel_score_the_panel_is_not_a_condition(bar):
    bar.debate_min_panel_score = Decimal("0")
    bar.save()
    proposal = ProposalFactory(status=ProposalStatus.ANSWERED, endorsement_count=10)
    text = _conditions(english_client().get(proposal.get_absolute_url()))
    assert "0 of 2 conditions met" in text
    assert "Citizen panel" not in text


@pytest.mark.parametrize(
    "status", [ProposalStatus.ASSIGNED, ProposalStatus.DEBATE, ProposalStatus.NOT_REACHED]
)
def test_no_bar_is_shown_where_counts_move_nothing(bar, status):
    proposal = ProposalFactory(status=status, endorsement_count=10)
    page = english_client().get(proposal.get_absolute_url())
    assert page.status_code == 200
    assert _conditions(page) == ""


def test_the_bar_costs_the_page_no_query_once_the_settings_are_cached(bar):
    proposal = ProposalFactory(status=ProposalStatus.ANSWERED, endorsement_count=10)
    english_client().get(proposal.get_absolute_url())  # warms the cache
    with CaptureQueriesContext(connection) as queries:
        page = english_client().get(proposal.get_absolute_url())
    assert _conditions(page)
    table = PipelineSettings._meta.db_table
    assert not [q for q in queries.captured_queries if table in q["sql"]]


def test_one_condition_reads_in_the_singular(bar):
    proposal = ProposalFactory(status=ProposalStatus.OPEN, endorsement_count=50)
    text = _conditions(english_client().get(proposal.get_absolute_url()))
    assert "1 of 1 condition met" in text
    assert "Endorsements 50/50 ✓ met" in text
