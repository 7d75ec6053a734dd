"""On PostgreSQL the search entries of each kind are a partition of their own, with their own
full-text index and their own word statistics.

A word can be common among agenda items and rare among people ("council" is in most items and
in four names of 150,000). With one table the planner guesses each kind's share of a word from
the whole table's; guessing a word common among people, it read every entry to count four, and
a count of 1,000 items read every item the word is in. Apart, each kind's matches are counted
from its own index, and where most entries of a kind match, the newest are read in order and
reading stops at 1,000.

The table is rebuilt in place: the entries are copied, and the indexes and foreign keys the
app's migrations made are made again under their names. Nothing changes on SQLite (FTS5 has
the kind in its index already).
"""

from django.db import migrations

# SearchEntry.Kind when this was written; a kind added later goes to the default partition.
KINDS = ["minutes", "item", "decision", "action", "person"]
TABLE = "minutes_searchentry"


def _rebuild(*, by_kind: bool):
    def rebuild(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        run = schema_editor.execute
        with schema_editor.connection.cursor() as cursor:
            # The other indexes and the foreign keys, to be made again as they are.
            cursor.execute(
                "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                "AND c.relname NOT IN ('search_vector', 'search_vector_kind')",
                [TABLE],
            )
            # A partitioned table's own index is defined ON ONLY the table.
            indexes = [row[0].replace(" ON ONLY ", " ON ") for row in cursor.fetchall()]
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [TABLE],
            )
            foreign_keys = cursor.fetchall()
        run(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_old")
        run(
            f"CREATE TABLE {TABLE}_new (LIKE {TABLE}_old INCLUDING DEFAULTS INCLUDING IDENTITY "
            "INCLUDING STORAGE INCLUDING COMPRESSION)" + (" PARTITION BY LIST (kind)" * by_kind)
        )
        if by_kind:
            for kind in KINDS:
                run(f"CREATE TABLE {TABLE}_{kind} PARTITION OF {TABLE}_new FOR VALUES IN ('{kind}')")
            run(f"CREATE TABLE {TABLE}_other PARTITION OF {TABLE}_new DEFAULT")
        run(f"INSERT INTO {TABLE}_new SELECT * FROM {TABLE}_old ORDER BY id")
        run(f"DROP TABLE {TABLE}_old")
        run(f"ALTER TABLE {TABLE}_new RENAME TO {TABLE}")
        run(f"ALTER SEQUENCE {TABLE}_new_id_seq RENAME TO {TABLE}_id_seq")
        run(
            f"SELECT setval('{TABLE}_id_seq', coalesce(max(id), 0) + 1, false) FROM {TABLE}"
        )
        # A partitioned table's unique keys hold the partition key; ids stay unique, from the
        # one identity sequence.
        run(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY "
            + ("(id, kind)" if by_kind else "(id)")
        )
        for index in indexes:
            run(index)
        for name, definition in foreign_keys:
            run(f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}")
        if by_kind:
            run(f"CREATE INDEX search_vector ON {TABLE} USING gin (vector)")
        else:
            run(f"CREATE INDEX search_vector_kind ON {TABLE} USING gin (vector, kind)")
        run(f"ALTER TABLE {TABLE} ALTER COLUMN vector SET STATISTICS 1000")
        # Autovacuum analyses the partitions in time, but the planner needs their words now.
        run(f"ANALYZE {TABLE}")

    return rebuild


class Migration(migrations.Migration):
    dependencies = [("minutes", "0016_set_each_minutes_current_version")]

    operations = [
        migrations.RunPython(_rebuild(by_kind=True), _rebuild(by_kind=False)),
    ]
