"""Similar proposals (issue 16): Korean terms that survive particles and
endings, the ranking over the demo's realised examples and a corpus of
unrelated proposals, and what leaves the list (hidden, trashed, withdrawn,
merged, another institution). Runs on SQLite and on PostgreSQL (the GIN
index path): the same thresholds, the same results."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Institution
from proposals.models import Proposal, ProposalStatus
from proposals.similarity import similar_proposals, terms_of, weights
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "demo" / "data"
PLACES = {
    "{station}": "신촌역",
    "{dong}": "망원동",
    "{park}": "보라매공원",
    "{market}": "망원시장",
    "{gu}": "마포구",
}

SEEDS = {
    "bridge": "걷고 싶은 한강다리를 만들어 주세요",
    "dust": "지하철역에 미세먼지 농도 전광판을 설치해 주세요",
    "braille": "도로명주소 안내판에 점자를 넣어 주세요",
}

# Written the way another member might, with other particles and endings.
PARAPHRASES = [
    ("bridge", "한강 다리에서 걷고 싶어요", "한강다리를 걸어서 건널 수 있게 보행로를 넓혀 주세요."),
    ("bridge", "한강다리를 걸어서 건너고 싶습니다", ""),
    ("bridge", "한강 다리 보행로", "다리 위를 걷는 사람을 위한 전망 쉼터가 있으면 좋겠어요."),
    ("dust", "지하철 역마다 미세먼지 알려주는 전광판", ""),
    (
        "dust",
        "미세먼지 농도를 지하철역에서 보여 주세요",
        "역 대합실에 초미세먼지 수치를 띄우면 좋겠습니다.",
    ),
    ("braille", "점자로 된 도로명주소 안내", ""),
    (
        "braille",
        "도로명 주소판에 점자가 있으면 좋겠어요",
        "시각장애인도 건물번호를 손으로 읽을 수 있게.",
    ),
]

# Ideas on other subjects: none of them may come up for the paraphrases,
# and a query on yet another subject finds nothing.
UNRELATED_QUERIES = [
    ("반려묘 입양 센터를 늘려 주세요", "유기묘 보호소가 부족합니다."),
    ("청년 월세 지원을 확대해 주세요", ""),
    ("공공 와이파이 속도를 높여 주세요", "버스 안 와이파이가 자주 끊깁니다."),
    ("구립 수영장 강습 신청을 온라인으로", ""),
]


def _place(text: str) -> str:
    for key, value in PLACES.items():
        text = text.replace(key, value)
    return text


def _make(title: str, body: str, **kwargs) -> Proposal:
    return ProposalFactory(title=title, body=body, similarity_terms=terms_of(title, body), **kwargs)


def _realised() -> dict[str, dict]:
    return {row["title"]: row for row in json.loads((DATA / "realized.json").read_text())}


def _ideas(count: int) -> list[tuple[str, str]]:
    ideas = json.loads((DATA / "ideas.json").read_text())
    return [
        (_place(idea["titles"][0]), _place(" ".join(p[0] for p in idea["paragraphs"])))
        for idea in ideas[:count]
    ]


@pytest.fixture
def corpus():
    """The three realised seeds, the other realised proposals (two more
    about 한강, near misses) and 30 unrelated ideas."""
    made = {}
    for title, row in _realised().items():
        made[title] = _make(title, row["body"])
    unrelated = [_make(title, body) for title, body in _ideas(30)]
    return {key: made[title] for key, title in SEEDS.items()}, made, unrelated


def test_terms_keep_nouns_and_stems_whatever_the_particles():
    for text in ("한강다리를", "한강 다리에서", "한강다리"):
        assert {"한강", "다리", "한강다리"} <= set(terms_of(text, "").split()), text
    terms = weights(
        terms_of("걷고 싶은 한강다리를 만들어 주세요", "서울 시민 모두가 걸었으면 합니다.")
    )
    assert terms["걷"] == 2.0  # a stem from the title weighs double
    # Words every proposal has, endings and particles are not terms.
    for dropped in ("서울", "시민", "만들", "주", "를", "싶", "모두"):
        assert dropped not in terms


def test_terms_title_and_body_apart():
    stored = terms_of("점자 안내", "점자 안내판을 시각장애인도 읽게")
    head, _, rest = stored.partition(" / ")
    assert head.split() == ["점자", "점자안내", "안내"]
    assert "점자" not in rest.split() and "시각장애인" in rest.split()
    assert terms_of("", "") == ""
    assert terms_of("!!! ???", "...") == ""


@pytest.mark.parametrize(("seed", "title", "body"), PARAPHRASES)
def test_paraphrase_finds_the_realised_example_first(corpus, seed, title, body):
    seeds, _, unrelated = corpus
    hits = similar_proposals(title, body)
    assert hits, title
    assert hits[0].proposal == seeds[seed]
    # Unrelated proposals do not come in with it.
    assert not {hit.proposal.pk for hit in hits} & {p.pk for p in unrelated}
    assert all(0.25 <= hit.score <= 1 for hit in hits)


@pytest.mark.parametrize(("title", "body"), UNRELATED_QUERIES)
def test_other_subjects_find_nothing_or_little(corpus, title, body):
    hits = similar_proposals(title, body)
    assert len(hits) <= 1, [(h.proposal.title, h.score) for h in hits]


def test_unrelated_corpus_does_not_flood(corpus):
    """Each unrelated idea looked up with its own text: it finds itself, and
    at most one other."""
    _, _, unrelated = corpus
    others = []
    for proposal in unrelated:
        hits = similar_proposals(proposal.title, proposal.body)
        assert hits[0].proposal == proposal
        others.append(len(hits) - 1)
    assert sum(others) <= 6, others  # a handful of pairs, e.g. two 지하철 ideas


def test_hidden_trashed_withdrawn_and_excluded_leave_out(corpus):
    seeds, _, _ = corpus
    bridge = seeds["bridge"]
    query = ("한강다리를 걸어서 건너고 싶습니다", "")
    assert similar_proposals(*query)[0].proposal == bridge
    assert bridge not in [h.proposal for h in similar_proposals(*query, exclude=bridge.pk)]
    for change in (
        {"is_hidden": True},
        {"deleted_at": timezone.now()},
        {"status": ProposalStatus.WITHDRAWN, "withdrawn_at": timezone.now()},
    ):
        Proposal.objects.filter(pk=bridge.pk).update(**change)
        assert bridge not in [h.proposal for h in similar_proposals(*query)], change
        Proposal.objects.filter(pk=bridge.pk).update(
            is_hidden=False, deleted_at=None, status=ProposalStatus.OPEN, withdrawn_at=None
        )


def test_a_merged_proposal_shows_the_one_it_joined(corpus):
    seeds, _, unrelated = corpus
    target = unrelated[0]  # a proposal on another subject, to tell them apart
    Proposal.objects.filter(pk=seeds["dust"].pk).update(
        status=ProposalStatus.MERGED, merged_into=target, merged_at=timezone.now()
    )
    hits = similar_proposals("지하철 역마다 미세먼지 알려주는 전광판", "")
    shown = [hit.proposal for hit in hits]
    assert seeds["dust"] not in shown
    assert shown[0] == target and shown.count(target) == 1


def test_institution_scope():
    agency = Institution.objects.create(slug="sisul", name="서울시설공단", short_name="공단")
    city = _make("도로명주소 안내판에 점자를 넣어 주세요", "건물번호판에 점자 표기를 붙여 주세요.")
    theirs = _make(
        "도로명주소 점자 안내를 공단 시설에도",
        "건물번호판에 점자 표기를 붙여 주세요.",
        institution=agency,
    )
    query = ("점자로 된 도로명주소 안내", "")
    assert {h.proposal for h in similar_proposals(*query)} == {city, theirs}
    assert [h.proposal for h in similar_proposals(*query, institution=None)] == [city]
    assert [h.proposal for h in similar_proposals(*query, institution=agency)] == [theirs]


def test_limit_and_order():
    made = [
        _make(f"한강다리 보행로 {n}", "한강 다리를 걸어서 건너는 보행로를 넓혀 주세요.")
        for n in range(8)
    ]
    hits = similar_proposals("한강다리를 걸어서 건너고 싶습니다", "")
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert {h.proposal for h in hits} <= set(made)


def test_backfill_command_missing_and_all():
    filled = _make("지하철역 미세먼지 전광판", "")
    empty = ProposalFactory(title="도로명주소 점자 안내판", body="점자를 넣어 주세요.")
    assert empty.similarity_terms == ""
    call_command("similarity_terms", "--missing", "--batch", "1", stdout=open("/dev/null", "w"))
    empty.refresh_from_db()
    assert "점자" in empty.similarity_terms.split()
    Proposal.objects.filter(pk=filled.pk).update(similarity_terms="낡은 말")
    call_command("similarity_terms", "--missing", stdout=open("/dev/null", "w"))
    assert Proposal.objects.get(pk=filled.pk).similarity_terms == "낡은 말"
    call_command("similarity_terms", "--all", stdout=open("/dev/null", "w"))
    assert "미세먼지" in Proposal.objects.get(pk=filled.pk).similarity_terms


def test_propose_and_edit_services_have_the_worker_write_the_terms(
    django_capture_on_commit_callbacks,
):
    from proposals import services
    from tests.factories import CategoryFactory, UserFactory

    author = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.proposal_create(
            author=author,
            title="한강다리를 걷고 싶어요",
            body="보행로를 넓혀 주세요.",
            category=CategoryFactory(),
        )
    proposal.refresh_from_db()
    assert proposal.similarity_terms == "한강 한강다리 다리 걷 / 보행로 넓히"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.proposal_update(
            proposal=proposal,
            user=author,
            title="지하철역 미세먼지 전광판",
            body="농도를 알려 주세요.",
            category=proposal.category,
        )
    # Until the worker reads the new text, the old text's terms are gone.
    assert Proposal.objects.get(pk=proposal.pk).similarity_terms == ""
    for callback in queued:
        callback()
    proposal.refresh_from_db()
    assert "미세먼지" in proposal.similarity_terms and "한강" not in proposal.similarity_terms


def test_kiwi_is_loaded_once_per_process_even_by_threads_at_once(monkeypatch):
    """The analyser takes a second and 100+ MB: requests arriving together
    on a fresh process build it once, and importing the module builds none."""
    import threading
    import time

    import kiwipiepy

    from proposals import similarity

    built = []

    class SlowKiwi:
        def __init__(self, **options):
            built.append(self)
            time.sleep(0.2)

        def tokenize(self, text):
            return []

    monkeypatch.setattr(similarity, "_kiwi", None)
    monkeypatch.setattr(kiwipiepy, "Kiwi", SlowKiwi)
    got = []
    threads = [threading.Thread(target=lambda: got.append(similarity.kiwi())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert all(kiwi is built[0] for kiwi in got) and len(got) == 8
