"""APKs are read as Android reads them: an entry with an unknown compression method or a local header that
disagrees with the central directory (BadPack-style anti-analysis) is read through apkInspector, not refused,
and the scan says it was tampered with. The size caps still hold."""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from sdkgate.static.container import Archive, Budget, EntryError, Limits
from sdkgate.static.scanner import scan_apk

APK = Path(__file__).resolve().parents[1] / "fixtures" / "apks" / "recruit-noncompliant.apk"


def _stored_copy(dst: Path) -> None:
    with zipfile.ZipFile(APK) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename), compress_type=zipfile.ZIP_STORED)


def _tamper_method(path: Path, entry: str, method: int) -> None:
    """Write `method` into the local header and the central-directory record of `entry` (data stays stored)."""
    data = bytearray(path.read_bytes())
    name = entry.encode()
    i = 0
    while True:
        i = data.find(name, i + 1)
        if i < 0:
            break
        if data[i - 30:i - 26] == b"PK\x03\x04":          # local header: method at offset 8
            struct.pack_into("<H", data, i - 30 + 8, method)
        elif data[i - 46:i - 42] == b"PK\x01\x02":        # central directory: method at offset 10
            struct.pack_into("<H", data, i - 46 + 10, method)
    path.write_bytes(bytes(data))


def _sites(result) -> set:
    return {(e.get("api_id"), e.get("caller")) for e in result.events if e.kind == "call_site"}


def test_unknown_compression_method_is_read_like_android(tmp_path):
    plain = tmp_path / "plain.apk"
    _stored_copy(plain)
    tampered = tmp_path / "badpack.apk"
    tampered.write_bytes(plain.read_bytes())
    _tamper_method(tampered, "classes.dex", 0x1337)
    with zipfile.ZipFile(tampered) as zf:                  # Python's zipfile alone refuses it
        try:
            zf.read("classes.dex")
            raise AssertionError("zipfile read a tampered entry")
        except NotImplementedError:
            pass
    want, got = scan_apk(plain), scan_apk(tampered)
    assert _sites(want) and _sites(got) == _sites(want)
    scan = next(e for e in got.events if e.kind == "scan")
    assert any("classes.dex" in t and "tampered" in t for t in scan.get("tampered_entries"))


def test_caps_still_hold_on_the_android_path(tmp_path):
    p = tmp_path / "badpack.apk"
    _stored_copy(p)
    _tamper_method(p, "classes.dex", 0x1337)
    arc = Archive.open(p, str(p), Budget(Limits(max_entry_bytes=64)))
    try:
        arc.read("classes.dex")
        raise AssertionError("the cap did not hold")
    except EntryError as exc:
        assert "limit" in str(exc) or "beyond" in str(exc)
    finally:
        arc.close()
