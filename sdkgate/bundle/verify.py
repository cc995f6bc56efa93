"""Check a bundle: are the files those that were sealed, and does the raw evidence give the same verdict?

Exit codes (`sdkgate verify`):
  4  any file altered, added or removed (each named), `bundle.json` missing or unreadable, or the
     signature is wrong / missing when `--key` is given. Nothing is re-derived from a broken bundle.
  0  intact, and re-deriving the report from the raw evidence (events.jsonl + net.jsonl) with the
     recorded manifest gives the recorded verdict and the same findings (whatever that verdict is:
     verify answers "can this report be trusted", `run`/`evaluate` answer "does the app comply").
  1/3  intact but the recorded report is not reproduced: the re-derived verdict's code (1 fail,
     3 incomplete; a re-derived `pass` that differs from the record gives 3, never 0).
  With `--manifest NEW` there is no record to reproduce: the exit is the new verdict's code (0/1/3).
  2  not a bundle folder/zip, a bundle of a newer schema, or a bad --manifest / --key file.
"""
from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
import zipfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError
from ..events import merge_streams, read_events
from ..report import Report
from .bundle import BUNDLE_FILE, EVIDENCE_FILES, SCHEMA_PREFIX, SCHEMA_VERSION, SIG_FILE, list_files, sha256_file

EXIT_PASS, EXIT_FAIL, EXIT_INCOMPLETE, EXIT_TAMPERED = 0, 1, 3, 4
VERDICT_EXIT = {"pass": 0, "fail": 1, "incomplete": 3}
MAX_ZIP_BYTES = 4 << 30


EVIDENCE_MARKERS = ("run.json", "report.json", "events.jsonl", "net.jsonl")


@dataclass
class VerifyResult:
    bundle: str
    altered: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)      # integrity problems other than the three lists
    signature: str = "absent"                               # absent | unchecked | valid | invalid
    recorded_verdict: str | None = None
    derived_verdict: str | None = None
    new_manifest: str | None = None
    differences: list[str] = field(default_factory=list)    # recorded vs re-derived
    notes: list[str] = field(default_factory=list)          # what could not be re-checked, and why
    derived: Report | None = None

    @property
    def intact(self) -> bool:
        return not (self.altered or self.added or self.removed or self.problems) and self.signature != "invalid"

    @property
    def reproduced(self) -> bool:
        return self.derived_verdict is not None and self.derived_verdict == self.recorded_verdict \
            and not self.differences

    @property
    def exit_code(self) -> int:
        if not self.intact:
            return EXIT_TAMPERED
        if self.derived_verdict is None:
            return EXIT_INCOMPLETE
        if self.new_manifest:
            return VERDICT_EXIT[self.derived_verdict]
        if self.reproduced:
            return EXIT_PASS
        code = VERDICT_EXIT[self.derived_verdict]
        return code if code else EXIT_INCOMPLETE

    def lines(self) -> list[str]:
        """What verify prints, one fact per line."""
        out = []
        for f in self.altered:
            out.append(f"TAMPERED altered: {f} (SHA-256 differs from bundle.json)")
        for f in self.removed:
            out.append(f"TAMPERED removed: {f} (listed in bundle.json, missing)")
        for f in self.added:
            out.append(f"TAMPERED added: {f} (not listed in bundle.json)")
        for p in self.problems:
            out.append(f"TAMPERED {p}")
        sig = {"absent": "signature: none (bundle not signed)",
               "unchecked": "signature: present, not checked (pass --key PUB)",
               "valid": "signature: valid", "invalid": "signature: INVALID"}[self.signature]
        out.append(sig)
        if not self.intact:
            out.append("integrity: FAILED, verdict not re-derived")
            return out
        out.append("integrity: all files match bundle.json")
        if self.new_manifest:
            out.append(f"re-derived with {self.new_manifest}: verdict {self.derived_verdict} "
                       f"(recorded with the original manifest: {self.recorded_verdict})")
        elif self.reproduced:
            out.append(f"verdict reproduced: {self.derived_verdict}")
        else:
            out.append(f"verdict NOT reproduced: recorded {self.recorded_verdict}, re-derived {self.derived_verdict}")
        out.extend(f"  {d}" for d in self.differences)
        out.extend(f"note: {n}" for n in self.notes)
        return out


def _finding_keys(report: Report) -> Counter:
    return Counter((f.rule, f.severity, f.actor or "", f.category or "", bool(f.suppressed),
                    tuple((e.source, e.seq) for e in f.evidence)) for f in report.findings)


