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
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError
from ..events import merge_streams, parse_lines
from ..fileio import loads_bounded
from ..report import Report
from ..yamlio import MAX_YAML_BYTES
from .bundle import BUNDLE_FILE, EVIDENCE_FILES, SCHEMA_PREFIX, SCHEMA_VERSION, SELF_FILES, SIG_FILE
from .source import FILE, BundleSource, EntryProblem, ZipSource, open_source, unsafe_name

EXIT_PASS, EXIT_FAIL, EXIT_INCOMPLETE, EXIT_TAMPERED = 0, 1, 3, 4
VERDICT_EXIT = {"pass": 0, "fail": 1, "incomplete": 3, "not_judged": 3}
MAX_ZIP_BYTES = 4 << 30


LINES_SHOWN = 50       # files named one by one per kind of tampering; the rest are counted
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
    unverified: list[str] = field(default_factory=list)     # evidence that could not be re-derived (incomplete)
    notes: list[str] = field(default_factory=list)          # what could not be re-checked, and why
    derived: Report | None = None
    no_record: bool = False                                 # report.json missing or unreadable

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
        if self.no_record:
            return EXIT_INCOMPLETE              # nothing recorded to reproduce: never a plain "fail"
        if self.reproduced and not self.unverified:
            return EXIT_PASS
        code = VERDICT_EXIT[self.derived_verdict]
        if self.unverified and not self.differences:
            return EXIT_INCOMPLETE               # what could not be re-checked is incomplete, never "fail"
        return code if code else EXIT_INCOMPLETE

    def lines(self) -> list[str]:
        """What verify prints, one fact per line."""
        out = []
        for items, fmt in ((self.altered, "TAMPERED altered: {} (SHA-256 differs from bundle.json)"),
                           (self.removed, "TAMPERED removed: {} (listed in bundle.json, missing)"),
                           (self.added, "TAMPERED added: {} (not listed in bundle.json)"),
                           (self.problems, "TAMPERED {}")):
            out.extend(fmt.format(str(f)[:300]) for f in items[:LINES_SHOWN])
            if len(items) > LINES_SHOWN:
                out.append(f"TAMPERED ... and {len(items) - LINES_SHOWN} more like the above")
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
        elif self.reproduced and self.unverified:
            out.append(f"verdict reproduced: {self.derived_verdict}, but not every piece of evidence could be "
                       "re-derived (incomplete):")
        elif self.reproduced:
            out.append(f"verdict reproduced: {self.derived_verdict}")
        else:
            out.append(f"verdict NOT reproduced: recorded {self.recorded_verdict}, re-derived {self.derived_verdict}")
        out.extend(f"  {d}" for d in (self.differences + self.unverified)[:LINES_SHOWN])
        if len(self.differences) > LINES_SHOWN:
            out.append(f"  ... and {len(self.differences) - LINES_SHOWN} more differences")
        if self.derived is not None and not self.reproduced and self.derived.incomplete:
            out.extend(f"  re-derived incomplete: {r}" for r in self.derived.incomplete[:10])
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


def load_bundle_meta(src: BundleSource) -> dict[str, Any]:
    """Parse bundle.json (bounded); a newer schema is an InputError (exit 2), a missing file FileNotFoundError,
    an unreadable / hostile one ValueError (tampering, exit 4)."""
    kind = src.entries().get(BUNDLE_FILE)
    if kind is None:
        raise FileNotFoundError(BUNDLE_FILE)
    if kind != FILE:
        raise ValueError(f"{BUNDLE_FILE} is a {kind}, not a plain file: not followed")
    try:
        meta = loads_bounded(src.read_bytes(BUNDLE_FILE))
    except EntryProblem as exc:
        raise ValueError(f"{BUNDLE_FILE} unreadable: {exc}") from None
    except (OSError, ValueError) as exc:
        raise ValueError(f"{BUNDLE_FILE} unreadable: {exc}") from None
    if not isinstance(meta, dict):
        raise ValueError(f"{BUNDLE_FILE} is not a JSON object")
    path = src.where(BUNDLE_FILE)
    schema = meta.get("schema")
    if not isinstance(schema, str) or not schema.startswith(SCHEMA_PREFIX):
        raise InputError(path, "schema", f"not an sdkgate bundle (schema {str(schema)[:80]!r}, expected {SCHEMA_PREFIX}1)")
    try:
        ver = int(schema[len(SCHEMA_PREFIX):])
    except ValueError:
        raise InputError(path, "schema", f"unknown bundle schema {schema[:80]!r}") from None
    if ver > SCHEMA_VERSION:
        raise InputError(path, "schema", f"bundle schema {schema} is newer than this sdkgate understands "
                         f"({SCHEMA_PREFIX}{SCHEMA_VERSION}); verify it with a newer sdkgate")
    if not isinstance(meta.get("files"), dict):
        raise ValueError(f"{BUNDLE_FILE} has no 'files' table")
    return meta


