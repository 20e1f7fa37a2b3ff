"""Kiwi never loads in a web process (issue 16): a Kiwi costs 320-510 MB
and a web worker is held to 200 MiB. The propose and edit forms, the
proposal page and the "similar while typing" fragment only queue work; the
worker reads the text (proposals/tasks.py). Here the tasks go to a broker
as in production (not run inside the request) while any use of Kiwi in the
request fails the test; then the queued tasks run as the worker would."""

import pytest
from celery import current_app
from celery.signals import after_task_publish
from django.conf import settings as django_settings
from django.core.cache import caches

from proposals import similarity, tasks
from proposals.models import Proposal
from proposals.similarity import NOTHING_FOUND, terms_of
from tests.factories import CategoryFactory, ProposalFactory, UserFactory
from tests.pages import flash, form_fields, logged_in

pytestmark = pytest.mark.django_db

SIMILAR = "/proposals/similar/"
TYPED = {"title": "지하철 역마다 미세먼지 알려주는 전광판", "body": ""}


def _make(title, body=""):
    return ProposalFactory(title=title, body=body, similarity_terms=terms_of(title, body))


@pytest.fixture
def dust():
    return _make(
        "지하철역에 미세먼지 농도 전광판을 설치해 주세요",
        "지하철역 출입구와 대합실에 실시간 미세먼지 농도를 보여 주는 전광판을 설치하면 좋겠습니다.",
    )


@pytest.fixture
def sent(settings, task_queue):
    """Tasks go to the broker (this test's own queue), not run inline; the
    list of (task name, args) published."""
    published = []

    def record(sender=None, headers=None, body=None, **kwargs):
        published.append((headers["task"], tuple(body[0])))

    settings.CELERY_TASK_ALWAYS_EAGER = False
    current_app.conf.task_always_eager = False
    after_task_publish.connect(record, weak=False)
    yield published
    after_task_publish.disconnect(record)


@pytest.fixture
def no_kiwi(monkeypatch):
    """Any use of Kiwi fails (as the web process must never load it)."""
    real = similarity.kiwi

    def refuse():
        raise AssertionError("Kiwi was loaded in a web request")

    monkeypatch.setattr(similarity, "kiwi", refuse)
    return real


def _run(published, name):
    """Run the published tasks of this name as the worker would."""
    found = [args for task, args in published if task == name]
    for args in found:
        current_app.tasks[name](*args)
    return found


def test_no_web_request_reads_with_kiwi_the_worker_does(
    dust, sent, no_kiwi, monkeypatch, django_capture_on_commit_callbacks
):
    # Given a member on the proposal form, Kiwi refused to the web
    member = UserFactory()
    browser = logged_in(member, csrf_checks=True)
    page = browser.get("/proposals/new/")
    assert page.status_code == 200

    # When they type: the first ask is "still looking" and queues one search
    first = browser.get(SIMILAR, TYPED)
    assert first.status_code == 202 and first.content == b""
    assert "no-store" in first["Cache-Control"] or "max-age=0" in first["Cache-Control"]
    # the script's next polls find it still looking, and queue nothing more
    assert browser.get(SIMILAR, TYPED).status_code == 202
    searches = [args for task, args in sent if task == "proposals.tasks.similar_query"]
    assert len(searches) == 1

    # And when they send the form as rendered
    fields = form_fields(page)
    fields.update(
        title="미세먼지 농도를 지하철역에서 보여 주세요",
        body="역 대합실에 초미세먼지 수치를 띄우면 좋겠습니다.",
        category=str(CategoryFactory().pk),
        district="mapo",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/proposals/new/", fields)
    proposal = Proposal.objects.exclude(pk=dust.pk).get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    # Then it is saved without terms, and the worker is asked for them
    assert proposal.similarity_terms == ""
    assert ("proposals.tasks.write_similarity_terms", (proposal.pk,)) in sent
    # and its page shows, without a similar box yet (and nothing cached)
    shown = browser.get(proposal.get_absolute_url())
    assert shown.status_code == 200
    assert "similar-box" not in shown.content.decode()
    assert flash(shown) == ["Your proposal is published. Thank you!"]  # nothing delayed

    # When the worker runs what was queued (with Kiwi)
    monkeypatch.setattr(similarity, "kiwi", no_kiwi)
    _run(sent, "proposals.tasks.write_similarity_terms")
    _run(sent, "proposals.tasks.similar_query")
    expected = terms_of(proposal.title, proposal.body)
    monkeypatch.setattr(similarity, "kiwi", lambda: pytest.fail("Kiwi in a web request"))

    # Then the terms are stored, the typing list is there at the next poll
    proposal.refresh_from_db()
    assert proposal.similarity_terms == expected != ""
    found = browser.get(SIMILAR, TYPED)
    assert found.status_code == 200
    assert f'href="/proposals/{dust.pk}/"' in found.content.decode()
    assert "max-age=60" in found["Cache-Control"]
    # and the proposal's page shows its twin
    page = browser.get(proposal.get_absolute_url()).content.decode()
    assert "similar-box" in page and f'href="/proposals/{dust.pk}/"' in page


@pytest.fixture
def bridge():
    return _make("한강다리를 걷고 싶어요", "보행로를 넓혀 주세요.")


def test_editing_asks_the_worker_again(bridge, sent, no_kiwi, django_capture_on_commit_callbacks):
    proposal, author = bridge, bridge.author
    browser = logged_in(author, csrf_checks=True)
    page = browser.get(f"/proposals/{proposal.pk}/edit/")
    assert page.status_code == 200
    fields = form_fields(page)
    fields.update(title="지하철역 미세먼지 전광판", body="농도를 알려 주세요.")
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"/proposals/{proposal.pk}/edit/", fields)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "지하철역 미세먼지 전광판"
    assert proposal.similarity_terms == ""  # the old text's terms are gone
    assert sent == [("proposals.tasks.write_similarity_terms", (proposal.pk,))]