def compare_reports(recorded: Report, derived: Report) -> list[str]:
    diffs = []
    if recorded.verdict != derived.verdict:
        diffs.append(f"verdict: recorded {recorded.verdict}, re-derived {derived.verdict}")
    a, b = _finding_keys(recorded), _finding_keys(derived)
    for key in sorted((a - b).elements()):
        diffs.append(f"only in recorded report: {key[0]} actor={key[2] or '-'} category={key[3] or '-'}")
    for key in sorted((b - a).elements()):
        diffs.append(f"only in re-derived report: {key[0]} actor={key[2] or '-'} category={key[3] or '-'}")
    return diffs


def load_bundle_meta(root: Path) -> dict[str, Any]:
    """Parse bundle.json; a newer schema is an InputError (exit 2), a missing file is tampering."""
    path = root / BUNDLE_FILE
    try:
        meta = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"{BUNDLE_FILE} unreadable: {exc}") from None
    if not isinstance(meta, dict):
        raise ValueError(f"{BUNDLE_FILE} is not a JSON object")
    schema = meta.get("schema")
    if not isinstance(schema, str) or not schema.startswith(SCHEMA_PREFIX):
        raise InputError(str(path), "schema", f"not an sdkgate bundle (schema {schema!r}, expected {SCHEMA_PREFIX}1)")
    try:
        ver = int(schema[len(SCHEMA_PREFIX):])
    except ValueError:
        raise InputError(str(path), "schema", f"unknown bundle schema {schema!r}") from None
    if ver > SCHEMA_VERSION:
        raise InputError(str(path), "schema", f"bundle schema {schema} is newer than this sdkgate understands "
                         f"({SCHEMA_PREFIX}{SCHEMA_VERSION}); verify it with a newer sdkgate")
    if not isinstance(meta.get("files"), dict):
        raise ValueError(f"{BUNDLE_FILE} has no 'files' table")
    return meta


def check_files(root: Path, listed: dict[str, Any], res: VerifyResult) -> None:
    present = set(list_files(root))
    for rel in sorted(listed):
        entry = listed[rel]
        p = root / rel
        want = entry.get("sha256") if isinstance(entry, dict) else entry
        if rel not in present:
            res.removed.append(rel)
        elif p.is_symlink() or not p.is_file():
            res.altered.append(rel)
        elif sha256_file(p) != want:
            res.altered.append(rel)
    res.added.extend(sorted(present - set(listed)))


def eval_options(opts: dict[str, Any]):
    """EvalOptions as recorded at run time (unknown keys from other versions are ignored)."""
    from datetime import date

    from ..rules import EvalOptions
    if not opts:
        return None
    if dataclasses.is_dataclass(EvalOptions):
        names = {f.name for f in dataclasses.fields(EvalOptions)}
        opts = {k: v for k, v in opts.items() if k in names}
    opts = dict(opts)
    if isinstance(opts.get("today"), str):       # suppressions expire: judge as of the run's day
        opts["today"] = date.fromisoformat(opts["today"])
    sups = opts.get("suppressions")
    if sups and isinstance(sups[0], dict):
        from ..rules.suppress import Suppression
        opts["suppressions"] = [Suppression(s["rule"], s.get("actor"), s.get("reason", ""),
                                            date.fromisoformat(s["expires"]) if s.get("expires") else None)
                                for s in sups]
    return EvalOptions(**opts)


def derive_report(root: Path, meta: dict[str, Any], manifest_path: str | Path | None) -> Report:
    """Re-run the rule engine over the raw evidence, exactly as the run did."""
    from ..manifest import load_manifest
    from ..rules import evaluate
    mpath = Path(manifest_path) if manifest_path else root / ((meta.get("manifest") or {}).get("file") or "manifest.yaml")
    manifest = load_manifest(mpath) if mpath.is_file() or manifest_path else None
    names = meta.get("evidence") or [n for n in EVIDENCE_FILES if (root / n).is_file()]
    from ..net.rematch import streams_with_rematch
    streams = streams_with_rematch([root / n for n in names if (root / n).is_file()], manifest)
    return evaluate(merge_streams(streams), manifest, eval_options(meta.get("eval_options") or {}))


