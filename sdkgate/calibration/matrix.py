"""What the agent reported vs what the probe did: the calibration matrix.

A call of the plan fired when a hook event names its row (`api_id`, and `target` for a side channel) in its
process with the probe method that made it on the stack. A row is `fired` when every call of it the device
could make fired; `not applicable on this API level` when the device has none of them (the probe's ledger says
so: the method or class is absent, or the device has no such service); `not hookable` when the table says no
hook can see it (`hook_class: null`, static field reads) and nothing fired; `not fired` otherwise, with what the
agent said about that hook. Checks cover the rest: the `:probe` process, the loaded code (kept and read from),
the sockets, and the consent taps. Without a ledger nothing is `not applicable`: an unfired call stays unfired
(fail closed).
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from ..fileio import sha256_file

FIRED, NOT_FIRED, NOT_HOOKABLE, NOT_APPLICABLE = "fired", "not fired", "not hookable", "not applicable on this API level"
STATUSES = (FIRED, NOT_FIRED, NOT_HOOKABLE, NOT_APPLICABLE)
LEDGER_NA = {"absent": "absent on this device", "no_receiver": "the device has no instance to call it on"}
SOCKET_HOST = "probe.sdkgate.invalid"
LOADER_CLASS = {"loaded.dex": "dalvik.system.DexClassLoader", "loaded.inmemory": "dalvik.system.InMemoryDexClassLoader"}
_LOGCAT = re.compile(r"^\S+\s+\S+\s+(\d+)\s+\d+\s+[VDIWEF]\s+sdkgate-probe\s*:\s?(.*)$")


def parse_ledger(text: str, pids: set[int] | None = None) -> dict[str, str]:
    """The probe's ledger from `logcat -v threadtime -s sdkgate-probe` output: call id -> outcome (the lines of
    the given processes only; a call logged twice keeps `called` over anything else)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        m = _LOGCAT.match(line.strip())
        if not m or (pids is not None and int(m.group(1)) not in pids):
            continue
        parts = m.group(2).split()
        if len(parts) < 2:
            continue
        cid, outcome = parts[0], parts[1]
        if out.get(cid) != "called":
            out[cid] = outcome + (f" ({parts[2]})" if len(parts) > 2 else "")
    return out


def _frames(ev: dict) -> list[str]:
    st = ev.get("stack")
    return [f for f in st if isinstance(f, str)] if isinstance(st, list) else []


def _has_frame(ev: dict, method: str) -> bool:
    prefix = method + "("
    return any(f.startswith(prefix) for f in _frames(ev))


class _Index:
    """Hook events by probe method (the frames under `com.sdkgate.probe.`), so a call is found in O(1)."""

    def __init__(self, events: Iterable[dict]):
        self.by_method: dict[str, list[dict]] = defaultdict(list)
        self.kinds: dict[str, list[dict]] = defaultdict(list)
        self.agent: list[dict] = []
        for ev in events:
            if ev.get("source") != "hook":
                continue
            kind = ev.get("kind")
            self.kinds[kind].append(ev)
            if kind == "agent_status":
                self.agent.append(ev)
            for f in _frames(ev):
                if f.startswith("com.sdkgate.probe."):
                    self.by_method[f.split("(", 1)[0]].append(ev)


def _call_fired(ix: _Index, call: dict, process: str) -> bool:
    for ev in ix.by_method.get(call["method"], ()):
        if ev.get("kind") not in ("read", "self_read", "permission_request") or ev.get("api_id") != call["expect"]:
            continue
        if call.get("target") and ev.get("target") != call["target"]:
            continue
        if (ev.get("process") or process) == process:
            return True
    return False


def _missing(ix: _Index) -> dict[str, str]:
    """Rows the agent said it could not hook (agent_status `missing`), with the process."""
    out: dict[str, str] = {}
    for ev in ix.agent:
        for rid in ev.get("missing") or []:
            if isinstance(rid, str):
                out.setdefault(rid, str(ev.get("process") or "the app"))
    return out


def build_matrix(plan: dict, events: Iterable[dict], flows: Iterable[dict], out_dir: Path,
                 ledger: dict[str, str] | None, payload_sha: dict[str, str]) -> dict:
    """The matrix (rows, checks, summary, not_observable, what was seen) of one calibration run."""
    pkg = plan["package"]
    ix = _Index(events)
    missing = _missing(ix)
    calls_of: dict[str, list[dict]] = defaultdict(list)
    for c in plan["calls"]:
        if c["process"] == "main" and not c["route"].startswith("loaded:"):
            key = c["id"].split("@", 1)[1] if "@" in c["id"] else c["row"]    # row#n@target: a target's read
            calls_of[key].append(c)
    rows = []
    for r in plan["rows"]:
        rows.append(_row(r, calls_of.get(r["id"], []), ix, pkg, ledger, missing))
    checks = [_check(ch, plan, ix, flows, out_dir, ledger, payload_sha) for ch in plan["checks"]]
    return {"rows": rows, "checks": checks, "summary": summarise(rows, checks),
            "not_observable": not_observable(plan, rows, checks), **seen(ix, pkg)}


