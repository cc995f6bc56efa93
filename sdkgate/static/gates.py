"""Which instructions of a method run only after a consent check (or a runtime-permission check) said yes.

A check is an instruction whose result says "agreed" / "granted": a call to one of the manifest's
`consent.check` methods or a read of a check field (non-zero = agreed); `checkSelfPermission` /
`ContextCompat.checkSelfPermission` / `PermissionChecker.checkSelfPermission` / `checkCallingOrSelfPermission`
/ `checkPermission` on a permission the bytecode names (0 = granted); or a call to a *wrapper* of either (a
method whose every non-false return is itself gated by the check, or returns the check's result unchanged).
The check's result is followed (moves, `!x`) to the branch that tests it; that branch's granted edge is
one gate edge, and an instruction is gated when every path from the entry passes a gate edge (cfg.py,
dominators). A check whose result decides no branch gates nothing and is counted (`ignored`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .cfg import CFG, EXC, FALL, GOTO, TAKEN, build_cfg, const_value, gated_blocks
from .dexcode import tries_of
from .callsites import arg_register
from .opcodes import INVOKE, MOVE_RESULT, invoke_registers, written_register
from .values import Evaluator, as_str

# (method name, descriptor) of the runtime-permission checks; 0 (PERMISSION_GRANTED) = granted
PERMISSION_CHECKS = {
    ("checkSelfPermission", "(Ljava/lang/String;)I"),
    ("checkSelfPermission", "(Landroid/content/Context;Ljava/lang/String;)I"),
    ("checkCallingOrSelfPermission", "(Ljava/lang/String;)I"),
    ("checkCallingOrSelfPermission", "(Landroid/content/Context;Ljava/lang/String;)I"),
    ("checkPermission", "(Ljava/lang/String;II)I"),
    ("checkPermission", "(Ljava/lang/String;Ljava/lang/String;)I"),
}
CONSENT = "consent"


@dataclass(frozen=True)
class Check:
    """What an instruction's result says: gate `CONSENT` or a permission gate; `zero_granted` for int checks."""
    gate: str | None                 # CONSENT, a permission name, or None when the permission is a parameter
    zero_granted: bool
    sig: str                         # the check as called (for the report)
    param: int | None = None         # wrapper taking the permission as its argument #param
    perms: tuple[str, ...] = ()      # a check on several permissions at once (String[])


MAX_BLOCKS = 20_000          # a method's checks are evaluated up to this many basic blocks; beyond: a bound


@dataclass
class MethodGates:
    consent_blocks: set[int] = field(default_factory=set)
    perm_blocks: dict[tuple[str, str], set[int]] = field(default_factory=dict)   # (permission, check) -> blocks
    cfg: CFG | None = None
    ignored: int = 0
    checks: int = 0
    capped: bool = False            # too big to evaluate: nothing counts as gated, the scan says so

    def consent(self, k: int) -> bool:
        return self.cfg is not None and self.cfg.block_at[k] in self.consent_blocks

    def permissions(self, k: int) -> frozenset:
        if self.cfg is None or not self.perm_blocks:
            return frozenset()
        b = self.cfg.block_at[k]
        return frozenset(key for key, blocks in self.perm_blocks.items() if b in blocks)


NO_GATES = MethodGates()


def _decision(cfg: CFG, units, k: int, reg: int) -> tuple[int, str, bool] | None:
    """Follow the value in `reg` (written by instruction k) to the if-eqz/if-nez that tests it:
    (block, edge kind taken when the value is non-zero, negated?) or None."""
    starts = cfg.starts
    regs = {reg: False}                      # register -> holds the negation?
    b = cfg.block_at[k]
    j = k + 1
    for _hop in range(4):
        while j <= cfg.last[b]:
            p = starts[j]
            u = units[p]
            op = u & 0xFF
            if op in (0x38, 0x39) and (u >> 8) & 0xFF in regs and j == cfg.last[b]:
                neg = regs[(u >> 8) & 0xFF]
                return b, TAKEN if op == 0x39 else FALL, neg
            if op in (0x01, 0x02) and ((u >> 12) if op == 0x01 else units[p + 1]) in regs:
                src = (u >> 12) if op == 0x01 else units[p + 1]
                regs[(u >> 8) & (0xF if op == 0x01 else 0xFF)] = regs[src]
            elif op == 0xDF and units[p + 1] & 0xFF in regs and (units[p + 1] >> 8) == 1:   # xor-int/lit8 vA, vB, 1
                regs[(u >> 8) & 0xFF] = not regs[units[p + 1] & 0xFF]
            else:
                w = written_register(units, p)
                if w is not None:
                    regs.pop(w, None)
                if not regs:
                    return None
            j += 1
        nxt = [s for s, kind in cfg.succ[b] if kind != EXC]
        if len(nxt) != 1 or [kind for s, kind in cfg.succ[b] if kind != EXC][0] not in (FALL, GOTO):
            return None
        b = nxt[0]
        if sum(1 for ss in cfg.succ for s, kind in ss if s == b and kind != EXC) != 1:   # a join: not only ours
            return None
        j = cfg.first[b]
    return None


