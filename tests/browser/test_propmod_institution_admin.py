"""A partner institution's administrator moderates and merges their
institution's proposals in Chromium (issue 16), at a desktop's width (1280
px) and a phone's (390 px): from the staff home's waiting reports to the
comments list, where they hide a reported comment with a reason; then, from a
proposal's admin page, they find the duplicate it repeats (only their
institution's are offered) and merge it. No refusal under the Content
Security Policy, no WCAG 2.1 A/AA violation (axe), no sideways scrolling on a
phone; what they did is stored."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from proposals.models import (
    CarryState,
    Comment,
    Endorsement,
    EndorsementCarry,
    Proposal,
    ProposalStatus,
    Report,
    ReportReason,
)
from tests.browser.axe import axe_violations
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    DepartmentFactory,
    ProposalFactory,
    UserFactory,
)
from tests.institutions.orgadmin_world import institution, institution_admin
from tests.pages import log_in_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _signed_in(browser, live_server, user, viewport):
    """A Korean browser context signed in as `user` with their second factor
    passed, recording CSP refusals."""
    client = log_in_with_second_factor(Client(), user)
    context = browser.new_context(locale="ko-KR", viewport=viewport)
    context.add_init_script(RECORD_VIOLATIONS)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context, context.new_page()


def _checked(page, label, viewport) -> list[str]:
    # The page's own refusals, read before axe injects its script
    found = [f"{label}: CSP {v}" for v in page.evaluate("window.__cspViolations")]
    found += [f"{label}: {line}" for line in axe_violations(page)]
    if viewport is PHONE and page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"
    ):
        found.append(f"{label}: scrolls sideways on a phone")
    return found


def _owner(key, of, *, titles):
    department = DepartmentFactory(code=f"d-{key}", name=f"{key} 시설팀", institution=of)
    category = CategoryFactory(
        code=f"c-{key}", name=f"{key} 도로 시설", default_department=department, institution=of
    )
    return [ProposalFactory(title=title, category=category, institution=of) for title in titles]


@pytest.fixture
def world(role_groups):
    own = institution("A", name="서울시설공단", short_name="시설공단")
    source, target = _owner(
        "A",
        own,
        titles=["시설공단: 보도블록 교체해 주세요", "시설공단: 보도블록을 새로 깔아 주세요"],
    )
    # The same words in the city's and another institution's proposals: never offered
    (city,) = _owner("city", None, titles=["서울시: 보도블록 교체해 주세요"])
    (theirs,) = _owner(
        "B", institution("B", name="서울교통공사"), titles=["교통공사: 보도블록 교체"]
    )
    member = UserFactory(display_name="이추천")
    Endorsement.objects.create(proposal=source, user=member)
    Proposal.objects.filter(pk=source.pk).update(endorsement_count=1)
    spam = CommentFactory(proposal=target, body="싼 대출 광고입니다 http://example.com")
    Report.objects.create(reporter=UserFactory(), comment=spam, reason=ReportReason.SPAM)
    return {
        "admin": institution_admin(own, display_name="김관리"),
        "source": source,
        "target": target,
        "others": [city, theirs],
        "spam": spam,
        "member": member,
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_institution_admin_hides_a_reported_comment_and_merges_a_duplicate(
    browser, live_server, world, viewport
):
    url = live_server.url
    source, target, spam = world["source"], world["target"], world["spam"]
    found = []
    context, page = _signed_in(browser, live_server, world["admin"], viewport)

    # The staff home lists the report waiting on their institution's proposal
    page.goto(url + reverse("admin:index"))
    assert "우리 기관 제안에 들어온 신고" in page.inner_text("body")
    assert target.title in page.inner_text("body")
    found += _checked(page, "staff home", viewport)

    # The comments list: select the reported comment, hide it with a reason
    page.goto(url + reverse("admin:proposals_comment_changelist"))
    found += _checked(page, "comments list", viewport)
    page.check(f"input[name=_selected_action][value='{spam.pk}']")
    page.select_option("select[name=action]", "hide_comments")
    page.click("button[name=index]")
    page.wait_for_selector("textarea[name=reason]")
    found += _checked(page, "hide comments: reason", viewport)
    page.fill("textarea[name=reason]", "상업 광고는 운영 원칙에 어긋나요")
    page.click("#content-main input[type=submit]")
    page.wait_for_load_state()
    assert "댓글 1건을 숨겼어요." in page.inner_text(".messagelist")
    spam = Comment.objects.get(pk=spam.pk)
    assert (spam.is_hidden, spam.hidden_reason) == (True, "상업 광고는 운영 원칙에 어긋나요")
    assert Report.objects.get(comment=spam).resolved_at is not None

    # The proposal's admin page → the merge screen → search → preview → merge
    page.goto(url + reverse("admin:proposals_proposal_change", args=[source.pk]))
    page.click("text=다른 제안에 합치기")
    page.wait_for_selector("#merge-form")
    found += _checked(page, "merge screen", viewport)
    page.fill("input[name=q]", "보도블록")
    page.click(".merge-find input[type=submit]")
    page.wait_for_selector(".merge-candidates")
    offered = page.inner_text(".merge-candidates")
    assert target.title in offered
    for other in world["others"]:
        assert other.title not in offered
    page.click(f"a[href='?target={target.pk}']")
    page.wait_for_selector(".merge-consequences")
    found += _checked(page, "merge preview", viewport)
    page.fill("textarea[name=reason]", "같은 보도블록 제안입니다")
    page.click("#merge-form input[type=submit]")
    page.wait_for_load_state()
    found += _checked(page, "after the merge", viewport)
    context.close()

    source.refresh_from_db()
    assert (source.status, source.merged_into_id) == (ProposalStatus.MERGED, target.pk)
    carry = EndorsementCarry.objects.get(member=world["member"])
    assert carry.state == CarryState.ASKED
    for other in world["others"]:
        other.refresh_from_db()
        assert other.status == ProposalStatus.OPEN
    assert found == [], "\n".join(found)
