"""SG405 with a GeoIP database the test writes itself; host attribution without network access."""
from __future__ import annotations

import pytest

from sdkgate.errors import InputError
from sdkgate.events import Event
from sdkgate.manifest import load_manifest
from sdkgate.net.attribution import Attributor, registrable_domain
from sdkgate.rules import EvalOptions, evaluate
from sdkgate.rules.geo import geo_findings

from .helpers import MANIFEST, write_mmdb


@pytest.fixture(scope="module")
def mmdb(tmp_path_factory):
    path = tmp_path_factory.mktemp("geo") / "test.mmdb"
    write_mmdb(path, {"34.120.5.0/24": {"country": {"iso_code": "US"}},
                      "1.80.2.0/24": {"country": {"iso_code": "CN"}}})
    return path


def ev(seq, kind, **kw):
    core = {k: kw.pop(k) for k in ("category", "actor") if k in kw}
    return Event(seq=seq, t_ms=100.0 + seq, source="net", kind=kind, extra=kw, **core)


EVENTS = [
    ev(0, "flow", actor="umeng_common", host="alog.umeng.com", scheme="https", method="POST", path="/a", status=200,
       flow_id="f1", ip="1.80.2.7", bytes=10, capped=False),
    ev(1, "send", actor="bugly", category="device_id.android_id", host="x.bugly.qq.com", scheme="https",
       method="POST", path="/b", encoding="md5-hex", where="body", flow_id="f2", ip="34.120.5.9"),
    ev(2, "flow", actor="bugly", host="x.bugly.qq.com", scheme="https", method="POST", path="/b", status=200,
       flow_id="f2", ip="34.120.5.9", bytes=10, capped=False),
    ev(3, "flow", actor="jpush", host="api.jpush.cn", scheme="https", method="GET", path="/c", status=204,
       flow_id="f3", bytes=0, capped=False),                  # offline: no server address
]


def test_sg405_outside_allowed_regions(mmdb):
    findings, skipped = geo_findings(EVENTS, load_manifest(MANIFEST), str(mmdb))
    got = {(f.rule, f.actor, f.severity, f.detail["country"]) for f in findings}
    assert got == {("SG405", "bugly", "violation", "US"), ("SG405", "bugly", "warning", "US")}
    assert any("1 flow(s) without a server address" in s for s in skipped)


def test_sg405_in_the_engine_and_skipped_without_database(mmdb):
    man = load_manifest(MANIFEST)
    with_db = evaluate(EVENTS, man, EvalOptions(geoip=str(mmdb)))
    assert any(f.rule == "SG405" for f in with_db.findings)
    without = evaluate(EVENTS, man)
    assert not any(f.rule == "SG405" for f in without.findings)
    assert any("SG405 skipped" in s for s in without.skipped)


def test_bad_database_is_an_input_error(tmp_path):
    bad = tmp_path / "x.mmdb"
    bad.write_bytes(b"not a database")
    with pytest.raises(InputError) as exc:
        geo_findings(EVENTS, load_manifest(MANIFEST), str(bad))
    assert str(bad) in exc.value.render()


def test_attribution_catalogue_first_party_unknown():
    a = Attributor.for_manifest(load_manifest(MANIFEST))
    assert a.actor("ALOG.Umeng.com.") == "umeng_common"
    assert a.actor("x.bugly.qq.com") == "bugly" and a.actor("qq.com") == "unknown"
    assert a.actor("api.recruit.example.com") == "first_party"
    assert a.actor("example.com") == "unknown" and a.actor("34.120.5.9") == "unknown"
    # public-suffix aware, from the bundled snapshot (no network here)
    assert registrable_domain("a.b.tracker.co.uk") == "tracker.co.uk"
    assert registrable_domain("x.bugly.qq.com") == "qq.com"
    assert registrable_domain("34.120.5.9") == "34.120.5.9"
