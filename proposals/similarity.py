"""Similar proposals ("find before you propose", issue 16), stated once.

Terms: `terms_of(title, body)` reads the text with Kiwi (kiwipiepy, a Korean
morphological analyser that ships its model) and keeps what carries the
meaning: nouns (NNG, NNP), foreign words (SL), roots (XR) and verb and
adjective stems (VV, VA), so that 한강다리를, 한강 다리에서 and 한강다리 all
give 한강 다리, and two nouns side by side also count as one compound
(한강다리), so a shared phrase weighs more than its words apart; one-syllable
nouns (역, 길) count only inside a compound. Words every proposal has (제안, 서울, 시민, 하다, 주다…) are
dropped. The stored form is "<title terms> / <body terms>": the body part
leaves out what the title already has, and title terms weigh double.
`Proposal.similarity_terms` holds it; the services write it with the title
and body, `terms_of_many` serves bulk writers, and
`manage.py similarity_terms --all|--missing` fills old rows.

Ranking: `similar_proposals(title, body, ...)` scores candidates in Python
by the cosine of the two weighted term sets, the same on every database,
and keeps those sharing MIN_SHARED terms and scoring at or above
SCORE_FLOOR. Only the way candidates are found differs: PostgreSQL asks the
GIN index over the stored `to_tsvector('simple', similarity_terms)`
(migration 0020) for rows sharing two of the query's first QUERY_TERMS
terms (title terms first, then the longest), the best CANDIDATES by
`ts_rank_cd`; SQLite, the embedded default, takes the newest CANDIDATES rows
containing one of its first eight. A query of a title and a few lines has
fewer terms than that, and a corpus smaller than CANDIDATES is read whole,
so on the test corpus both find the same rows. On 100,000 proposals
(PostgreSQL, two busy CPUs) a search took 4-290 ms, most under 70 ms.

Kiwi never loads in a web process (issue 16): one instance costs 320-510 MB
resident and 1-5 s to load, and a web worker is held to 200 MiB. The web
only queues work for the Celery worker, which reads with Kiwi:
- terms: the propose and edit services queue `write_similarity_terms`
  (proposals/tasks.py, `terms_refresh` here), which writes the terms of the
  row's current title and body; the beat's `fill_missing_similarity_terms`
  catches rows left empty (broker down);
- while typing: the fragment view (similar_views.py) looks for its query's
  result in the cache and, on a miss, queues `similar_query` once
  (`typing_search` here) and answers 202; the script asks again.
The worker loads Kiwi in its parent before the prefork pool forks
(`preload_kiwi`, on celery's worker_init): the children share its pages
copy-on-write (about 2 MB private each) instead of loading one each.
Without the typo and multi-word dictionaries (KIWI_OPTIONS) Kiwi takes
~320 MB instead of ~510 MB and loads faster; on the demo corpus (172 titles
and bodies) and the tests' paraphrases the terms are the same either way.
Bulk writers (the backfill command, the demo, the benchmark) analyse in
their own process with `terms_of_many`."""

import hashlib
import math
import re
import threading
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import BooleanField, FloatField, Func, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.translation import get_language

from .models import Proposal, ProposalStatus


def _shared():
    """The cache the worker and the web both read (settings: CACHES
    "shared"): the typing results the worker writes, and the lists kept
    with them."""
    return caches["shared"]

_kiwi = None
_kiwi_lock = threading.Lock()
# The typo dictionary (common misspellings, net-speak endings) and the
# multi-word one (WikiData proper names) cost ~190 MB and change no term of
# the demo corpus or the tests' paraphrases (measured for issue 16).
KIWI_OPTIONS = {"load_typo_dict": False, "load_multi_dict": False}


def kiwi_loaded() -> bool:
    """Whether this process has built its Kiwi (tests: never a web one)."""
    return _kiwi is not None


