"""App-model network keys: parsed into NetSpec, bad values are one clear error naming file and line."""
from __future__ import annotations

import pytest

from sdkgate.dynamic.appmodel import load_app_model
from sdkgate.errors import InputError
from sdkgate.manifest import load_manifest
from tests.netcap.test_sim_bypass import HEAD, MANIFEST


def _model(tmp_path, send: str):
    p = tmp_path / "m.yaml"
    p.write_text(HEAD + f"    - by: jpush\n      send: {send}\n", "utf-8")
    return p, load_manifest(MANIFEST)


def _spec(tmp_path, send: str):
    p, m = _model(tmp_path, send)
    model = load_app_model(p, m)
    return next(a.send for a in model.blocks["launch"] if a.send is not None)


def test_network_keys_parse(tmp_path):
    s = _spec(tmp_path, '{host: a.jpush.cn, transport: tcp, proxy: false, port: 7000, data: [device_id.imei], '
                        'hash: "md5(imei+android_id)", salt: k1}')
    assert (s.net.transport, s.net.proxy, s.net.dest_port, s.net.hash_algo) == ("tcp", False, 7000, "md5")
    assert s.net.hash_inputs == ("salt", "device_id.imei", "device_id.android_id")
    d = _spec(tmp_path, "{host: a.jpush.cn, data: [device_id.imei]}")
    assert d.net.transport == "http1" and d.net.proxy is True


@pytest.mark.parametrize("send, problem", [
    ("{host: a.jpush.cn, transport: smoke}", "transport must be one of"),
    ("{host: a.jpush.cn, transport: tcp, pinning: after_handshake}", "pinning applies to HTTPS"),
    ("{host: a.jpush.cn, hash: 'md5(imei+shoe_size)'}", "shoe_size"),
    ("{host: a.jpush.cn, encrypt: rot13}", "encrypt is one of"),
    ("{host: a.jpush.cn, port: 70000}", "port is a number"),
    ("{host: a.jpush.cn, salt: x}", "salt goes with hash"),
])
def test_bad_network_keys_name_file_and_line(tmp_path, send, problem):
    p, m = _model(tmp_path, send)
    with pytest.raises(InputError) as exc:
        load_app_model(p, m)
    text = exc.value.render()
    assert problem in text and "m.yaml:line 18" in text, text