@contextmanager
def opened_bundle(path: str | Path) -> Iterator[Path]:
    """A bundle folder as is, or a `run --zip` archive unpacked (safely) into a temporary folder."""
    p = Path(path)
    if p.is_dir():
        yield p
        return
    if not p.exists():
        raise InputError(str(p), None, "bundle not found")
    if not zipfile.is_zipfile(p):
        raise InputError(str(p), None, "not a bundle folder or a bundle zip")
    tmp = Path(tempfile.mkdtemp(prefix="sdkgate-verify-"))
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
                raise InputError(str(p), None, "zip expands beyond 4 GiB; refusing to unpack")
            for info in infos:
                name = info.filename
                parts = Path(name).parts
                if name.startswith("/") or ".." in parts or "\\" in name:
                    raise InputError(str(p), name, "zip entry escapes the bundle folder")
                if info.external_attr >> 16 & 0o170000 == 0o120000:
                    raise InputError(str(p), name, "zip entry is a symlink")
            zf.extractall(tmp)
        tops = [c for c in tmp.iterdir()]
        root = tops[0] if len(tops) == 1 and tops[0].is_dir() and not (tmp / BUNDLE_FILE).exists() else tmp
        yield root
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def verify_bundle(path: str | Path, manifest: str | Path | None = None, key: str | Path | None = None) -> VerifyResult:
    from .sign import check_signature, load_public_key
    pub = load_public_key(key) if key else None
    if manifest and not Path(manifest).is_file():
        raise InputError(str(manifest), None, "manifest not found")
    with opened_bundle(path) as root:
        res = VerifyResult(bundle=str(path), new_manifest=str(manifest) if manifest else None)
        try:
            meta = load_bundle_meta(root)
        except FileNotFoundError:
            if not any((root / f).is_file() for f in EVIDENCE_MARKERS):
                raise InputError(str(path), None, "not an evidence bundle (no bundle.json, run.json, "
                                 "report.json or events.jsonl)") from None
            res.problems.append(f"{BUNDLE_FILE} missing: nothing to check the files against")
            return res
        except ValueError as exc:
            res.problems.append(str(exc))
            return res
        check_files(root, meta["files"], res)
        if (root / SIG_FILE).is_file():
            if pub is None:
                res.signature = "unchecked"
            else:
                problem = check_signature(root, pub)
                res.signature = "invalid" if problem else "valid"
                if problem:
                    res.problems.append(problem)
        elif pub is not None:
            res.signature = "invalid"
            res.problems.append(f"{SIG_FILE} missing: --key was given but the bundle is not signed")
        recorded_path = root / "report.json"
        if not res.intact:
            return res
        try:
            recorded = Report.from_dict(json.loads(recorded_path.read_text("utf-8"))) if recorded_path.is_file() else None
        except (ValueError, KeyError, TypeError) as exc:
            recorded = None
            res.differences.append(f"report.json unreadable: {exc}")
        res.recorded_verdict = recorded.verdict if recorded else meta.get("verdict")
        derived = derive_report(root, meta, manifest)
        res.derived = derived
        res.derived_verdict = derived.verdict
        if not manifest:
            if recorded is None:
                res.differences.append("report.json missing from the bundle: nothing recorded to reproduce")
            else:
                res.differences.extend(compare_reports(recorded, derived))
        recheck_network(root, res)
        return res


def recheck_network(root: Path, res: VerifyResult) -> None:
    """net.jsonl is derived evidence: re-derive its sends from the recorded traffic (flows.mitm)."""
    if not (root / "net.jsonl").is_file():
        return
    missing = [f for f in ("flows.mitm", "canaries.json", "run.json") if not (root / f).is_file()]
    if missing:
        res.notes.append(f"network matches not re-derived from traffic: {', '.join(missing)} not in the bundle")
        return
    from ..canaries import validate_canaries
    from ..manifest import load_manifest
    from ..net.replay import compare
    try:
        canaries = validate_canaries(json.loads((root / "canaries.json").read_text("utf-8")), "canaries.json")
        t0 = json.loads((root / "run.json").read_text("utf-8"))["t0_epoch_ms"]
        manifest = load_manifest(root / "manifest.yaml") if (root / "manifest.yaml").is_file() else None
        rep = compare(root / "net.jsonl", root / "flows.mitm", canaries, manifest, t0)
    except (InputError, ValueError, KeyError, TypeError, OSError) as exc:
        res.differences.append(f"network matches could not be re-derived from flows.mitm: {exc}")
        return
    res.differences.extend(rep.differences)
    res.notes.extend(rep.not_replayed)
    if not rep.differences:
        res.notes.append(f"network matches re-derived from the recorded traffic ({rep.replayed_flows} HTTP flows)")
