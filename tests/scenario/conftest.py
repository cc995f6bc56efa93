from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
MODELS = SCENARIOS / "models"
MANIFEST = REPO / "manifests" / "demo-recruit.yaml"


@pytest.fixture(scope="session")
def manifest():
    from sdkgate.manifest import load_manifest
    return load_manifest(MANIFEST)


@pytest.fixture
def write(tmp_path):
    """Write a text file under tmp_path and return its path."""
    def _write(name: str, text: str) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        return p
    return _write


def sim_runner(shared_proxy, tmp_path: Path, head: str):
    """run(model_text, steps, extra, head): a scenario on the simulated device (real agent in real Frida,
    the module's shared proxy, the real engine) for an app model made of `head` + `model_text`; returns
    (RunResult, hook+step events)."""
    def run(model_text: str, steps: str, extra: str = "", head: str = head):
        from sdkgate.dynamic.appmodel import load_app_model
        from sdkgate.dynamic.simulator import SimulatedDevice
        from sdkgate.events import read_events
        from sdkgate.manifest import load_manifest
        from sdkgate.scenario.model import load_scenario
        from sdkgate.scenario.runner import RunOptions, run_scenario
        model = tmp_path / "model.yaml"
        model.write_text(head + model_text, encoding="utf-8")
        sc_path = tmp_path / "scenario.yaml"
        sc_path.write_text(f"name: t\nmanifest: {MANIFEST}\n{extra}steps:\n{steps}", encoding="utf-8")
        manifest = load_manifest(MANIFEST)
        backend = SimulatedDevice(load_app_model(model, manifest))
        res = run_scenario(load_scenario(sc_path), manifest, backend, tmp_path / "out", RunOptions(
            app_model=model, canaries=shared_proxy.canaries, proxy_factory=shared_proxy.factory))
        return res, list(read_events(res.out_dir / "events.jsonl"))
    return run


class SharedProxy:
    """One real proxy (ProxyProcess, offline) for a whole test module, so each simulated run does
    not pay for a proxy start. Runs are sequential; each gets the slice of the shared net.jsonl its
    traffic produced, re-based to its own t0 and renumbered, as a per-run proxy would have written
    it. All runs plant the proxy's canaries (RunOptions.canaries = .canaries)."""

    def __init__(self, folder: Path, manifest_path: Path):
        import time

        from sdkgate.canaries import generate
        from sdkgate.net.proxy import ProxyProcess

        self.folder = folder
        self.canaries = generate()
        self.t0 = int(time.time() * 1000)
        self.proc = ProxyProcess(self.canaries, folder, offline=True, manifest=manifest_path, t0_ms=self.t0).start()

    @property
    def net(self) -> Path:
        return self.folder / "net.jsonl"

    def factory(self, out_dir: Path, canaries_path: Path, t0: int, manifest_path: Path):
        return _Slice(self, Path(out_dir), t0)

    def stop(self):
        self.proc.stop()


class _Slice:
    def __init__(self, shared: SharedProxy, out_dir: Path, t0: int):
        self.shared, self.out_dir, self.t0 = shared, out_dir, t0
        self.port, self.ca_path = shared.proc.port, shared.proc.ca_path

    def __enter__(self):
        self.offset = self.shared.net.stat().st_size if self.shared.net.exists() else 0
        return self

    def __exit__(self, *exc):
        import json
        data = b""
        if self.shared.net.exists():
            with self.shared.net.open("rb") as fh:
                fh.seek(self.offset)
                data = fh.read()
        seqs: dict[str, int] = {}
        with (self.out_dir / "net.jsonl").open("w", encoding="utf-8") as out:
            for raw in data.splitlines():
                if not raw.strip():
                    continue
                d = json.loads(raw)
                d["t_ms"] = round(d["t_ms"] + self.shared.t0 - self.t0, 3)
                d["seq"] = seqs.get(d["source"], 0)
                seqs[d["source"]] = d["seq"] + 1
                out.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n")
        return False