def _row(r: dict, calls: list[dict], ix: _Index, pkg: str, ledger, missing) -> dict:
    out = {"id": r["id"], "kind": r["kind"], "category": r["category"], "match": r.get("match")}
    if not r.get("probed"):
        return {**out, "status": "not probed", "detail": r.get("why", "")}
    results = []
    for c in calls:
        fired = _call_fired(ix, c, pkg)
        said = (ledger or {}).get(c["id"])
        outcome = said.split(" ", 1)[0] if said else None
        status = FIRED if fired else (NOT_APPLICABLE if outcome in LEDGER_NA else NOT_FIRED)
        results.append({"call": c["id"], "descriptor": c["descriptor"], "route": c["route"], "status": status,
                        **({"ledger": said} if said else {})})
    applicable = [x for x in results if x["status"] != NOT_APPLICABLE]
    if applicable and all(x["status"] == FIRED for x in applicable):
        status, detail = FIRED, ""
    elif not r.get("hookable", True) or r["kind"] == "field":
        status = NOT_HOOKABLE
        detail = ("static field reads are not observable by hooks" if r["kind"] == "field" else
                  "the table names no concrete class to hook (hook_class: null)")
    elif results and not applicable:
        status = NOT_APPLICABLE
        detail = "; ".join(sorted({LEDGER_NA[x["ledger"].split(" ", 1)[0]] + f" ({x['ledger']})" for x in results}))
    else:
        status = NOT_FIRED
        bad = [x for x in applicable if x["status"] != FIRED]
        why = []
        for x in bad:
            said = x.get("ledger")
            why.append(f"{x['call']}: " + ("the probe never made this call (no ledger line)" if ledger is not None
                                           and not said else f"probe: {said}" if said else "no hook event"))
        if r["id"] in missing:
            why.append(f"agent: hook missing in {missing[r['id']]}")
        detail = "; ".join(why)
    return {**out, "status": status, "detail": detail, "calls": results}


def _check(ch: dict, plan: dict, ix: _Index, flows, out_dir: Path, ledger, payload_sha) -> dict:
    cid, pkg = ch["id"], plan["package"]
    said = (ledger or {}).get(cid)
    ok, detail = False, ""
    if cid == "process.probe":
        proc = pkg + ":probe"
        calls = [c for c in plan["calls"] if c["process"] == "probe"]
        live = [c for c in calls if ((ledger or {}).get(c["id"]) or "").split(" ", 1)[0] not in LEDGER_NA]
        fired = [c for c in live if _call_fired(ix, c, proc)]
        ok = bool(live) and len(fired) == len(live)
        seen_there = any(ev.get("process") == proc for k in ("read", "agent_status") for ev in ix.kinds.get(k, ()))
        detail = f"{len(fired)}/{len(live)} calls fired in {proc}" + ("" if seen_there else f"; no event from {proc}")
    elif cid in LOADER_CLASS:
        loader = cid.split(".", 1)[1]
        loads = [ev for ev in ix.kinds.get("code_loaded", ()) if str(ev.get("loader") or "").startswith(LOADER_CLASS[cid])]
        want = payload_sha.get(loader)
        kept = [ev for ev in loads if ev.get("sha256") == want and ev.get("file")
                and (out_dir / str(ev["file"])).is_file() and sha256_file(out_dir / str(ev["file"])) == want]
        call = next(c for c in plan["calls"] if c["route"] == f"loaded:{loader}")
        read = _call_fired(ix, call, pkg)
        ok = bool(kept) and read
        detail = (f"{len(loads)} load(s) reported, {'kept' if kept else 'not kept'} in loaded/, "
                  f"its read {'fired' if read else 'did not fire'}")
    elif cid == "socket.http_proxy":
        sock = [ev for ev in ix.kinds.get("net_connect", ()) if _has_frame(ev, "com.sdkgate.probe.Sockets.http")]
        flow = [f for f in flows if f.get("kind") == "flow" and f.get("host") == SOCKET_HOST]
        ok = bool(sock) and bool(flow)
        detail = f"agent: {'socket seen' if sock else 'no socket'}; proxy: {'request seen' if flow else 'no request'}"
    elif cid.startswith("socket."):
        kind = cid.split(".", 1)[1]
        proto = "tcp" if kind == "tcp" else "udp"
        sock = [ev for ev in ix.kinds.get("net_connect", ()) if _has_frame(ev, f"com.sdkgate.probe.Sockets.{kind}")
                and ev.get("protocol") == proto and (kind != "dns" or ev.get("port") == 53)]
        ok = bool(sock)
        detail = (f"{proto} to {sock[0].get('ip')}:{sock[0].get('port')}" if sock else f"no {proto} socket reported")
    elif cid.startswith("tap."):
        taps = [ev for ev in ix.kinds.get("consent", ()) if ev.get("control")]
        ui = [ev for ev in taps if ev.get("evidence") == "ui_tap"]
        prog = [ev for ev in taps if ev.get("evidence") == "programmatic"]
        if cid == "tap.ui":
            ok, detail = bool(ui), f"{len(ui)} ui_tap event(s)"
        else:
            ok = bool(prog) and len(ui) <= 1
            detail = f"{len(prog)} programmatic event(s)" + (
                f"; {len(ui)} ui_tap: the app's own click was taken for the user's" if len(ui) > 1 else "")
    if ok:
        status = FIRED
    elif said and said.split(" ", 1)[0] in LEDGER_NA and cid == "loaded.inmemory":
        status, detail = NOT_APPLICABLE, f"{LEDGER_NA[said.split(' ', 1)[0]]} ({said})"
    else:
        status = NOT_FIRED
        if said and said.split(" ", 1)[0] != "called":
            detail += f"; probe: {said}"
    return {"id": cid, "what": ch["what"], "category": ch["category"], "status": status, "detail": detail}


