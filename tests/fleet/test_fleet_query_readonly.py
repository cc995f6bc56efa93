"""`fleet query` cannot change anything: hostile statements on SQLite (database bytes and folder listing
unchanged after each) and on the suite's real PostgreSQL server (tables, views and rows unchanged)."""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.fleet.db import Database
from sdkgate.fleet.query import first_keyword
from sdkgate.fleet.readonly import ReadGuard
from sdkgate.fleet.schema import migrate, open_db
from sdkgate.fleet.store import ScanKey, ScanRecord, store

REPO = Path(__file__).resolve().parents[2]
REPORT = {"verdict": "fail", "app": {"package": "com.example.a", "version_name": "1.0"},
          "sdks": [{"id": "getui", "name": "Getui", "declared": False, "packages": ["com.igexin"]}],
          "findings": [{"rule": "SG204", "severity": "violation", "actor": "getui", "category": "device_id.imei"}],
          "incomplete": []}


def sg(*argv) -> int:
    return run_guarded(cli, list(map(str, argv)))


def fill(url: str, n: int = 3) -> None:
    db = open_db(url)
    try:
        for i in range(n):
            store(db, ScanRecord(apk=f"/fleet/a{i}.apk", sha256=f"{i:064x}", size=10 + i, report=REPORT),
                  ScanKey(f"{i:064x}", "", ""))
    finally:
        db.close()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in the folder (names and SHA-256 of the bytes)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def hostile_sqlite(folder: Path) -> list[str]:
    return [
        "DELETE FROM apps",
        "COMMIT; DELETE FROM apps",
        "SELECT 1; DROP VIEW fleet_verdicts",
        "DROP VIEW fleet_verdicts",
        "UPDATE schema_migrations SET version = 1",
        "INSERT INTO apps (sha256, scanned_at, tool_version, manifest_hash, options_hash, verdict) "
        "VALUES ('x', 'x', 'x', 'x', 'x', 'pass')",
        "WITH d AS (SELECT 1) DELETE FROM apps",
        f"ATTACH DATABASE '{folder / 'evil.db'}' AS evil",
        "ATTACH 'evil2.db' AS evil",
        "PRAGMA query_only = OFF",
        "PRAGMA journal_mode = WAL",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA user_version = 7",
        "PRAGMA writable_schema = ON",
        "VACUUM",
        f"VACUUM INTO '{folder / 'copy.db'}'",
        "CREATE TEMP TABLE t (a)",
        "CREATE TABLE t (a)",
        "REINDEX",
        "ANALYZE",
        "BEGIN IMMEDIATE",
        "SAVEPOINT s",
        "SELECT load_extension('/tmp/x')",
    ]


@pytest.mark.parametrize("at_rest", ["delete", "wal"])
def test_hostile_queries_leave_sqlite_bytes_and_folder_unchanged(tmp_path, capsys, monkeypatch, at_rest):
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "fleet.db"
    url = f"sqlite:///{path}"
    fill(url)
    if at_rest == "wal":          # a file an older sdkgate left in WAL mode: read without creating -wal/-shm
        with sqlite3.connect(path) as c:
            c.execute("PRAGMA journal_mode=WAL")
        c.close()
        assert path.read_bytes()[18] == 2
    else:
        assert path.read_bytes()[18] == 1          # the writer leaves rollback mode at rest
    monkeypatch.chdir(folder)                      # a relative ATTACH would land here
    before = snapshot(folder)
    assert set(before) == {"fleet.db"}
    for sql in hostile_sqlite(folder):
        capsys.readouterr()
        assert sg("fleet", "query", "--db", url, sql) == 2, sql
        err = capsys.readouterr().err
        assert "error" in err and "Traceback" not in err, (sql, err)
        assert snapshot(folder) == before, sql
    assert sg("fleet", "query", "--db", url, "SELECT COUNT(*) FROM apps", "--format", "csv") == 0
    assert capsys.readouterr().out.splitlines()[1] == "3"
    assert sg("fleet", "query", "--db", url, "PRAGMA table_info(apps)", "--format", "json") == 0
    assert '"name": "sha256"' in capsys.readouterr().out
    assert snapshot(folder) == before


