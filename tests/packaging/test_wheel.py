"""sdkgate installs as a package: a wheel built from the tree carries the compiled agent, the data tables and
the templates, and its `sdkgate` entry point runs in a fresh virtual environment (no Node, no source tree)."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _git_tree(dest: Path) -> None:
    """The tracked files as they are in the working tree (what `pip install git+URL` would see, plus edits)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for f in filter(None, files):
        src = ROOT / f.decode()
        if src.is_file():
            out = dest / f.decode()
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(src.read_bytes())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if subprocess.run(["git", "rev-parse"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    src = tmp_path_factory.mktemp("src")
    _git_tree(src)
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(out), str(src)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "error::DeprecationWarning:setuptools"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    # setuptools prints its deprecations (e.g. a TOML table as project.license) as warnings in the build log
    assert "project.license" not in proc.stderr and "SetuptoolsDeprecationWarning" not in proc.stderr, proc.stderr
    wheels = list(out.glob("sdkgate-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_carries_agent_data_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("sdkgate/agent/agent.js", "sdkgate/agent/agent-sim.js", "sdkgate/data/sensitive_apis.yaml",
                   "sdkgate/data/sdks.yaml", "sdkgate/data/categories.yaml", "sdkgate/templates/report.html.j2",
                   "sdkgate/data/probe/sdkgate-probe.apk", "sdkgate/data/probe/plan.json",     # sdkgate calibrate
                   "sdkgate/data/probe/probe-dex.dex", "sdkgate/templates/calibration.html.j2",
                   "sdkgate/locale/zh_CN/LC_MESSAGES/sdkgate.mo"):          # the Chinese of every report
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "hooks/")) for n in names)
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(meta).decode()
    assert "License-Expression: Apache-2.0" in text


def fresh_venv(wheel: Path, tmp_path: Path, deps: Path) -> tuple[Path, Path, Path, dict]:
    """(python, site-packages, sdkgate script, environment) of a new venv holding the wheel, its dependencies taken
    from `deps` (a plain path entry: the .pth files there do not run, so the editable working tree stays out)."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # install the wheel itself (it is a zip: unpack it the way an installer does, entry point included)
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    (site / "deps.pth").write_text(str(deps) + "\n")
    script = env_dir / "bin" / "sdkgate"
    script.write_text(f"#!{py}\nimport sys\nfrom sdkgate.cli import main\nsys.exit(main())\n")
    script.chmod(0o755)
    return py, site, script, {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def test_wheel_installs_and_runs_in_fresh_venv(wheel, tmp_path):
    # dependencies come from this interpreter's site-packages (no network in tests)
    py, site, script, clean_env = fresh_venv(wheel, tmp_path, Path(sysconfig.get_paths()["purelib"]))
    out = subprocess.run([str(script), "--version"], capture_output=True, text=True, env=clean_env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("sdkgate, version ")
    where = subprocess.run([str(py), "-c", "import sdkgate, sdkgate.dynamic.build as b; print(sdkgate.__file__)"],
                           capture_output=True, text=True, env=clean_env, cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert str(site) in where.stdout, where.stdout       # the installed copy, not the source tree
    look = subprocess.run([str(script), "catalogue", "lookup", "com.igexin.sdk.PushManager"], capture_output=True,
                          text=True, env=clean_env, cwd=tmp_path)
    assert look.returncode == 0 and "getui" in look.stdout.lower(), look.stdout + look.stderr


def _base_only(dest: Path, wheel: Path) -> set[str]:
    """A folder with only what `pip install sdkgate` (no extras) brings: the wheel's Requires-Dist without an extra
    marker, followed recursively (each dependency with the extras it is asked with), linked from this interpreter's
    site-packages (no network in tests). Returns the distributions linked."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    meta = next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".dist-info/METADATA"))
    lines = zipfile.ZipFile(wheel).read(meta).decode().splitlines()
    todo = [(Requirement(ln.split(":", 1)[1].strip()), ()) for ln in lines if ln.startswith("Requires-Dist:")]
    todo = [(r, e) for r, e in todo if not (r.marker and "extra" in str(r.marker))]
    seen: set[str] = set()
    site = Path(sysconfig.get_paths()["purelib"])
    while todo:
        req, _ = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        try:
            dist = distribution(req.name)
        except PackageNotFoundError:
            continue                                         # a platform-conditional dependency not used here
        seen.add(name)
        for f in dist.files or ():
            top = f.parts[0]
            if top in ("..", "__pycache__") or top.endswith(".pth"):
                continue
            src, out = site / top, dest / top
            if src.exists() and not out.exists():
                out.symlink_to(src)
        env = [{"extra": x} for x in (req.extras or [""])]
        for r in dist.requires or []:
            sub = Requirement(r)
            if sub.marker is None or any(sub.marker.evaluate(e) for e in env):
                todo.append((sub, ()))
    return seen


def test_base_install_scans_and_names_the_extra_for_run(wheel, tmp_path):
    """`pip install sdkgate` alone: a scan works; `run` is exit 2 printing the pip line for the extras it needs."""
    deps = tmp_path / "base-deps"
    deps.mkdir()
    linked = _base_only(deps, wheel)
    assert "mitmproxy" not in linked and "adbutils" not in linked and "psycopg" not in linked and "dask" not in linked
    py, _site, script, clean_env = fresh_venv(wheel, tmp_path, deps)
    probe = subprocess.run([str(py), "-c", "import mitmproxy"], capture_output=True, text=True, env=clean_env)
    assert probe.returncode != 0                            # really without the proxy extra
    repo = ROOT
    scan = subprocess.run([str(script), "scan", str(repo / "tests/fixtures/apks/recruit-noncompliant.apk"), "-m",
                           str(repo / "manifests/demo-recruit.yaml"), "--format", "json"],
                          capture_output=True, text=True, env=clean_env, cwd=tmp_path)
    assert scan.returncode == 1 and '"verdict": "fail"' in scan.stdout, scan.stderr[-2000:]
    run = subprocess.run([str(script), "run", "--apk", str(repo / "tests/fixtures/apks/recruit-noncompliant.apk"),
                          "-m", str(repo / "manifests/demo-recruit.yaml")],
                         capture_output=True, text=True, env=clean_env, cwd=tmp_path)
    assert run.returncode == 2, run.stderr[-2000:]
    assert "pip install 'sdkgate[device,proxy]'" in run.stderr and "Traceback" not in run.stderr
