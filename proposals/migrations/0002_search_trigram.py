"""Trigram index for Korean substring search on PostgreSQL. `search_text`
holds compacted text and the list filters with LIKE '%…%', which a pg_trgm
GIN index serves. SQLite (the embedded default) scans, which is fine there."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS proposal_search_trgm ON proposals_proposal "
    "USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS proposal_search_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
