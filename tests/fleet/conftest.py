"""Fleet fixtures: a real PostgreSQL server (per session), a fresh database per test on it or on SQLite,
and fleets of real APKs with unique hashes (a fixture APK plus one distinct asset each)."""
from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import pytest

from tests.fleet.pgserver import PgServer, pg_bin

APKS = Path(__file__).resolve().parents[1] / "fixtures" / "apks"
_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server():
    bindir = pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not installed (tools/system-deps.sh installs Debian's postgresql)")
    server = PgServer(bindir)
    try:
        url = server.start()
    except (RuntimeError, OSError) as exc:
        server.stop()
        pytest.skip(f"cannot start a local PostgreSQL server: {exc}")
    yield url
    server.stop()


@pytest.fixture
def pg_url(pg_server):
    import psycopg
    name = f"fleet_{next(_counter)}"
    with psycopg.connect(pg_server, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name}")
        c.execute(f"CREATE DATABASE {name}")
    return pg_server.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fleet.db'}"
    return request.getfixturevalue("pg_url")


def make_fleet(folder: Path, n: int, sources=("recruit-noncompliant.apk", "sdk-autoinit.apk", "recruit-compliant.apk")) -> list[Path]:
    """n valid APKs with unique sha256: a fixture APK rewritten with one extra asset naming its index."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = APKS / sources[i % len(sources)]
        dst = folder / f"app{i:04d}.apk"
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                zout.writestr(item, zin.read(item.filename))
            zout.writestr(f"assets/fleet-{i}.txt", f"fleet app {i}\n")
        out.append(dst)
    return out
