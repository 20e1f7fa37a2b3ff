"""What stays editable once members have voted, through the editor as
rendered: the words may be corrected and the period extended, while the
targeting and the questions shown read-only are left as they are."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import ConsentVia
from accounts.services import consent_record
from polls.models import Choice, PollKind
from tests.factories import UserFactory, operator
from tests.pages import form_fields, logged_in, page_text
from tests.polls.editor_helpers import published, vote

pytestmark = pytest.mark.django_db


def _when(moment):
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def test_a_targeted_poll_with_votes_takes_corrected_words_and_a_longer_period():
    # Given a poll for Mapo-gu's members, with a vote from one of them
    poll = published(PollKind.CHOICE, target_districts=["mapo"])
    voter = UserFactory(district="mapo")
    consent_record(user=voter, optional_items={"district"}, via=ConsentVia.PROFILE)
    vote(poll, voter)
    assert poll.voter_count == 1
    choices = list(Choice.objects.values_list("pk", "label"))

    # When the operator corrects the summary and extends the period on the editor
    client = logged_in(operator())
    url = f"/admin/polls/poll/{poll.pk}/change/"
    page = client.get(url)
    fields = form_fields(page)
    assert "target_districts" not in fields  # shown read-only
    assert "questions-0-choices_text" not in fields
    later = poll.ends_at + dt.timedelta(days=7)
    fields["summary"] = "고친 요약입니다."
    fields["ends_at_0"], fields["ends_at_1"] = _when(later)
    response = client.post(url, fields)

    # Then both are saved and nothing the voter answered moved
    assert response.status_code == 302, page_text(response)
    poll.refresh_from_db()
    assert poll.summary == "고친 요약입니다." and poll.ends_at == later.replace(microsecond=0)
    assert poll.target_districts == ["mapo"]
    assert list(Choice.objects.values_list("pk", "label")) == choices
