"""The printable agenda as Chromium prints it: A4, a cover page and one page
per item, without the site's navigation. Debian's Chromium driven by
Playwright against the live server.

The items are as long as a real meeting's: a long Korean title, a proposal
of about 1,500 characters, a department answer in all its sections, a
published debate summary and three expert opinions. Short fixture items
would fit one page whatever the print style does. So would any item where
no Korean font is installed (Hangul then prints as narrow boxes): .ci/run
installs fonts-nanum."""

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from answers.models import Answer, AnswerStatus, Assignment
from debates.models import Debate, DebateStatus
from meetings import services
from tests.factories import DepartmentFactory, operator
from tests.pages import log_in_with_second_factor

from .helpers import external_expert, internal_expert, mayor_office, meeting, on_agenda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# PDF page objects; "/Type /Pages" (the page tree) is excluded by the look-ahead.
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")

A4_POINTS = (595.3, 841.9)  # 210 × 297 mm

TITLE = "한강 다리 보행로를 넓히고 전망 쉼터와 그늘막을 더해 시민이 걸어서 건너고 싶은 한강다리로 바꿔 주세요"

BODY = """서울에는 한강을 건너는 다리가 서른 개 가까이 있지만, 걸어서 건너고 싶은 다리는 거의 없습니다. 보행로는 폭이 1.5미터 남짓으로 좁고, 바로 옆으로 차들이 시속 60킬로미터 넘게 달리며, 소음과 매연 때문에 잠깐 서서 강을 바라보기도 어렵습니다. 자전거와 보행자가 같은 길을 쓰는 구간에서는 부딪힐 뻔한 일도 자주 생깁니다.

저는 매일 아침 마포대교를 걸어서 출근합니다. 해가 뜰 무렵 강 위에서 보는 여의도와 남산은 서울에서 가장 아름다운 풍경이지만, 그 풍경을 즐기며 걷는 사람은 손에 꼽을 정도입니다. 여름에는 그늘이 하나도 없어 한낮에는 걸을 엄두가 나지 않고, 겨울에는 강바람을 막아 줄 곳이 없습니다. 밤에는 조명이 어두운 구간이 있어 혼자 걷기가 무섭다는 이웃도 많습니다.

그래서 다음과 같이 제안합니다. 첫째, 차로 한 개를 줄이거나 교량 바깥쪽에 보행 데크를 덧대어 보행로를 3미터 이상으로 넓혀 주세요. 둘째, 다리 가운데쯤에 강을 내려다볼 수 있는 전망 쉼터를 만들고, 벤치와 그늘막, 겨울에는 바람막이를 설치해 주세요. 셋째, 보행로와 자전거도로를 색과 높이로 확실히 나누어 서로 안전하게 다닐 수 있게 해 주세요. 넷째, 밤에도 안심하고 걸을 수 있도록 보행로 조명을 밝히고 비상벨을 달아 주세요.

한 번에 모든 다리를 바꾸기는 어렵겠지만, 시민이 많이 건너는 마포대교나 잠수교부터 시범 구간을 만들고, 이용자 수와 만족도를 조사해 다른 다리로 넓혀 가면 좋겠습니다. 파리의 센 강 다리나 뉴욕의 브루클린 다리처럼, 걷는 다리는 그 자체로 도시의 명소가 됩니다. 관광객에게도 새로운 볼거리가 되고, 강 남북을 오가는 시민의 발걸음도 가벼워질 것입니다.

또한 걷는 다리가 늘어나면 짧은 거리를 자동차 대신 걸어서 이동하는 시민이 많아져 탄소 배출을 줄이는 데에도 도움이 됩니다. 다리 위 쉼터에서 작은 공연이나 사진 전시를 열면 한강을 즐기는 새로운 방법이 생길 것입니다. 설계 단계부터 시민 의견을 듣는 자리를 마련해, 실제로 다리를 건너는 사람들의 불편이 반영되었으면 합니다.

비용이 걱정된다면 단계를 나누어 추진하는 방법도 있습니다. 첫해에는 자전거도로와 보행로를 나누는 도색과 안전 펜스, 조명 개선처럼 비용이 적게 드는 일부터 하고, 이듬해에 보행 데크와 전망 쉼터를 만드는 식입니다. 기업이나 시민의 후원을 받아 벤치에 후원자의 이름이나 짧은 글귀를 새기는 방식도 생각해 볼 수 있습니다. 이렇게 하면 예산 부담을 덜면서도 시민이 다리에 애정을 갖게 될 것입니다. 다리마다 이름과 역사를 알려 주는 안내판을 두면, 걷는 길이 곧 서울의 이야기를 배우는 길이 될 것입니다. 아이들과 어르신도 쉽게 다닐 수 있도록 경사로와 쉼터 간격도 함께 살펴봐 주세요.

마지막으로, 공사 기간에도 보행자가 안전하게 다리를 건널 수 있도록 임시 보행로를 꼭 마련해 주시기 바랍니다. 한강의 다리가 차만 건너는 길이 아니라 시민이 머물고 싶은 공간이 되기를 바랍니다."""