def check_files(src: BundleSource, listed: dict[str, Any], res: VerifyResult) -> None:
    """Every listed file is inside the bundle, a plain file, and hashes as sealed; nothing else is there."""
    present = src.entries()
    res.problems.extend(src.bad_names)
    for rel in sorted(listed, key=str):
        entry = listed[rel]
        want = entry.get("sha256") if isinstance(entry, dict) else entry
        why = unsafe_name(rel)
        if why:
            res.problems.append(f"bundle.json lists {rel!r}: {why}; not read")
        elif rel not in present:
            res.removed.append(rel)
        elif present[rel] != FILE:
            res.problems.append(f"{rel}: a {present[rel]}, not a plain file; not followed")
        else:
            try:
                if src.digest(rel) != want:
                    res.altered.append(rel)
            except EntryProblem as exc:
                res.problems.append(str(exc))
    res.added.extend(sorted(set(present) - set(listed) - set(SELF_FILES)))


def check_paths(src: BundleSource, meta: dict[str, Any], res: VerifyResult) -> None:
    """Paths bundle.json names besides `files` (evidence, manifest, scenario) must be sealed files inside it."""
    sealed = meta["files"]
    refs: list[tuple[str, object]] = []
    evidence = meta.get("evidence")
    if evidence is not None and not isinstance(evidence, list):
        res.problems.append("bundle.json: 'evidence' is not a list of files")
        evidence = []
    refs.extend(("evidence", n) for n in evidence or [])
    for key in ("manifest", "scenario"):
        ref = meta.get(key)
        if isinstance(ref, dict) and ref.get("file") is not None:
            refs.append((f"{key}.file", ref.get("file")))
    for what, rel in refs:
        try:
            src.confined(rel, f"bundle.json {what}")
        except EntryProblem as exc:
            res.problems.append(str(exc))
            continue
        if rel not in sealed:
            res.problems.append(f"bundle.json {what} {rel!r}: not covered by the seal (not in 'files')")


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
        opts["suppressions"] = [Suppression.from_record(s) for s in sups]
    return EvalOptions(**opts)


def _rematched(src: BundleSource, present: list[str], manifest, notes) -> list:
    """The derived-value sends re-found in the sealed flows.mitm (net/rematch.py), as an extra stream; the
    files are read from inside the bundle (a zip is extracted to its own temp folder, names kept)."""
    if not src.is_file("flows.mitm") or "net.jsonl" not in present:
        return []
    try:
        from ..net.rematch import rematch_events
        for rel in ("flows.mitm", "run.json"):
            if src.is_file(rel):
                src.local_path(rel)
        extra = rematch_events([src.local_path(n) for n in present], manifest)
    except ImportError:
        return []
    except Exception as exc:  # noqa: BLE001 - a flow file we cannot re-read: said, the live sends stand
        if notes is not None:
            notes.append(f"derived values not re-matched in flows.mitm: {type(exc).__name__}: {str(exc)[:200]}")
        return []
    return [iter(extra)] if extra else []


