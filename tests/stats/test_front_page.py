"""The front page's headline figures (the statistics' own, as of their last
count) and the next realization meeting (stats/front_page.py)."""

import re

import pytest
from django.utils import timezone

from meetings.models import RealizationMeetingStatus
from stats.refresh import refresh
from tests.factories import ProposalFactory
from tests.meetings.helpers import meeting
from tests.pages import english_client, page_html, page_text
from tests.stats.pages_world import counted_world

pytestmark = pytest.mark.django_db


def figure(response, label) -> tuple[str, str]:
    """(number, link) of one headline figure."""
    match = re.search(
        rf'<dt>{label}</dt><dd><a href="([^"]+)">([^<]*)</a></dd>', page_html(response)
    )
    return match.group(2), match.group(1)


def test_the_front_page_shows_the_counted_figures_each_linking_to_its_list():
    counted_world()
    en = english_client()
    response = en.get("/")
    assert figure(response, "Proposals received") == ("6", "/stats/proposals/")
    assert figure(response, "Answered by departments") == ("4", "/stats/proposals/?stage=answered")
    assert figure(response, "Debated") == ("3", "/stats/proposals/?stage=debated")
    assert figure(response, "Put to a meeting") == ("2", "/stats/proposals/?stage=on_agenda")
    assert figure(response, "Adopted") == ("1", "/stats/proposals/?stage=adopted")
    assert figure(response, "Completed") == ("0", "/stats/proposals/?stage=completed")
    assert figure(response, "Adoption rate") == ("16.67%", "/stats/")
    text = page_text(response)
    year = timezone.localdate().year
    assert f"In {year}: 0 received, 0 adopted." in re.sub(r"\s+([,.])", r"\1", text)
    assert "As of " in text and "All statistics" in text
    # And a proposal sent since is counted at the next refresh, not before
    ProposalFactory()
    assert figure(en.get("/"), "Proposals received")[0] == "6"
    refresh()
    after = en.get("/")
    assert figure(after, "Proposals received")[0] == "7"
    assert f"In {year}: 1 received" in page_text(after)


def test_the_front_page_shows_the_next_scheduled_meeting_with_its_date_place_and_link():
    en = english_client()
    assert "Next realization meeting" not in page_text(en.get("/"))
    held = meeting(days=-3)
    held.status = RealizationMeetingStatus.HELD
    held.held_at = timezone.now()
    held.save()
    later = meeting(days=40, place="서울시청 8층 다목적홀")
    sooner = meeting(days=12, place="시민청 태평홀")
    response = en.get("/")
    box = page_html(response).split('data-testid="front-meeting"', 1)[1].split("</div>", 1)[0]
    assert f'href="{sooner.get_absolute_url()}"' in box
    assert f"Realization meeting no. {sooner.number}" in box
    assert "시민청 태평홀" in box
    assert timezone.localtime(sooner.scheduled_at).strftime("%Y-%m-%d %H:%M") in box
    assert later.place not in box


def test_the_front_page_reads_korean_by_default(client):
    counted_world()
    meeting(days=5)
    text = page_text(client.get("/"))
    assert "접수된 제안" in text and "채택률" in text
    assert "다음 실현회의" in text
    assert "통계 모두 보기" in text
