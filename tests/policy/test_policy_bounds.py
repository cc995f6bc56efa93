"""Any file, bounded (issue #23 §3): size before reading, regular files only, one strict decoding order (exit 2
naming the byte offset), empty or text-less files exit 3 "no text found", PDFs read within page, object,
inflated-size, operator, text and time budgets (exit 2 naming the budget; the clock is injected), hostile lines
and deep HTML read in bounded work. Measurements of the same shapes: bench/bench_policy.py."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from sdkgate.errors import InputError
from sdkgate.policy import draft_from_policy
from sdkgate.policy.document import NoTextError, PolicyLimits, read_document

sys.path.insert(0, str(Path(__file__).parent))
from pdfmaker import flate_bomb, line_ops, make_pdf  # noqa: E402


def cli_run(capsys, *args) -> tuple[int, str]:
    rc = run_guarded(cli, ["manifest", "from-policy", *map(str, args)])
    return rc, capsys.readouterr().err


# -------------------------------------------------------------------------------------------- files
def test_size_is_checked_before_reading(tmp_path, capsys):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)          # sparse: 200 MB that cost nothing to make, refused unread
    rc, err = cli_run(capsys, big)
    assert rc == 2 and "huge.txt" in err and "209715200 bytes, larger than the 20 MiB limit" in err
    small = tmp_path / "p.txt"
    small.write_text("第三方SDK列表\n友盟SDK：统计\n" * 100, "utf-8")
    with pytest.raises(InputError, match="larger than"):
        read_document(small, PolicyLimits(max_bytes=1024))


def test_only_regular_files(tmp_path, capsys):
    rc, err = cli_run(capsys, "/dev/zero")
    assert rc == 2 and "/dev/zero: a character device, not a regular file" in err
    fifo = tmp_path / "policy.fifo"
    os.mkfifo(fifo)                              # opening it for reading would block forever
    rc, err = cli_run(capsys, fifo)
    assert rc == 2 and "a FIFO (named pipe), not a regular file" in err
    rc, err = cli_run(capsys, tmp_path)
    assert rc == 2 and "a directory" in err


# -------------------------------------------------------------------------------------------- decoding
ZH = "第三方SDK列表\n\n- 友盟统计：统计分析，收集设备信息（IMEI、Android ID）\n- 极光推送：消息推送，收集OAID\n"


@pytest.mark.parametrize("enc,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""),
                                     ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_encodings_that_decode_give_the_same_rows(tmp_path, enc, bom):
    p = tmp_path / "p.txt"
    p.write_bytes(bom + ZH.encode(enc))
    d = draft_from_policy(p)
    assert [s.id for s in d.sdks] == ["umeng_common", "jpush"]
    assert set(d.sdks[0].categories) == {"device_id.imei", "device_id.android_id"}


def test_utf16_without_a_bom_only_by_the_nul_pattern(tmp_path):
    en = "Third-party SDKs\n\n- Sentry: crash reports; collects the IP address\n- Adjust: attribution\n"
    p = tmp_path / "p.txt"
    p.write_bytes(en.encode("utf-16-le"))
    assert [s.id for s in draft_from_policy(p).sdks] == ["sentry", "adjust"]


def test_one_stray_byte_in_utf8_is_exit_2_naming_its_offset(tmp_path, capsys):
    data = ZH.encode("utf-8")
    cut = data.index("极光".encode("utf-8"))
    p = tmp_path / "stray.txt"
    p.write_bytes(data[:cut] + b"\xff" + data[cut:])       # never "no SDK list" with exit 0
    rc, err = cli_run(capsys, p)
    assert rc == 2
    assert f"stray.txt:byte {cut}: not valid UTF-8 (byte 0xff at offset {cut})" in err


def test_binary_is_exit_2(tmp_path, capsys):
    p = tmp_path / "blob.txt"
    p.write_bytes(bytes(range(256)) * 8)
    rc, err = cli_run(capsys, p)
    assert rc == 2 and "blob.txt:byte 128" in err


@pytest.mark.parametrize("name,data", [("empty.txt", b""), ("blank.md", b"\n \n\t\n"),
                                       ("scripts.html", b"<html><head><script>var a = 1;</script></head><body>"
                                                        b"<style>p{}</style></body></html>"),
                                       ("blank.pdf", None)])
def test_no_text_is_exit_3(tmp_path, capsys, name, data):
    p = tmp_path / name
    p.write_bytes(make_pdf([line_ops([])]) if data is None else data)
    rc, err = cli_run(capsys, p)
    assert rc == 3 and f"{name}: no text found" in err
    with pytest.raises(NoTextError):
        draft_from_policy(p)


def test_a_pdf_name_without_a_pdf_is_exit_2(tmp_path, capsys):
    p = tmp_path / "policy.pdf"
    p.write_text("just text", "utf-8")
    rc, err = cli_run(capsys, p)
    assert rc == 2 and "no PDF header" in err


# -------------------------------------------------------------------------------------------- hostile text
@pytest.mark.parametrize("line", ["(" * 100_000, "（" * 100_000, "[" * 100_000 + "](", "SDK名称：" * 20_000,
                                  "a." * 50_000, "不收集" * 30_000 + "IMEI"])
def test_long_hostile_lines_are_read_in_bounded_work(tmp_path, line):
    """Each of these was quadratic in a regex (or read whole before a check); now the line is cut into
    bounded blocks and every pattern on it is linear. pytest's timeout is the guard, not a clock."""
    p = tmp_path / "p.md"
    p.write_text("第三方SDK列表\n\n" + line + "\n\n- 友盟统计：统计分析\n", "utf-8")
    d = draft_from_policy(p)
    assert "umeng_common" in [s.id for s in d.sdks]


