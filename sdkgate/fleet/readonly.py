"""Read-only connections for `fleet query`: the fleet database is an audit record, a query never changes it.

SQLite: opened `mode=ro` through a URI (never created, never switched to another journal mode, no
migration), `immutable=1` where no writer can be running (a read-only file system, or a WAL file with no
-wal beside it, so the reader never creates -wal/-shm files), and an authorizer that allows reading
only: ATTACH, VACUUM, PRAGMA writes, transactions and every write are denied before they run.
PostgreSQL: see query.py (one statement, extended protocol, READ ONLY transaction, statement timeout).
"""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

from ..errors import InputError

SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_VALUE_BYTES = 64 << 20          # longest string/blob a query may build (SQLITE_LIMIT_LENGTH)

# pragmas that only report; those in VALUE_PRAGMAS set something when given a value (`PRAGMA x = v`)
READ_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "collation_list", "function_list", "module_list", "pragma_list", "database_list", "compile_options",
    "user_version", "schema_version", "application_id", "data_version", "page_size", "page_count",
    "freelist_count", "encoding", "foreign_keys", "query_only"})
VALUE_PRAGMAS = frozenset({"user_version", "schema_version", "application_id", "page_size", "foreign_keys",
                           "query_only", "encoding"})
ALLOWED_ACTIONS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
                             sqlite3.SQLITE_RECURSIVE})
ACTION_NAMES = {getattr(sqlite3, n): n[len("SQLITE_"):].replace("_", " ") for n in dir(sqlite3)
                if n.startswith("SQLITE_") and n[len("SQLITE_"):] in (
                    "ATTACH", "DETACH", "INSERT", "UPDATE", "DELETE", "PRAGMA", "TRANSACTION", "SAVEPOINT",
                    "CREATE_TABLE", "CREATE_TEMP_TABLE", "CREATE_VIEW", "CREATE_TEMP_VIEW", "CREATE_INDEX",
                    "CREATE_TEMP_INDEX", "CREATE_TRIGGER", "CREATE_TEMP_TRIGGER", "CREATE_VTABLE", "DROP_TABLE",
                    "DROP_TEMP_TABLE", "DROP_VIEW", "DROP_TEMP_VIEW", "DROP_INDEX", "DROP_TEMP_INDEX",
                    "DROP_TRIGGER", "DROP_TEMP_TRIGGER", "DROP_VTABLE", "ALTER_TABLE", "REINDEX", "ANALYZE")}


def _read_only_fs(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _header(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(100)
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read the database file: {exc.strerror or exc}") from None


def connect_sqlite_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot write the file or create anything beside it."""
    head = _header(path)
    if head and not head.startswith(SQLITE_MAGIC):
        raise InputError(str(path), None, "not a SQLite database (the file has no SQLite header)")
    wal = len(head) > 19 and head[18] == 2
    immutable = _read_only_fs(path.parent) or (wal and not Path(f"{path}-wal").exists())
    uri = f"file:{quote(str(path.resolve()), safe='/')}?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as exc:
        raise database_problem(path, exc) from None
    return conn


def database_problem(path: Path | str, exc: sqlite3.Error) -> InputError:
    """A SQLite error that is about the file (corrupt, not a database, unreadable), named with the file."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    if name.startswith(("SQLITE_READONLY_ROLLBACK", "SQLITE_READONLY_RECOVERY")):
        return InputError(str(path), None, "a write to it was cut short (its journal is still beside it) and a "
                          "read-only query cannot recover it: run `scan --db` (or open it once with sqlite3) to "
                          "recover it; nothing was changed")
    return InputError(str(path), None, f"not a usable SQLite database ({getattr(exc, 'sqlite_errorname', None) or 'error'}: "
                      f"{str(exc).strip()}); nothing was changed")


def is_file_problem(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CANTOPEN", "SQLITE_IOERR",
                             "SQLITE_READONLY_ROLLBACK", "SQLITE_READONLY_RECOVERY"))


class ReadGuard:
    """The authorizer and the time bound of one user statement on SQLite."""

    def __init__(self, timeout_s: float, clock=time.monotonic):
        self.denied: list[str] = []
        self.timeout_s, self.clock = timeout_s, clock
        self.deadline = clock() + timeout_s
        self.timed_out = False

    def authorize(self, action: int, arg1, arg2, _db, _trigger) -> int:
        if action in ALLOWED_ACTIONS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA:
            name = str(arg1 or "").lower()
            if name in READ_PRAGMAS and (arg2 is None or name not in VALUE_PRAGMAS):
                return sqlite3.SQLITE_OK
            self.denied.append(f"PRAGMA {name}" + (f" = {arg2}" if arg2 is not None else ""))
        else:
            what = ACTION_NAMES.get(action, f"operation {action}")
            if action == sqlite3.SQLITE_ATTACH:         # VACUUM attaches its copy ('' or the INTO file) first
                what = f"ATTACH/VACUUM INTO {arg1!r}" if arg1 else "VACUUM"
            elif arg1 and action != sqlite3.SQLITE_TRANSACTION:
                what = f"{what} {arg1}"
            self.denied.append(what)
        return sqlite3.SQLITE_DENY

    def progress(self) -> int:
        if self.clock() > self.deadline:
            self.timed_out = True
            return 1
        return 0

    def install(self, conn: sqlite3.Connection) -> None:
        conn.set_authorizer(self.authorize)
        conn.set_progress_handler(self.progress, 20_000)