ANSWER = {
    "summary": (
        "제안의 취지에 공감하여 마포대교를 시범 구간으로 정하고, 보행 데크 설치와 전망 쉼터 "
        "조성을 2027년 사업으로 추진하겠습니다. 차로 축소는 교통량 분석 결과를 보고 결정합니다."
    ),
    "necessity": (
        "한강 교량을 걸어서 건너는 시민은 최근 3년 사이 28% 늘었고, 보행로가 좁아 자전거와 "
        "부딪히는 사고 민원도 해마다 늘고 있습니다. 특히 출퇴근 시간대 마포대교와 잠수교의 보행량이 "
        "많아 보행 환경 개선이 시급하다고 판단합니다."
    ),
    "effectiveness": (
        "보행로를 넓히고 자전거도로를 분리하면 보행자 안전사고를 크게 줄일 수 있습니다. 전망 "
        "쉼터는 한강을 찾는 시민과 관광객에게 새로운 명소가 될 것이며, 짧은 거리를 걸어서 이동하는 "
        "시민이 늘어 탄소 배출 감축 효과도 기대됩니다."
    ),
    "feasibility": (
        "교량 구조 안전 검토 결과, 교량 바깥쪽에 경량 보행 데크를 덧대는 방식은 하중 기준을 "
        "만족합니다. 차로 한 개를 줄이는 방안은 출퇴근 시간대 교통 정체가 우려되어 교통영향 "
        "분석을 거쳐 결정하겠습니다. 공사 기간에는 임시 보행로를 확보하겠습니다."
    ),
    "estimated_budget": 4_800_000_000,
    "decision": "partially_accept",
}

DEBATE_SUMMARY = """찬성 412명, 반대 96명, 유보 57명으로 찬성 의견이 많았습니다. 찬성하는 시민들은 출퇴근길 보행 안전과 한강 경관을 즐길 기회를 가장 큰 이유로 꼽았고, 자전거와 보행자를 분리해 달라는 의견이 많았습니다.

반대하는 시민들은 차로를 줄이면 출퇴근 시간 교통 정체가 심해질 것과 수십억 원의 예산을 다른 곳에 먼저 써야 한다는 점을 들었습니다. 유보 의견 가운데에는 시범 구간을 운영해 효과를 확인한 뒤 넓히자는 제안이 많았습니다.

토론에서 모인 의견을 정리하면, 보행 데크 방식으로 차로를 줄이지 않고 보행로를 넓히는 방안과, 시범 구간부터 시작해 단계적으로 넓히는 방안에 폭넓은 공감이 있었습니다."""

OPINIONS = [
    (
        internal_expert,
        "adopt_with_conditions",
        "교량 구조 안전 진단을 먼저 하면 실현할 수 있습니다. 보행 데크는 경량 구조로 설계하고, "
        "교량 점검 주기에 맞추어 유지관리 계획을 함께 세워야 합니다. 시범 구간의 이용 실태를 1년 "
        "이상 조사한 뒤 다른 다리로 넓히기를 권합니다.",
    ),
    (
        external_expert,
        "adopt",
        "해외 도시의 사례를 보면 보행 친화적인 다리는 도시의 명소가 되고 주변 상권에도 좋은 영향을 "
        "줍니다. 전망 쉼터의 그늘막과 바람막이는 계절에 따라 쓸 수 있도록 설계하고, 야간 조명은 "
        "생태계에 주는 영향을 고려해 눈부심이 적은 방식으로 하기를 권합니다.",
    ),
    (
        external_expert,
        "further_study",
        "차로를 줄이는 방안은 교통량이 많은 시간대의 정체를 키울 수 있어 교통영향 분석이 "
        "꼭 필요합니다. 보행 데크 방식과 차로 축소 방식의 비용과 효과를 비교한 뒤, 시민 설명회를 "
        "열어 결정하기를 권합니다.",
    ),
]


