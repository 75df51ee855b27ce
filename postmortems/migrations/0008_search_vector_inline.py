"""PostgreSQL: keep each search document's tsvector in its row (compressed), not in TOAST.

Ranking reads the vector of every matching row; out of line, each read is a TOAST index lookup
and a fetch, which made broad queries ("database", 6,774 of 20,000 documents) take 110 ms to
rank instead of 32 ms (bench/bench_search.py). The UPDATE rewrites the existing rows so they
are stored the new way; new rows are anyway.
"""

from django.db import migrations

from postmortems.search.migration_sql import TABLE, VECTOR_COLUMN, VendorRunSQL


class Migration(migrations.Migration):
    dependencies = [("postmortems", "0007_report_subscriptions")]

    operations = [
        VendorRunSQL(
            "postgresql",
            [
                f"ALTER TABLE {TABLE} ALTER COLUMN {VECTOR_COLUMN} SET STORAGE MAIN",
                f"UPDATE {TABLE} SET title = title",  # noqa: S608 (constant names only)
            ],
            [f"ALTER TABLE {TABLE} ALTER COLUMN {VECTOR_COLUMN} SET STORAGE EXTENDED"],
        ),
    ]
