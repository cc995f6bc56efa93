"""What a register holds at an instruction, by forward evaluation over the method's control-flow graph
(cfg.py): the names code builds for reflection, the components an Intent names, the class of an object
handed to a registration call.

Modelled: const-string / const / const-class; StringBuilder(/StringBuffer) <init>/append/reverse/toString;
String.concat/valueOf/copyValueOf/format (%s, %d, positional) /toLowerCase/toUpperCase/trim/intern/replace/
substring/toCharArray/getBytes; `new String(char[] | byte[])`; char and byte arrays from new-array +
fill-array-data / aput; `static final String` fields (class definition values); android.util.Base64 and
java.util.Base64 decoding; Class.forName / loadClass / getClass / getMethod / getField; Intent and
ComponentName construction and setters; JobInfo.Builder; fluent builders that return themselves.

Blocks are evaluated once in reverse post-order; a block with a predecessor not yet evaluated (a loop
header) or an exception edge starts knowing nothing, and at a join only what every predecessor agrees on
is kept: a value is known only when it is the same on every path, never guessed. An object handed to a
method that is not modelled is no longer known (the callee may change it)."""
from __future__ import annotations

from .callsites import param_types
from .cfg import CFG, EXC, const_value, rpo
from .dex import Dex, DexError
from .dexcode import code_header
from .calls import STRING, UNMODELLED, as_str, model_call
from .opcodes import INVOKE, INVOKE_STATIC, MOVE_RESULT, invoke_registers, written_register

MAX_ARRAY = 4096


class State:
    """Registers and the objects this method allocated (id -> [type, payload]); payloads are immutable."""
    __slots__ = ("regs", "heap")

    def __init__(self, regs=None, heap=None):
        self.regs = regs if regs is not None else {}
        self.heap = heap if heap is not None else {}

    def copy(self) -> "State":
        return State(dict(self.regs), dict(self.heap))

    def obj(self, v):
        return self.heap.get(v[1]) if v and v[0] == "ref" else None

    def get(self, reg: int):
        return self.regs.get(reg)


def _meet(states: list[State]) -> State:
    first, rest = states[0], states[1:]
    out = State()
    for r, v in first.regs.items():
        if all(s.regs.get(r) == v for s in rest):
            if v[0] == "ref":
                o = first.heap.get(v[1])
                if o is None or any(s.heap.get(v[1]) != o for s in rest):
                    continue
                out.heap[v[1]] = o
            out.regs[r] = v
    return out


