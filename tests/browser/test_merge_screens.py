"""Merging duplicates in Chromium (issue 16), at a phone's width (390 px) and
a desktop's (1280 px): the operator finds the target, reads what will
happen and merges; the member, on the merged proposal's page, carries their
endorsement over with one click. No refusal under the Content Security
Policy, no WCAG 2.1 A/AA violation (axe), no sideways scrolling on a phone."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from proposals.models import CarryState, Endorsement, EndorsementCarry, Proposal, ProposalStatus
from tests.browser.axe import axe_violations
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.factories import ProposalFactory, UserFactory, operator
from tests.pages import log_in_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _signed_in(browser, live_server, user, viewport):
    """A Korean browser context signed in as `user` (staff with their second
    factor passed), recording CSP refusals."""
    client = log_in_with_second_factor(Client(), user) if user.is_staff else Client()
    if not user.is_staff:
        client.force_login(user)
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


def _no_sideways_scrolling(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )


def _checked(page, label, viewport) -> list[str]:
    # The page's own refusals, read before axe injects its script
    found = [f"{label}: CSP {v}" for v in page.evaluate("window.__cspViolations")]
    found += [f"{label}: {line}" for line in axe_violations(page)]
    if viewport is PHONE and not _no_sideways_scrolling(page):
        found.append(f"{label}: scrolls sideways on a phone")
    return found


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_operator_merges_and_the_member_carries_over(
    browser, live_server, role_groups, viewport
):
    member = UserFactory(display_name="이공감")
    source = ProposalFactory(title="걷고 싶은 한강다리", status=ProposalStatus.ASSIGNED)
    Endorsement.objects.create(proposal=source, user=member)
    Proposal.objects.filter(pk=source.pk).update(endorsement_count=1)
    target = ProposalFactory(title="한강 다리 보행로 넓히기")
    found = []

    # The operator: the proposal's admin page → the merge screen → search → preview → merge
    context, page = _signed_in(browser, live_server, operator(), viewport)
    page.goto(live_server.url + reverse("admin:proposals_proposal_change", args=[source.pk]))
    page.click("text=다른 제안에 합치기")
    page.wait_for_selector("#merge-form")
    found += _checked(page, "merge screen", viewport)
    page.fill("input[name=q]", "보행로")
    page.click(".merge-find input[type=submit]")
    page.click(f"a[href='?target={target.pk}']")
    page.wait_for_selector(".merge-consequences")
    assert "부서 답변 대기" in page.inner_text(".merge-consequences")
    found += _checked(page, "merge preview", viewport)
    page.fill("textarea[name=reason]", "같은 내용의 제안입니다")
    page.click("#merge-form input[type=submit]")
    page.wait_for_load_state()
    source.refresh_from_db()
    assert source.status == ProposalStatus.MERGED and source.merged_into_id == target.pk
    context.close()

    # The member: the merged proposal's page asks; one click carries
    context, page = _signed_in(browser, live_server, member, viewport)
    page.goto(live_server.url + source.get_absolute_url())
    assert f"#{target.pk}에 합쳐졌습니다" in page.inner_text("#merged")
    found += _checked(page, "merged page", viewport)
    page.click("button[value=carry]")
    page.wait_for_load_state()
    assert page.url.startswith(live_server.url + target.get_absolute_url())
    found += _checked(page, "target page", viewport)
    carry = EndorsementCarry.objects.get(member=member)
    assert carry.state == CarryState.CARRIED
    target.refresh_from_db()
    assert target.endorsement_count == 1
    context.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_members_requests_on_their_page(browser, live_server, role_groups, viewport):
    from proposals import merging

    member = UserFactory()
    source = ProposalFactory()
    Endorsement.objects.create(proposal=source, user=member)
    merging.proposal_merge(actor=operator(), source=source, target=ProposalFactory(), reason="중복")
    context, page = _signed_in(browser, live_server, member, viewport)
    page.goto(live_server.url + reverse("me"))
    page.wait_for_selector("#carries")
    found = _checked(page, "/me/", viewport)
    page.click("#carries button[value=decline]")
    page.wait_for_load_state()
    assert EndorsementCarry.objects.get(member=member).state == CarryState.DECLINED
    context.close()
    assert found == [], "\n".join(found)