def test_denied_operations_are_named(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'fleet.db'}"
    fill(url, 1)
    for sql, word in (("PRAGMA query_only=OFF", "PRAGMA query_only"), ("VACUUM", "VACUUM"),
                      (f"ATTACH '{tmp_path / 'e.db'}' AS e", "ATTACH"), ("DELETE FROM apps", "DELETE"),
                      ("SELECT 1; SELECT 2", "one statement")):
        capsys.readouterr()
        assert sg("fleet", "query", "--db", url, sql) == 2
        err = capsys.readouterr().err
        assert word in err and "read-only" in err, (sql, err)


def test_a_running_writer_does_not_stop_a_query_and_the_query_adds_no_file(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'fleet.db'}"
    fill(url, 2)
    writer = Database(url)                      # a scan in progress: WAL, its -wal/-shm exist
    try:
        with writer.transaction():
            writer.execute("UPDATE apps SET package = 'com.changed' WHERE size = 10")
        before = sorted(os.listdir(tmp_path))
        assert any(n.endswith("-wal") for n in before)
        capsys.readouterr()
        assert sg("fleet", "query", "--db", url, "SELECT package FROM apps ORDER BY size", "--format", "csv") == 0
        assert capsys.readouterr().out.splitlines()[1:] == ["com.changed", "com.example.a"]
        assert sg("fleet", "query", "--db", url, "PRAGMA journal_mode = DELETE") == 2
        assert sorted(os.listdir(tmp_path)) == before
    finally:
        writer.close()


def test_old_schema_is_named_not_migrated(tmp_path, capsys):
    path = tmp_path / "old.db"
    db = Database(f"sqlite:///{path}")
    migrate(db, target=1)
    db.close()
    before = snapshot(tmp_path)
    assert sg("fleet", "query", "--db", f"sqlite:///{path}", "SELECT COUNT(*) FROM apps") == 2
    err = capsys.readouterr().err
    assert "run `scan --db` to migrate" in err and "old.db" in err
    assert snapshot(tmp_path) == before                     # no upgrade, no .bak, no journal files


def test_corrupted_or_foreign_sqlite_is_named(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'fleet.db'}"
    fill(url, 40)
    path = tmp_path / "fleet.db"
    raw = bytearray(path.read_bytes())
    page = int.from_bytes(raw[16:18], "big") or 65536
    assert len(raw) >= 4 * page
    for p in range(1, len(raw) // page):           # every page but the first (the schema stays readable)
        raw[p * page:(p + 1) * page] = bytes([0x5A]) * page
    bad = tmp_path / "broken.db"
    bad.write_bytes(bytes(raw))
    notdb = tmp_path / "notdb.db"
    notdb.write_bytes(b"GIF89a" + b"\0" * 5000)
    for f, sql in ((bad, "SELECT * FROM apps"), (bad, "SELECT COUNT(*) FROM findings"), (notdb, "SELECT 1")):
        before = snapshot(tmp_path)
        capsys.readouterr()
        assert sg("fleet", "query", "--db", f"sqlite:///{f}", sql) == 2
        err = capsys.readouterr().err
        assert f.name in err and "Traceback" not in err and "internal" not in err, err
        assert snapshot(tmp_path) == before


def test_a_read_only_file_system_can_be_queried(tmp_path):
    if not shutil.which("unshare"):
        pytest.skip("util-linux unshare not installed")
    folder = tmp_path / "ro"
    folder.mkdir()
    url = f"sqlite:///{folder / 'fleet.db'}"
    fill(url, 2)
    with sqlite3.connect(folder / "fleet.db") as c:         # the hard case: WAL at rest, no -shm possible
        c.execute("PRAGMA journal_mode=WAL")
    c.close()
    script = (f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
              f"! touch {folder}/probe 2>/dev/null && exec {sys.executable} -m sdkgate fleet query --db {url} "
              "'SELECT COUNT(*) AS n FROM latest_apps' --format csv")
    r = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)
    if r.returncode and "unshare" in r.stderr and "Operation not permitted" in r.stderr:
        pytest.skip(f"no user namespaces here: {r.stderr.strip()}")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["n", "2"]


def test_a_runaway_query_is_stopped(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'fleet.db'}"
    fill(url, 1)
    forever = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c"
    assert sg("fleet", "query", "--db", url, forever, "--timeout", "0.2") == 2
    assert "stopped after 0.2 s" in capsys.readouterr().err
    ticks = iter(range(100))
    guard = ReadGuard(5, clock=lambda: next(ticks))         # an injected clock: 5 ticks allowed
    assert [guard.progress() for _ in range(6)] == [0, 0, 0, 0, 0, 1] and guard.timed_out


