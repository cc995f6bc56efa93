"""Helpers to write hand-made event logs for rule tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from sdkgate.events import Event
from sdkgate.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[2]


class Log:
    """Builds events with per-source seqs, the way producers do."""

    def __init__(self):
        self.events: list[Event] = []
        self.seq: dict[str, int] = {}

    def add(self, source: str, kind: str, t_ms: float, **fields) -> Event:
        core = {k: fields.pop(k) for k in ("category", "api", "actor", "stack") if k in fields}
        n = self.seq.get(source, 0)
        self.seq[source] = n + 1
        ev = Event(seq=n, t_ms=t_ms, source=source, kind=kind, extra=fields, **core)
        self.events.append(ev)
        return ev

    # shorthands
    def agent(self, t=0):
        return self.add("hook", "agent_status", t, status="loaded")

    def read(self, t, actor, category, api_id="telephony.getDeviceId"):
        return self.add("hook", "read", t, actor=actor, category=category, api_id=api_id,
                        api="Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;",
                        stack=["android.telephony.TelephonyManager.getDeviceId(TelephonyManager.java:1)"])

    def consent(self, t, transition, scope="policy"):
        self.add("step", "step", t, index=len(self.events), action="consent", status="ok")
        return self.add("step", "consent", t, scope=scope, transition=transition)

    def consented(self, t=0):
        """An agent that loaded, the consent tap and the app's own marker, as a real run records them."""
        self.agent(t)
        self.consent(t, "granted")
        return self.marker(t, "granted")

    def marker(self, t, transition, scope="policy"):
        return self.add("hook", "consent_marker", t, scope=scope, transition=transition,
                        marker="method:com.example.recruit.privacy.ConsentStore.setAgreed")

    def send(self, t, actor, category, host, scheme="https", encoding="md5-hex-upper"):
        return self.add("net", "send", t, actor=actor, category=category, host=host, scheme=scheme,
                        method="POST", path="/collect", encoding=encoding, flow_id="f1")


@pytest.fixture
def log():
    return Log()


@pytest.fixture(scope="session")
def demo_manifest():
    return load_manifest(ROOT / "manifests" / "demo-recruit.yaml")


def rules_of(report):
    return {(f.rule, f.actor, f.category) for f in report.findings if not f.suppressed}


def rule_ids(report):
    return {f.rule for f in report.findings if not f.suppressed}
