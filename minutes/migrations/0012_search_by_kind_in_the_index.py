"""The full-text index holds each entry's kind, so that counting the matches of one kind
reads only those (it read every match of the word, of every kind, to find a few)."""

from django.db import migrations

POSTGRESQL = [
    # btree_gin lets one GIN index hold the words and the kind together.
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX search_vector_kind ON minutes_searchentry USING gin (vector, kind)",
    "DROP INDEX IF EXISTS search_vector",
    # The planner guesses how many entries a word matches from the words ANALYZE keeps
    # (100 x 10 by default); guessing a rare word common, it reads every readable minutes
    # to check a handful of entries.
    "ALTER TABLE minutes_searchentry ALTER COLUMN vector SET STATISTICS 1000",
]
POSTGRESQL_REVERSE = [
    "ALTER TABLE minutes_searchentry ALTER COLUMN vector SET STATISTICS -1",
    "CREATE INDEX search_vector ON minutes_searchentry USING gin (vector)",
    "DROP INDEX IF EXISTS search_vector_kind",
]


def _fts(columns: str) -> list[str]:
    """The FTS5 table over ``columns`` and the triggers that keep it in step, rebuilt."""
    values = ", ".join(f"new.{column}" for column in columns.split(", "))
    old = ", ".join(f"old.{column}" for column in columns.split(", "))
    return [
        "DROP TRIGGER IF EXISTS minutes_searchentry_ai",
        "DROP TRIGGER IF EXISTS minutes_searchentry_ad",
        "DROP TRIGGER IF EXISTS minutes_searchentry_au",
        "DROP TABLE IF EXISTS minutes_searchentry_fts",
        f"""CREATE VIRTUAL TABLE minutes_searchentry_fts USING fts5(
            {columns}, content='minutes_searchentry', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER minutes_searchentry_ai AFTER INSERT ON minutes_searchentry BEGIN
            INSERT INTO minutes_searchentry_fts (rowid, {columns}) VALUES (new.id, {values});
        END""",
        f"""CREATE TRIGGER minutes_searchentry_ad AFTER DELETE ON minutes_searchentry BEGIN
            INSERT INTO minutes_searchentry_fts (minutes_searchentry_fts, rowid, {columns})
            VALUES ('delete', old.id, {old});
        END""",
        f"""CREATE TRIGGER minutes_searchentry_au AFTER UPDATE ON minutes_searchentry BEGIN
            INSERT INTO minutes_searchentry_fts (minutes_searchentry_fts, rowid, {columns})
            VALUES ('delete', old.id, {old});
            INSERT INTO minutes_searchentry_fts (rowid, {columns}) VALUES (new.id, {values});
        END""",
        "INSERT INTO minutes_searchentry_fts (minutes_searchentry_fts) VALUES ('rebuild')",
    ]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("minutes", "0011_circulate_in_the_background")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": _fts("title, body, kind")}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": _fts("title, body")}),
        ),
    ]