def derive_report(src: BundleSource, meta: dict[str, Any], manifest_path: str | Path | None,
                  notes: list[str] | None = None) -> Report:
    """Re-run the rule engine over the raw evidence, exactly as the run did (only sealed files are read)."""
    from ..manifest import load_manifest, parse_manifest
    from ..rules import evaluate
    from ..yamlio import loads_yaml
    if manifest_path:
        manifest = load_manifest(manifest_path)
    else:
        rel = (meta.get("manifest") or {}).get("file") if isinstance(meta.get("manifest"), dict) else None
        rel = rel or "manifest.yaml"
        manifest = None
        if src.is_file(rel):
            name = src.where(rel)
            text = src.read_bytes(rel, MAX_YAML_BYTES).decode("utf-8", "replace")
            manifest = parse_manifest(loads_yaml(text, name), name)
    names = meta.get("evidence") or [n for n in EVIDENCE_FILES if src.is_file(n)]
    handles = [src.open(n) for n in names if src.is_file(n)]
    try:
        present = [n for n in names if src.is_file(n)]
        streams = [parse_lines(fh, src.where(n)) for n, fh in zip(present, handles)]
        streams += _rematched(src, present, manifest, notes)
        options = eval_options(meta.get("eval_options") or {})
        if options is not None and options.geoip:
            geo = options.geoip
            if isinstance(geo, str) and src.is_file(geo) and geo in meta["files"]:
                options.geoip = str(src.local_path(geo))
            else:
                options.geoip = None
                if notes is not None:
                    notes.append(f"the run's GeoIP database {str(geo)[:200]!r} is not sealed in the bundle: "
                                 "not read, SG405 not re-derived")
        return evaluate(merge_streams(streams), manifest, options)
    finally:
        for fh in handles:
            fh.close()


@contextmanager
def opened_bundle(path: str | Path) -> Iterator[BundleSource]:
    """A bundle folder or a `run --zip` archive, read in place (a zip is never unpacked)."""
    src = open_source(path)
    try:
        yield src
    finally:
        src.close()


def verify_bundle(path: str | Path, manifest: str | Path | None = None, key: str | Path | None = None) -> VerifyResult:
    from .sign import load_public_key
    pub = load_public_key(key) if key else None
    if manifest and not Path(manifest).is_file():
        raise InputError(str(manifest), None, "manifest not found")
    with opened_bundle(path) as src:
        res = VerifyResult(bundle=str(path), new_manifest=str(manifest) if manifest else None)
        try:
            _verify(src, res, manifest, pub)
        except EntryProblem as exc:          # a sealed file that turned unreadable half-way: altered
            res.problems.append(str(exc))
        if isinstance(src, ZipSource):
            res.differences = [src.scrub(d) for d in res.differences]
            res.unverified = [src.scrub(d) for d in res.unverified]
            res.notes = [src.scrub(n) for n in res.notes]
            res.problems = [src.scrub(n) for n in res.problems]
        return res


def _verify(src: BundleSource, res: VerifyResult, manifest, pub) -> None:
    meta = check_integrity(src, res, pub)
    if meta is not None and res.intact:
        reproduce(src, res, meta, manifest)


def check_integrity(src: BundleSource, res: VerifyResult, pub) -> dict[str, Any] | None:
    """Seal, paths and signature; returns bundle.json's content (None when it is missing or unreadable)."""
    try:
        meta = load_bundle_meta(src)
    except FileNotFoundError:
        if not any(src.is_file(f) for f in EVIDENCE_MARKERS):
            raise InputError(src.label, None, "not an evidence bundle (no bundle.json, run.json, "
                             "report.json or events.jsonl)") from None
        res.problems.append(f"{BUNDLE_FILE} missing: nothing to check the files against")
        return None
    except ValueError as exc:
        res.problems.append(str(exc))
        return None
    check_files(src, meta["files"], res)
    check_paths(src, meta, res)
    sig_kind = src.entries().get(SIG_FILE)
    if sig_kind is not None and sig_kind != FILE:
        res.problems.append(f"{SIG_FILE}: a {sig_kind}, not a plain file; not followed")
    elif sig_kind == FILE:
        if pub is None:
            res.signature = "unchecked"
        else:
            problem = signature_problem(src, pub)
            res.signature = "invalid" if problem else "valid"
            if problem:
                res.problems.append(problem)
    elif pub is not None:
        res.signature = "invalid"
        res.problems.append(f"{SIG_FILE} missing: --key was given but the bundle is not signed")
    return meta