def summarise(rows: list[dict], checks: list[dict]) -> dict:
    n = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    applicable = n[FIRED] + n[NOT_FIRED]
    live = [c for c in checks if c["status"] != NOT_APPLICABLE]
    passed = sum(1 for c in live if c["status"] == FIRED)
    return {"rows_total": len(rows), "rows_applicable": applicable, "rows_fired": n[FIRED],
            "rows_not_fired": n[NOT_FIRED], "rows_not_hookable": n[NOT_HOOKABLE], "rows_not_applicable": n[NOT_APPLICABLE],
            "rows_not_probed": sum(1 for r in rows if r["status"] == "not probed"),
            "checks_total": len(live), "checks_passed": passed,
            "complete": n[FIRED] == applicable and passed == len(live)}


def not_observable(plan: dict, rows: list[dict], checks: list[dict]) -> dict[str, list[str]]:
    """Category -> the rows and checks of it that did not fire (what a run on this device cannot see)."""
    target_cats: dict[str, set] = defaultdict(set)
    for r in plan["rows"]:
        if r["kind"] in ("path", "property", "command", "provider", "service", "setting", "ioctl") and r["category"]:
            target_cats[r["kind"]].add(r["category"])
    out: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r["status"] != NOT_FIRED:
            continue
        if r["kind"] == "permission_request":
            cats = {"permission requests"}
        elif r["category"]:
            cats = {r["category"]}
        else:
            cats = target_cats.get(r.get("match") or "", set()) or {"side channels"}
        for c in cats:
            out[c].append(r["id"])
    for c in checks:
        if c["status"] == NOT_FIRED:
            out[c["category"]].append(c["id"])
    return {k: sorted(v) for k, v in sorted(out.items())}


def seen(ix: _Index, pkg: str) -> dict:
    """What the run showed besides the rows: processes, loaded code, probe sockets, consent taps, agent hooks."""
    procs = sorted({(str(ev.get("process")), ev.get("pid")) for evs in ix.kinds.values() for ev in evs
                    if ev.get("process")}, key=lambda x: (x[0], x[1] or 0))
    agent = [{"process": ev.get("process"), "hooked": ev.get("hooked"), "missing": ev.get("missing") or []}
             for ev in ix.agent if ev.get("status") == "loaded"]
    return {
        "processes": [{"process": p, "pid": pid} for p, pid in procs],
        "agent_hooks": agent,
        "loaded_code": [{k: ev.get(k) for k in ("loader", "sha256", "file", "size", "process")}
                        for ev in ix.kinds.get("code_loaded", ())],
        "sockets": [{k: ev.get(k) for k in ("protocol", "ip", "port", "host", "call", "process")}
                    for ev in ix.kinds.get("net_connect", ()) if any(f.startswith("com.sdkgate.probe.")
                                                                     for f in _frames(ev))],
        "taps": [{k: ev.get(k) for k in ("transition", "evidence", "control", "t_ms")} for ev in ix.kinds.get("consent", ())],
    }