def korean_font_installed() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run([fc_list, ":lang=ko", "family"], capture_output=True, text=True)
    return bool(found.stdout.strip())


HOLD_OVER_REASON = "교통영향 분석 결과를 보고 다음 회의에서 다시 논의하기로 했습니다."

# Longer than any real proposal: on paper it is condensed and, past what the
# page holds, cut above the decision box; it never adds a page.
VERY_LONG_BODY = "\n\n".join([BODY] * 3)


def add_answer_debate_and_opinions(items, experts) -> None:
    """Everything a real item holds: a published department answer in all
    its sections, a closed debate with its published summary, four experts
    asked for an opinion and three opinions."""
    now = timezone.now()
    department = DepartmentFactory(name="도시교통실 보행정책과")
    asker, late_expert = operator(), external_expert(nickname="교통공학연구원")
    for item in items:
        proposal = item.proposal
        assignment = Assignment.objects.create(
            proposal=proposal,
            department=department,
            assigned_at=now - dt.timedelta(days=60),
            deadline=now - dt.timedelta(days=30),
        )
        Answer.objects.create(
            assignment=assignment,
            status=AnswerStatus.PUBLISHED,
            submitted_at=now - dt.timedelta(days=35),
            published_at=now - dt.timedelta(days=33),
            met_deadline=True,
            **ANSWER,
        )
        Debate.objects.create(
            proposal=proposal,
            status=DebateStatus.CLOSED,
            starts_at=now - dt.timedelta(days=30),
            ends_at=now - dt.timedelta(days=16),
            closed_at=now - dt.timedelta(days=16),
            for_count=412,
            against_count=96,
            undecided_count=57,
            summary=DEBATE_SUMMARY,
            summary_published_at=now - dt.timedelta(days=15),
        )
        # Each expert was asked by the secretariat, and one more who has not
        # answered: the item prints who was asked and who answered.
        services.expert_opinion_request(
            item=item,
            experts=[expert for expert, _r, _t in experts] + [late_expert],
            due_date=timezone.localdate() + dt.timedelta(days=5),
            user=asker,
        )
        for expert, recommendation, text in experts:
            services.expert_opinion_save(
                proposal=proposal, expert=expert, text=text, recommendation=recommendation
            )


def realistic_agenda(count: int, *, held_over: bool = False, very_long: bool = False):
    """A meeting with `count` items as long as a real meeting's. With
    `held_over`, the first was held over from an earlier meeting (with its
    reason); with `very_long`, the last proposal is three times as long."""
    target = meeting(days=14, attendees_mayor="서울특별시장", attendees_experts="김교수, 이연구원")
    experts = [(make(), recommendation, text) for make, recommendation, text in OPINIONS]
    if held_over:
        earlier = meeting(days=-60)
        (first,) = on_agenda(earlier, 1, title=TITLE, body=BODY)
        services.agenda_item_decide(
            item=first, decision="held_over", reason=HOLD_OVER_REASON, user=mayor_office()
        )
        count -= 1
    on_agenda(target, count, title=TITLE, body=BODY)
    items = list(target.items.select_related("proposal").order_by("position", "id"))
    if very_long:
        last = items[-1].proposal
        last.body = VERY_LONG_BODY
        last.save(update_fields=["body"])
    add_answer_debate_and_opinions(items, experts)
    return target


def staff_browser_context(browser, live_server, user):
    """A Chromium context signed in as `user`, second factor passed (the
    admin asks for it), through the session a test client made."""
    client = log_in_with_second_factor(Client(), user)
    context = browser.new_context(locale="ko-KR")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def squeezed(text: str) -> str:
    """Text without its whitespace: a PDF's extracted text breaks lines and
    spaces where the layout did."""
    return re.sub(r"\s+", "", text)


