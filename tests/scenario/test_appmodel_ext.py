"""Issue 22 §4: what the app model can now say (device, classes, UI toolkits, input verbs, load_class,
interface and JNI reads, marker store, send headers / multipart / custom transforms), each rejected
with the file and line when it is wrong, and the requests the new send fields build."""
from __future__ import annotations

import base64
import json

import pytest

from sdkgate.dynamic.appmodel import load_app_model
from sdkgate.dynamic.sends import MULTIPART_BOUNDARY, build_request, scramble
from sdkgate.errors import InputError

BASE = """schema: sdkgate.appmodel/1
app: {package: com.example.recruit}
sdks:
  umeng_common: {entry: com.umeng.commonsdk.UMConfigure.init, classes: [com.umeng.commonsdk.statistics.idtracking.ImeiTracker]}
classes:
  com.bun.miitmdid.supplier.xiaomi.XiaomiIdSupplier: {implements: [com.bun.miitmdid.interfaces.IdSupplier]}
  com.bun.miitmdid.supplier.huawei.HuaweiIdSupplier:
    implements: com.bun.miitmdid.interfaces.IdSupplier
    loaded: later
behaviour:
"""
IFACE = "com.bun.miitmdid.interfaces.IdSupplier"


def test_the_new_sections_and_verbs_parse(write, manifest):
    text = BASE.replace("app: {package: com.example.recruit}", """app: {package: com.example.recruit, ui: [compose, webview]}
device: {api_level: 26, accessibility: ["com.google.android.marvin.talkback/.TalkBackService"]}""")
    p = write("m.yaml", text + """  launch:
    - fake_input: {control: accept, via: injected}
    - user_input: {control: decline, via: key}
    - user_input: {control: accept, window: other}
    - {by: umeng_common, read: msa.IdSupplier.getOAID}
    - {by: umeng_common, load_class: com.bun.miitmdid.supplier.huawei.HuaweiIdSupplier}
    - {by: umeng_common, read: msa.IdSupplier.getOAID, impl: com.bun.miitmdid.supplier.huawei.HuaweiIdSupplier}
    - {by: umeng_common, read: settings.secure.getString, args: [null, android_id], jni: {lib: libumeng.so}}
    - {write_marker: true, store: mmkv}
    - by: umeng_common
      send: {host: ulogs.umeng.com, data: [device_id.android_id], encoding: multipart,
             headers: {X-Did: device_id.android_id, X-App: recruit}, transform: [{xor: k3y}, base64]}
""")
    m = load_app_model(p, manifest)
    assert (m.device.api_level, m.device.accessibility, m.ui) == (
        26, ("com.google.android.marvin.talkback/.TalkBackService",), ("compose", "webview"))
    acts = m.blocks["launch"]
    assert acts[0].input == {"transition": "granted", "via": "injected", "window": "consent", "by_id": True}
    assert acts[1].input["via"] == "key" and acts[1].input["transition"] == "declined"
    assert acts[2].input["window"] == "other" and acts[2].input["by_id"] is False    # text only, another dialog
    assert acts[3].impl == "com.bun.miitmdid.supplier.xiaomi.XiaomiIdSupplier"        # the first implementation
    assert acts[4].class_name.endswith("HuaweiIdSupplier") and acts[5].impl.endswith("HuaweiIdSupplier")
    assert acts[6].jni == {"lib": "libumeng.so", "thread": "native"}
    assert acts[7].store == "mmkv"
    assert acts[8].send.headers == {"X-Did": "device_id.android_id", "X-App": "recruit"}
    assert acts[8].send.transform == (("xor", "k3y"), ("base64", ""))
    spec = m.classes
    assert spec[IFACE]["modifiers"] & 0x200 and spec[IFACE]["loaded"] is True       # loads with its first impl
    assert spec[IFACE]["methods"] == {"getOAID": [[]]}
    assert spec["com.bun.miitmdid.supplier.huawei.HuaweiIdSupplier"]["loaded"] is False