def kiwi():
    """The process's Kiwi, loaded once (thread-safe double-checked)."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi  # heavy: only when first needed

                loaded = Kiwi(**KIWI_OPTIONS)
                # Kiwi builds more on its first read (a second or more): done
                # here, under the lock, so no request pays it halfway.
                loaded.tokenize("서울")
                _kiwi = loaded
    return _kiwi


_KEPT_TAGS = {"NNG", "NNP", "SL", "XR", "VV", "VA"}

# Words nearly every proposal has, or that say nothing of its subject. Kept
# short on purpose: a word dropped here can never make two proposals meet.
STOPWORDS = frozenset(
    """
    제안 서울 서울시 시민 시 생각 의견 부탁 필요 문제 경우 요청 방안 개선 방법 우리 사람
    정말 지금 현재 사용 이용 관련 대한 위해 때문 정도 부분 내용 정책 사업 추진 검토 마련
    도움 가능 불편 해결 늘리 설치 확대 운영 제공 강화 모두 누구 이번 그냥 항상 최근 많이 하루 오늘 주변 지역 곳곳
    하 되 있 없 주 보 같 좋 많 싶 않 들 알 받 나 오 가 말 쓰 만들 바라 드리 살
    """.split()
)

MAX_TERMS = 60  # per part: a long body adds little after its first nouns
MAX_INPUT = 5000  # characters read of a title or body


def _normal(form: str, tag: str) -> str:
    # No space inside a term: the stored form is space-separated.
    word = "".join(unicodedata.normalize("NFC", form).lower().split())
    if tag == "SL":
        return word if len(word) >= 2 else ""
    return word


_NOUN_TAGS = {"NNG", "NNP"}


def _terms(text: str) -> list[str]:
    if not text or not text.strip():
        return []
    seen: dict[str, None] = {}
    previous = None  # the noun just before, for compounds
    for token in kiwi().tokenize(text[:MAX_INPUT]):
        tag = token.tag.split("-", 1)[0]  # VV-I, VA-R: irregular stems
        if tag not in _KEPT_TAGS:
            previous = None
            continue
        word = _normal(token.form, tag)
        if not word or not re.search(r"\w", word):
            previous = None
            continue
        if tag in _NOUN_TAGS:
            # Two nouns side by side, spaced or not, also count as one
            # compound (지하철 역 → 지하철역, 한강 다리 → 한강다리): a shared
            # compound says more than its two parts apart.
            if previous is not None and token.start - previous.end <= 1:
                if previous.word not in STOPWORDS and word not in STOPWORDS:
                    seen.setdefault(previous.word + word)
            previous = _Noun(word, token.start + token.len)
            # One-syllable nouns (역, 길, 판) are too ambiguous on their own;
            # they count only inside a compound.
            if len(word) < 2:
                continue
        else:
            previous = None
        if word in STOPWORDS:
            continue
        seen.setdefault(word)
        if len(seen) >= MAX_TERMS:
            break
    return list(seen)


@dataclass
class _Noun:
    word: str
    end: int


def terms_of(title: str, body: str) -> str:
    """What `Proposal.similarity_terms` holds for this title and body."""
    head = _terms(title)
    rest = [t for t in _terms(body) if t not in set(head)]
    return " ".join(head) + " / " + " ".join(rest) if (head or rest) else ""


def terms_of_many(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """`terms_of` for many (title, body) pairs, for bulk writers (the
    benchmark, the backfill)."""
    return [terms_of(title, body) for title, body in pairs]


def weights(stored: str) -> dict[str, float]:
    """Term → weight from a stored terms string: title terms 2, body 1."""
    head, _, rest = (stored or "").partition(" / ")
    result = dict.fromkeys(rest.split(), 1.0)
    result.update(dict.fromkeys(head.split(), 2.0))
    return result


def score(query: dict[str, float], other: dict[str, float]) -> float:
    """The cosine of two weighted term sets, 0…1."""
    shared = query.keys() & other.keys()
    if not shared:
        return 0.0
    dot = sum(query[t] * other[t] for t in shared)
    norm = math.sqrt(sum(w * w for w in query.values()) * sum(w * w for w in other.values()))
    return dot / norm if norm else 0.0


# Below this a hit is noise: texts that share a common word or two. Chosen on
# the demo corpus (tests/proposals/test_similar.py holds it to paraphrases
# found and unrelated proposals left out).
SCORE_FLOOR = 0.25
# And at least this many terms in common (one shared word is a coincidence).
MIN_SHARED = 2
CANDIDATES = 200
# The query's terms asked of the database, at most (title terms first).
QUERY_TERMS = 12
# Statuses never shown (a merged proposal is not shown either: the one it
# joined is, see similar_proposals).
LEFT_OUT = (ProposalStatus.WITHDRAWN,)


class _TsRankCd(Func):
    function = "ts_rank_cd"
    output_field = FloatField()


class _Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _vector():
    # The stored tsvector of the terms (migration 0020: a generated column
    # the database keeps, not a Django field) and its GIN index.
    return RawSQL('"proposals_proposal"."similarity_vector"', [])


def _quoted(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _candidate_ids(query: dict[str, float], queryset) -> list[tuple[int, str, int | None]]:
    # Longest first, title terms before body terms: a cheap stand-in for
    # "rarest first" when the database cannot tell.
    ordered = sorted(query, key=lambda t: (-query[t], -len(t), t))[:QUERY_TERMS]
    if not ordered:
        return []
    fields = ("pk", "similarity_terms", "merged_into_id")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQueryField

        # Rows sharing at least two of the terms (MIN_SHARED, as the score
        # asks): an OR of pairs, which the GIN index answers by itself. A
        # plain OR of the terms matched every row with one common word
        # (15,000 of 100,000) and ranking them cost 0.9 s.
        if len(ordered) < MIN_SHARED:
            return []
        pairs = " | ".join(
            f"({_quoted(a)} & {_quoted(b)})"
            for i, a in enumerate(ordered)
            for b in ordered[i + 1 :]
        )
        # Ranked by the plain OR of the terms: ts_rank_cd over the pairs
        # themselves cost five times as much (1 s for 2,400 rows).
        any_term = " | ".join(_quoted(t) for t in ordered)
        return list(
            queryset.filter(_Matches(_vector(), Cast(Value(pairs), SearchQueryField())))
            .annotate(rank=_TsRankCd(_vector(), Cast(Value(any_term), SearchQueryField())))
            .order_by("-rank", "-pk")
            .values_list(*fields)[:CANDIDATES]
        )
    probe = [t for t in ordered if len(t) >= 2][:8] or ordered[:8]
    return list(
        queryset.filter(
            Q.create([("similarity_terms__contains", t) for t in probe], connector=Q.OR)
        )
        .order_by("-pk")
        .values_list(*fields)[:CANDIDATES]
    )


@dataclass
class SimilarHit:
    proposal: Proposal
    score: float
    # What the department answered, when the answers floor says
    # (register_answer_reader): (decision label, summary line) or None.
    answer: tuple[str, str] | None = field(default=None)


# The answers floor sits above this one: it registers a reader giving, for
# proposal ids, {id: (decision label, summary)} of their published answers.
_answer_readers: list[Callable[[Sequence[int]], dict]] = []


def register_answer_reader(reader: Callable[[Sequence[int]], dict]) -> None:
    if reader not in _answer_readers:
        _answer_readers.append(reader)


_ALL = object()


def similar_proposals(
    title: str,
    body: str = "",
    *,
    exclude: int | None = None,
    institution=_ALL,
    limit: int = 5,
    terms: str | None = None,
) -> list[SimilarHit]:
    """The public proposals most like this title and body, best first, at
    most `limit`, each at or above SCORE_FLOOR. `exclude`: a proposal's id
    to leave out (the page's own). `institution`: only proposals addressed
    to it (None: to the city); left out, all. `terms`: a stored terms string
    to compare instead of reading title and body again.

    A merged proposal stands for the one it joined: that one is shown (once,
    with the better score), unless it is `exclude` or not public."""
    query = weights(terms if terms is not None else terms_of(title, body))
    if not query:
        return []
    queryset = Proposal.objects.public().exclude(status__in=LEFT_OUT)
    if institution is not _ALL:
        queryset = queryset.filter(institution=institution)
    best: dict[int, float] = {}
    shown_for_merged: list[tuple[int, float]] = []
    for pk, stored, merged_into in _candidate_ids(query, queryset):
        if pk == exclude:
            continue
        other = weights(stored)
        if len(query.keys() & other.keys()) < MIN_SHARED:
            continue
        value = score(query, other)
        if value < SCORE_FLOOR:
            continue
        if merged_into is not None:
            shown_for_merged.append((merged_into, value))
            continue
        best[pk] = max(best.get(pk, 0.0), value)
    for target, value in shown_for_merged:
        if target != exclude:
            best[target] = max(best.get(target, 0.0), value)
    ranked = sorted(best.items(), key=lambda item: (-item[1], -item[0]))
    if not ranked:
        return []
    # Merged targets were not checked yet: public, not withdrawn.
    wanted = [pk for pk, _ in ranked[: limit * 2]]
    rows = {
        p.pk: p
        for p in queryset.filter(pk__in=wanted)
        .exclude(status=ProposalStatus.MERGED)
        .select_related("department", "institution")
    }
    hits = [SimilarHit(rows[pk], value) for pk, value in ranked if pk in rows][:limit]
    answered = [hit.proposal.pk for hit in hits]
    for reader in _answer_readers:
        found = reader(answered)
        for hit in hits:
            hit.answer = found.get(hit.proposal.pk, hit.answer)
    return hits


# A proposal's similar list, as the page box and the admin show it, is kept
# this long (it moves only when proposals are written, and a few minutes'
# lag there costs nothing), per reader's language (the answer's decision
# label is written in it).
CACHE_SECONDS = 300


# Cached lists are keyed by a generation that changes whenever a proposal
# stops or starts standing (hidden, trashed, withdrawn, shown again): a
# hidden proposal leaves every cached list at once, not minutes later.
_GENERATION = "similar:generation"


def generation() -> str:
    """The cached lists' generation (one cache read)."""
    value = _shared().get(_GENERATION)
    if value is None:
        value = uuid.uuid4().hex
        _shared().add(_GENERATION, value, None)
        value = _shared().get(_GENERATION) or value
    return value


def forget_similar_lists() -> None:
    _shared().set(_GENERATION, uuid.uuid4().hex, None)


def standing_changed_received(sender, proposal, stands, **kwargs) -> None:
    """proposals.signals.standing_changed (connected in apps.py): after the
    change commits, every cached list is dropped."""
    transaction.on_commit(forget_similar_lists)


def _cache_key(pk: int, gen: str | None = None) -> str:
    return f"similar:v1:{gen or generation()}:{pk}:{get_language() or 'ko'}"


def _stored(hits: list[SimilarHit]) -> list[dict]:
    return [
        {
            "pk": hit.proposal.pk,
            "title": hit.proposal.title,
            "status": hit.proposal.status,
            "endorsement_count": hit.proposal.endorsement_count,
            "institution": hit.proposal.institution.short_label if hit.proposal.institution else "",
            "score": round(hit.score, 3),
            "answer": hit.answer,
        }
        for hit in hits
    ]


def similar_to_proposal(proposal: Proposal, *, compute: bool = True) -> list[dict] | None:
    """The similar list of a stored proposal, from its stored terms, among
    proposals addressed to the same city or institution; cached
    CACHE_SECONDS. With compute=False, None when not cached."""
    if not proposal.similarity_terms:
        # Not read yet (the worker writes the terms after the proposal is
        # saved): nothing to compare, and nothing kept, so the list appears
        # as soon as the terms do.
        return []
    key = _cache_key(proposal.pk)
    found = _shared().get(key)
    if found is not None or not compute:
        return found
    hits = similar_proposals(
        "",
        terms=proposal.similarity_terms,
        exclude=proposal.pk,
        institution=proposal.institution_id,
    )
    found = _stored(hits)
    _shared().set(key, found, CACHE_SECONDS)
    return found


def similar_cached_many(pks: Sequence[int]) -> dict[int, list[dict]]:
    """The cached similar lists of these proposals (those cached)."""
    gen = generation()
    keys = {_cache_key(pk, gen): pk for pk in pks}
    return {keys[key]: value for key, value in _shared().get_many(list(keys)).items()}


# --- the worker's side ---------------------------------------------------------

# What a row whose text gives no term at all ("!!! ???") stores once read, so
# the sweep of rows without terms does not read it again every time. Read as
# no term at all (`weights`), and never a term itself.
NOTHING_FOUND = " / "


def stored_terms(title: str, body: str) -> str:
    """What a writer stores: the terms, or NOTHING_FOUND."""
    return terms_of(title, body) or NOTHING_FOUND


def terms_refresh(proposal_id: int) -> bool:
    """Write the terms of the proposal's current title and body (the worker's
    task after a propose or an edit, and the sweep); True when they changed.

    Idempotent, and never stale: it reads the row's text, not the text it was
    queued for, so a task from an older edit that runs late writes the newest
    text's terms. Kiwi reads outside the row lock (a long body takes it tens
    of milliseconds); under the lock the text is read again, and if an edit
    came in between, read once more."""
    for attempt in range(3):
        text = Proposal.objects.filter(pk=proposal_id).values_list("title", "body").first()
        if text is None:
            return False
        terms = stored_terms(*text)
        with transaction.atomic():
            locked = (
                Proposal.objects.select_for_update()
                .only("title", "body", "similarity_terms")
                .filter(pk=proposal_id)
                .first()
            )
            if locked is None:
                return False
            if (locked.title, locked.body) != text:
                if attempt < 2:
                    continue  # edited meanwhile: read the new text
                terms = stored_terms(locked.title, locked.body)
            if locked.similarity_terms == terms:
                return False
            locked.similarity_terms = terms
            locked.save(update_fields=["similarity_terms"])
            return True
    return False


# Rows the sweep reads a run: small, so a run stays short beside the other
# tasks; every few minutes (CELERY_BEAT_SCHEDULE), so a backlog left by a
# broker outage drains within the hour without holding the worker.
MISSING_BATCH = 50


def terms_fill_missing(limit: int | None = None) -> int:
    """Write the terms of up to `limit` rows that have none (their task was
    never queued: broker down; or a bulk writer left them), newest first, as
    new proposals are the ones members are about to meet. Idempotent."""
    pks = list(
        Proposal.objects.filter(similarity_terms="")
        .order_by("-pk")
        .values_list("pk", flat=True)[: limit or MISSING_BATCH]
    )
    return sum(terms_refresh(pk) for pk in pks)


# A typing query's result is kept this long (members typing the same words
# meet the same answer), and a query is asked of the worker at most once per
# ASKED_SECONDS: a lost task (broker down, worker gone) is asked again when
# the script polls after that.
TYPING_SECONDS = 60
ASKED_SECONDS = 10


def typing_key(title: str, body: str, language: str) -> str:
    """The cache key of a typing query's result. With the lists' generation,
    so a hidden proposal leaves at once; with the language, as the answers'
    decision labels are written in it."""
    digest = hashlib.sha256("\x00".join((generation(), language, title, body)).encode()).hexdigest()
    return f"similar:typing:v2:{digest}"


def typing_result(key: str) -> list[dict] | None:
    return _shared().get(key)


def typing_asked(key: str) -> bool:
    """Claim the query for this request: True for the one that should queue
    it (cache.add is atomic), False when another asked within ASKED_SECONDS."""
    return _shared().add(key + ":asked", 1, ASKED_SECONDS)


def typing_forget_asked(key: str) -> None:
    _shared().delete(key + ":asked")


def typing_search(key: str, title: str, body: str, language: str) -> list[dict]:
    """The worker's part of a typing query: read the text with Kiwi, find
    the similar proposals and keep the rows under `key` for TYPING_SECONDS.
    Idempotent."""
    with translation.override(language):
        rows = _stored(similar_proposals(title, body))
        # Decision labels as plain text in the asker's language.
        for row in rows:
            if row["answer"]:
                row["answer"] = tuple(str(part) for part in row["answer"])
    _shared().set(key, rows, TYPING_SECONDS)
    return rows
