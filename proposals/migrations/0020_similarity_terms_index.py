"""The GIN index that finds similar proposals on PostgreSQL: the very
expression proposals/similarity.py queries, to_tsvector('simple',
similarity_terms) (the 'simple' configuration: the terms are already Kiwi's
nouns and stems, nothing to stem again). SQLite has no such index; the
fallback there scans with LIKE. Rows written before issue 16 get their terms
from `manage.py similarity_terms --missing`."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS proposal_similarity_terms ON proposals_proposal "
    "USING gin (to_tsvector('simple'::regconfig, similarity_terms))"
)
DROP = "DROP INDEX IF EXISTS proposal_similarity_terms"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("proposals", "0019_institutions_merges_similarity"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
