"""The demo's proposals, planned: about 200 proposals with endorsements,
comments, views and a few withdrawals, the realized examples first.

The texts are data (demo/data/places.json, realized.json, ideas.json,
phrases.json); the functions here turn them into specs and touch no
database. The specs are drawn with a fixed random seed, so every run plans
exactly the same world, which is what makes `seed_demo` idempotent (it keys
proposals by title and author) and `--proposals N` a prefix of the full set.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, replace

from accounts.districts import District
from proposals.models import PipelineSettings

from .datafiles import read
from .members import (
    CITIZEN2_EMAIL,
    CITIZEN_EMAIL,
    DEMO_SEED,
    EXPERT2_EMAIL,
    EXPERT_EMAIL,
    PANEL_EMAIL,
    all_members,
    demo_email,
    generated_members,
)

PROPOSAL_COUNT = 210

# --- places --------------------------------------------------------------------

# district → (Korean name, neighbourhoods, subway stations, parks/streams, markets).
# The text never puts a particle that depends on the final consonant (은/는,
# 이/가, 을/를) after a place, so any place fits any sentence.
PLACES: dict[
    str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
] = {
    code: (
        place["name"],
        tuple(place["neighbourhoods"]),
        tuple(place["stations"]),
        tuple(place["parks"]),
        tuple(place["markets"]),
    )
    for code, place in read("places").items()
}


def district_name(code: str) -> str:
    return PLACES[code][0] if code in PLACES else ""


# --- the realized examples (PRODUCT.md) ------------------------------------------


@dataclass(frozen=True)
class Realized:
    title: str
    category: str
    district: str
    tags: tuple[str, ...]
    author: str  # e-mail
    body: str
    comments: tuple[str, ...]


REALIZED: tuple[Realized, ...] = tuple(
    Realized(
        **{
            **row,
            "tags": tuple(row["tags"]),
            "author": demo_email(row["author"]),
            "comments": tuple(row["comments"]),
        }
    )
    for row in read("realized")
)
REALIZED_TITLES: tuple[str, ...] = tuple(r.title for r in REALIZED)
# How old the realized examples are (days): the oldest proposals of the demo.
REALIZED_DAYS_AGO = (330, 420)

# --- idea templates for the other proposals -----------------------------------------

D, C = "district", "city"


@dataclass(frozen=True)
class Idea:
    """One kind of citizen suggestion. `scope` is "district" (placeholders
    {gu} {dong} {station} {park} {market} are filled from one district) or
    "city" (no district). `paragraphs` lists alternatives per paragraph."""

    key: str
    category: str
    scope: str
    tags: tuple[str, ...]
    titles: tuple[str, ...]
    paragraphs: tuple[tuple[str, ...], ...]


IDEAS: tuple[Idea, ...] = tuple(
    Idea(
        key=row["key"],
        category=row["category"],
        scope=row["scope"],
        tags=tuple(row["tags"]),
        titles=tuple(row["titles"]),
        paragraphs=tuple(tuple(alternatives) for alternatives in row["paragraphs"]),
    )
    for row in read("ideas")
)

# --- openings, closings, comments --------------------------------------------------

_PHRASES = read("phrases")
# Opening lines that vary who is writing; closing lines that vary the ending.
DISTRICT_OPENINGS: tuple[str, ...] = tuple(_PHRASES["district_openings"])
CITY_OPENINGS: tuple[str, ...] = tuple(_PHRASES["city_openings"])
CLOSINGS: tuple[str, ...] = tuple(_PHRASES["closings"])
SUPPORT_COMMENTS: tuple[str, ...] = tuple(_PHRASES["support_comments"])
DEBATE_COMMENTS: tuple[str, ...] = tuple(_PHRASES["debate_comments"])
PANEL_COMMENTS: tuple[str, ...] = tuple(_PHRASES["panel_comments"])
EXPERT_COMMENTS: tuple[str, ...] = tuple(_PHRASES["expert_comments"])
AUTHOR_REPLIES: tuple[str, ...] = tuple(_PHRASES["author_replies"])
# Officials' comments, by official; they carry the department badge.
OFFICIAL_COMMENTS: dict[str, tuple[str, ...]] = {
    demo_email(local): tuple(texts) for local, texts in _PHRASES["official_comments"].items()
}
OFFICIAL_FOR_CATEGORY: dict[str, str] = {
    category: demo_email(local) for category, local in _PHRASES["official_for_category"].items()
}
WITHDRAW_REASONS: tuple[str, ...] = tuple(_PHRASES["withdraw_reasons"])

# The default answer bar (PipelineSettings.answer_threshold): a proposal
# below it is never assigned to a department.
ANSWER_BAR: int = PipelineSettings._meta.get_field("answer_threshold").default

# --- the plan ------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentSpec:
    author: str  # e-mail
    body: str
    at: float  # 0..1 between the proposal's creation and now


@dataclass(frozen=True)
class ProposalSpec:
    title: str
    body: str
    category: str  # category code
    district: str
    tags: tuple[str, ...]
    author: str  # e-mail
    days_ago: int
    minute_of_day: int
    endorsers: tuple[str, ...]
    endorsed_at: tuple[float, ...]  # 0..1, one per endorser
    comments: tuple[CommentSpec, ...] = ()
    views: int = 0
    withdraw_reason: str = ""
    withdrawn_at: float = 0.0  # 0..1, when withdraw_reason is set
    realized: bool = False
    idea: str = ""  # the Idea.key it was written from


class _Fill(dict):
    def __missing__(self, key):
        raise KeyError(f"unknown placeholder {{{key}}} in demo text")


def _context(district: str, rng: random.Random) -> dict[str, str]:
    gu, dongs, stations, parks, markets = PLACES[district]
    return _Fill(
        gu=gu,
        dong=rng.choice(dongs),
        station=rng.choice(stations),
        park=rng.choice(parks),
        market=rng.choice(markets),
    )


def _endorsement_count(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.30:
        return rng.randint(0, 4)
    if roll < 0.62:
        return rng.randint(5, 14)
    if roll < 0.84:
        return rng.randint(15, 30)
    if roll < 0.96:
        return rng.randint(31, 60)
    return rng.randint(61, 75)


def _minute_of_day(rng: random.Random) -> int:
    hour = rng.choice((7, 8, 9, 10, 11, 12, 12, 13, 14, 15, 16, 18, 20, 21, 21, 22, 22, 23))
    return hour * 60 + rng.randint(0, 59)


def _fractions(rng: random.Random, n: int, skew: float = 2.0) -> tuple[float, ...]:
    """Moments between a proposal's creation and now; early moments are more
    likely (a proposal gathers most support while it is new)."""
    return tuple(sorted(0.002 + 0.99 * rng.random() ** skew for _ in range(n)))


def _comments(rng, *, category, author, endorsements, pool, own=()) -> tuple[CommentSpec, ...]:
    """Up to eight comments: hand-written ones first (for the realized
    examples), then a mix of support and debate by ordinary members, now and
    then the panel, an expert, the department's official, or the author."""
    if own:
        count = min(8, len(own) + rng.randint(1, 2))
    else:
        count = rng.choice((0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6))
        if endorsements > 25:
            count = min(8, count + rng.randint(1, 3))
    texts: list[tuple[str, str]] = []
    commenters = [e for e in pool if e != author]
    rng.shuffle(commenters)
    for body in own[:count]:
        texts.append((commenters.pop(), body))
    generic = list(SUPPORT_COMMENTS + DEBATE_COMMENTS)
    rng.shuffle(generic)
    while len(texts) < count:
        roll = rng.random()
        official = OFFICIAL_FOR_CATEGORY.get(category)
        if official and roll < 0.18 and all(a != official for a, _ in texts):
            texts.append((official, rng.choice(OFFICIAL_COMMENTS[official])))
        elif roll < 0.26 and all(a != PANEL_EMAIL for a, _ in texts) and author != PANEL_EMAIL:
            texts.append((PANEL_EMAIL, rng.choice(PANEL_COMMENTS)))
        elif (
            roll < 0.31
            and endorsements > 20
            and all(a not in (EXPERT_EMAIL, EXPERT2_EMAIL) for a, _ in texts)
        ):
            texts.append((rng.choice((EXPERT_EMAIL, EXPERT2_EMAIL)), rng.choice(EXPERT_COMMENTS)))
        elif roll < 0.38 and texts and all(a != author for a, _ in texts):
            texts.append((author, rng.choice(AUTHOR_REPLIES)))
        else:
            texts.append((commenters.pop(), generic.pop()))
    moments = _fractions(rng, len(texts), skew=1.5)
    if endorsements < ANSWER_BAR:
        # Never assigned, so no department speaks on it: a member's comment
        # instead (drawing nothing from rng, so the rest of the plan stays).
        texts = [
            (commenters.pop(), generic.pop()) if a in OFFICIAL_COMMENTS else (a, b)
            for a, b in texts
        ]
    return tuple(
        CommentSpec(author=a, body=b, at=t) for (a, b), t in zip(texts, moments, strict=True)
    )


