"""Corrupt DEX tables under the pre-consent walk (entry-gates.apk, the fixture that exercises every entry kind):
each becomes an `incomplete` reason, never a crash (exit 70) and never a pass."""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from sdkgate.manifest import load_manifest
from sdkgate.static import scan_apk

ROOT = Path(__file__).resolve().parents[2]
APK = ROOT / "tests" / "fixtures" / "apks-gates" / "entry-gates.apk"


def _corrupt(dex: bytearray, what: str) -> None:
    n_str, str_off, _nt, _to, n_proto, proto_off = struct.unpack_from("<6I", dex, 0x38)
    n_cls, cls_off = struct.unpack_from("<2I", dex, 0x60)
    if what == "string offset":                 # a string_id pointing past the end of the file
        struct.pack_into("<I", dex, str_off + 4 * (n_str // 2), len(dex) + 1000)
    elif what == "string bytes":                # a string's data that is not MUTF-8
        (off,) = struct.unpack_from("<I", dex, str_off + 4 * (n_str // 2))
        dex[off + 1:off + 3] = b"\xc8\xff"
    elif what == "proto parameters":            # a proto's parameter list outside the file
        for i in range(n_proto):
            struct.pack_into("<I", dex, proto_off + 12 * i + 8, 0xEC000000)
    elif what == "class data":                  # a class's data past the end
        struct.pack_into("<I", dex, cls_off + 32 * (n_cls // 2) + 24, len(dex) - 2)


@pytest.mark.parametrize("what", ["string offset", "string bytes", "proto parameters", "class data"])
def test_corrupt_tables_are_incomplete_not_a_crash(tmp_path, what):
    src = zipfile.ZipFile(APK)
    dex = bytearray(src.read("classes.dex"))
    _corrupt(dex, what)
    out = tmp_path / "x.apk"
    with zipfile.ZipFile(out, "w") as z:
        for n in src.namelist():
            z.writestr(n, bytes(dex) if n == "classes.dex" else src.read(n))
    r = scan_apk(out, load_manifest(ROOT / "manifests" / "demo-recruit.yaml"))
    assert any(e.kind == "incomplete" for e in r.events) or what == "string bytes"
    assert next(e for e in r.events if e.kind == "scan")
