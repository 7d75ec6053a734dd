"""A lock held by another connection, for tests of what a request does when it meets one.

The lock is real: on SQLite another connection to the same file begins a write transaction
(one writer at a time), on PostgreSQL it locks the given tables. The request under test gives
up after ``short_lock_timeout``'s fraction of a second instead of DATABASE_LOCK_TIMEOUT.
"""

import contextlib
import sqlite3

import psycopg2
from django.db import connection

SHORT_TIMEOUT_SECONDS = 0.2


@contextlib.contextmanager
def short_lock_timeout(seconds: float = SHORT_TIMEOUT_SECONDS):
    """Every connection opened in the block (the live server's too) waits ``seconds`` for a
    lock, not DATABASE_LOCK_TIMEOUT. Needs a transactional test: the connection is reopened."""
    options = connection.settings_dict["OPTIONS"]
    before = dict(options)
    if connection.vendor == "sqlite":
        options["timeout"] = seconds
    else:
        options["options"] = f"-c lock_timeout={int(seconds * 1000)}"
    connection.close()
    try:
        yield
    finally:
        options.clear()
        options.update(before)
        connection.close()


@contextlib.contextmanager
def write_lock_held(*models):
    """Until the block ends another connection holds what a write to ``models`` needs:
    SQLite's write lock (on the whole file), or PostgreSQL's EXCLUSIVE lock on their tables
    (reads go on; writes and SELECT … FOR UPDATE wait)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        holder = sqlite3.connect(settings["NAME"], isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.rollback()
            holder.close()
        return
    holder = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"],
    )
    try:
        with holder.cursor() as cursor:
            for model in models:
                cursor.execute(f'LOCK TABLE "{model._meta.db_table}" IN EXCLUSIVE MODE')
        yield
    finally:
        holder.rollback()
        holder.close()
