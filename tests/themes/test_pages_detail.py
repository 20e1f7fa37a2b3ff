"""A theme's page: what the city asks and why, its material, period, status
and department, its proposals (paged, with their status), the proposals
picked for the theme debate with their debate's state, and the department's
final response once published. Drafts are not there for the public."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from debates import services as debate_services
from proposals import services as proposal_services
from proposals.models import Proposal
from tests.debates.helpers import open_debate
from tests.factories import UserFactory, official, operator
from tests.pages import english_client, logged_in, page_html, page_text
from themes.models import ThemeMaterial, ThemeProposal

from .page_helpers import a_theme, entered

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["anonymous", "citizen", "staff"])
def test_an_open_themes_page_says_what_is_asked_and_offers_to_propose(who):
    # Given an open theme with material and two proposals
    theme = a_theme()
    ThemeMaterial.objects.create(
        theme=theme, title="한강 이용 통계", url="https://data.seoul.go.kr/"
    )
    ThemeMaterial.objects.create(
        theme=theme, title="계획 요약", file=ContentFile(b"%PDF-1.4 plan", name="plan.pdf")
    )
    entered(theme, title="한강에서 야외 영화를")
    entered(theme, title="한강 버스킹 무대")
    client = {
        "anonymous": english_client,
        "citizen": logged_in,
        "staff": lambda: logged_in(operator()),
    }[who]()

    # When the page is read
    response = client.get(f"/themes/{theme.pk}/")

    # Then it shows the theme, why the city asks, and its facts
    assert response.status_code == 200
    text = page_text(response)
    for words in (
        theme.title,
        theme.summary,
        "What the city asks",
        "어떤 프로그램이 있으면 좋을까요?",
        "The policy behind it",
        "한강 르네상스",
        "Reference material",
        "한강 이용 통계",
        "계획 요약",
        "Department in charge Hangang Park HQ",
        "Status Taking proposals",
        "Proposals 2",
        "한강에서 야외 영화를",
        "한강 버스킹 무대",
        "Gathering endorsements",  # each proposal's status badge
    ):
        assert words in text, words
    markup = page_html(response)
    assert f'href="/themes/{theme.pk}/propose/"' in markup
    assert 'href="https://data.seoul.go.kr/"' in markup
    # and the material's file downloads
    material = theme.materials.get(title="계획 요약")
    download = client.get(f"/themes/material/{material.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"


def test_a_closed_themes_page_says_it_is_closed_and_shows_the_response_and_picks():
    # Given a closed theme whose department published its response, with
    # two proposals picked for the theme debate: one debated, one not yet
    now = timezone.now()
    theme = a_theme(
        phase="closed",
        response="좋은 제안 감사합니다. 야외 영화제를 내년 여름에 열겠습니다.",
        response_published_at=now - dt.timedelta(days=1),
        outcome="2027년 한강 야외 영화제 예산 반영",
    )
    debate = open_debate()
    ThemeProposal.objects.create(
        theme=theme, proposal=debate.proposal, picked_for_debate_at=now - dt.timedelta(days=2)
    )
    debate_services.stance_set(debate=debate, user=UserFactory(), position="for")
    waiting = entered(theme, title="한강 버스킹 무대")
    ThemeProposal.objects.filter(proposal=waiting).update(picked_for_debate_at=now)
    entered(theme, title="뽑히지 않은 제안")

    # When anyone reads its page
    response = english_client().get(f"/themes/{theme.pk}/")

    # Then it says it is closed, offers no proposing, and shows what came of it
    text = page_text(response)
    assert "This theme is closed and no longer takes proposals." in text
    assert f"/themes/{theme.pk}/propose/" not in page_html(response)
    assert "The department's final response" in text
    assert "야외 영화제를 내년 여름에 열겠습니다" in text
    assert "What came of it 2027년 한강 야외 영화제 예산 반영" in text
    # and the picks with their debate's state, in the order they were picked
    picks = text[text.index("Picked for the theme debate") : text.index("Proposals to this theme")]
    assert debate.proposal.title in picks and "Open for debate" in picks and "For 1" in picks
    assert "한강 버스킹 무대 Debate not opened yet" in picks
    assert "뽑히지 않은 제안" not in picks
    assert picks.index(debate.proposal.title) < picks.index("한강 버스킹 무대")


def test_a_response_not_yet_published_is_not_shown():
    theme = a_theme(phase="closed", response="초안입니다", outcome="초안 결과")
    text = page_text(english_client().get(f"/themes/{theme.pk}/"))
    assert "초안입니다" not in text and "초안 결과" not in text
    assert "The department's final response will be published here." in text


def test_a_draft_is_not_there_for_the_public_nor_its_material():
    draft = a_theme(phase="draft")
    material = ThemeMaterial.objects.create(
        theme=draft, title="내부 자료", file=ContentFile(b"secret", name="inside.pdf")
    )
    for client in (english_client(), logged_in()):
        assert client.get(f"/themes/{draft.pk}/").status_code == 404
        assert client.get(f"/themes/material/{material.pk}/").status_code == 404
    assert logged_in().get(f"/themes/{draft.pk}/propose/").status_code == 404
    assert english_client().get("/themes/99999999999999999999/").status_code == 404


def test_hidden_and_withdrawn_proposals_are_neither_listed_nor_counted():
    theme = a_theme()
    shown = entered(theme, title="보이는 제안")
    hidden = entered(theme, title="가려진 제안")
    withdrawn = entered(theme, title="철회한 제안")
    proposal_services.proposal_hide(proposal=hidden, user=operator(), reason="운영원칙 위반")
    proposal_services.proposal_withdraw(proposal=withdrawn, user=withdrawn.author, reason="")
    text = page_text(english_client().get(f"/themes/{theme.pk}/"))
    assert shown.title in text
    assert hidden.title not in text and withdrawn.title not in text
    # the count shown (kept by the themes' services) is what the list shows
    assert "Proposals 1" in text


def test_staff_who_see_a_draft_get_its_material_for_the_preview():
    draft = a_theme(phase="draft")
    material = ThemeMaterial.objects.create(
        theme=draft, title="내부 자료", file=ContentFile(b"draft", name="inside.pdf")
    )
    response = logged_in(operator()).get(f"/themes/material/{material.pk}/")
    assert response.status_code == 200
    # an official of another department does not
    assert logged_in(official()).get(f"/themes/material/{material.pk}/").status_code == 404


def test_the_page_runs_a_fixed_number_of_queries_and_pages_its_proposals(
    django_assert_max_num_queries,
):
    theme = a_theme()
    member = logged_in()
    counts = []
    for n in (2, 25):
        while theme.entries.count() < n:
            proposal = entered(theme, title=f"제안 {theme.entries.count()}")
            ThemeProposal.objects.filter(proposal=proposal).update(
                picked_for_debate_at=timezone.now()
            )
        with django_assert_max_num_queries(14) as captured:
            response = member.get(f"/themes/{theme.pk}/")
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    text = page_text(response)
    assert "Page 1 of 2" in text
    second = page_text(member.get(f"/themes/{theme.pk}/?page=2"))
    assert second.count("Gathering endorsements") == 5  # the last five
    assert Proposal.objects.count() == 25


def test_the_page_renders_a_draft_for_the_admins_preview():
    # The themes' admin preview renders this template with the same context
    from django.template.loader import render_to_string

    from themes.selectors import theme_page_context

    now = timezone.now()
    draft = a_theme(
        phase="draft",
        title="초안 테마",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=9),
    )
    context = theme_page_context(draft, preview=True)
    html = render_to_string(
        "themes/detail.html", {**context, "editor_url": "/admin/themes/theme/1/change/"}
    )
    text = page_text(html)
    assert "초안 테마" in text and "Preview: this is how the public will see" in text
    assert "It is a draft" in text and 'href="/admin/themes/theme/1/change/"' in html
    # it reads as it will once published: open, with its D-day and the
    # button shown as the public will see it, leading nowhere
    assert "Taking proposals D-9" in text and "Propose an idea to this theme" in text
    assert f"/themes/{draft.pk}/propose/" not in html
