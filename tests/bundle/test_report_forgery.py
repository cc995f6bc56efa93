"""`report` cannot be forged by editing report.json: the verdict is re-derived from the raw evidence as
`verify` does, a report.json that disagrees is exit 4 naming the difference (sealed or not), and the page
says plainly whether the bundle is signed, and whether the signature was checked."""
from __future__ import annotations

import json
import re
from pathlib import Path


from sdkgate.bundle import write_bundle
from sdkgate.bundle.sign import sign_bundle
from sdkgate.cli import cli
from sdkgate.cli.common import run_guarded
from tests.bundle.test_bundle_verify import _keys, bundle  # noqa: F401 - the sealed demo bundle fixture


def sg(capsys, *argv) -> tuple[int, str]:
    code = run_guarded(cli, [str(a) for a in argv])
    cap = capsys.readouterr()
    return code, cap.out + cap.err


def forge(bundle: Path, edit, reseal: bool = True) -> None:
    rep = json.loads((bundle / "report.json").read_text("utf-8"))
    edit(rep)
    (bundle / "report.json").write_text(json.dumps(rep, ensure_ascii=False, indent=2), "utf-8")
    if reseal:
        write_bundle(bundle)


def to_pass(rep: dict) -> None:
    rep["verdict"] = "pass"
    rep["findings"] = []


def test_a_resealed_pass_is_refused_naming_the_difference(bundle, tmp_path, capsys):
    n_violations = len([f for f in json.loads((bundle / "report.json").read_text())["findings"]
                        if f["severity"] == "violation"])
    assert n_violations >= 2
    forge(bundle, to_pass)
    assert sg(capsys, "verify", bundle)[0] == 1          # intact seal, verdict not reproduced
    html = tmp_path / "r.html"
    code, out = sg(capsys, "report", bundle, "--html", html)
    assert code == 4 and not html.exists(), out
    assert "TAMPERED report.json does not match" in out
    assert "verdict: recorded pass, re-derived fail" in out
    assert "only in re-derived report: SG101 actor=umeng_common" in out
    for fmt in ("json", "sarif", "junit", "console", "csv"):
        code, out = sg(capsys, "report", bundle, "--format", fmt)
        assert code == 4 and '"verdict": "pass"' not in out, fmt


def test_a_dropped_finding_with_the_verdict_kept_is_refused(bundle, capsys):
    forge(bundle, lambda rep: rep["findings"].pop(next(i for i, f in enumerate(rep["findings"])
                                                       if f["rule"] == "SG401")))
    code, out = sg(capsys, "report", bundle, "--format", "json")
    assert code == 4 and "only in re-derived report: SG401" in out


def test_an_unsealed_folder_is_re_derived_too(bundle, capsys):
    forge(bundle, to_pass, reseal=False)
    (bundle / "bundle.json").unlink()
    code, out = sg(capsys, "report", bundle, "--format", "json")
    assert code == 4 and "not sealed" in out and "verdict: recorded pass, re-derived fail" in out


def test_a_folder_with_no_raw_evidence_cannot_claim_a_pass(bundle, capsys):
    forge(bundle, to_pass, reseal=False)
    for name in ("events.jsonl", "net.jsonl", "bundle.json"):
        (bundle / name).unlink()
    code, out = sg(capsys, "report", bundle, "--format", "json")
    assert code == 4 and "re-derived incomplete" in out


def integrity(html: str) -> tuple[str, str, str]:
    m = re.search(r'<dd id="integrity" data-seal="(\w+)" data-signature="(\w+)">(.*?)</dd>', html, re.S)
    assert m, "no integrity facts on the page"
    return m.group(1), m.group(2), m.group(3)


def test_sealed_is_not_signed_and_unchecked_is_not_green(bundle, tmp_path, capsys):
    page = tmp_path / "unsigned.html"
    code, out = sg(capsys, "report", bundle, "--html", page)
    assert code == 1                                               # honest bundle: its verdict (fail)
    assert "sealed but NOT signed" in out and "matches report.json" in out
    seal, sig, text = integrity(page.read_text("utf-8"))
    assert (seal, sig) == ("sealed", "absent") and "NOT signed" in text and 'class="ok"' not in text
    priv, pub = _keys(tmp_path, "signer")
    _, other = _keys(tmp_path, "other")
    sign_bundle(bundle, priv)
    page = tmp_path / "unchecked.html"
    code, out = sg(capsys, "report", bundle, "--html", page)
    assert code == 1 and "signature is present but was NOT checked" in out
    seal, sig, text = integrity(page.read_text("utf-8"))
    assert sig == "unchecked" and "NOT checked" in text and 'class="ok"' not in text
    page = tmp_path / "checked.html"
    code, out = sg(capsys, "report", bundle, "--html", page, "--key", pub)
    assert code == 1 and "signature valid" in out
    seal, sig, text = integrity(page.read_text("utf-8"))
    assert sig == "valid" and re.search(r'<span class="ok">signature valid', text)
    zh = tmp_path / "zh.html"
    assert run_guarded(cli, ["report", str(bundle), "--html", str(zh), "--lang", "zh"]) == 1
    assert "有签名，但未校验" in integrity(zh.read_text("utf-8"))[2]
    code, out = sg(capsys, "report", bundle, "--html", tmp_path / "wrong.html", "--key", other)
    assert code == 4 and "signature does not match" in out and not (tmp_path / "wrong.html").exists()


def test_a_forged_and_resealed_bundle_fails_the_signers_key(bundle, tmp_path, capsys):
    priv, pub = _keys(tmp_path, "signer")
    sign_bundle(bundle, priv)
    forge(bundle, to_pass)                      # the forger reseals but cannot re-sign
    code, out = sg(capsys, "report", bundle, "--key", pub, "--format", "json")
    assert code == 4 and "signature does not match" in out


def test_merge_does_not_count_a_forged_pass(bundle, capsys):
    forge(bundle, to_pass)
    code, out = sg(capsys, "report", "--merge", bundle, "--format", "json")
    row = json.loads(out[:out.rindex("}") + 1])["rows"][0]
    assert (row["seal"], row["verdict"], code) == ("TAMPERED", "incomplete", 3)