def test_deeply_nested_html_is_text_beyond_the_depth_bound(tmp_path):
    html = ("<html><body><h2>第三方SDK列表</h2>" + "<table><tr><td>" * 30_000 + "友盟统计：统计分析，收集IMEI"
            + "</td></tr></table>" * 30_000 + "<ul><li>极光推送：消息推送</li></ul></body></html>")
    p = tmp_path / "deep.html"
    p.write_text(html, "utf-8")
    doc = read_document(p, PolicyLimits(html_max_depth=64))
    assert len(doc.blocks) < 20
    assert any("友盟统计：统计分析，收集IMEI" in b.text for b in doc.blocks)
    assert [s.id for s in draft_from_policy(p).sdks] == ["umeng_common", "jpush"]


# -------------------------------------------------------------------------------------------- PDF
PDF_LINES = ["第三方SDK列表", "", "1. 极光推送SDK：消息推送，收集设备标识符（IMEI、OAID）", "2. 友盟统计：统计分析，收集Android ID", "",
             [(50, "SDK name"), (200, "Purpose"), (350, "Data collected")],
             [(50, "Sentry"), (200, "crash reports"), (350, "IP address, Android ID")], "",
             "权限：相机权限用于扫码"]


def test_a_chinese_pdf_with_a_table_made_here(tmp_path):
    p = tmp_path / "policy.pdf"
    p.write_bytes(make_pdf([line_ops(PDF_LINES), line_ops(["We request android.permission.ACCESS_FINE_LOCATION "
                                                           "when you search nearby stores."])], compress=True))
    d = draft_from_policy(p, package="com.example.app")
    rows = {s.id: s for s in d.sdks}
    assert d.fmt == "pdf"
    assert list(rows) == ["jpush", "umeng_common", "sentry"]
    assert [r.name for r in d.sdks] == ["极光推送SDK", "友盟统计", "Sentry"]
    assert set(rows["jpush"].categories) == {"device_id.imei", "device_id.oaid"}
    assert rows["umeng_common"].categories == ["device_id.android_id"]
    assert set(rows["sentry"].categories) == {"network.ip", "device_id.android_id"}   # the columns, read as a table
    assert {p.permission for p in d.permissions} == {"android.permission.CAMERA",
                                                     "android.permission.ACCESS_FINE_LOCATION"}


class StepClock:
    """Each reading of the clock is one second later: a budget in seconds is a budget in clock readings."""

    def __init__(self):
        self.t = 0.0

    def __call__(self) -> float:
        self.t += 1.0
        return self.t


@pytest.mark.parametrize("budget,limits,pdf", [
    ("inflated-size budget", dict(pdf_max_inflated=1 << 20), lambda: make_pdf([], raw_streams=[flate_bomb(4 << 20)])),
    ("page budget", dict(pdf_max_pages=2), lambda: make_pdf([line_ops(["page"])] * 3)),
    ("object budget", dict(pdf_max_objects=20), lambda: make_pdf([line_ops(["x"])], extra_objects=40)),
    ("operator budget", dict(pdf_max_operators=500), lambda: make_pdf(["0 0 m " * 2000])),
    ("text budget", dict(pdf_max_chars=50), lambda: make_pdf([line_ops(["Third-party SDK list"] * 10)])),
    ("time budget", dict(pdf_max_seconds=3), lambda: make_pdf([line_ops(["a"])] * 8)),
])
def test_pdf_budgets_stop_the_read_and_name_the_budget(tmp_path, budget, limits, pdf):
    p = tmp_path / "hostile.pdf"
    p.write_bytes(pdf())
    with pytest.raises(InputError, match=budget) as exc:
        draft_from_policy(p, limits=PolicyLimits(clock=StepClock(), **limits))
    assert exc.value.file == str(p) and exc.value.place == "PDF"


def test_a_pdf_within_its_budgets_reads(tmp_path):
    p = tmp_path / "ok.pdf"
    p.write_bytes(make_pdf([line_ops(PDF_LINES)], compress=True))
    d = draft_from_policy(p, limits=PolicyLimits(clock=StepClock(), pdf_max_pages=1, pdf_max_objects=20))
    assert len(d.sdks) == 3
