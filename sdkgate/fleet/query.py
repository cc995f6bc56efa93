"""`fleet query`: one user SQL statement, run read-only (the database is the audit record)."""
from __future__ import annotations

from ..errors import InputError
from .db import Database, DbUrl
from .schema import migrate


def run_query(db_url: str, sql: str) -> tuple[list[str], list[tuple]]:
    url = DbUrl.parse(db_url)
    db = Database(db_url, create=False)
    try:
        migrate(db)                       # an older database gets the current views first
        if url.dialect == "sqlite":
            db.conn.execute("PRAGMA query_only = ON")
        else:
            db.conn.commit()
            db.conn.read_only = True
        try:
            return db.raw(sql)
        except Exception as exc:  # noqa: BLE001 - sqlite3 / psycopg errors: the user's SQL
            if type(exc).__module__.split(".")[0] not in ("sqlite3", "psycopg"):
                raise
            raise InputError(None, "SQL", f"{type(exc).__name__}: {str(exc).strip()}") from None
    finally:
        db.close()