class Evaluator:
    """Forward evaluation of one method; `run(wanted)` -> {instruction index: State before it}."""

    def __init__(self, dex: Dex, midx: int, units, starts: list[int], cfg: CFG, statics=None):
        self.dex, self.midx, self.units, self.starts, self.cfg = dex, midx, units, starts, cfg
        self.statics = statics          # callable(field idx) -> str | None (static final String values)
        self.puts: dict[int, str | None] = {}   # sput-object field idx -> the String stored (None: not known)
        self._allocs = 0

    def _entry(self) -> State:
        st = State()
        try:
            hdr = code_header(self.dex, self.midx)
        except DexError:
            return st
        if hdr is None:
            return st
        c, p, _n = self.dex.method_ref(self.midx)
        params = param_types(self.dex.proto(p))
        reg = hdr.registers - hdr.ins
        name = self.dex.string(_n)
        if hdr.ins > sum(2 if t in ("J", "D") else 1 for t in params) and name != "<clinit>":
            st.regs[reg] = ("type", self.dex.type_name(c), "this")
            reg += 1
        for i, t in enumerate(params):
            if t.startswith("L") or t.startswith("["):
                st.regs[reg] = ("type", t, "param", i)
            reg += 2 if t in ("J", "D") else 1
        return st

    def run(self, wanted: set[int]) -> dict[int, State]:
        cfg, out = self.cfg, {}
        if not cfg.n:
            return out
        succ = [[s for s, _k in ss] for ss in cfg.succ]
        preds = cfg.preds()
        done: dict[int, State] = {}
        for b in rpo(succ):
            ins = [done.get(p) for p, kind in preds[b]] if b else []
            if b == 0:
                st = self._entry()
            elif not ins or any(s is None for s in ins) or any(k == EXC for _p, k in preds[b]):
                st = State()
            else:
                st = _meet(ins)
            pending = None
            for k in range(cfg.first[b], cfg.last[b] + 1):
                if k in wanted:
                    out[k] = st.copy()
                pending = self._step(st, k, pending)
            done[b] = st
        return out

    # --- one instruction ---------------------------------------------------------------------------------
    def _step(self, st: State, k: int, pending):
        units, dex = self.units, self.dex
        p = self.starts[k]
        u = units[p]
        op = u & 0xFF
        regs = st.regs
        if op == 0x1A or op == 0x1B:
            idx = units[p + 1] if op == 0x1A else units[p + 1] | (units[p + 2] << 16)
            regs[u >> 8] = ("str", dex.string(idx))
        elif op in (0x12, 0x13, 0x14, 0x15):
            regs[(u >> 8) & (0xF if op == 0x12 else 0xFF)] = ("int", const_value(units, p))
        elif op == 0x1C:
            regs[u >> 8] = ("class", dex.type_name(units[p + 1]))
        elif op in (0x01, 0x04, 0x07):
            self._set(st, (u >> 8) & 0xF, regs.get(u >> 12))
        elif op in (0x02, 0x05, 0x08):
            self._set(st, u >> 8, regs.get(units[p + 1]))
        elif op in (0x03, 0x06, 0x09):
            self._set(st, units[p + 1], regs.get(units[p + 2]))
        elif op in MOVE_RESULT:
            self._set(st, u >> 8, pending)
        elif op == 0x22:
            regs[u >> 8] = ("ref", p)
            st.heap[p] = (dex.type_name(units[p + 1]), None)
        elif op == 0x23:
            n = regs.get(u >> 12)
            typ = dex.type_name(units[p + 1])
            size = n[1] if n and n[0] == "int" and 0 <= n[1] <= MAX_ARRAY else None
            regs[(u >> 8) & 0xF] = ("ref", p)
            st.heap[p] = (typ, None if size is None else (0,) * size if len(typ) == 2 else (None,) * size)
        elif op == 0x26:
            self._fill(st, u >> 8, p + _s32(units[p + 1] | (units[p + 2] << 16)))
        elif 0x4B <= op <= 0x51:
            self._aput(st, u >> 8, units[p + 1] & 0xFF, units[p + 1] >> 8)
        elif op == 0x1F:
            if regs.get(u >> 8) is None:
                regs[u >> 8] = ("type", dex.type_name(units[p + 1]))
        elif op == 0x62:
            f = units[p + 1]
            s = self.statics(f) if self.statics else None
            regs[u >> 8] = ("str", s) if s is not None else ("type", dex.type_name(dex.field_ref(f)[1]))
        elif op == 0x69:
            f = units[p + 1]
            v = as_str(regs.get(u >> 8), st)
            self.puts[f] = v if self.puts.get(f, v) == v else None
        elif op == 0x54:
            regs[(u >> 8) & 0xF] = ("type", dex.type_name(dex.field_ref(units[p + 1])[1]))
        elif op in (0x24, 0x25):
            typ = dex.type_name(units[p + 1])
            vals = tuple(regs.get(r) for r in invoke_registers(units, p))
            if typ == "[I":
                vals = tuple(v[1] if v and v[0] == "int" else None for v in vals)
            st.heap[p] = (typ, vals)
            return ("ref", p)
        elif op in INVOKE:
            return self._invoke(st, p, op)
        else:
            w = written_register(units, p)
            if w is not None:
                regs.pop(w, None)
                if op in WIDE:
                    regs.pop(w + 1, None)
        return None

    @staticmethod
    def _set(st: State, reg: int, v) -> None:
        if v is None:
            st.regs.pop(reg, None)
        else:
            st.regs[reg] = v

    def _fill(self, st: State, reg: int, q: int) -> None:
        units = self.units
        o = st.obj(st.regs.get(reg))
        if o is None or q < 0 or q + 4 > len(units) or units[q] != 0x0300:
            return
        width, size = units[q + 1], units[q + 2] | (units[q + 3] << 16)
        if width not in (1, 2) or size > MAX_ARRAY:
            st.heap[st.regs[reg][1]] = (o[0], None)
            return
        raw = bytes(memoryview(units[q + 4:q + 4 + (size * width + 1) // 2]).cast("B"))
        vals = tuple(raw[:size]) if width == 1 else tuple(int.from_bytes(raw[2 * i:2 * i + 2], "little") for i in range(size))
        if width == 1:
            vals = tuple(b - 256 if b > 127 else b for b in vals)
        st.heap[st.regs[reg][1]] = (o[0], vals)

    def _aput(self, st: State, val_reg: int, arr_reg: int, idx_reg: int) -> None:
        arr, idx = st.regs.get(arr_reg), st.regs.get(idx_reg)
        o = st.obj(arr)
        if o is None:
            return
        if o[1] is None or not idx or idx[0] != "int" or not 0 <= idx[1] < len(o[1]):
            st.heap[arr[1]] = (o[0], None)
            return
        v = st.regs.get(val_reg)
        if len(o[0]) == 2:                             # primitive element
            v = v[1] if v and v[0] == "int" else None
        elif v and v[0] == "ref" and st.obj(v) and st.obj(v)[0] == STRING:
            v = ("str", st.obj(v)[1]) if isinstance(st.obj(v)[1], str) else None
        vals = list(o[1])
        vals[idx[1]] = v
        st.heap[arr[1]] = (o[0], tuple(vals))

    # --- calls ---------------------------------------------------------------------------------------------
    def _invoke(self, st: State, p: int, op: int):
        dex, units = self.dex, self.units
        c, pr, n = dex.method_ref(units[p + 1])
        cls, name, proto = dex.type_name(c), dex.string(n), dex.proto(pr)
        regs = invoke_registers(units, p)
        static = op in INVOKE_STATIC
        args, ptypes = [], param_types(proto)
        i = 0 if static else 1
        for t in ptypes:
            args.append(st.regs.get(regs[i]) if i < len(regs) else None)
            i += 2 if t in ("J", "D") else 1
        recv = None if static or not regs else st.regs.get(regs[0])
        ret = proto.rsplit(")", 1)[1]
        res = model_call(self, st, cls, name, proto, ptypes, recv, args)
        if res is UNMODELLED:
            for v in ([recv] if recv else []) + args:       # a callee may change what it is handed
                o = st.obj(v)
                if o is not None:
                    st.heap[v[1]] = (o[0], None)
            ro = st.obj(recv)
            if ro is not None and ret == ro[0] and not static:
                return recv                                 # fluent builder: returns itself
            return ("type", ret) if ret[0] in "L[" else None
        return res

    def alloc(self, st: State, typ: str, payload):
        """A new object a modelled call returns (a decoded byte[], a JobInfo)."""
        self._allocs += 1
        key = ("alloc", self._allocs)
        st.heap[key] = (typ, payload)
        return ("ref", key)


# opcodes writing a register pair (vA and vA+1)
WIDE = frozenset({0x0B, 0x16, 0x17, 0x18, 0x19, 0x45, 0x53, 0x61, 0x81, 0x83, 0x86, 0x88, 0x89, 0x8B}
                 | set(range(0x9B, 0xA6)) | set(range(0xAB, 0xB0)) | set(range(0xBB, 0xC6)) | set(range(0xCB, 0xD0)))


def _s32(v: int) -> int:
    return v - 0x100000000 if v & 0x80000000 else v