@pytest.mark.parametrize("extra,body,needle,line", [
    ("device: {api_level: 21}\n", "", "api_level is an Android API level 24..35", 10),
    ("device: {accessibility: [talkback]}\n", "", "'package/.ServiceClass'", 10),
    ("device: {rooted: true}\n", "", "unknown device field 'rooted'", 10),
    ("", "    - fake_input: {control: accept, via: telepathy}\n", "fake_input via is one of", 12),
    ("", "    - fake_input: {control: maybe}\n", "needs 'control: accept|decline|withdraw'", 12),
    ("", "    - user_input: {control: accept, window: elsewhere}\n", "window is consent", 12),
    ("", "    - user_input: {control: accept, via: injected}\n", "user_input via is one of", 12),
    ("", "    - fake_input: {control: accept, window: other}\n", "unknown fake_input field 'window'", 12),
    ("", "    - {load_class: com.bun.miitmdid.supplier.xiaomi.XiaomiIdSupplier}\n", "loaded: later", 12),
    ("", "    - {read: msa.IdSupplier.getOAID, impl: com.example.Nope}\n", "implements com.bun.miitmdid.interfaces", 12),
    ("", "    - {read: fused.getLastLocation}\n", "list the class the call lands on", 12),
    ("", "    - {read: telephony.getDeviceId, jni: {lib: /x/libz.so}}\n", "jni 'lib' is a library file name", 12),
    ("", "    - {read: telephony.getDeviceId, jni: {thread: green}}\n", "jni thread is java", 12),
    ("", "    - {write_marker: true, store: cloud}\n", "store is one of shared_prefs, mmkv, file, settings", 12),
    ("", "    - {send: {host: a.com}, store: mmkv}\n", "'store' belongs to write_marker", 12),
    ("", "    - {send: {host: a.com, headers: {\"X Bad\": v}}}\n", "not an HTTP header name", 12),
    ("", "    - {send: {host: a.com, transform: [rot13]}}\n", "unknown transform step 'rot13'", 12),
    ("", "    - {send: {host: a.com, method: GET, transform: [base64]}}\n", "transform works on a body", 12),
])
def test_bad_extensions_name_file_and_line(write, manifest, extra, body, needle, line):
    text = BASE.replace("behaviour:\n", extra + "behaviour:\n  launch:\n" + (body or "    - {read: telephony.getDeviceId}\n"))
    p = write("m.yaml", text)
    with pytest.raises(InputError) as ei:
        load_app_model(p, manifest)
    assert needle in ei.value.problem, ei.value.problem
    assert ei.value.file == str(p) and ei.value.place == f"line {line}", ei.value.render()


@pytest.mark.parametrize("classes,needle", [
    ("  com.example.Impl: {implements: [java.lang.Runnable]}\n", "not an interface or abstract class of the sensitive-API"),
    ("  com.example.Impl: {}\n", "needs 'implements"),
    ("  not a class: {implements: [com.bun.miitmdid.interfaces.IdSupplier]}\n", "is not a Java class name"),
    ("  com.example.Iface: {interface: true}\n", "is not an interface of the sensitive-API table"),
    ("  com.example.Impl: {implements: [com.bun.miitmdid.interfaces.IdSupplier], loaded: sometimes}\n", "loaded is at_start or later"),
])
def test_bad_classes(write, manifest, classes, needle):
    text = BASE.split("classes:\n")[0] + "classes:\n" + classes + "behaviour:\n"
    with pytest.raises(InputError) as ei:
        load_app_model(write("m.yaml", text), manifest)
    assert needle in ei.value.problem and ei.value.place.startswith("line "), ei.value.render()


def test_headers_multipart_and_transforms_build_the_request(write, manifest):
    p = write("m.yaml", BASE + """  launch:
    - send: {host: a.umeng.com, data: [device_id.android_id, device_id.imei], encoding: md5-hex+multipart,
             headers: {X-Did: device_id.android_id, X-Missing: device_id.oaid, X-App: recruit}}
    - send: {host: b.umeng.com, data: [device_id.imei], transform: [{xor: k3y}, base64]}
""")
    m = load_app_model(p, manifest)
    values = {"device_id.android_id": "9774d56d682e549c", "device_id.imei": "866123456789012"}
    url, headers, body, missing = build_request(m.blocks["launch"][0].send, values)
    from hashlib import md5
    assert headers["X-Did"] == md5(b"9774d56d682e549c").hexdigest() and headers["X-App"] == "recruit"
    assert "X-Missing" not in headers and missing == ["device_id.oaid"]
    assert headers["Content-Type"] == f"multipart/form-data; boundary={MULTIPART_BOUNDARY}"
    assert f'name="imei"\r\n\r\n{md5(b"866123456789012").hexdigest()}\r\n'.encode() in body
    _, headers, body, _ = build_request(m.blocks["launch"][1].send, values)
    plain = json.dumps({"imei": "866123456789012"}).encode()
    assert body == base64.b64encode(bytes(b ^ b"k3y"[i % 3] for i, b in enumerate(plain)))
    assert b"866123456789012" not in body and headers["Content-Type"] == "application/octet-stream"
    assert scramble(scramble(b"abc", (("xor", "k"),)), (("xor", "k"),)) == b"abc"