def analyse(dex, midx: int, units, starts: list[int], found: list[tuple[int, Check]], cfg: CFG | None = None) -> MethodGates:
    """`found`: (instruction index, Check) of every check in the method (summary.py finds them)."""
    if not found:
        return NO_GATES
    cfg = cfg or build_cfg(units, starts, tries_of(dex, midx))
    if cfg.n > MAX_BLOCKS:
        return MethodGates(checks=len(found), capped=True)
    out = MethodGates(cfg=cfg, checks=len(found))
    needs_value = {k for k, c in found if c.gate is None and not c.perms}
    states = Evaluator(dex, midx, units, starts, cfg).run(needs_value) if needs_value else {}
    consent_edges: set = set()
    perm_edges: dict[tuple[str, str], set] = {}
    for k, c in found:
        p = starts[k]
        op = units[p] & 0xFF
        if op in INVOKE:
            if k + 1 >= len(starts) or units[starts[k + 1]] & 0xFF not in MOVE_RESULT:
                out.ignored += c.gate == CONSENT
                continue
            reg, k_reg = units[starts[k + 1]] >> 8, k + 1
        else:
            reg, k_reg = (units[p] >> 8) & (0xF if op <= 0x58 else 0xFF), k
        d = _decision(cfg, units, k_reg, reg)
        if d is None:
            out.ignored += c.gate == CONSENT
            continue
        block, nonzero_kind, neg = d
        granted_nonzero = not c.zero_granted
        if neg:
            granted_nonzero = not granted_nonzero
        kind = nonzero_kind if granted_nonzero else (FALL if nonzero_kind == TAKEN else TAKEN)
        if cfg.edge(block, kind) is None:
            out.ignored += c.gate == CONSENT
            continue
        if c.gate == CONSENT:
            consent_edges.add((block, kind))
            continue
        perms = c.perms or ((c.gate,) if c.gate else ())
        if not perms and k in states:
            perms = _permission_arg(states[k], dex, units, p, c)
        for perm in perms:
            perm_edges.setdefault((perm, c.sig), set()).add((block, kind))
    out.consent_blocks = gated_blocks(cfg, consent_edges)
    out.perm_blocks = {key: gated_blocks(cfg, edges) for key, edges in perm_edges.items()}
    return out


def _permission_arg(st, dex, units, pos: int, c: Check) -> tuple[str, ...]:
    """The permission(s) the check's argument names: a constant String or String[], or `$paramN` when it is
    the method's own parameter N (the method may be a wrapper taking the permission from its callers)."""
    if c.param is not None:
        proto = dex.proto(dex.method_ref(units[pos + 1])[1])
        reg = arg_register(units, pos, proto, c.param)
        regs = [reg] if reg is not None else []
    else:
        regs = list(reversed(invoke_registers(units, pos)))
    for r in regs:
        v = st.get(r)
        s = as_str(v, st)
        if s is not None and "." in s:
            return (s,)
        if v and v[0] == "type" and len(v) > 3 and v[1] in ("Ljava/lang/String;", "[Ljava/lang/String;"):
            return (f"$param{v[3]}",)
        o = st.obj(v)
        if o is not None and o[0] == "[Ljava/lang/String;" and o[1]:
            got = tuple(as_str(x, st) for x in o[1])
            if all(got):
                return got
    return ()


def wrapper_of(gates: MethodGates, units, starts: list[int], found: list[tuple[int, Check]], ret: str) -> Check | None:
    """A method returning boolean (or a permission check's int) is a wrapper of its check when each return
    hands back the check's own result, a constant that means "no", or a value only a gated path sets."""
    if not found or gates.cfg is None or ret not in ("Z", "I"):
        return None
    cfg = gates.cfg
    kinds = {c.gate == CONSENT for _k, c in found}
    if len(kinds) != 1:
        return None
    consent = kinds.pop()
    if consent and ret != "Z":
        return None
    if not consent and not gates.perm_blocks:
        return None
    results = set()                                 # instructions holding a check's result
    for k, _c in found:
        if units[starts[k]] & 0xFF in INVOKE and k + 1 < len(starts) and units[starts[k + 1]] & 0xFF in MOVE_RESULT:
            results.add(k + 1)
        elif units[starts[k]] & 0xFF not in INVOKE:
            results.add(k)
    no = (lambda v: v == 0) if ret == "Z" else (lambda v: v != 0)     # noqa: E731

    def ok(b: int, w: int | None) -> bool:
        if w is not None and w in results:
            return True
        v = const_value(units, starts[w]) if w is not None and units[starts[w]] & 0xFF in (0x12, 0x13, 0x14, 0x15) else None
        return (v is not None and no(v)) or _gated(gates, b, consent)

    preds = cfg.preds()
    for b in range(cfg.n):
        k = cfg.last[b]
        if units[starts[k]] & 0xFF != 0x0F:
            continue
        reg = units[starts[k]] >> 8
        if _gated(gates, b, consent):
            continue
        w = _last_write(cfg, units, b, reg, k)
        if w is not None:
            if w in results or _is_no(units, starts, w, no):
                continue
            return None
        for pb, kind in preds[b]:
            if kind == EXC or not ok(pb, _last_write(cfg, units, pb, reg, cfg.last[pb] + 1)):
                return None
    sig = found[0][1].sig
    if consent:
        return Check(CONSENT, False, sig)
    perms = sorted({p for p, _s in gates.perm_blocks})
    params = {int(p[6:]) for p in perms if p.startswith("$param")}
    if params:
        return Check(None, ret == "I", sig, param=params.pop()) if len(params) == 1 and len(perms) == 1 else None
    return Check(None, ret == "I", sig, perms=tuple(perms))


def _is_no(units, starts, w: int, no) -> bool:
    v = const_value(units, starts[w]) if units[starts[w]] & 0xFF in (0x12, 0x13, 0x14, 0x15) else None
    return v is not None and no(v)


def _gated(gates: MethodGates, b: int, consent: bool) -> bool:
    if consent:
        return b in gates.consent_blocks
    return any(b in blocks for blocks in gates.perm_blocks.values())


def _last_write(cfg: CFG, units, b: int, reg: int, before: int) -> int | None:
    for j in range(before - 1, cfg.first[b] - 1, -1):
        if written_register(units, cfg.starts[j]) == reg:
            return j
    return None