def printed_pages(page) -> list[str]:
    """The page printed to A4 by Chromium: each page's text. Every page is A4."""
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    for sheet in reader.pages:
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert abs(width - A4_POINTS[0]) < 1.5 and abs(height - A4_POINTS[1]) < 1.5
    # The raw page objects agree with pypdf's reading of the page tree.
    assert len(PAGE_OBJECT.findall(pdf)) == len(reader.pages)
    return [squeezed(sheet.extract_text() or "") for sheet in reader.pages]


def test_the_agenda_prints_as_a_cover_and_one_a4_page_per_item(browser, live_server):
    assert korean_font_installed(), "needs a Korean font to measure: apt-get install fonts-nanum"
    target = realistic_agenda(3)
    page = browser.new_page(locale="ko-KR")
    page.goto(f"{live_server.url}{target.get_agenda_url()}")
    page.wait_for_load_state("networkidle")

    # On screen the site's header is there; in print it is not.
    assert page.locator(".site-header").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert not page.locator(".agenda-tools").is_visible()
    assert page.locator("[data-testid=agenda-item]").count() == 3
    # Everything a real item holds is printed.
    assert page.locator("[data-testid=agenda-answer]").count() == 3
    assert page.locator("[data-testid=agenda-debate]").count() == 3
    assert page.locator("[data-testid=agenda-opinions] > li").count() == 9
    # Who was asked, and the one who has not answered yet.
    assert page.locator("[data-testid=agenda-requested]").count() == 3
    assert page.locator("text=교통공학연구원").count() == 3
    assert page.locator(".agenda-choices").count() == 3  # the decision box

    pdf = page.pdf(format="A4", print_background=True)

    assert pdf.startswith(b"%PDF")
    # The cover and one page per item: an item that ran over (its decision
    # box on a page of its own) would add a page.
    assert len(PAGE_OBJECT.findall(pdf)) == 4
    boxes = re.findall(rb"/MediaBox\s*\[([^\]]+)\]", pdf)
    assert len(boxes) == 4
    for box in boxes:
        width, height = (float(n) for n in box.split()[2:])
        assert abs(width - A4_POINTS[0]) < 1.5 and abs(height - A4_POINTS[1]) < 1.5
    page.close()


# What each item's page must show, squeezed: its heading (the title's start)
# and its decision box (the tick boxes' first choice and the signature line).
TITLE_START = squeezed(TITLE[:12])
DECISION_BOX = (squeezed("☐ 채택"), squeezed("의장 서명"))


@pytest.mark.parametrize("count", [1, 2, 5])
@pytest.mark.parametrize("which", ["public", "internal"])
def test_each_agenda_prints_a_cover_and_exactly_one_page_per_item_with_its_decision_box(
    browser, live_server, role_groups, count, which
):
    assert korean_font_installed(), "needs a Korean font to measure: apt-get install fonts-nanum"
    # Given a meeting of `count` long items, the first held over from the
    # last meeting when there are several, the last longer than any real one
    target = realistic_agenda(count, held_over=count > 1, very_long=True)
    if which == "public":
        context = browser.new_context(locale="ko-KR")
        url = target.get_agenda_url()
    else:
        context = staff_browser_context(browser, live_server, operator())
        url = reverse("admin:meetings_realizationmeeting_agenda_internal", args=[target.pk])
    page = context.new_page()
    response = page.goto(live_server.url + url)
    assert response.status == 200
    page.wait_for_load_state("networkidle")

    # When it is printed to A4
    pages = printed_pages(page)

    # Then there is the cover and exactly one page per item
    assert len(pages) == 1 + count, [text[:60] for text in pages]
    with translation.override("ko"):
        assert squeezed(target.title) in pages[0]
    # and each item's page holds its heading and its decision box: no page
    # holds a decision box alone, no item's box is left off its page
    for number, text in enumerate(pages[1:], start=1):
        assert TITLE_START in text, f"page {number + 1}: {text[:80]}"
        for part in DECISION_BOX:
            assert part in text, f"page {number + 1} lacks {part}"
        # The full text is a printed address away
        assert "/proposals/" in text
    if count > 1:
        # The item held over says so, and why, on its own page
        assert squeezed("보류") in pages[1]
        assert squeezed(HOLD_OVER_REASON) in pages[1]
    if which == "internal":
        # Real names and addresses: on the internal agenda only
        author = target.items.order_by("position").first().proposal.author
        assert author.email in pages[0]
    else:
        assert "@" not in "".join(pages)
    context.close()
