"""Shared form pieces (oasis.forms) that other apps' rows depend on."""

import pytest

from answers.models import Answer, ReassignmentRequest
from debates.models import Argument, Debate
from oasis.forms import MODERATION_REASON_MAX_LENGTH, ModerationReasonForm, PlainTextField
from proposals.models import Comment, Proposal, Report

# Every field a reason given on the moderation page is stored in.
REASON_FIELDS = [
    (Proposal, "hidden_reason"),
    (Comment, "hidden_reason"),
    (Report, "resolution"),
    (Argument, "hidden_reason"),
    (Debate, "close_reason"),
    (Answer, "return_reason"),
    (ReassignmentRequest, "decision_reason"),
]


@pytest.mark.parametrize(("model", "field"), REASON_FIELDS)
def test_a_moderation_reason_always_fits_where_it_is_stored(model, field):
    assert MODERATION_REASON_MAX_LENGTH <= model._meta.get_field(field).max_length


def test_the_moderation_form_refuses_a_reason_longer_than_the_limit():
    form = ModerationReasonForm({"reason": "가" * (MODERATION_REASON_MAX_LENGTH + 1)})
    assert not form.is_valid()
    assert ModerationReasonForm({"reason": "가" * MODERATION_REASON_MAX_LENGTH}).is_valid()


def test_plain_text_stores_line_breaks_as_lf():
    assert PlainTextField().clean("한 줄\r\n두 줄\r세 줄") == "한 줄\n두 줄\n세 줄"
