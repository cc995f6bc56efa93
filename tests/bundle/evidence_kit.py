"""Hand-made evidence folders (written with the real EventWriter, judged by the real rule engine).

Used when a real simulated run is not needed: tests build a known set of events, seal the folder with
`write_bundle` and then tamper with it or render it.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from sdkgate.events import EventWriter, merge_streams, read_events
from sdkgate.manifest import load_manifest
from sdkgate.rules import evaluate

REPO = Path(__file__).resolve().parents[2]
DEMO_MANIFEST = REPO / "manifests" / "demo-recruit.yaml"
UMENG_STACK = ["android.telephony.TelephonyManager.getImei(Native Method)",
               "com.umeng.commonsdk.statistics.common.DeviceConfig.getImei(DeviceConfig.java:212)",
               "com.umeng.commonsdk.UMConfigure.init(UMConfigure.java:88)",
               "com.example.recruit.App.onCreate(App.java:31)"]
CANARIES = {"device_id.imei": "861234567890128", "clipboard": "sdkgate-clip-abc123def456",
            "device_id.android_id": "0123456789abcdef"}
IMEI_API = "Landroid/telephony/TelephonyManager;->getImei()Ljava/lang/String;"


def write_evidence(out: Path, *, compliant: bool = False, scenario_name: str = "cold-start-accept") -> Path:
    """A run of the demo app: cold start, (pre-consent reads + sends unless compliant), accept, later reads."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEMO_MANIFEST, out / "manifest.yaml")
    (out / "scenario.yaml").write_text(f"name: {scenario_name}\nsteps:\n  - fresh_install\n  - launch\n"
                                       "  - consent: accept\n", "utf-8")
    with EventWriter(out / "events.jsonl") as w:
        w.emit("step", "lifecycle", 0.0, what="install")
        w.emit("step", "lifecycle", 10.0, what="launch")
        w.emit("hook", "agent_status", 11.0, status="loaded", dropped=0)
        if not compliant:
            w.emit("hook", "read", 120.0, category="device_id.imei", api=IMEI_API, actor="umeng_common",
                   stack=UMENG_STACK, api_id="telephony.getImei", thread="main", canary=True,
                   caller="com.umeng.commonsdk.statistics.common.DeviceConfig.getImei")
            w.emit("hook", "read", 300.0, category="clipboard",
                   api="Landroid/content/ClipboardManager;->getPrimaryClip()Landroid/content/ClipData;",
                   actor="first_party", stack=["android.content.ClipboardManager.getPrimaryClip(Native Method)",
                                               "com.example.recruit.MainActivity.onResume(MainActivity.java:50)"],
                   api_id="clipboard.getPrimaryClip", thread="main", canary=True)
        w.emit("step", "step", 2000.0, index=2, action="consent", status="ok", detail="accept")
        w.emit("step", "consent", 2000.0, scope="policy", transition="granted")
        w.emit("hook", "consent_marker", 2005.0, scope="policy", transition="granted",
               marker="method:com.example.recruit.privacy.ConsentStore.setAgreed", value=True)
        w.emit("hook", "read", 4000.0, category="device_id.android_id",
               api="Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;",
               actor="jpush", stack=["android.provider.Settings$Secure.getString(Native Method)",
                                     "cn.jpush.android.api.JPushInterface.init(JPushInterface.java:10)"],
               api_id="settings.secure.android_id", thread="pool-1", canary=True)
    with EventWriter(out / "net.jsonl") as w:
        if not compliant:
            w.emit("net", "send", 500.0, category="device_id.imei", actor="umeng_common", host="alog.umeng.com",
                   scheme="https", method="POST", path="/app_logs", encoding="md5-hex-upper", where="body",
                   flow_id="f-1")
        w.emit("net", "send", 4100.0, category="device_id.android_id", actor="jpush", host="stats.jpush.cn",
               scheme="https", method="POST", path="/v3/report", encoding="plain", where="body.json", flow_id="f-2")
    (out / "screenshots").mkdir(exist_ok=True)
    (out / "screenshots" / "step-2.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (out / "run.json").write_text(json.dumps({
        "scenario": scenario_name, "canaries": CANARIES, "agent_sha256": "ab" * 32,
        "backend": "simulated", "t0_epoch_ms": 1_700_000_000_000}, indent=2), "utf-8")
    write_report(out)
    return out


def write_report(out: Path, manifest_path: Path | None = None) -> dict:
    manifest = load_manifest(manifest_path or out / "manifest.yaml")
    streams = [read_events(out / n) for n in ("events.jsonl", "net.jsonl") if (out / n).exists()]
    report = evaluate(merge_streams(streams), manifest)
    d = report.to_dict()
    (out / "report.json").write_text(json.dumps(d, ensure_ascii=False, indent=2), "utf-8")
    return d


def simulated_run(out: Path, scenario: str = "demo-noncompliant.yaml") -> Path:
    """A real `sdkgate simulate` run (real agent in real Frida, real proxy), sealed with write_bundle."""
    import contextlib
    import io

    from sdkgate.bundle import write_bundle
    from sdkgate.cli import cli
    from sdkgate.cli.common import run_guarded
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        code = run_guarded(cli, ["simulate", str(REPO / "scenarios" / scenario), "--out", str(out), "--format", "json"])
    assert code in (0, 1, 3), buf.getvalue()[-2000:]
    if not (out / "bundle.json").exists():         # the runner may already seal it
        write_bundle(out)
    return out
