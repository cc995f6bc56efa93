"""Bad APKs: each gives one clear error (exit 2) or a partial report marked incomplete (exit 3)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.errors import InputError
from sdkgate.static import Limits, ScanOptions, scan_apk

from .badzip import dex_header, patch_entry_count, patch_sizes, write_zip

pytestmark = pytest.mark.timeout(60)
ROOT = Path(__file__).resolve().parents[2]
GARBAGE_AXML = b"\x03\x00\x08\x00" + os.urandom(512)


def run(argv, capsys):
    code = run_guarded(cli, argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def scan_json(apk: Path, capsys, *extra):
    code, out, err = run(["scan", str(apk), "--format", "json", *extra], capsys)
    assert "Traceback" not in err
    return code, (json.loads(out) if out.strip() else None), err


def reasons(report) -> str:
    return "\n".join(report["incomplete"])


def test_not_a_zip(tmp_path, capsys):
    apk = tmp_path / "plain.apk"
    apk.write_bytes(b"this is not an APK at all\n" * 10)
    code, out, err = run(["scan", str(apk)], capsys)
    assert code == 2
    assert str(apk) in err and "not a zip" in err
    assert "Traceback" not in err and out == ""


def test_truncated_zip(tmp_path, capsys):
    apk = write_zip(tmp_path / "whole.apk", {"AndroidManifest.xml": os.urandom(4000), "classes.dex": os.urandom(9000)})
    cut = tmp_path / "cut.apk"
    cut.write_bytes(apk.read_bytes()[: apk.stat().st_size // 2])
    code, _, err = run(["scan", str(cut)], capsys)
    assert code == 2
    assert str(cut) in err and "truncated or corrupt zip" in err


def test_entry_names_that_climb_out(tmp_path, capsys):
    apk = write_zip(tmp_path / "slip.apk", {"../../evil.sh": b"#!/bin/sh\n", "/etc/passwd": b"x",
                                            "AndroidManifest.xml": GARBAGE_AXML})
    code, report, _ = scan_json(apk, capsys)
    assert code == 3 and report["verdict"] == "incomplete"
    assert "'../../evil.sh' climbs out of the archive" in reasons(report)
    assert "'/etc/passwd' climbs out of the archive" in reasons(report)
    # nothing was written outside (nothing is extracted at all)
    assert not (tmp_path.parent / "evil.sh").exists()


def test_bomb_declared_size_over_the_cap(tmp_path, capsys):
    apk = write_zip(tmp_path / "bomb.apk", {"AndroidManifest.xml": GARBAGE_AXML, "classes.dex": b"\0" * 1000})
    patch_sizes(apk, "classes.dex", uncompressed=0xFFFFFFF0)
    code, report, _ = scan_json(apk, capsys)
    assert code == 3
    assert "classes.dex: declares 4294967280 bytes inflated, more than the limit" in reasons(report)


def test_bomb_that_lies_about_its_size(tmp_path):
    # 64 MB of zeros in about 64 KB, declared as 1000 bytes: inflation stops at the declared size
    payload = zlib.compressobj(9, zlib.DEFLATED, -15)
    apk = tmp_path / "liar.apk"
    with zipfile.ZipFile(apk, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("classes.dex", "w", force_zip64=False) as fh:
            for _ in range(64):
                fh.write(b"\0" * (1 << 20))
        zf.writestr("AndroidManifest.xml", GARBAGE_AXML)
    del payload
    patch_sizes(apk, "classes.dex", uncompressed=1000)
    res = scan_apk(apk, None, ScanOptions())
    text = "\n".join(res.problems)
    assert "classes.dex" in text and ("corrupt entry" in text or "beyond its declared size" in text)


def test_real_bomb_against_the_total_budget(tmp_path):
    apk = tmp_path / "many.apk"
    with zipfile.ZipFile(apk, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(1, 6):
            zf.writestr(f"classes{i if i > 1 else ''}.dex", b"\0" * (4 << 20))
        zf.writestr("AndroidManifest.xml", GARBAGE_AXML)
    limits = Limits(max_entry_bytes=8 << 20, max_total_bytes=10 << 20)
    res = scan_apk(apk, None, ScanOptions(limits=limits))
    text = "\n".join(res.problems)
    assert "would inflate more than 10485760 bytes in total" in text
    assert sum(1 for p in res.problems if "in total" in p) == 3     # two read, three refused


def test_truncated_dex(tmp_path, capsys):
    apk = write_zip(tmp_path / "tdex.apk", {"AndroidManifest.xml": GARBAGE_AXML,
                                            "classes.dex": dex_header(file_size=50_000, actual=0x200)})
    code, report, _ = scan_json(apk, capsys)
    assert code == 3
    assert "classes.dex: truncated: header says 50000 bytes, file has 512" in reasons(report)


def test_corrupt_dex_tables(tmp_path, capsys):
    bad = dex_header(file_size=0x200, actual=0x200, method_ids=(100_000, 0x100))
    apk = write_zip(tmp_path / "cdex.apk", {"AndroidManifest.xml": GARBAGE_AXML, "classes.dex": bad,
                                            "classes2.dex": b"PK not a dex" * 20})
    code, report, _ = scan_json(apk, capsys)
    assert code == 3
    text = reasons(report)
    assert "classes.dex: method_ids table (100000 entries at 0x100) lies outside the file" in text
    assert "classes2.dex: not a DEX file" in text


def test_no_android_manifest(tmp_path, capsys):
    apk = write_zip(tmp_path / "nomf.apk", {"classes.dex": dex_header(file_size=0x70)})
    code, report, _ = scan_json(apk, capsys)
    assert code == 3
    assert "no AndroidManifest.xml" in reasons(report)


def test_neither_manifest_nor_dex_is_not_an_apk(tmp_path, capsys):
    apk = write_zip(tmp_path / "docs.apk", {"README.txt": b"hello"})
    code, _, err = run(["scan", str(apk)], capsys)
    assert code == 2 and "not an APK" in err and str(apk) in err


@pytest.mark.parametrize("blob", [b"", b"<manifest/>", os.urandom(2048), GARBAGE_AXML])
def test_garbage_binary_xml(tmp_path, capsys, blob):
    apk = write_zip(tmp_path / "gx.apk", {"AndroidManifest.xml": blob, "classes.dex": dex_header(file_size=0x70)})
    code, report, _ = scan_json(apk, capsys)
    assert code == 3
    assert "AndroidManifest.xml: not valid binary XML" in reasons(report)


def test_too_many_entries_refused_before_parsing(tmp_path, capsys):
    apk = write_zip(tmp_path / "lots.apk", {f"res/{i}": b"" for i in range(50)})
    patch_entry_count(apk, 65_000)
    res_limits = Limits(max_entries=60_000)
    with pytest.raises(InputError) as exc:
        scan_apk(apk, None, ScanOptions(limits=res_limits))
    assert "65000 entries, more than the limit of 60000" in exc.value.render()


def test_huge_number_of_tiny_entries(tmp_path, capsys):
    apk = tmp_path / "tiny.apk"
    with zipfile.ZipFile(apk, "w", zipfile.ZIP_STORED) as zf:
        for i in range(30_000):
            zf.writestr(f"assets/t/{i}", b"")
        zf.writestr("AndroidManifest.xml", GARBAGE_AXML)
    # under the default limit: scanned, partial
    code, report, _ = scan_json(apk, capsys)
    assert code == 3 and "no classes.dex" in reasons(report)
    # over a lower limit: one clear error
    with pytest.raises(InputError, match="30001 entries, more than the limit of 10000"):
        scan_apk(apk, None, ScanOptions(limits=Limits(max_entries=10_000)))


def test_nested_archive_that_is_garbage(tmp_path, capsys):
    apk = write_zip(tmp_path / "nested.apk", {"AndroidManifest.xml": GARBAGE_AXML, "classes.dex": dex_header(0x70),
                                              "assets/plugin.jar": b"PK\x03\x04 broken", "assets/x.dex": b"\x99" * 64})
    code, report, _ = scan_json(apk, capsys)
    assert code == 3
    text = reasons(report)
    assert "assets/plugin.jar: nested archive not readable" in text
    assert "assets/x.dex: not a readable DEX" in text


def test_cli_subprocess_has_no_traceback(tmp_path):
    apk = tmp_path / "x.apk"
    apk.write_bytes(b"\x00" * 100)
    p = subprocess.run([sys.executable, "-c", "from sdkgate.cli import main; main()", "scan", str(apk)], capture_output=True, text=True,
                       cwd=ROOT, timeout=60)
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr and "not a zip" in p.stderr
