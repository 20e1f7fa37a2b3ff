"""Text helpers shared by services, filters and templates, and the one
definition of what proposal search indexes.

Search, stated once:
- `Proposal.search_text` holds `search_text_of(title, body, tags)`: the text
  lower-cased with all whitespace removed, so "한강다리" finds "한강 다리를…".
  Whoever writes a proposal (the services, the migration for old rows, the
  benchmark's bulk generator) writes that column and nothing else.
- On PostgreSQL a GIN index holds `proposal_bigrams(search_text)`, an
  IMMUTABLE SQL function (proposals/migrations/0008_search_bigrams.py) giving
  every two-character slice of the text, plus the last character followed by
  a space, as tsvector lexemes. The database computes it on every insert and
  update, so no writer has to.
- A query is split on whitespace into words; a proposal matches when it
  contains every word (`search_words`). Each word becomes lexemes
  (`word_lexemes`): its bigrams that do not overlap must be present, or, for
  a one-character word, some bigram must start with it. For words of one or
  two characters that is exactly "the word occurs"; every word is also
  checked with LIKE,
  which proves a longer word is there in one piece and lets the planner
  skip the costly bigrams on rows that fail it (proposals/search.py). Trigrams (pg_trgm) could not serve a
  two-syllable word such as 한강, which is most Korean nouns.
- SQLite (the embedded default) scans with LIKE per word."""

import re

_WHITESPACE = re.compile(r"\s+")

# At most this many words, each cut to this many characters: a query is a
# few words, never a paragraph, and each word costs an index probe.
MAX_SEARCH_WORDS = 5
MAX_WORD_LENGTH = 50


def compact(text: str) -> str:
    """Lower-case and drop all whitespace: Korean is often spaced differently
    from one writer to the next (한강다리 / 한강 다리), so search compares
    compacted text."""
    return _WHITESPACE.sub("", text or "").lower()


def search_text_of(title: str, body: str, tag_names=()) -> str:
    """What `Proposal.search_text` must hold for a proposal with this title,
    body and tags."""
    return compact(" ".join([title, body, *tag_names]))


def search_words(query: str) -> list[str]:
    """The words of a search box, each compacted, duplicates dropped, at most
    MAX_SEARCH_WORDS of MAX_WORD_LENGTH characters."""
    words = dict.fromkeys(compact(part)[:MAX_WORD_LENGTH] for part in (query or "").split())
    return [word for word in words if word][:MAX_SEARCH_WORDS]


def bigrams(text: str) -> list[str]:
    """The Python twin of the SQL `proposal_bigrams` (without the trailing
    space lexeme): every two-character slice, in order, distinct."""
    return list(dict.fromkeys(text[i : i + 2] for i in range(len(text) - 1)))


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def word_lexemes(word: str) -> str:
    """A tsquery (the literal `::tsquery` reads, lexemes verbatim) that holds
    for text whose bigrams could contain `word`: its bigrams that do not
    overlap (도서관 → 도서; 어린이놀이터 → 어린 & 이놀 & 이터), or for one
    character a bigram starting with it (the text's last character is
    indexed followed by a space, so it is found too).

    Not every bigram: overlapping ones always occur together (a text with
    도서관 has both 도서 and 서관), but PostgreSQL estimates `a & b` as if
    they were independent, so it took a common word for a rare one, chose
    the search index over the sort's and sorted tens of thousands of rows
    (144 ms for "도서관 주말" at full scale). The LIKE beside it proves the
    whole word anyway."""
    if len(word) == 1:
        return _quoted(word) + ":*"
    return " & ".join(_quoted(word[i : i + 2]) for i in range(0, len(word) - 1, 2))


def normalise_tags(raw: str) -> list[str]:
    """'#한강, 다리  산책' → ['한강', '다리', '산책'] (unique, order kept)."""
    seen: dict[str, None] = {}
    for part in re.split(r"[,\s]+", raw or ""):
        name = part.strip().lstrip("#")[:30]
        if name:
            seen.setdefault(name, None)
    return list(seen)