def test_first_keyword_skips_comments_and_parentheses():
    assert first_keyword("  -- x\n /* a /* nested */ b */ ((select 1))") == "select"
    assert first_keyword("/* select */ COMMIT; DELETE FROM apps") == "commit"
    assert first_keyword("") == ""


def pg_state(url: str) -> list:
    db = Database(url, read_only=True)
    try:
        rels = db.query("SELECT table_name, table_type FROM information_schema.tables "
                        "WHERE table_schema = current_schema() ORDER BY 1")
        views = db.query("SELECT viewname, definition FROM pg_views WHERE schemaname = current_schema() ORDER BY 1")
        counts = [(t, db.query(f'SELECT COUNT(*) FROM "{t}"')[0][0]) for t, kind in rels if kind == "BASE TABLE"]
        apps = db.query("SELECT id, sha256, package, verdict FROM apps ORDER BY id")
        return [rels, views, counts, apps]
    finally:
        db.close()


def test_hostile_queries_on_postgresql_change_nothing(pg_url, tmp_path, capsys):
    fill(pg_url)
    before = pg_state(pg_url)
    leak = tmp_path / "copied.txt"
    hostile = [
        "COMMIT; DELETE FROM apps",
        "COMMIT; DROP VIEW fleet_verdicts",
        "/* hi */ COMMIT",
        "SELECT 1; DELETE FROM apps",
        "DELETE FROM apps",
        "DROP VIEW fleet_verdicts CASCADE",
        "WITH d AS (DELETE FROM apps RETURNING 1) SELECT COUNT(*) FROM d",
        "UPDATE schema_migrations SET version = 1",
        "CREATE TABLE evil (a int)",
        f"COPY apps TO '{leak}'",
        "SET default_transaction_read_only = off; DELETE FROM apps",
        "SELECT set_config('default_transaction_read_only', 'off', false); DELETE FROM apps",
        "EXPLAIN ANALYZE DELETE FROM apps",
        "SELECT * INTO evil FROM apps",
    ]
    for sql in hostile:
        capsys.readouterr()
        assert sg("fleet", "query", "--db", pg_url, sql) == 2, sql
        err = capsys.readouterr().err
        assert "error" in err and "Traceback" not in err, (sql, err)
        assert pg_state(pg_url) == before, sql
    assert not leak.exists()
    capsys.readouterr()
    assert sg("fleet", "query", "--db", pg_url, "SELECT COUNT(*) AS n FROM apps", "--format", "csv") == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == ["n", "3"]
    assert "superuser" in out.err and "read-only role" in out.err      # the suite's server runs as postgres
    assert sg("fleet", "query", "--db", pg_url, "SELECT pg_sleep(30)", "--timeout", "0.2") == 2
    assert "stopped after 0.2 s" in capsys.readouterr().err


def test_old_schema_on_postgresql_is_named_not_migrated(pg_url, capsys):
    db = Database(pg_url)
    migrate(db, target=1)
    db.close()
    assert sg("fleet", "query", "--db", pg_url, "SELECT COUNT(*) FROM apps") == 2
    assert "run `scan --db` to migrate" in capsys.readouterr().err
    db = Database(pg_url)
    try:
        assert db.query("SELECT MAX(version) FROM schema_migrations") == [(1,)]
    finally:
        db.close()


def test_a_write_cut_short_is_named_not_recovered(tmp_path, capsys):
    """A writer killed mid-transaction leaves a hot journal: a read-only query says so and touches nothing."""
    path = tmp_path / "fleet.db"
    fill(f"sqlite:///{path}", 2)
    code = ("import os, sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('PRAGMA cache_size=1'); c.execute('BEGIN')\n"
            "for i in range(3000): c.execute('INSERT INTO incomplete_reasons (app_id, reason) VALUES (1, ?)', ('x' * 500,))\n"
            "os._exit(9)\n")
    subprocess.run([sys.executable, "-c", code, str(path)], timeout=120)
    assert (tmp_path / "fleet.db-journal").is_file()
    before = snapshot(tmp_path)
    assert sg("fleet", "query", "--db", f"sqlite:///{path}", "SELECT COUNT(*) FROM apps") == 2
    err = capsys.readouterr().err
    assert "fleet.db" in err and "cut short" in err and "run `scan --db`" in err
    assert snapshot(tmp_path) == before
