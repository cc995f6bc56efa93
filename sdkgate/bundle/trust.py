"""What `report` checks before it draws a bundle: the seal, the signature, and that report.json is what
the raw evidence gives (re-derived exactly as `verify` does). A report.json edited and resealed is
named, never drawn.

A seal (bundle.json) proves the files are those listed in it, not who listed them: anyone who can
write the folder can reseal it. Only a signature checked with the signer's public key (`--key`) says
who sealed it; an unsigned or unchecked bundle is described as such, never as trusted.
"""
from __future__ import annotations

from typing import Any

from ..fileio import loads_bounded
from .bundle import BUNDLE_FILE
from .source import FILE, BundleSource, EntryProblem
from .verify import VerifyResult, check_integrity, reproduce


def check_seal(src: BundleSource, pub=None) -> tuple[VerifyResult, dict[str, Any] | None]:
    """The seal and signature, nothing parsed but bundle.json: (result, bundle.json's content or None when
    the folder is not sealed). `result.intact` false: read nothing more."""
    res = VerifyResult(bundle=src.label)
    if BUNDLE_FILE in src.entries():
        meta = check_integrity(src, res, pub)
        return res, meta if meta is not None else {}
    res.problems.extend(src.bad_names)
    res.problems.extend(f"{rel}: a {kind}, not a plain file; not followed"
                        for rel, kind in sorted(src.entries().items()) if kind != FILE)
    if pub is not None:
        res.signature = "invalid"
        res.problems.append(f"{BUNDLE_FILE} missing: --key was given but the folder is not sealed nor signed")
    return res, None


def check_reproduced(src: BundleSource, res: VerifyResult, meta: dict[str, Any] | None) -> None:
    """Re-derive report.json from the raw evidence (as `verify` does); what differs goes to
    `res.differences`. An unsealed folder is re-derived too: its report.json is as untrusted."""
    if meta is None:
        meta = {"files": {}, "eval_options": _run_eval_options(src)}
    reproduce(src, res, meta, None)


def _run_eval_options(src: BundleSource) -> dict[str, Any]:
    """An unsealed folder's judging options, as its run recorded them (run.json), else the defaults."""
    if not src.is_file("run.json"):
        return {}
    try:
        run = loads_bounded(src.read_bytes("run.json"))
    except (OSError, ValueError, EntryProblem):
        return {}
    opts = run.get("eval_options") if isinstance(run, dict) else None
    return opts if isinstance(opts, dict) else {}


def integrity_summary(res: VerifyResult, sealed: bool) -> dict[str, Any]:
    """What the report says about the bundle's integrity (HTML facts, console notes)."""
    return {"seal": "sealed" if sealed else "unsealed", "signature": res.signature, "reproduced": not res.differences,
            "unverified": bool(res.unverified),
            "evidence": bool(res.derived and sum((res.derived.stats.get("events") or {}).values()))}


def integrity_notes(summary: dict[str, Any]) -> list[str]:
    """One line per fact, for stderr (the HTML says the same in its facts)."""
    out = []
    sig = summary["signature"]
    if sig == "absent" and summary["seal"] == "sealed":
        out.append("sealed but NOT signed: the seal shows the files are unchanged since sealing, not who sealed "
                   "them (sign with `sdkgate run --sign KEY`, check with --key PUB)")
    elif sig == "unchecked":
        out.append("a signature is present but was NOT checked: give --key PUB to check who signed the bundle")
    elif sig == "valid":
        out.append("signature valid for the given key")
    out.append("verdict re-derived from the raw evidence: it matches report.json" if summary["evidence"] else
               "no raw evidence in the folder (events.jsonl, net.jsonl): the verdict could not be re-derived")
    return out
