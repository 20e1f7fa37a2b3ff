"""Similar proposals while typing when the worker takes its time (issue 16:
Kiwi reads only in the worker). The server first answers 202 ("still
looking"); the script asks the same URL again until the list is there, in
Chromium at 390 and 1280 px, with the Content Security Policy refusing
nothing and axe-core finding no violation. A search that never comes back
(broker down) leaves the region empty and the form usable."""

import threading

import pytest
from django.db import connection

from proposals import tasks
from proposals.similarity import terms_of
from tests.browser.test_amendments import DESKTOP, PHONE, _check
from tests.browser.test_mileage_pages import _page
from tests.factories import ProposalFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _make(title, body=""):
    return ProposalFactory(title=title, body=body, similarity_terms=terms_of(title, body))


def _slow_worker(monkeypatch, seconds, asked):
    """`similar_query.delay` runs the task in a thread `seconds` later, as
    a busy worker would."""

    def run(*args):
        try:
            tasks.similar_query(*args)
        finally:
            connection.close()

    def delay(*args):
        asked.append(args)
        threading.Timer(seconds, run, args).start()

    monkeypatch.setattr(tasks.similar_query, "delay", delay)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_list_appears_once_the_worker_has_looked(browser, live_server, monkeypatch, viewport):
    bridge = _make(
        "걷고 싶은 한강다리를 만들어 주세요",
        "한강을 걸어서 건너고 싶은 다리로 만들어 주세요. 보행로를 넓히고 전망 쉼터를 두면 좋겠습니다.",
    )
    asked = []
    _slow_worker(monkeypatch, 1.2, asked)
    context, page = _page(browser, live_server, UserFactory(), viewport)
    answers = []
    page.on(
        "response",
        lambda r: answers.append(r.status) if "/proposals/similar/" in r.url else None,
    )
    found = _check(page, live_server, "/proposals/new/")

    page.fill("#id_title", "한강 다리에서 걷고 싶어요")
    region = page.locator("#similar-proposals")
    region.locator(f'a[href="/proposals/{bridge.pk}/"]').wait_for(timeout=10_000)
    assert "비슷한 제안이 있어요" in region.inner_text()
    # Asked once; the script polled through 202s until the 200.
    assert len(asked) == 1
    assert answers[0] == 202 and answers[-1] == 200 and set(answers) == {200, 202}
    found += [f"typed: CSP {v}" for v in page.evaluate("window.__cspViolations")]
    from tests.browser.axe import axe_violations

    found += [f"typed: {line}" for line in axe_violations(page)]
    context.close()
    assert found == []


def test_a_search_that_never_comes_back_leaves_the_form_quiet(browser, live_server, monkeypatch):
    _make("걷고 싶은 한강다리를 만들어 주세요", "한강을 걸어서 건너고 싶은 다리로 만들어 주세요.")

    def lost(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.similar_query, "delay", lost)
    context, page = _page(browser, live_server, UserFactory(), DESKTOP)
    answers = []
    page.on(
        "response",
        lambda r: answers.append(r.status) if "/proposals/similar/" in r.url else None,
    )
    _check(page, live_server, "/proposals/new/")
    page.fill("#id_title", "한강 다리에서 걷고 싶어요")
    # The script gives up after about eight seconds of 202s.
    page.wait_for_timeout(10_000)
    assert answers and set(answers) == {202}
    assert len(answers) <= 22
    assert page.locator("#similar-proposals").inner_text().strip() == ""
    assert page.locator("#id_title").is_editable()
    context.close()
