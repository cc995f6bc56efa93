"""A control-flow graph per method (basic blocks; branch, switch, fall-through and exception edges) and
its dominator tree: what the consent and permission gates (gates.py) and the value tracking (values.py) stand on.

A call is gated only when every path from the method's entry to it passes a check's *granted* edge. With
all granted edges routed through one virtual node G, that is "G dominates the call's block" (a path that
avoids every granted edge avoids G; a path through G passed one). Dominators: Cooper, Harvey & Kennedy,
"A Simple, Fast Dominance Algorithm" (iterative, over reverse post-order).

Booleans the compiler materialises (`ok = a() && b(); if (ok)`: `const/4 v0, 1` / `const/4 v0, 0` blocks
joining at an `if-eqz v0`) are threaded: an edge from a block that sets the tested register to a constant
goes straight to the successor that constant selects, so the join does not mix the granted and denied sides.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .dexcode import Try
from .opcodes import written_register

IF_TEST = range(0x32, 0x38)           # if-eq .. if-le vA, vB, +CCCC
IF_TESTZ = range(0x38, 0x3E)          # if-eqz .. if-lez vAA, +BBBB
GOTOS = (0x28, 0x29, 0x2A)
SWITCHES = (0x2B, 0x2C)
ENDS = (0x0E, 0x0F, 0x10, 0x11, 0x27)          # return-void, return, return-wide, return-object, throw
CONSTS = {0x12, 0x13, 0x14, 0x15}              # const/4, const/16, const, const/high16

FALL, TAKEN, GOTO, SWITCH, EXC = "fall", "taken", "goto", "switch", "exc"
_BRANCHES = frozenset(IF_TEST) | frozenset(IF_TESTZ) | frozenset(GOTOS) | frozenset(SWITCHES)


def _s16(v: int) -> int:
    return v - 0x10000 if v & 0x8000 else v


def _s32(v: int) -> int:
    return v - 0x100000000 if v & 0x80000000 else v


def branch_targets(units, pos: int) -> list[int]:
    """Code units an instruction may jump to (not its fall-through)."""
    u = units[pos]
    op = u & 0xFF
    if op in IF_TEST or op in IF_TESTZ:
        return [pos + _s16(units[pos + 1])]
    if op == 0x28:
        off = (u >> 8) & 0xFF
        return [pos + (off - 0x100 if off & 0x80 else off)]
    if op == 0x29:
        return [pos + _s16(units[pos + 1])]
    if op == 0x2A:
        return [pos + _s32(units[pos + 1] | (units[pos + 2] << 16))]
    if op in SWITCHES:
        q = pos + _s32(units[pos + 1] | (units[pos + 2] << 16))
        if q < 0 or q + 2 > len(units):
            return []
        size = units[q + 1]
        first = q + 4 if op == 0x2B else q + 2 + 2 * size
        out = []
        for i in range(size):
            t = first + 2 * i
            if t + 1 >= len(units):
                break
            out.append(pos + _s32(units[t] | (units[t + 1] << 16)))
        return out
    return []


def const_value(units, pos: int) -> int | None:
    u = units[pos]
    op = u & 0xFF
    if op == 0x12:
        b = u >> 12
        return b - 16 if b & 0x8 else b
    if op == 0x13:
        return _s16(units[pos + 1])
    if op == 0x14:
        return _s32(units[pos + 1] | (units[pos + 2] << 16))
    if op == 0x15:
        return units[pos + 1] << 16
    return None


@dataclass
class CFG:
    starts: list[int]                               # instruction starts (code units)
    first: list[int] = field(default_factory=list)  # per block: index (in starts) of its first instruction
    last: list[int] = field(default_factory=list)   # ... and of its last
    succ: list[list[tuple[int, str]]] = field(default_factory=list)   # (block, edge kind)
    block_at: list[int] = field(default_factory=list)                 # instruction index -> block

    @property
    def n(self) -> int:
        return len(self.first)

    def preds(self) -> list[list[tuple[int, str]]]:
        out: list[list[tuple[int, str]]] = [[] for _ in range(self.n)]
        for b, ss in enumerate(self.succ):
            for s, kind in ss:
                out[s].append((b, kind))
        return out

    def edge(self, block: int, kind: str) -> int | None:
        """The successor of `block` along its `kind` edge, when exactly one edge has that kind and leads
        elsewhere than the block's other branch edge (an `if` to its own fall-through decides nothing)."""
        hits = [s for s, k in self.succ[block] if k == kind]
        if len(hits) != 1:
            return None
        other = [s for s, k in self.succ[block] if k in (FALL, TAKEN) and k != kind]
        return None if other and other[0] == hits[0] else hits[0]


