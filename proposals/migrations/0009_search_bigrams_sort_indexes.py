"""Search by bigrams instead of trigrams, and one index per public list sort.

pg_trgm cannot serve a word of two syllables (한강, 주말: most Korean nouns),
so every such search read the whole table. The GIN index below holds the
bigrams of `search_text` (proposals/text.py explains the design; the SQL
function here is the database half of it). `search_text` keeps its meaning
(compacted title, body and tags), so existing rows need no rewrite: the index
is built from them. The trigram index goes: nothing queries it any more.

The sort indexes cover the rows not in the trash (what the public list,
the home page and the admin read) and carry is_hidden, so the public list
counts from the index alone."""

from django.db import migrations, models

BIGRAMS = """
CREATE OR REPLACE FUNCTION proposal_bigrams(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
-- Told expensive, so the planner reads the index rather than computing it
-- row by row while walking another index (seconds for a common word).
COST 10000 AS $$
    -- Every two-character slice of the text, and its last character followed
    -- by a space, as lexemes taken verbatim (no parser, no stemming): the
    -- pairs starting at odd positions, then those at even ones. Two regular
    -- expression passes are linear in the text; substr() per position is
    -- quadratic on multibyte text (5 ms for a 470-character proposal).
    SELECT array_to_tsvector(ARRAY(
        SELECT m[1] FROM regexp_matches(t || ' ', '..', 'g') AS m
        UNION ALL
        SELECT m[1] FROM regexp_matches(substr(t || ' ', 2), '..', 'g') AS m
    ))
$$
"""

CREATE = [
    BIGRAMS,
    "CREATE INDEX IF NOT EXISTS proposal_search_bigrams ON proposals_proposal "
    "USING gin (proposal_bigrams(search_text))",
    "DROP INDEX IF EXISTS proposal_search_trgm",
]
DROP = [
    "DROP INDEX IF EXISTS proposal_search_bigrams",
    "DROP FUNCTION IF EXISTS proposal_bigrams(text)",
    "CREATE INDEX IF NOT EXISTS proposal_search_trgm ON proposals_proposal "
    "USING gin (search_text gin_trgm_ops)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('proposals', '0008_endorsement_pending'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveIndex(
            model_name='proposal',
            name='proposal_status_created',
        ),
        migrations.RemoveIndex(
            model_name='proposal',
            name='proposal_endorsements',
        ),
        migrations.RemoveIndex(
            model_name='proposal',
            name='proposal_comments',
        ),
        migrations.RemoveIndex(
            model_name='proposal',
            name='proposal_views',
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True)), fields=['-created_at', '-id'], include=('is_hidden',), name='proposal_new'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True)), fields=['status', '-created_at', '-id'], include=('is_hidden',), name='proposal_status_new'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True)), fields=['-endorsement_count', '-id'], include=('is_hidden',), name='proposal_endorsed'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True)), fields=['-comment_count', '-id'], include=('is_hidden',), name='proposal_commented'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True)), fields=['-view_count', '-id'], include=('is_hidden',), name='proposal_viewed'),
        ),
    ]
