"""Every GitHub workflow shown in the docs, and the composite action at the root, pass actionlint; the docs'
use of the action matches its inputs (actionlint checks `with:` of a local action against action.yml)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION_REF = re.compile(r"uses: \./\s*$", re.M)              # the action of this repository
PLACEHOLDER = "YOUR-ORG/sdkgate@REF"                          # the one marked stand-in for a published copy


def _workflows() -> list[tuple[str, str]]:
    """(where, yaml text) of every fenced yaml block in README/docs that is a GitHub workflow."""
    found = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text("utf-8")
        for m in re.finditer(r"```ya?ml\n(.*?)```", text, re.S):
            body = m.group(1)
            data = yaml.safe_load(body)
            if isinstance(data, dict) and "jobs" in data and any(k in data for k in ("on", True)):
                line = text[:m.start()].count("\n") + 2
                found.append((f"{doc.relative_to(ROOT)}:{line}", body))
    return found


def _actionlint() -> str:
    exe = shutil.which("actionlint") or str(Path(__import__("sys").executable).parent / "actionlint")
    if not Path(exe).exists():
        pytest.skip("actionlint not installed (make test installs the dev extras)")
    return exe


def test_docs_have_workflows_using_the_action():
    flows = _workflows()
    assert any("docs/ci.md" in w for w, _ in flows)
    assert any(ACTION_REF.search(body) for _, body in flows), "docs/ci.md should use the composite action"
    text = (ROOT / "docs" / "ci.md").read_text("utf-8")
    assert PLACEHOLDER in text and "placeholder" in text


@pytest.mark.parametrize("where,body", _workflows(), ids=lambda v: v if ":" in str(v) and len(str(v)) < 40 else "")
def test_workflow_in_docs_passes_actionlint(where, body, tmp_path):
    exe = _actionlint()
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    # the docs use the action at the repository root: the copy here, so its inputs are checked too
    (tmp_path / ".github" / "workflows" / "doc.yml").write_text(body, "utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    proc = subprocess.run([exe, "-no-color", ".github/workflows/doc.yml"], cwd=tmp_path, capture_output=True,
                          text=True)
    assert proc.returncode == 0, f"{where}:\n{proc.stdout}{proc.stderr}"


def test_actionlint_catches_a_wrong_input(tmp_path):
    """The check above can fail: an input the action does not have is reported."""
    exe = _actionlint()
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    (tmp_path / ".github" / "workflows" / "bad.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n"
        "        with:\n          apk: a.apk\n          manifest: m.yaml\n          no-such-input: 1\n", "utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    proc = subprocess.run([exe, "-no-color", ".github/workflows/bad.yml"], cwd=tmp_path, capture_output=True,
                          text=True)
    assert proc.returncode != 0 and "no-such-input" in proc.stdout


def test_action_metadata_and_scripts():
    action = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    assert {"apk", "manifest", "scenario", "mode", "sarif", "fail-on"} <= set(action["inputs"])
    assert action["inputs"]["fail-on"]["default"] == "incomplete"          # incomplete evidence is never a pass
    shellcheck = shutil.which("shellcheck")
    for step in action["runs"]["steps"]:
        assert "${{ inputs." not in step.get("run", ""), "inputs reach scripts through env, never inline"
        if "run" in step and shellcheck:
            script = re.sub(r"\$\{\{[^}]*\}\}", "X", step["run"])
            proc = subprocess.run([shellcheck, "-s", "bash", "-"], input=script, capture_output=True, text=True)
            assert proc.returncode == 0, proc.stdout


def test_no_invented_hosting_address():
    """Install lines name what exists: a checkout, a wheel built from it; the action by `./` or the one marked
    placeholder. No address of a host nobody set up (README, docs, pyproject, the action, SARIF)."""
    invented = re.compile(r"github\.com/sdkgate|sdkgate/sdkgate@|pypi\.org/project/sdkgate|git\+https://[^\s\"']*sdkgate")
    files = [ROOT / "README.md", ROOT / "pyproject.toml", ROOT / "action.yml", *sorted((ROOT / "docs").glob("*.md")),
             ROOT / "sdkgate" / "formats" / "sarif.py"]
    for f in files:
        hits = invented.findall(f.read_text("utf-8"))
        assert not hits, f"{f.relative_to(ROOT)}: {hits}"
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "pipx install ." in readme and "pip wheel --no-deps -w dist ." in readme and PLACEHOLDER in readme
    assert "[project.urls]" not in (ROOT / "pyproject.toml").read_text("utf-8")
