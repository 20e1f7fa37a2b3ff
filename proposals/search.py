"""Proposal search as a queryset filter, shared by the public list and the
admin. What is indexed and why is told once, in proposals/text.py."""

from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.functions import Cast

from .text import search_words, word_lexemes


class _Bigrams(Func):
    """proposal_bigrams(search_text): the very expression the GIN index holds,
    so PostgreSQL can answer `@@` from the index."""

    function = "proposal_bigrams"
    output_field = SearchVectorField()


class _Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def search_condition(query: str) -> Q | None:
    """The condition "the proposal's text contains every word of `query`"
    (whitespace-separated, spacing inside a word ignored, any order,
    anywhere), or None for a query without words."""
    words = search_words(query)
    if not words:
        return None
    if connection.vendor != "postgresql":
        return Q.create([("search_text__contains", word) for word in words])
    # One tsquery for all the words: one index probe, and the function computed
    # at most once a row when the planner walks a sort index instead.
    lexemes = " & ".join(word_lexemes(word) for word in words)
    # Every word is also checked with LIKE. It proves a word longer than two
    # characters is there in one piece (its bigrams do not), and it is cheap:
    # when the planner walks a sort index instead of the search index (a
    # common word), PostgreSQL evaluates the cheap LIKEs first and computes
    # the costly bigrams only for rows that passed them.
    return Q(
        _Matches(_Bigrams(F("search_text")), Cast(Value(lexemes), output_field=SearchQueryField()))
    ) & Q.create([("search_text__contains", word) for word in words])


def search_proposals(queryset: QuerySet, query: str) -> QuerySet:
    """The proposals of `queryset` whose text contains every word of `query`;
    an empty query leaves the queryset as it is."""
    condition = search_condition(query)
    return queryset if condition is None else queryset.filter(condition)