def reproduce(src: BundleSource, res: VerifyResult, meta: dict[str, Any], manifest) -> None:
    """Re-derive the report from the raw evidence and compare it with report.json (and net.jsonl with
    the recorded traffic); differences go to `res.differences`."""
    recorded = None
    if src.is_file("report.json"):
        try:
            recorded = Report.from_report_dict(loads_bounded(src.read_bytes("report.json")), "report.json")
        except InputError as exc:
            res.differences.append(f"report.json unreadable: {exc.problem[:300]}")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            res.differences.append(f"report.json unreadable: {str(exc)[:300]}")
    verdict = meta.get("verdict")
    res.recorded_verdict = recorded.verdict if recorded else verdict if isinstance(verdict, str) and verdict in VERDICT_EXIT \
        else None
    try:
        derived = derive_report(src, meta, manifest, res.notes)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InputError(src.where(BUNDLE_FILE), "eval_options", f"not usable: {str(exc)[:200]}") from None
    res.derived = derived
    res.derived_verdict = derived.verdict
    if not manifest:
        res.no_record = recorded is None
        if recorded is None:
            res.differences.append("report.json missing from the bundle: nothing recorded to reproduce")
        else:
            try:
                res.differences.extend(compare_reports(recorded, derived))
            except (TypeError, AttributeError, ValueError) as exc:
                res.differences.append(f"report.json malformed: {str(exc)[:200]}")
    recheck_network(src, res)


def signature_problem(src: BundleSource, pub) -> str | None:
    """None when bundle.sig is a valid signature of bundle.json by `pub`, else the problem."""
    from cryptography.exceptions import InvalidSignature
    try:
        pub.verify(src.read_bytes(SIG_FILE, 1 << 16), src.read_bytes(BUNDLE_FILE))
    except (InvalidSignature, ValueError, TypeError):
        return f"{SIG_FILE}: signature does not match {BUNDLE_FILE} with this key (wrong key or altered bundle)"
    return None


def recheck_network(src: BundleSource, res: VerifyResult) -> None:
    """net.jsonl is derived evidence: re-derive its sends from the recorded traffic (flows.mitm)."""
    if not src.is_file("net.jsonl"):
        return
    missing = [f for f in ("flows.mitm", "canaries.json", "run.json") if not src.is_file(f)]
    if missing:
        why = f"network matches not re-derived from traffic: {', '.join(missing)} not in the bundle"
        # recorded traffic without what it is matched with cannot back net.jsonl up: incomplete
        (res.unverified if src.is_file("flows.mitm") else res.notes).append(why)
        return
    from ..canaries import validate_canaries
    from ..manifest import parse_manifest
    from ..net.replay import compare
    from ..yamlio import loads_yaml
    try:
        canaries = validate_canaries(loads_bounded(src.read_bytes("canaries.json")), "canaries.json")
        run = loads_bounded(src.read_bytes("run.json"))
        t0 = float(run["t0_epoch_ms"])
        manifest = None
        if src.is_file("manifest.yaml"):
            name = src.where("manifest.yaml")
            manifest = parse_manifest(loads_yaml(src.read_bytes("manifest.yaml", MAX_YAML_BYTES).decode("utf-8", "replace"),
                                                 name), name)
        rep = compare(src.local_path("net.jsonl"), src.local_path("flows.mitm"), canaries, manifest, t0)
    except (InputError, ValueError, KeyError, TypeError, OSError, AttributeError, EntryProblem) as exc:
        res.unverified.append(f"network matches could not be re-derived from flows.mitm: {str(exc)[:300]}")
        return
    res.differences.extend(rep.differences)
    res.notes.extend(rep.not_replayed)
    if not rep.differences:
        res.notes.append(f"network matches re-derived from the recorded traffic ({rep.replayed_flows} HTTP flows)")
