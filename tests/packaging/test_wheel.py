"""sdkgate installs as a package: a wheel built from the tree carries the compiled agent, the data tables and
the templates, and its `sdkgate` entry point runs in a fresh virtual environment (no Node, no source tree)."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import io
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
                   "sdkgate/data/probe/probe-dex.dex", "sdkgate/templates/calibration.html.j2"):
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "hooks/")) for n in names)
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(meta).decode()
    assert "License-Expression: Apache-2.0" in text


def test_wheel_installs_and_runs_in_fresh_venv(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # install the wheel itself (it is a zip: unpack it the way an installer does, entry point included)
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    # dependencies come from this interpreter's site-packages (no network in tests); a plain path entry does not
    # run the .pth files there, so the editable install of the working tree stays out of the fresh venv
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    script = env_dir / "bin" / "sdkgate"
    script.write_text(f"#!{py}\nimport sys\nfrom sdkgate.cli import main\nsys.exit(main())\n")
    script.chmod(0o755)
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
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
