"""The printable agenda as Chromium prints it: A4, a cover page and one page
per item, without the site's navigation. Debian's Chromium driven by
Playwright against the live server."""

import re

import pytest

from meetings import services

from .helpers import internal_expert, meeting, on_agenda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# PDF page objects; "/Type /Pages" (the page tree) is excluded by the look-ahead.
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")

A4_POINTS = (595.3, 841.9)  # 210 × 297 mm


def test_the_agenda_prints_as_a_cover_and_one_a4_page_per_item(browser, live_server):
    target = meeting(days=14, attendees_mayor="서울특별시장", attendees_experts="김교수, 이연구원")
    items = on_agenda(target, 3)
    services.expert_opinion_save(
        proposal=items[0].proposal,
        expert=internal_expert(),
        text="구조 안전 진단을 먼저 하면 실현할 수 있습니다.",
        recommendation="adopt_with_conditions",
    )
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

    pdf = page.pdf(format="A4", print_background=True)

    assert pdf.startswith(b"%PDF")
    assert len(PAGE_OBJECT.findall(pdf)) == 4  # the cover and one page per item
    boxes = re.findall(rb"/MediaBox\s*\[([^\]]+)\]", pdf)
    assert len(boxes) == 4
    for box in boxes:
        width, height = (float(n) for n in box.split()[2:])
        assert abs(width - A4_POINTS[0]) < 1.5 and abs(height - A4_POINTS[1]) < 1.5
    page.close()