def _weighted_authors(rng: random.Random) -> tuple[list[str], list[int]]:
    members = [m.email for m in generated_members()]
    weights = [rng.choice((1, 1, 1, 2, 2, 3, 5)) for _ in members]
    return [CITIZEN_EMAIL, CITIZEN2_EMAIL, PANEL_EMAIL, *members], [9, 6, 4, *weights]


def _body(idea: Idea, ctx: dict, rng: random.Random) -> str:
    parts = [rng.choice(alternatives) for alternatives in idea.paragraphs]
    if rng.random() < 0.55:
        opening = rng.choice(DISTRICT_OPENINGS if idea.scope == D else CITY_OPENINGS)
        # A short opening line either stands alone or starts the first paragraph.
        if rng.random() < 0.5:
            parts.insert(0, opening)
        else:
            parts[0] = f"{opening} {parts[0]}"
    if rng.random() < 0.5:
        parts.append(rng.choice(CLOSINGS))
    return "\n\n".join(p.format_map(ctx) for p in parts)


@functools.cache
def proposal_specs(count: int = PROPOSAL_COUNT) -> tuple[ProposalSpec, ...]:
    """The demo proposals, realized examples first. Deterministic: the same
    call always returns the same specs, and a smaller count is a prefix."""
    if count != PROPOSAL_COUNT:
        return proposal_specs(PROPOSAL_COUNT)[:count]
    rng = random.Random(DEMO_SEED)  # nosec B311  # reproducible demo plan, not a secret
    member_by_email = {m.email: m for m in all_members()}
    # Members who endorse and comment: ordinary members plus the demo citizens
    # and panel (staff do not endorse here).
    crowd = [CITIZEN_EMAIL, CITIZEN2_EMAIL, PANEL_EMAIL, *(m.email for m in generated_members())]
    authors, author_weights = _weighted_authors(rng)
    specs: list[ProposalSpec] = []
    seen_titles: set[str] = set()

    def endorsers_for(author: str, n: int) -> tuple[str, ...]:
        candidates = [e for e in crowd if e != author]
        return tuple(rng.sample(candidates, min(n, len(candidates))))

    for realized in REALIZED:
        n = rng.randint(62, 80)
        endorsers = endorsers_for(realized.author, n)
        specs.append(
            ProposalSpec(
                title=realized.title,
                body=realized.body,
                category=realized.category,
                district=realized.district,
                tags=realized.tags,
                author=realized.author,
                # Eleven to fourteen months old, so the first realization
                # meeting (about nine months ago) can adopt them and their
                # cards have most of a year of history. Drawn as before and
                # rescaled, so the rest of the plan stays the same.
                days_ago=REALIZED_DAYS_AGO[0]
                + (rng.randint(150, 350) - 150)
                * (REALIZED_DAYS_AGO[1] - REALIZED_DAYS_AGO[0])
                // 200,
                minute_of_day=_minute_of_day(rng),
                endorsers=endorsers,
                endorsed_at=_fractions(rng, len(endorsers)),
                comments=_comments(
                    rng,
                    category=realized.category,
                    author=realized.author,
                    endorsements=len(endorsers),
                    pool=crowd,
                    own=realized.comments,
                ),
                views=rng.randint(600, 950),
                realized=True,
            )
        )
        seen_titles.add(realized.title)

    # Every idea once, then district ideas again in other districts (three
    # uses at most, so no sentence is everywhere) and city ideas under their
    # second title, until the count is reached.
    district_codes = [d.value for d in District]
    used_pairs: set[tuple[str, str]] = set()
    uses: dict[str, int] = {}
    queue = list(IDEAS)
    rng.shuffle(queue)
    extra = [i for i in IDEAS if i.scope == D] * 2 + [i for i in IDEAS if i.scope == C]
    rng.shuffle(extra)
    queue += extra

    for idea in queue:
        if len(specs) >= PROPOSAL_COUNT:
            break
        use = uses.get(idea.key, 0)
        if idea.scope == C and use >= len(idea.titles):
            continue
        author = rng.choices(authors, weights=author_weights)[0]
        if idea.scope == D:
            home = member_by_email[author].district
            choices = [d for d in district_codes if (idea.key, d) not in used_pairs]
            district = (
                home if home and rng.random() < 0.6 and home in choices else rng.choice(choices)
            )
            used_pairs.add((idea.key, district))
            ctx = _context(district, rng)
        else:
            district, ctx = "", _Fill()
        title = idea.titles[use % len(idea.titles)].format_map(ctx)
        if title in seen_titles:
            continue
        uses[idea.key] = use + 1
        seen_titles.add(title)
        tags = list(rng.sample(idea.tags, rng.randint(1, min(3, len(idea.tags)))))
        if district and rng.random() < 0.3:
            tags.append(district_name(district))
        n = _endorsement_count(rng)
        endorsers = endorsers_for(author, n)
        specs.append(
            ProposalSpec(
                title=title,
                body=_body(idea, ctx, rng),
                category=idea.category,
                district=district,
                tags=tuple(tags),
                author=author,
                days_ago=rng.randint(0, 360),
                minute_of_day=_minute_of_day(rng),
                endorsers=endorsers,
                endorsed_at=_fractions(rng, len(endorsers)),
                comments=_comments(
                    rng, category=idea.category, author=author, endorsements=n, pool=crowd
                ),
                views=n * rng.randint(2, 5) + rng.randint(3, 45),
                idea=idea.key,
            )
        )

    # A few proposers withdrew (only ones with little support; the realized
    # examples never).
    candidates = [i for i, s in enumerate(specs) if not s.realized and len(s.endorsers) < 12]
    for number, index in enumerate(sorted(rng.sample(candidates, 7))):
        spec = specs[index]
        last = max([*spec.endorsed_at, *(c.at for c in spec.comments), 0.05])
        specs[index] = replace(
            spec,
            withdraw_reason=WITHDRAW_REASONS[number % len(WITHDRAW_REASONS)],
            withdrawn_at=min(0.998, last + rng.uniform(0.01, 0.2)),
        )
    return tuple(specs)
