"""One consistent view of the database for a long read.

A report or a bulk file reads many tables one after another; rows written
meanwhile must not make it add up wrongly (a proposal counted as received
in one table and missing from the next). On PostgreSQL the read runs in one
REPEATABLE READ, READ ONLY transaction: every query sees the database as it
was at the first. SQLite (the embedded default) gives a read transaction one
snapshot already (WAL, or a lock that keeps writers out)."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def consistent_snapshot():
    """Run the block's reads in one snapshot. Inside a transaction already
    begun (a test's, or a caller's), that transaction's view is kept: the
    isolation level can only be set before its first query."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield
