"""App models: parsing, every bad-input case, stacks that attribute right, request bodies."""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import urllib.parse

import pytest

from sdkgate.apitable import by_id
from sdkgate.dynamic.appmodel import SendSpec, load_app_model
from sdkgate.dynamic.sends import build_request, protobuf_fields, transform_value
from sdkgate.dynamic.stacks import StackBuilder, api_frame
from sdkgate.errors import InputError

from .conftest import MODELS

BASE = """schema: sdkgate.appmodel/1
app: {package: com.example.recruit}
sdks:
  umeng_common: {entry: com.umeng.commonsdk.UMConfigure.init, classes: [com.umeng.commonsdk.statistics.idtracking.ImeiTracker]}
features:
  clipboard_paste: {activity: com.example.recruit.ui.SearchActivity}
behaviour:
"""


def test_bundled_models_parse(manifest):
    non = load_app_model(MODELS / "recruit-noncompliant.yaml", manifest)
    comp = load_app_model(MODELS / "recruit-compliant.yaml", manifest)
    assert non.package == comp.package == "com.example.recruit"
    assert not non.consent_gated and comp.consent_gated
    assert set(non.sdks) >= {"umeng_common", "jpush", "bugly", "amap_location", "cmic_login"}
    # the non-compliant build starts every SDK in Application.onCreate; the compliant one none without consent
    starters = {a.by for a in non.blocks["launch"] if a.verb == "read" and a.by != "first_party"}
    assert starters == {"umeng_common", "jpush", "bugly", "amap_location", "cmic_login"}
    assert all(a.when == "consented" for a in comp.blocks["launch"])
    umeng_send = next(a.send for a in non.blocks["launch"] if a.verb == "send")
    assert umeng_send.values == ("md5-hex-upper",) and umeng_send.data == ("device_id.imei",)
    assert len(non.sha256) == 64


def test_every_read_in_the_bundled_models_is_in_the_api_table(manifest):
    table = by_id()
    for f in MODELS.glob("*.yaml"):
        m = load_app_model(f, manifest)
        acts = [a for b in [*m.blocks.values(), *m.feature_blocks.values()] for a in b]
        acts += [t for a in acts for t in a.then]
        for a in acts:
            if a.verb == "read":
                assert a.api_id in table


@pytest.mark.parametrize("body,needle,line", [
    ("  launch:\n    - {by: umeng_common, read: telephony.getDeviceIdd}\n", "unknown API 'telephony.getDeviceIdd'", 9),
    ("  launch:\n    - {by: jpush, read: telephony.getDeviceId}\n", "'by: jpush'", 9),
    ("  launch:\n    - {read: telephony.getDeviceId, when: sometimes}\n", "'when' must be one of", 9),
    ("  launch:\n    - {read: telephony.getDeviceId, colour: red}\n", "unknown action field 'colour'", 9),
    ("  launch:\n    - {read: telephony.getDeviceId, send: {host: a.com}}\n", "exactly one verb", 9),
    ("  launch:\n    - {read: perm.activity.requestPermissions}\n", "use 'request_permission'", 9),
    ("  launch:\n    - send: {host: a.com, encoding: rot13}\n", "unknown encoding 'rot13'", 9),
    ("  launch:\n    - send: {host: a.com, data: [shoe_size]}\n", "unknown category id 'shoe_size'", 9),
    ("  launch:\n    - send: {host: a.com, scheme: ftp}\n", "scheme must be http or https", 9),
    ("  launch:\n    - send: {host: a.com, method: GET, encoding: json}\n", "use the 'query' container", 9),
    ("  launch:\n    - send: {host: a.com, encoding: json+form}\n", "at most one body container", 9),
    ("  launch:\n    - {request_permission: []}\n", "request_permission takes", 9),
    ("  launch:\n    - {request_permission: [CAMERA], respect_denial: forever}\n", "respect_denial", 9),
    ("  launch:\n    - {read: clipboard.getText, then: []}\n", "'then' belongs to request_permission", 9),
    ("  launch:\n    - {write_marker: yes please}\n", "write_marker is true", 9),
    ("  launch:\n    - {sleep: later}\n", "sleep:", 9),
    ("  launch:\n    - {read: clipboard.getText, scope: marketing}\n", "not a consent scope", 9),
    ("  launch:\n    - {read: clipboard.getText, repeat: 0}\n", "'repeat' must be", 9),
    ("  startup:\n    - {read: clipboard.getText}\n", "unknown event 'startup'", 8),
    ("  feature:\n    teleport:\n      - {read: clipboard.getText}\n", "feature 'teleport' is not declared", 9),
    ("  launch: {read: clipboard.getText}\n", "expected a list of actions", 8),
])
def test_bad_actions_name_file_and_line(write, manifest, body, needle, line):
    p = write("m.yaml", BASE + body)
    with pytest.raises(InputError) as ei:
        load_app_model(p, manifest)
    assert ei.value.file == str(p)
    assert needle in ei.value.problem, ei.value.problem
    assert ei.value.place == f"line {line}"


@pytest.mark.parametrize("text,needle", [
    (BASE.replace("com.example.recruit}", "com.other.app}"), "differs from the manifest"),
    (BASE.replace("umeng_common: {", "no_such_sdk: {"), "not in the catalogue"),
    (BASE.replace("com.umeng.commonsdk.UMConfigure.init", "cn.jpush.android.api.JPushInterface.init"),
     "attributed to 'jpush', not 'umeng_common'"),
    (BASE.replace("entry: com.umeng.commonsdk.UMConfigure.init, ", ""), "needs 'entry"),
    (BASE.replace("clipboard_paste: {", "time_travel: {"), "not in the manifest's features"),
    (BASE.replace("schema: sdkgate.appmodel/1", "schema: sdkgate.appmodel/9"), "unsupported schema"),
    (BASE + "  launch: []\ncolour: red\n", "unknown field 'colour'"),
    (BASE.replace("behaviour:", "on:") + "  launch: []\n", "write 'behaviour:'"),
    ("- 1\n", "an app model is a YAML mapping"),
    (BASE + "  launch:\n    - {by: umeng_common, read: telephony.getDeviceId}\n", None),
])
def test_bad_models(write, manifest, text, needle):
    p = write("m.yaml", text)
    if needle is None:
        assert load_app_model(p, manifest).blocks["launch"][0].api_id == "telephony.getDeviceId"
        return
    with pytest.raises(InputError) as ei:
        load_app_model(p, manifest)
    assert needle in ei.value.problem, ei.value.problem


def test_consent_gated_model_must_gate_its_sdks(write, manifest):
    text = BASE.replace("schema: sdkgate.appmodel/1", "schema: sdkgate.appmodel/1\nconsent_gated: true")
    p = write("m.yaml", text + "  launch:\n    - {by: umeng_common, read: telephony.getDeviceId}\n")
    with pytest.raises(InputError) as ei:
        load_app_model(p, manifest)
    assert "consent_gated" in ei.value.problem and ei.value.place == "line 10"
    p = write("ok.yaml", text + "  launch:\n    - {by: umeng_common, when: consented, read: telephony.getDeviceId}\n")
    assert load_app_model(p, manifest).consent_gated


def test_stacks_attribute_to_the_acting_sdk(manifest):
    """Built stacks go through the real catalogue: first non-framework frame below the API is the actor."""
    m = load_app_model(MODELS / "recruit-noncompliant.yaml", manifest)
    sb = StackBuilder(m)
    cat = manifest.catalogue()
    framework = ("android.", "java.", "javax.", "com.android.", "androidx.", "kotlin.", "dalvik.")
    for a in m.blocks["launch"]:
        if a.verb != "read":
            continue
        thread = a.thread or m.sdks.get(a.by, None) and m.sdks[a.by].thread or "main"
        stack = sb.build(a, api_frame(a.api_id), "launch", "", thread)
        api = by_id()[a.api_id]
        assert stack[0].startswith(f"{api.cls}.{api.member}(")
        first = next(f for f in stack[1:] if not f.startswith(framework))
        cls = first.split("(")[0].rsplit(".", 1)[0]
        assert cat.attribute_class(cls, manifest.app_packages) == a.by, (a, stack)
        if thread == "main":
            assert any(f.startswith("com.example.recruit.App.onCreate(") for f in stack)
            assert stack[-1].startswith("com.android.internal.os.ZygoteInit.main(")
        else:
            assert stack[-1].startswith("java.lang.Thread.run(")


def test_value_transforms():
    imei = "866123456789012"
    assert transform_value(imei, ("md5-hex-upper",)) == hashlib.md5(imei.encode()).hexdigest().upper()
    assert transform_value(imei, ("sha256-hex",)) == hashlib.sha256(imei.encode()).hexdigest()
    assert transform_value(imei, ("sha1-hex-upper",)) == hashlib.sha1(imei.encode()).hexdigest().upper()
    assert transform_value("02:1a:2b:3c:4d:5e", ("nosep", "upper")) == "021A2B3C4D5E"
    assert base64.b64decode(transform_value(imei, ("base64",))).decode() == imei
    assert transform_value(imei, ("hex",)) == imei.encode().hex()
    assert transform_value(imei, ()) == imei


def _spec(**kw):
    base = dict(host="ulogs.umeng.com", scheme="https", path="/x", method="POST", data=("device_id.imei", "clipboard"),
                values=(), container="json", fields={"device_id.imei": "di"}, extra={"appkey": "k1"})
    base.update(kw)
    return SendSpec(**base)


def test_request_bodies():
    vals = {"device_id.imei": "866123456789012", "clipboard": "sdkgate-clip-abc"}
    url, h, body, missing = build_request(_spec(), vals)
    assert url == "https://ulogs.umeng.com/x" and not missing
    assert json.loads(body) == {"appkey": "k1", "di": "866123456789012", "clipboard": "sdkgate-clip-abc"}
    _, h, body, _ = build_request(_spec(container="gzip-json", values=("md5-hex-upper",)), vals)
    assert h["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(body))["di"] == hashlib.md5(b"866123456789012").hexdigest().upper()
    _, h, body, _ = build_request(_spec(container="form", values=("base64",)), vals)
    form = dict(urllib.parse.parse_qsl(body.decode()))
    assert base64.b64decode(form["clipboard"]).decode() == "sdkgate-clip-abc"
    url, _, body, _ = build_request(_spec(container="query", method="GET"), vals)
    assert body is None and dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["di"] == "866123456789012"
    _, h, body, _ = build_request(_spec(container="protobuf"), vals)
    assert body == protobuf_fields([("appkey", "k1"), ("di", "866123456789012"), ("clipboard", "sdkgate-clip-abc")])
    assert body[0] == (1 << 3) | 2 and body[1] == 2 and body[2:4] == b"k1"
    _, _, body, _ = build_request(_spec(container="base64-json"), vals)
    assert json.loads(base64.b64decode(body))["di"] == "866123456789012"
    _, _, _, missing = build_request(_spec(), {"clipboard": "x1234"})
    assert missing == ["device_id.imei"]


def test_timers_parse_and_bad_timers_are_named(write, manifest):
    from sdkgate.dynamic.appmodel import load_app_model
    head = "schema: sdkgate.appmodel/1\napp: {package: com.example.recruit}\n"
    m = load_app_model(write("t.yaml", head + "timers:\n  - {after: 5s, every: 30s, actions: [{read: clipboard.getPrimaryClip}]}\n"),
                       manifest)
    (t,) = m.timers
    assert (t.after_ms, t.every_ms, t.actions[0].api_id) == (5000, 30000, "clipboard.getPrimaryClip")
    for body, needle in [("timers:\n  - {every: 3s, actions: [{read: clipboard.getPrimaryClip}]}\n", "needs 'after'"),
                         ("timers:\n  - {after: 1s}\n", "needs 'actions'"),
                         ("timers:\n  - {after: 1s, when: x, actions: [{read: clipboard.getPrimaryClip}]}\n", "unknown timer field"),
                         ("timers:\n  - {after: soon, actions: [{read: clipboard.getPrimaryClip}]}\n", "after:")]:
        with pytest.raises(InputError) as exc:
            load_app_model(write("b.yaml", head + body), manifest)
        assert needle in exc.value.render() and "line 4" in exc.value.render(), exc.value.render()