def test_typing_while_the_broker_is_down_shows_nothing_and_fails_nothing(
    dust, sent, no_kiwi, monkeypatch
):
    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.similar_query, "delay", refuse)
    browser = logged_in(UserFactory())
    response = browser.get(SIMILAR, TYPED)
    assert response.status_code == 202 and response.content == b""
    # The form's next page says nothing of a delay: nothing saved waits.
    assert flash(browser.get("/proposals/new/")) == []


# --- the polling flow under eager Celery (tests, the embedded demo) --------------


def test_eager_first_ask_answers_the_list_at_once(client, dust):
    response = client.get(SIMILAR, TYPED)
    assert response.status_code == 200
    assert f'href="/proposals/{dust.pk}/"' in response.content.decode()


def test_a_lost_search_is_asked_again_after_a_while(dust, sent, no_kiwi):
    browser = logged_in(UserFactory())
    assert browser.get(SIMILAR, TYPED).status_code == 202
    assert browser.get(SIMILAR, TYPED).status_code == 202
    assert len(sent) == 1
    # The claim lasts ASKED_SECONDS: past it (the task was lost), asked again.
    key = sent[0][1][0]
    caches["shared"].delete(key + ":asked")
    assert browser.get(SIMILAR, TYPED).status_code == 202
    assert len(sent) == 2 and sent[1][1] == sent[0][1]


def test_only_new_searches_count_against_the_rate_limit(dust, sent, no_kiwi, settings):
    settings.OASIS_RATE_LIMITS = {"similar": {"user": "600/h", "ip": "2/h"}}
    browser = logged_in(UserFactory())
    queries = (TYPED, TYPED, TYPED, {"title": "다른 제안 하나"}, {"title": "또 다른 제안"})
    codes = [browser.get(SIMILAR, query).status_code for query in queries]
    assert codes == [202, 202, 202, 202, 429]


# --- the worker's terms: never stale --------------------------------------------


def _propose(author, title, body):
    from proposals import services

    return services.proposal_create(
        author=author, title=title, body=body, category=CategoryFactory()
    )


def test_a_late_task_from_an_older_edit_writes_the_newest_terms(
    django_capture_on_commit_callbacks,
):
    from proposals import services

    author = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        proposal = _propose(author, "한강다리를 걷고 싶어요", "보행로를 넓혀 주세요.")
    with django_capture_on_commit_callbacks(execute=False):
        services.proposal_update(
            proposal=proposal,
            user=author,
            title="지하철역 미세먼지 전광판",
            body="농도를 알려 주세요.",
            category=proposal.category,
        )
    newest = terms_of("지하철역 미세먼지 전광판", "농도를 알려 주세요.")
    # The edit's task runs first, the creation's late: the newest text stays.
    assert tasks.write_similarity_terms(proposal.pk) is True
    assert Proposal.objects.get(pk=proposal.pk).similarity_terms == newest
    assert tasks.write_similarity_terms(proposal.pk) is False  # nothing changed
    assert Proposal.objects.get(pk=proposal.pk).similarity_terms == newest


