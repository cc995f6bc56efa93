"""`scan --db`: every report stored (SQLite and a real PostgreSQL server), reruns skip, --rescan replaces,
hostile APKs become error rows while the run goes on, a killed run resumes."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path


from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.fleet.db import Database
from tests.fleet.conftest import APKS, make_fleet

REPO = Path(__file__).resolve().parents[2]


def sg(*argv) -> int:
    return run_guarded(cli, list(map(str, argv)))


def q(url, sql, params=()):
    db = Database(url)
    try:
        return db.query(sql, params)
    finally:
        db.close()


def test_reports_stored_rerun_skips_rescan_replaces(db_url, tmp_path, capsys):
    apks = [APKS / "recruit-noncompliant.apk", APKS / "sdk-autoinit.apk"]
    assert sg("scan", *apks, "--manifest", REPO / "manifests/demo-recruit.yaml", "--db", db_url, "-j", "1") == 1
    rows = q(db_url, "SELECT package, verdict, exit_code, tool_version, manifest_hash, size, sha256, error FROM apps ORDER BY apk_path")
    assert len(rows) == 2
    nc = rows[0]                                       # recruit-noncompliant sorts first
    assert nc[1] == "fail" and nc[2] == 1 and nc[4] != "" and nc[5] == (APKS / "recruit-noncompliant.apk").stat().st_size
    import hashlib
    assert nc[6] == hashlib.sha256((APKS / "recruit-noncompliant.apk").read_bytes()).hexdigest() and nc[7] is None
    # the same facts as the JSON report of a plain scan
    sg("scan", APKS / "recruit-noncompliant.apk", "--manifest", REPO / "manifests/demo-recruit.yaml", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    NC = "SELECT id FROM apps WHERE apk_path LIKE '%recruit-noncompliant%'"
    app_id = q(db_url, NC)[0][0]
    sdks = q(db_url, "SELECT sdk_id, declared, evidence_kind FROM app_sdks WHERE app_id = ? ORDER BY sdk_id", (app_id,))
    assert [(s[0], bool(s[1])) for s in sdks] == [(s["id"], s["declared"]) for s in report["sdks"]]
    assert all(s[2] == "packages" for s in sdks)
    assert q(db_url, "SELECT COUNT(*) FROM call_sites WHERE app_id = ?", (app_id,))[0][0] == len(report["call_sites"])
    found = q(db_url, "SELECT rule, actor FROM findings WHERE app_id = ? ORDER BY rule, actor", (app_id,))
    assert sorted((f["rule"], f["actor"]) for f in report["findings"]) == [tuple(r) for r in found]
    assert ("SG201", "getui") in [tuple(r) for r in found]
    # rerun: nothing scanned again, same exit code (read from the stored rows)
    capsys.readouterr()
    assert sg("scan", *apks, "--manifest", REPO / "manifests/demo-recruit.yaml", "--db", db_url) == 1
    err = capsys.readouterr().err
    assert "0 scanned, 2 already stored (skipped)" in err
    # another manifest is another key: scanned again, both kept; without one it is not_judged, never a pass
    assert sg("scan", apks[1], "--db", db_url) == 3
    assert q(db_url, "SELECT COUNT(*) FROM apps")[0][0] == 3
    # --rescan replaces the row of the same key, never duplicates it
    before = q(db_url, NC)[0][0]
    assert sg("scan", *apks, "--manifest", REPO / "manifests/demo-recruit.yaml", "--db", db_url, "--rescan") == 1
    assert "2 scanned, 0 already stored" in capsys.readouterr().err
    assert q(db_url, "SELECT COUNT(*) FROM apps")[0][0] == 3
    after = q(db_url, NC)
    assert len(after) == 1 and after[0][0] != before
    assert q(db_url, "SELECT COUNT(*) FROM findings WHERE app_id = ?", (before,))[0][0] == 0   # children went with it
    runs = q(db_url, "SELECT engine, apks, scanned, skipped FROM fleet_runs ORDER BY id")
    assert [tuple(r) for r in runs] == [("local", 2, 2, 0), ("local", 2, 0, 2), ("local", 1, 1, 0), ("local", 2, 2, 0)]


def hostile_apks(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    good = APKS / "sdk-autoinit.apk"
    out = {}
    out["garbage"] = folder / "garbage.apk"
    out["garbage"].write_bytes(os.urandom(4096))
    out["empty"] = folder / "empty.apk"
    out["empty"].write_bytes(b"")
    data = good.read_bytes()
    out["truncated"] = folder / "truncated.apk"
    out["truncated"].write_bytes(data[: len(data) // 2])
    out["no_manifest"] = folder / "no-manifest.apk"
    with zipfile.ZipFile(out["no_manifest"], "w") as z:
        z.writestr("classes.dex", b"dex\n035\0" + b"\0" * 100)
    return out


def test_hostile_apks_become_error_rows_and_the_run_goes_on(db_url, tmp_path, capsys):
    bad = hostile_apks(tmp_path / "bad")
    good = make_fleet(tmp_path / "good", 2)
    code = sg("scan", *bad.values(), *good, "--db", db_url, "-j", "2")
    assert code == 2                                   # the worst: unreadable input, as a plain scan
    rows = {Path(r[0]).name: r[1:] for r in q(db_url, "SELECT apk_path, verdict, error_kind, error, exit_code FROM apps")}
    assert len(rows) == 6
    for name in ("garbage.apk", "empty.apk", "truncated.apk"):
        verdict, kind, error, exit_code = rows[name]
        assert verdict == "error" and kind == "input" and exit_code == 2 and name in error, (name, rows[name])
    assert "not a zip" in rows["garbage.apk"][2] and "end-of-central-directory" in rows["truncated.apk"][2]
    # a zip the scanner can open but not fully read: judged incomplete, its reason stored
    assert rows["no-manifest.apk"][:2] == ("incomplete", None)
    reasons = q(db_url, "SELECT r.reason, r.reason_class FROM incomplete_reasons r JOIN apps a ON a.id = r.app_id "
                        "WHERE a.apk_path LIKE '%no-manifest.apk'")
    assert reasons and all(r[0] and r[1] for r in reasons)
    assert all(rows[p.name][0] not in ("error",) and rows[p.name][2] is None for p in good)
    errs = q(db_url, "SELECT apk_path FROM fleet_errors")
    assert sorted(Path(r[0]).name for r in errs) == ["empty.apk", "garbage.apk", "truncated.apk"]
    # input errors are final: a rerun does not retry them
    capsys.readouterr()
    sg("scan", *bad.values(), *good, "--db", db_url)
    assert "0 scanned, 6 already stored" in capsys.readouterr().err


def test_worker_errors_are_retried(tmp_path, capsys):
    """A row left by a failed worker (not the APK's fault) is scanned again by the next run."""
    from sdkgate.fleet.schema import open_db
    from sdkgate.fleet.store import ScanKey, ScanRecord, file_sha256, store
    url = f"sqlite:///{tmp_path / 'f.db'}"
    apk = make_fleet(tmp_path / "a", 1)[0]
    sha, size = file_sha256(str(apk))
    db = open_db(url)
    store(db, ScanRecord(apk=str(apk), sha256=sha, size=size, error="worker died", error_kind="worker"), ScanKey(sha, "", ""))
    db.close()
    assert sg("scan", apk, "--db", url) == 3                 # no manifest: not_judged (issue 20), never a pass
    assert "1 scanned, 0 already stored" in capsys.readouterr().err
    assert q(url, "SELECT verdict, error FROM apps") == [("not_judged", None)]


def test_resume_after_a_killed_run(tmp_path):
    fleet = make_fleet(tmp_path / "fleet", 60)      # enough that a kill lands mid-way even on a busy machine
    db = tmp_path / "fleet.db"
    url = f"sqlite:///{db}"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "sdkgate", "scan", str(tmp_path / "fleet"), "--db", url, "-j", "1"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    stored = 0
    deadline = time.monotonic() + 300               # a bound for the condition on a loaded machine
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db) as c:
                    stored = c.execute("SELECT COUNT(*) FROM apps").fetchone()[0]
            except sqlite3.Error:
                stored = 0
            if stored >= 3:
                break
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)               # the coordinator and its pool, mid-run
    proc.wait(60)
    with sqlite3.connect(db) as c:
        kept = c.execute("SELECT COUNT(*) FROM apps").fetchone()[0]
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert 3 <= kept < len(fleet), "the run was not killed mid-way"
    r = subprocess.run([sys.executable, "-m", "sdkgate", "scan", str(tmp_path / "fleet"), "--db", url, "-j", "2"],
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 3, r.stderr                       # no manifest: not_judged (exit 3)
    assert f"{len(fleet) - kept} scanned, {kept} already stored" in r.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*), COUNT(DISTINCT sha256) FROM apps").fetchone() == (len(fleet), len(fleet))