def build_cfg(units, starts: list[int], tries: list[Try] = ()) -> CFG:
    where = {p: k for k, p in enumerate(starts)}
    n_ins = len(starts)
    leaders = {0} if n_ins else set()
    jumps: dict[int, list[int]] = {}                 # instruction index -> branch targets (code units)
    for k, p in enumerate(starts):
        op = units[p] & 0xFF
        if op in _BRANCHES:
            jumps[k] = ts = branch_targets(units, p)
            for t in ts:
                if t in where:
                    leaders.add(where[t])
            leaders.add(k + 1)
        elif op in ENDS:
            leaders.add(k + 1)
    for t in tries:
        for x in (t.start, t.end):
            if x in where:
                leaders.add(where[x])
        for _typ, addr in t.handlers:
            if addr in where:
                leaders.add(where[addr])
    leaders = sorted(x for x in leaders if x < n_ins)
    cfg = CFG(starts)
    block_at = [0] * n_ins
    for b, lo in enumerate(leaders):
        hi = (leaders[b + 1] if b + 1 < len(leaders) else n_ins) - 1
        cfg.first.append(lo)
        cfg.last.append(hi)
        for k in range(lo, hi + 1):
            block_at[k] = b
    cfg.block_at = block_at
    for b in range(cfg.n):
        k = cfg.last[b]
        p = starts[k]
        op = units[p] & 0xFF
        out: list[tuple[int, str]] = []
        nxt = block_at[k + 1] if k + 1 < n_ins else None
        if op in IF_TEST or op in IF_TESTZ:
            for t in jumps[k]:
                if t in where:
                    out.append((block_at[where[t]], TAKEN))
            if nxt is not None:
                out.append((nxt, FALL))
        elif op in GOTOS:
            out += [(block_at[where[t]], GOTO) for t in jumps[k] if t in where]
        elif op in SWITCHES:
            out += [(block_at[where[t]], SWITCH) for t in jumps[k] if t in where]
            if nxt is not None:
                out.append((nxt, FALL))
        elif op not in ENDS and nxt is not None:
            out.append((nxt, FALL))
        cfg.succ.append(out)
    for t in tries:                  # every block inside a try range may throw to each of its handlers
        targets = [block_at[where[a]] for _typ, a in t.handlers if a in where]
        for b in range(cfg.n):
            if t.start <= starts[cfg.first[b]] < t.end:
                cfg.succ[b] += [(h, EXC) for h in targets]
    _thread_constant_tests(cfg, units)
    return cfg


def _thread_constant_tests(cfg: CFG, units) -> None:
    """Edges into a block that is only `if-eqz/if-nez vX` from a block that last set vX to a constant go
    straight to the successor that constant selects."""
    starts = cfg.starts
    preds = None
    for j in range(cfg.n):
        if cfg.first[j] != cfg.last[j]:
            continue
        p = starts[cfg.first[j]]
        op = units[p] & 0xFF
        if op not in (0x38, 0x39):
            continue
        reg = (units[p] >> 8) & 0xFF
        taken, fall = cfg.edge(j, TAKEN), cfg.edge(j, FALL)
        if taken is None or fall is None:
            continue
        if preds is None:
            preds = cfg.preds()
        for b in sorted({b for b, _k in preds[j]}):
            if b == j:
                continue
            new = []
            for s, kind in cfg.succ[b]:
                if s == j and kind != EXC:
                    v = _last_const(cfg, units, b, reg)
                    if v is not None:
                        jump = (v == 0) == (op == 0x38)          # if-eqz jumps on 0, if-nez on non-zero
                        s = taken if jump else fall
                new.append((s, kind))
            cfg.succ[b] = new


def _last_const(cfg: CFG, units, b: int, reg: int) -> int | None:
    starts = cfg.starts
    for k in range(cfg.last[b], cfg.first[b] - 1, -1):
        p = starts[k]
        if written_register(units, p) == reg:
            return const_value(units, p) if (units[p] & 0xFF) in CONSTS else None
    return None


def rpo(succ: list[list[int]], entry: int = 0) -> list[int]:
    """Reverse post-order of the nodes reachable from `entry` (iterative depth-first search)."""
    seen = {entry}
    order: list[int] = []
    stack = [(entry, iter(succ[entry]))]
    while stack:
        node, it = stack[-1]
        for s in it:
            if s not in seen:
                seen.add(s)
                stack.append((s, iter(succ[s])))
                break
        else:
            stack.pop()
            order.append(node)
    return order[::-1]


def dominators(succ: list[list[int]], entry: int = 0, order: list[int] | None = None) -> list[int | None]:
    """Immediate dominator of every node (entry: itself; unreachable: None)."""
    n = len(succ)
    order = order if order is not None else rpo(succ, entry)
    index = {b: i for i, b in enumerate(order)}
    preds: list[list[int]] = [[] for _ in range(n)]
    for b in order:
        for s in succ[b]:
            preds[s].append(b)
    idom: list[int | None] = [None] * n
    idom[entry] = entry
    changed = True
    while changed:
        changed = False
        for b in order[1:]:
            new = None
            for p in preds[b]:
                if idom[p] is None:
                    continue
                if new is None:
                    new = p
                    continue
                a, c = p, new
                while a != c:
                    while index[a] > index[c]:
                        a = idom[a]
                    while index[c] > index[a]:
                        c = idom[c]
                new = a
            if new is not None and idom[b] != new:
                idom[b] = new
                changed = True
    return idom


def gated_blocks(cfg: CFG, granted: set[tuple[int, str]]) -> set[int]:
    """Blocks that every path from the entry reaches through one of the `granted` edges ((block, edge kind)):
    the blocks the virtual node G on those edges dominates."""
    if not granted or not cfg.n:
        return set()
    g = cfg.n
    succ: list[list[int]] = [[] for _ in range(g + 1)]
    for b, ss in enumerate(cfg.succ):
        for s, kind in ss:
            if (b, kind) in granted:
                succ[b].append(g)
                succ[g].append(s)
            else:
                succ[b].append(s)
    order = rpo(succ)
    idom = dominators(succ, 0, order)
    out: set[int] = set()
    for b in order:
        d = idom[b]
        if b != g and b != 0 and d is not None and (d == g or d in out):
            out.add(b)
    return out
