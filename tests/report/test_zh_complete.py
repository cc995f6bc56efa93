"""Chinese everywhere, from the catalogue (issue 24 §2): every message id of the code is in
sdkgate/locale/zh_CN/LC_MESSAGES/sdkgate.po, translated (not fuzzy), with the msgid's placeholders, and the .mo the
package reads is compiled from it; every id renders in both languages; the zh outputs of the demo run and of
fixture scans (console, HTML, csv, xlsx, SARIF, JUnit) hold no "（原文）" and no run of English words."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sdkgate.formats import get
from sdkgate.i18n import LOCALES, Label, Msg, catalogue, catalogue_path, placeholders, tr
from sdkgate.msgextract import compiled, extract_ids
from sdkgate.report import Report

from ..bundle.evidence_kit import write_evidence

REPO = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
# ids whose Chinese is the same text: names, codes and structure only
SAME_IN_ZH = re.compile(r"^(?:[A-Z0-9][A-Za-z0-9 ./-]*|[#-]|[a-z_]+_[a-z_]+|meta-data)$")


@pytest.fixture(scope="module")
def po():
    with catalogue_path("zh", "po").open("rb") as fh:
        return read_po(fh, locale=LOCALES["zh"], domain="sdkgate")


def test_the_catalogue_holds_every_message_of_the_code(po):
    """Babel's own extractors over the package (babel.cfg) find exactly the catalogue's ids."""
    found = extract_ids(REPO)
    assert len(found) > 500
    have = {(m.context or None, m.id) for m in po if m.id}
    assert not sorted(set(found) - have), [(k, found[k][0]) for k in sorted(set(found) - have)][:10]
    assert not sorted(have - set(found)), "ids no code uses: run python tools/messages.py"
    mo = catalogue_path("zh", "mo").read_bytes()
    assert mo == compiled(po), "sdkgate.mo is not compiled from sdkgate.po: run python tools/messages.py"


def test_every_message_is_translated_with_its_placeholders(po):
    bad = []
    for m in po:
        if not m.id:
            continue
        if not m.string or m.fuzzy:
            bad.append(("untranslated or fuzzy", m.id))
        elif placeholders(m.id) != placeholders(m.string):
            bad.append(("placeholders differ", m.id, m.string))
        elif not CJK.search(m.string) and not SAME_IN_ZH.match(m.id) and \
                re.search(r"[a-z]{3}", re.sub(r"\{\w+\}", "", m.id)):
            bad.append(("no Chinese", m.id, m.string))
    assert not bad, bad[:10]


def test_every_message_renders_in_both_languages(po):
    for m in po:
        if not m.id:
            continue
        params = {name: f"<{name}>" for name in placeholders(m.id)}
        if m.context:
            en, zh = tr(Label(m.context, m.id), "en"), tr(Label(m.context, m.id), "zh")
        else:
            msg = Msg(m.id, params)
            en, zh = msg.render("en"), msg.render("zh")
        assert not re.search(r"\{[A-Za-z_]\w*\}", en + zh), m.id
        assert all(f"<{p}>" in en and f"<{p}>" in zh for p in params), m.id
        assert zh == (m.string if m.context else Msg(m.string, params).render("en")), m.id
    assert len(catalogue("zh")) == sum(1 for m in po if m.id)


def _scan(apk: Path, manifest: Path | None = None) -> Report:
    from sdkgate.cli.common import quiet_androguard
    from sdkgate.scanning import build_report
    from sdkgate.manifest import load_manifest
    quiet_androguard()
    rep, _ = build_report(apk, load_manifest(manifest) if manifest else None)
    return rep


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    run = Report.load(write_evidence(tmp_path_factory.mktemp("ev") / "ev") / "report.json")
    fx = REPO / "tests" / "fixtures"
    return {"run": run,
            "scan": _scan(fx / "apks" / "recruit-noncompliant.apk", REPO / "manifests" / "demo-recruit.yaml"),
            "packed": _scan(fx / "apks-hidden" / "packed-jiagu.apk"),
            "loaders": _scan(fx / "apks-hidden" / "hidden-loaders.apk"),
            "split": _scan(fx / "apks-hidden" / "splits" / "split-base.apk")}


# what stays as it is in a Chinese report: code, names, paths, hosts, ids, enum values an auditor filters on
_CODE = re.compile(r"L[\w/$]+;(?:->[\w<>$]+(?:\([^)\s]*\)[\w/;\[$]*)?)?|[\w.$/-]+\.(?:apk|dex|so|jar|zip|mmdb|jsonl|"
                   r"yaml|json|xml)\b|https?://\S+|\b[\w-]+(?:\.[\w-]+){2,}\b|--[a-z-]+|\b\w+_\w+\b|\b[a-z]+[A-Z]\w*\b")
ENGLISH_RUN = re.compile(r"\b[a-z]{2,}(?: [a-z]{2,}){2,}\b")


def english_runs(text: str) -> list[str]:
    """Runs of three or more lowercase English words (sentences sdkgate would have left untranslated)."""
    text = re.sub(r"(?s)<style.*?</style>", " ", text)   # CSS
    text = re.sub(r"<[^>]+>", " ", text)                 # HTML tags
    return ENGLISH_RUN.findall(_CODE.sub(" ", text))


def _outputs(rep: Report) -> dict[str, str]:
    out = {f: get(f).render(rep, "zh", **({"width": 400} if f == "console" else {}))
           for f in ("console", "html", "sarif", "junit")}
    out["csv"] = get("csv").render(rep, "zh")
    with zipfile.ZipFile(io.BytesIO(get("xlsx").render(rep, "zh"))) as z:
        out["xlsx"] = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/"))
    return out


@pytest.mark.parametrize("name", ["run", "scan", "packed", "loaders", "split"])
def test_zh_outputs_have_no_english_sentence(reports, name):
    rep = reports[name]
    assert rep.incomplete or rep.findings
    for fmt, text in _outputs(rep).items():
        assert "（原文）" not in text, fmt
        if fmt in ("sarif", "junit"):                # machine formats: the messages people read
            text = _messages(fmt, text)
        runs = [r for r in english_runs(text) if r not in ALLOWED_RUNS]
        assert not runs, f"{name} {fmt}: {runs[:8]}"


ALLOWED_RUNS = {"sdkgate fail closed"}      # the neutral default clause of SG900 (a name, not a sentence)


def _messages(fmt: str, text: str) -> str:
    """SARIF: result and notification messages and rule short descriptions (`help` is bilingual on purpose);
    JUnit: every message attribute and text."""
    if fmt == "sarif":
        import json
        run = json.loads(text)["runs"][0]
        out = [r["message"]["text"] for r in run["results"]]
        out += [n["message"]["text"] for inv in run.get("invocations", []) for n in inv.get("toolExecutionNotifications", [])]
        out += [r["shortDescription"]["text"] for r in run["tool"]["driver"]["rules"]]
        return "\n".join(out)
    from xml.etree import ElementTree as ET
    root = ET.fromstring(text.split("?>", 1)[1])
    return "\n".join([e.get("message") or "" for e in root.iter()] + [e.text or "" for e in root.iter()]
                     + [e.get("value") or "" for e in root.iter("property")])


def test_manifest_diff_in_zh_has_no_english_sentence(tmp_path, capsys):
    """`manifest diff --lang zh` of a report (its reasons from the engine and the audit) and of an APK."""
    from sdkgate.cli import cli
    from sdkgate.cli.common import run_guarded
    ev = write_evidence(tmp_path / "ev")
    demo = REPO / "manifests" / "demo-recruit.yaml"
    for target in (ev / "report.json", REPO / "tests" / "fixtures" / "apks" / "recruit-noncompliant.apk"):
        for fmt in ("console", "html"):
            run_guarded(cli, ["manifest", "diff", str(demo), str(target), "--lang", "zh", "--format", fmt])
            out = capsys.readouterr().out
            assert "声明" in out and not english_runs(out), (target.name, fmt, english_runs(out)[:5])


def test_the_english_run_detector_finds_untranslated_text():
    assert english_runs("证据不完整：the agent dropped 12 events") == ["the agent dropped"]
    assert not english_runs("Lcom/umeng/A;->b()V 调用 com.umeng.commonsdk 于 getPrimaryClip, api_id clipboard.read")
