"""The fleet database schema, as numbered migrations (docs/fleet.md documents every table and view).

A database records the migrations applied to it in `schema_migrations`. Opening it with a newer sdkgate
applies the missing ones in order, each in one transaction; a SQLite file is first copied to
`FILE.v<N>.bak`. Migrations only add (tables, columns, views) and backfill; none drops stored rows.
A database newer than this sdkgate is refused, never written.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import __version__
from ..errors import InputError
from .db import Database
from .reasons import reason_class

V1 = [
    """CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL,
         applied_at TEXT NOT NULL, tool_version TEXT NOT NULL)""",
    """CREATE TABLE apps (
         id {id},
         sha256 TEXT NOT NULL, size BIGINT, apk_path TEXT,
         package TEXT, version_name TEXT, app_name TEXT,
         scanned_at TEXT NOT NULL, tool_version TEXT NOT NULL,
         manifest_hash TEXT NOT NULL, options_hash TEXT NOT NULL,
         verdict TEXT NOT NULL, exit_code INTEGER,
         error TEXT, error_kind TEXT,
         report_json TEXT,
         UNIQUE (sha256, tool_version, manifest_hash, options_hash))""",
    """CREATE TABLE app_sdks (
         app_id BIGINT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
         sdk_id TEXT NOT NULL, name TEXT, vendor TEXT, sdk_kind TEXT,
         declared INTEGER NOT NULL, class_count INTEGER, evidence_kind TEXT NOT NULL, packages TEXT)""",
    """CREATE TABLE call_sites (
         app_id BIGINT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
         actor TEXT, category TEXT, api TEXT, caller TEXT)""",
    """CREATE TABLE findings (
         app_id BIGINT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
         rule TEXT NOT NULL, severity TEXT NOT NULL, actor TEXT, category TEXT,
         suppressed INTEGER NOT NULL, evidence_count INTEGER, message TEXT, message_zh TEXT, detail_json TEXT)""",
    """CREATE TABLE incomplete_reasons (
         app_id BIGINT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
         reason TEXT NOT NULL)""",
    "CREATE INDEX app_sdks_app ON app_sdks (app_id)",
    "CREATE INDEX call_sites_app ON call_sites (app_id)",
    "CREATE INDEX findings_app ON findings (app_id)",
    "CREATE INDEX incomplete_app ON incomplete_reasons (app_id)",
]

# The documented views (docs/fleet.md); `fleet report` reads these, so a report and an ad-hoc query agree.
VIEWS_V2 = {
    "latest_apps": """SELECT a.* FROM apps a
        WHERE a.id = (SELECT MAX(b.id) FROM apps b WHERE b.sha256 = a.sha256)""",
    "fleet_sdk_prevalence": """SELECT s.sdk_id, MAX(s.name) AS name, MAX(s.vendor) AS vendor,
        COUNT(DISTINCT s.app_id) AS apps,
        (SELECT COUNT(*) FROM latest_apps WHERE error IS NULL) AS scanned_apps,
        ROUND(1.0 * COUNT(DISTINCT s.app_id) / NULLIF((SELECT COUNT(*) FROM latest_apps WHERE error IS NULL), 0), 4)
          AS share
        FROM app_sdks s JOIN latest_apps a ON a.id = s.app_id GROUP BY s.sdk_id""",
    "fleet_sdk_apps": """SELECT s.sdk_id, a.package, a.version_name, a.sha256, a.apk_path, a.verdict,
        s.declared, s.evidence_kind, s.class_count
        FROM app_sdks s JOIN latest_apps a ON a.id = s.app_id""",
    "fleet_rules_per_sdk": """SELECT f.actor AS sdk_id, f.rule, COUNT(DISTINCT f.app_id) AS apps,
        p.apps AS apps_with_sdk, ROUND(1.0 * COUNT(DISTINCT f.app_id) / NULLIF(p.apps, 0), 4) AS share
        FROM findings f
        JOIN latest_apps a ON a.id = f.app_id
        JOIN app_sdks s ON s.app_id = f.app_id AND s.sdk_id = f.actor
        JOIN fleet_sdk_prevalence p ON p.sdk_id = f.actor
        WHERE f.suppressed = 0
        GROUP BY f.actor, f.rule, p.apps""",
    "fleet_verdicts": """SELECT verdict, COUNT(*) AS apps FROM latest_apps GROUP BY verdict""",
    "fleet_incomplete_reasons": """SELECT r.reason_class, COUNT(DISTINCT r.app_id) AS apps, MIN(r.reason) AS example
        FROM incomplete_reasons r JOIN latest_apps a ON a.id = r.app_id GROUP BY r.reason_class""",
    "fleet_undeclared_sdks": """SELECT s.sdk_id, MAX(s.name) AS name, COUNT(DISTINCT s.app_id) AS apps
        FROM app_sdks s JOIN latest_apps a ON a.id = s.app_id WHERE s.declared = 0 GROUP BY s.sdk_id""",
    "fleet_errors": """SELECT id, sha256, apk_path, error_kind, error, scanned_at FROM latest_apps
        WHERE error IS NOT NULL""",
}


def _backfill_reason_class(db: Database) -> None:
    rows = db.query("SELECT DISTINCT reason FROM incomplete_reasons WHERE reason_class IS NULL")
    db.executemany("UPDATE incomplete_reasons SET reason_class = ? WHERE reason = ? AND reason_class IS NULL",
                   [(reason_class(r[0]), r[0]) for r in rows])


V2 = [
    """CREATE TABLE fleet_runs (
         id {id}, started_at TEXT NOT NULL, finished_at TEXT, tool_version TEXT NOT NULL,
         engine TEXT NOT NULL, workers INTEGER, apks INTEGER, scanned INTEGER, skipped INTEGER, errors INTEGER)""",
    "ALTER TABLE apps ADD COLUMN run_id BIGINT",
    "ALTER TABLE apps ADD COLUMN scan_ms {real}",
    "ALTER TABLE apps ADD COLUMN peak_rss_kb BIGINT",
    "ALTER TABLE apps ADD COLUMN worker TEXT",
    "ALTER TABLE incomplete_reasons ADD COLUMN reason_class TEXT",
    _backfill_reason_class,
    "CREATE INDEX apps_sha256 ON apps (sha256)",
    "CREATE INDEX app_sdks_sdk ON app_sdks (sdk_id)",
    "CREATE INDEX findings_actor_rule ON findings (actor, rule)",
    *[f"CREATE VIEW {name} AS {body}" for name, body in VIEWS_V2.items()],
]

V3 = [
    "ALTER TABLE fleet_runs ADD COLUMN status TEXT",
    "ALTER TABLE fleet_runs ADD COLUMN coordinator TEXT",
    "UPDATE fleet_runs SET status = CASE WHEN finished_at IS NULL THEN 'aborted' ELSE 'done' END",
]

Step = str | Callable[[Database], None]


@dataclass
class Migration:
    version: int
    description: str
    steps: list[Step] = field(default_factory=list)


MIGRATIONS = [
    Migration(1, "first schema: apps, app_sdks, call_sites, findings, incomplete_reasons", V1),
    Migration(2, "fleet_runs; apps.run_id/scan_ms/peak_rss_kb/worker; incomplete_reasons.reason_class (backfilled); "
                 "indexes; the documented fleet_* views", V2),
    Migration(3, "fleet_runs.status (running, done, aborted) and coordinator (host:pid:start); unfinished "
                 "earlier runs: aborted", V3),
]
LATEST = MIGRATIONS[-1].version


def current_version(db: Database) -> int:
    tables = db.tables()
    if "schema_migrations" not in tables:
        if "apps" in tables:
            raise InputError(db.url.redacted(), None, "has an 'apps' table but no schema_migrations: not an sdkgate "
                             "fleet database (refusing to write into it)")
        return 0
    row = db.query("SELECT MAX(version) FROM schema_migrations")
    return int(row[0][0] or 0)


def migrate(db: Database, target: int = LATEST) -> list[int]:
    """Bring the database to `target`; returns the versions applied."""
    have = current_version(db)
    if have > LATEST:
        raise InputError(db.url.redacted(), None, f"database schema version {have} is newer than this sdkgate knows "
                         f"({LATEST}); upgrade sdkgate (the database was not changed)")
    todo = [m for m in MIGRATIONS if have < m.version <= target]
    if todo and have > 0 and db.dialect == "sqlite":
        _backup_sqlite(db, have)
    for m in todo:
        with db.transaction():
            for step in m.steps:
                if callable(step):
                    step(db)
                else:
                    db.execute(db.ddl(step))
            db.execute("INSERT INTO schema_migrations (version, description, applied_at, tool_version) "
                       "VALUES (?, ?, ?, ?)", (m.version, m.description, now_iso(), __version__))
    return [m.version for m in todo]


def _backup_sqlite(db: Database, version: int) -> None:
    import sqlite3
    dest = Path(f"{db.url.target}.v{version}.bak")
    with sqlite3.connect(str(dest)) as out:
        db.conn.backup(out)
    out.close()


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def open_db(url: str, *, create: bool = True) -> Database:
    """Connect and upgrade to the latest schema."""
    db = Database(url, create=create)
    try:
        migrate(db)
    except InputError:
        db.close()
        raise
    return db
