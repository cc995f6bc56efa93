"""`fleet query`: one user SQL statement, run read-only (the database is the audit record).

Nothing a query says can change the database: SQLite is opened read-only with an authorizer
(readonly.py); PostgreSQL gets the statement alone through the extended protocol (a prepared
statement: several statements are refused by the server), inside a READ ONLY transaction with a
statement timeout, and only statements that read (SELECT, WITH, VALUES, TABLE, EXPLAIN, SHOW).
A query never migrates: an older schema is named, and `scan --db` upgrades it.
"""
from __future__ import annotations

import re
import sqlite3
from ..errors import InputError
from .db import Database
from .readonly import ReadGuard, database_problem, is_file_problem
from .schema import LATEST, current_version

DEFAULT_TIMEOUT_S = 60.0
READ_KEYWORDS = ("select", "with", "values", "table", "explain", "show")
_LEADING_NOISE = re.compile(r"\s+|--[^\n]*(?:\n|$)|\(")


def run_query(db_url: str, sql: str, *, timeout_s: float = DEFAULT_TIMEOUT_S,
              notes: list[str] | None = None) -> tuple[list[str], list[tuple]]:
    db = Database(db_url, create=False, read_only=True)
    try:
        _check_schema(db)
        if db.dialect == "sqlite":
            return _sqlite(db, sql, timeout_s)
        return _postgresql(db, sql, timeout_s, notes)
    finally:
        db.close()


def _check_schema(db: Database) -> None:
    try:
        have = current_version(db)
    except sqlite3.DatabaseError as exc:
        raise database_problem(db.url.target, exc) from None
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - psycopg errors while reading the catalogue
        if type(exc).__module__.split(".")[0] != "psycopg":
            raise
        raise InputError(db.url.redacted(), None, f"cannot read the schema: {str(exc).strip()}") from None
    if have == 0:
        raise InputError(db.url.redacted(), None, "not a fleet database yet (no sdkgate tables): fill it with "
                         "`sdkgate scan APKS --db URL` first")
    if have < LATEST:
        raise InputError(db.url.redacted(), None, f"fleet database schema version {have} is older than this "
                         f"sdkgate's ({LATEST}): run `scan --db` to migrate it (`sdkgate scan APKS --db URL`); "
                         "fleet query never writes")
    if have > LATEST:
        raise InputError(db.url.redacted(), None, f"database schema version {have} is newer than this sdkgate knows "
                         f"({LATEST}); upgrade sdkgate")


def _rows(cur) -> tuple[list[str], list[tuple]]:
    cols = [d[0] for d in (cur.description or [])]
    return cols, (list(cur.fetchall()) if cur.description else [])


def _sqlite(db: Database, sql: str, timeout_s: float) -> tuple[list[str], list[tuple]]:
    guard = ReadGuard(timeout_s)
    guard.install(db.conn)
    try:
        return _rows(db.conn.execute(sql))
    except sqlite3.Error as exc:
        if guard.denied:
            raise InputError(None, "SQL", f"fleet query is read-only: {guard.denied[0]} is not allowed "
                             "(nothing was changed)") from None
        if guard.timed_out:
            raise InputError(None, "SQL", f"stopped after {timeout_s:g} s (--timeout)") from None
        if is_file_problem(exc):
            raise database_problem(db.url.target, exc) from None
        if isinstance(exc, sqlite3.ProgrammingError) and "one statement" in str(exc):
            raise InputError(None, "SQL", "one statement at a time (fleet query runs a single read-only "
                             "statement)") from None
        raise InputError(None, "SQL", f"{type(exc).__name__}: {str(exc).strip()}") from None


def first_keyword(sql: str) -> str:
    """The statement's first word, past whitespace, comments (nested /* */ too) and opening parentheses."""
    i, n = 0, len(sql)
    while i < n:
        m = _LEADING_NOISE.match(sql, i)
        if m:
            i = m.end()
            continue
        if sql.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if sql.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif sql.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            continue
        break
    m = re.match(r"[A-Za-z_]+", sql[i:])
    return m.group(0).lower() if m else ""


def _postgresql(db: Database, sql: str, timeout_s: float, notes: list[str] | None):
    import psycopg
    word = first_keyword(sql)
    if word not in READ_KEYWORDS:
        raise InputError(None, "SQL", f"fleet query is read-only: a statement starting with {word.upper() or '?'!r} "
                         f"is not run (only {', '.join(k.upper() for k in READ_KEYWORDS)})")
    if notes is not None and db.conn.info.parameter_status("is_superuser") == "on":
        notes.append("connected as a PostgreSQL superuser: the query runs in a READ ONLY transaction, but for a "
                     "shared database use a read-only role (docs/fleet.md)")
    try:
        cur = db.conn.cursor()
        cur.execute(f"SET LOCAL statement_timeout = {max(1, int(timeout_s * 1000))}")
        cur.execute(sql, prepare=True)       # a prepared statement: the server refuses several statements
        return _rows(cur)
    except psycopg.errors.QueryCanceled:
        raise InputError(None, "SQL", f"stopped after {timeout_s:g} s (--timeout)") from None
    except psycopg.errors.ReadOnlySqlTransaction as exc:
        raise InputError(None, "SQL", f"fleet query is read-only: {str(exc).strip()} (nothing was changed)") from None
    except psycopg.OperationalError as exc:
        raise InputError(db.url.redacted(), None, f"connection failed: {str(exc).strip()}") from None
    except psycopg.Error as exc:
        text = str(exc).strip()
        if "multiple commands" in text:
            text = "one statement at a time (fleet query runs a single read-only statement)"
        else:
            text = f"{type(exc).__name__}: {text}"
        raise InputError(None, "SQL", text) from None
    finally:
        try:
            db.conn.rollback()
        except Exception:  # noqa: BLE001 - a broken connection is closed next
            pass