def test_duplicates_bad_urls_and_flags(tmp_path, capsys):
    a = make_fleet(tmp_path / "a", 1)[0]
    b = tmp_path / "copy.apk"
    shutil.copy(a, b)
    url = f"sqlite:///{tmp_path / 'f.db'}"
    assert sg("scan", a, b, "--db", url) == 3
    assert "1 scanned, 0 already stored (skipped), 1 duplicate(s)" in capsys.readouterr().err
    assert sg("scan", a, "--db", "mysql://x") == 2
    assert "expected sqlite:///PATH.db or postgresql://" in capsys.readouterr().err
    assert sg("scan", a, "--rescan") == 2
    assert "give --db URL" in capsys.readouterr().err
    assert sg("scan", a, "--db", url, "-o", tmp_path / "x.json") == 2
    assert sg("scan", a, "--db", "postgresql://nobody@127.0.0.1:1/none") == 2
    assert "cannot connect" in capsys.readouterr().err


def test_apks_from_http_urls(tmp_path, capsys):
    """Workers fetch APKs by URL (checked against the coordinator's hash); a missing URL is a retried error."""
    import functools
    import http.server
    import threading
    fleet = make_fleet(tmp_path / "www", 2)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass
    handler = functools.partial(Quiet, directory=str(tmp_path / "www"))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{srv.server_address[1]}"
        urls = [f"{base}/{p.name}" for p in fleet] + [f"{base}/missing.apk"]
        url = f"sqlite:///{tmp_path / 'f.db'}"
        assert sg("scan", *urls, "--db", url, "-j", "1") == 3          # the missing one: incomplete, retried
        rows = {r[0]: r[1:] for r in q(url, "SELECT apk_path, verdict, error_kind, sha256 FROM apps")}
        import hashlib
        for p, u in zip(fleet, urls):
            assert rows[u][0] == "not_judged" and rows[u][2] == hashlib.sha256(p.read_bytes()).hexdigest()
        assert rows[urls[2]][:2] == ("error", "unreadable")
        report = json.loads(q(url, "SELECT report_json FROM apps WHERE apk_path = ?", (urls[0],))[0][0])
        assert report["app"]["apk"] == urls[0]
        capsys.readouterr()
        sg("scan", *urls, "--db", url)
        assert "0 scanned, 2 already stored (skipped), 0 duplicate(s), 1 error(s)" in capsys.readouterr().err
    finally:
        srv.shutdown()