def test_an_edit_while_the_worker_reads_is_read_again(monkeypatch):
    proposal = ProposalFactory(title="한강다리를 걷고 싶어요", body="보행로를 넓혀 주세요.")
    read = similarity.stored_terms
    calls = []

    def read_while_edited(title, body):
        calls.append(title)
        if len(calls) == 1:
            # The member's edit commits while Kiwi reads the old text.
            Proposal.objects.filter(pk=proposal.pk).update(
                title="지하철역 미세먼지 전광판", body="농도를 알려 주세요."
            )
        return read(title, body)

    monkeypatch.setattr(similarity, "stored_terms", read_while_edited)
    assert similarity.terms_refresh(proposal.pk) is True
    assert calls == ["한강다리를 걷고 싶어요", "지하철역 미세먼지 전광판"]
    assert Proposal.objects.get(pk=proposal.pk).similarity_terms == terms_of(
        "지하철역 미세먼지 전광판", "농도를 알려 주세요."
    )


def test_a_task_for_a_deleted_row_does_nothing():
    assert tasks.write_similarity_terms(987654) is False


# --- the beat's sweep --------------------------------------------------------------


def test_the_sweep_fills_rows_left_without_terms_in_small_batches(monkeypatch):
    monkeypatch.setattr(similarity, "MISSING_BATCH", 2)
    rows = [
        ProposalFactory(title=f"지하철역 미세먼지 전광판 {n}", body="농도를 알려 주세요.")
        for n in range(3)
    ]
    blank = ProposalFactory(title="!!! ???", body="...")
    done = _make("도로명주소 점자 안내판", "")
    assert all(p.similarity_terms == "" for p in rows)
    assert tasks.fill_missing_similarity_terms() == 2  # newest first: blank, rows[2]
    assert Proposal.objects.get(pk=blank.pk).similarity_terms == NOTHING_FOUND
    assert tasks.fill_missing_similarity_terms() == 2
    assert tasks.fill_missing_similarity_terms() == 0  # idempotent; blank not read again
    for p in rows:
        p.refresh_from_db()
        assert "미세먼지" in p.similarity_terms.split()
    assert Proposal.objects.get(pk=done.pk).similarity_terms == terms_of(done.title, "")
    # A text without terms finds nothing and breaks nothing.
    assert similarity.similar_proposals("", terms=NOTHING_FOUND) == []
    assert similarity.weights(NOTHING_FOUND) == {}
    entries = {e["task"]: e for e in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["proposals.tasks.fill_missing_similarity_terms"]["schedule"] <= 300


# --- the worker loads Kiwi before it forks -----------------------------------------


class _Worker:
    def __init__(self, pool_cls):
        self.pool_cls = pool_cls


@pytest.mark.parametrize(
    ("pool", "preloads"),
    [("prefork", True), ("solo", False), ("threads", False), (None, True)],
)
def test_the_worker_preloads_kiwi_before_its_pool_forks(monkeypatch, pool, preloads):
    from celery import concurrency

    loaded = []
    monkeypatch.setattr(similarity, "kiwi", lambda: loaded.append(1))
    sender = _Worker(pool if pool is None else concurrency.get_implementation(pool))
    tasks.preload_kiwi(sender=sender)
    assert loaded == ([1] if preloads else [])


def test_kiwi_is_built_without_the_typo_and_multi_word_dictionaries(monkeypatch):
    import kiwipiepy

    built = []

    class RecordingKiwi:
        def __init__(self, **options):
            built.append(options)

        def tokenize(self, text):
            return []

    monkeypatch.setattr(similarity, "_kiwi", None)
    monkeypatch.setattr(kiwipiepy, "Kiwi", RecordingKiwi)
    similarity.kiwi()
    assert built == [{"load_typo_dict": False, "load_multi_dict": False}]
