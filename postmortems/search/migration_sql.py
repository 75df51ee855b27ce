"""The full-text half of the search index, created per database by migration 0003.

PostgreSQL: a stored generated ``tsvector`` (title A, summary B, body C) with a GIN index.
SQLite: an external-content FTS5 table (porter stemming) kept in step by triggers on the table.
Both are database objects, not Django fields, so the ORM never writes them.
"""

from __future__ import annotations

from django.db import migrations

TABLE = "postmortems_searchdocument"
FTS_TABLE = "postmortems_searchdocument_fts"
# The tsvector column; the query layer refers to it by this name.
VECTOR_COLUMN = "search_vector"
TS_CONFIG = "english"


class VendorRunSQL(migrations.RunSQL):
    """``RunSQL`` that only runs on one database vendor (``connection.vendor``)."""

    def __init__(self, vendor: str, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {**kwargs, "vendor": self.vendor}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


POSTGRES_SQL = [
    f"""
    ALTER TABLE {TABLE} ADD COLUMN {VECTOR_COLUMN} tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('{TS_CONFIG}', coalesce(title, '')), 'A')
        || setweight(to_tsvector('{TS_CONFIG}', coalesce(summary, '')), 'B')
        || setweight(to_tsvector('{TS_CONFIG}', coalesce(body, '')), 'C')
    ) STORED
    """,
    f"CREATE INDEX search_document_vector_gin ON {TABLE} USING GIN ({VECTOR_COLUMN})",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {VECTOR_COLUMN}",
]

SQLITE_SQL = [
    f"""
    CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        title, summary, body,
        content='{TABLE}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, summary, body)
        VALUES (new.id, new.title, new.summary, new.body);
    END
    """,  # noqa: S608  (constant names only)
    f"""
    CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
    END
    """,  # noqa: S608  (constant names only)
    f"""
    CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
        INSERT INTO {FTS_TABLE}(rowid, title, summary, body)
        VALUES (new.id, new.title, new.summary, new.body);
    END
    """,  # noqa: S608  (constant names only)
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

FULL_TEXT_OPERATIONS = [
    VendorRunSQL("postgresql", POSTGRES_SQL, POSTGRES_REVERSE),
    VendorRunSQL("sqlite", SQLITE_SQL, SQLITE_REVERSE),
]
