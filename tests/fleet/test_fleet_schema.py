"""Migrations: a database of the first schema version is upgraded by this sdkgate without losing a row;
a database newer than this sdkgate is refused untouched; a foreign database is not written."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdkgate.errors import InputError
from sdkgate.fleet.db import Database
from sdkgate.fleet.schema import LATEST, MIGRATIONS, VIEWS_V2, current_version, migrate, open_db


def _v1_database(url: str) -> None:
    """A database as the first schema version left it, with one app and its evidence."""
    db = Database(url)
    assert migrate(db, target=1) == [1]
    with db.transaction():
        app_id = db.insert_id(
            "INSERT INTO apps (sha256, size, apk_path, package, version_name, scanned_at, tool_version, manifest_hash, "
            "options_hash, verdict, exit_code, report_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ("ab" * 32, 1234, "/fleet/a.apk", "com.example.a", "1.0", "2026-01-01T00:00:00Z", "0.0.9", "", "",
             "incomplete", 3, json.dumps({"verdict": "incomplete"})))
        db.execute("INSERT INTO app_sdks (app_id, sdk_id, name, declared, evidence_kind) VALUES (?, ?, ?, ?, ?)",
                   (app_id, "getui", "Getui", 0, "packages"))
        db.execute("INSERT INTO findings (app_id, rule, severity, actor, suppressed) VALUES (?, ?, ?, ?, ?)",
                   (app_id, "SG204", "warning", "getui", 0))
        db.execute("INSERT INTO incomplete_reasons (app_id, reason) VALUES (?, ?)",
                   (app_id, "a.apk: classes2.dex: DEX version 041 is not read (container format), 3 classes skipped"))
    assert current_version(db) == 1
    assert "fleet_sdk_prevalence" not in db.tables()
    db.close()


def test_upgrade_from_the_first_schema_keeps_every_row(db_url):
    _v1_database(db_url)
    db = open_db(db_url)
    try:
        assert current_version(db) == LATEST
        assert [r[0] for r in db.query("SELECT version FROM schema_migrations ORDER BY version")] == \
            [m.version for m in MIGRATIONS]
        assert db.query("SELECT sha256, package, verdict, run_id, worker FROM apps") == \
            [("ab" * 32, "com.example.a", "incomplete", None, None)]
        assert db.query("SELECT reason_class FROM incomplete_reasons") == \
            [("classes<n>.dex: DEX version <n> is not read (container format), <n> classes skipped",)]
        assert set(VIEWS_V2) <= db.tables()
        assert db.query("SELECT sdk_id, apps, share FROM fleet_sdk_prevalence")[0][:2] == ("getui", 1)
        assert db.query("SELECT sdk_id, rule, apps FROM fleet_rules_per_sdk") == [("getui", "SG204", 1)]
        assert migrate(db) == []                        # idempotent
    finally:
        db.close()
    if db_url.startswith("sqlite:///"):
        backup = Path(db_url[len("sqlite:///"):] + ".v1.bak")
        assert backup.is_file()                         # the file as it was before the upgrade
        old = Database(f"sqlite:///{backup}")
        assert current_version(old) == 1 and old.query("SELECT COUNT(*) FROM apps") == [(1,)]
        old.close()


def test_newer_database_is_refused_untouched(db_url):
    db = open_db(db_url)
    with db.transaction():
        db.execute("INSERT INTO schema_migrations (version, description, applied_at, tool_version) VALUES (?, ?, ?, ?)",
                   (LATEST + 7, "from the future", "2030-01-01", "9.0"))
    db.close()
    with pytest.raises(InputError, match=f"schema version {LATEST + 7} is newer than this sdkgate knows"):
        open_db(db_url)


def test_foreign_database_is_not_written(tmp_path):
    import sqlite3
    p = tmp_path / "other.db"
    with sqlite3.connect(p) as c:
        c.execute("CREATE TABLE apps (name TEXT)")
    with pytest.raises(InputError, match="not an sdkgate fleet database"):
        open_db(f"sqlite:///{p}")
    (tmp_path / "notdb.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match="notdb.db"):
        open_db(f"sqlite:///{tmp_path / 'notdb.db'}")
