"""Call sites of the sensitive-API table, found from the DEX reference tables, not from a full analysis.

1. The table's classes, plus every class of the APK that extends or implements one of them, give
   the method_ids / field_ids that denote a sensitive API (matched on class, name and descriptor).
2. One regular-expression pass over each DEX finds the byte patterns `invoke-* {..}, idx` and
   `sget* vAA, idx` for those ids; each hit is mapped to the code item that contains it and confirmed
   by walking that one method's instructions with the opcode length table.
3. Where the table filters on an argument (Settings key, content URI, package name) a backward scan
   inside the method finds the constant that feeds the argument register, when the bytecode shows it.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ..apitable import match_target, SensitiveApi, apis, split_descriptor
from .candidates import candidate_offsets
from .dex import Dex, DexError
from .opcodes import (CONST_STRING, CONST_STRING_JUMBO, INVOKE, INVOKE_STATIC, LENGTH, MOVE_RESULT, SGET,
                      invoke_registers, payload_length, written_register)
from .program import Program
from ..i18n import exc_text, msg


def normalise_descriptor(desc: str) -> str:
    """androguard prints framework descriptors with spaces between parameters; smali has none."""
    return desc.replace(" ", "")


def param_types(desc: str) -> list[str]:
    """`(Ljava/lang/String;I[J)V` -> ['Ljava/lang/String;', 'I', '[J']."""
    return split_descriptor(desc)[0]


@dataclass(frozen=True)
class TargetIndex:
    """The table as lookups: (class, name, descriptor) -> APIs, for methods and fields."""
    methods: dict[tuple[str, str, str], tuple[tuple[SensitiveApi, str], ...]]
    fields: dict[tuple[str, str, str], tuple[tuple[SensitiveApi, str], ...]]
    classes: frozenset[str]
    names: frozenset[str]

    @classmethod
    def build(cls, table: tuple[SensitiveApi, ...] | None = None) -> "TargetIndex":
        table = table if table is not None else apis()
        methods: dict[tuple, list] = {}
        fields: dict[tuple, list] = {}
        for api in table:
            if api.kind == "native" or api.is_target:
                continue            # native calls and target rows have no smali call sites
            for desc in api.descriptors:
                key = (api.smali_class, api.member, normalise_descriptor(desc))
                (fields if api.kind == "field" else methods).setdefault(key, []).append((api, normalise_descriptor(desc)))
        return cls({k: tuple(v) for k, v in methods.items()}, {k: tuple(v) for k, v in fields.items()},
                   frozenset(k[0] for k in list(methods) + list(fields)),
                   frozenset(k[1] for k in list(methods) + list(fields)))


@dataclass
class Site:
    dex: int
    method: int                 # method idx of the caller in that DEX
    pos: int                    # code unit of the instruction
    api: SensitiveApi
    descriptor: str
    via: str | None = None      # the referenced signature when it is a subclass / implementation
    note: str = ""
    extra: dict = field(default_factory=dict)    # permission requests: permissions, request_code


@dataclass
class SiteScan:
    sites: list[Site] = field(default_factory=list)
    unresolved_queries: int = 0       # ContentResolver.query calls whose URI the bytecode does not show
    unresolved: list = field(default_factory=list)   # those call sites (capped), reported as findings (issue 11)
    problems: list[str] = field(default_factory=list)
    candidates: int = 0




def instruction_starts(units) -> list[int]:
    """Code-unit indexes where instructions start (payload pseudo-instructions are skipped whole)."""
    starts = []
    pos, n = 0, len(units)
    length = LENGTH
    while pos < n:
        starts.append(pos)
        u = units[pos]
        op = u & 0xFF
        if op == 0 and u:
            try:
                pl = payload_length(units, pos)
            except IndexError:
                raise DexError(f"payload at code unit {pos} runs past the end of the method") from None
            pos += pl if pl else 1
        else:
            pos += length[op]
    return starts


class ValueTracer:
    """Backward scan for what a register holds at an instruction (constant string or int, static field,
    call result, array of constant strings). Straight-line approximation: branches are not followed."""

    def __init__(self, dex: Dex, units, starts: list[int]):
        self.dex, self.units, self.starts = dex, units, starts

    def writer(self, k: int, reg: int) -> int | None:
        """Index (in starts) of the last instruction before the k-th that writes `reg`."""
        units, starts = self.units, self.starts
        for j in range(k - 1, -1, -1):
            if written_register(units, starts[j]) == reg:
                return j
        return None

    def value(self, k: int, reg: int, depth: int = 0) -> tuple[str, object] | None:
        units, starts = self.units, self.starts
        j = self.writer(k, reg)
        if j is None:
            return None
        p = starts[j]
        u = units[p]
        op = u & 0xFF
        if op == CONST_STRING:
            return ("string", self.dex.string(units[p + 1]))
        if op == CONST_STRING_JUMBO:
            return ("string", self.dex.string(units[p + 1] | (units[p + 2] << 16)))
        if op == 0x12:                                  # const/4 vA, #+B
            b = u >> 12
            return ("int", b - 16 if b & 0x8 else b)
        if op == 0x13:                                  # const/16 vAA, #+BBBB
            b = units[p + 1]
            return ("int", b - 0x10000 if b & 0x8000 else b)
        if op == 0x14:                                  # const vAA, #+BBBBBBBB
            b = units[p + 1] | (units[p + 2] << 16)
            return ("int", b - 0x100000000 if b & 0x80000000 else b)
        if op in SGET:
            c, _t, n = self.dex.field_ref(units[p + 1])
            return ("field", f"{self.dex.type_name(c)}->{self.dex.string(n)}")
        if op == 0x22 and depth < 4:    # new-instance: what its constructor got (issue 26: Intent, File, ProcessBuilder)
            return self.constructed(j, k, reg, self.dex.type_name(units[p + 1]), depth)
        if op == 0x1C:          # const-class vAA, type@BBBB
            return ("class", self.dex.type_name(units[p + 1])[1:-1].replace("/", "."))
        if op == 0x1F:          # check-cast keeps the value
            return self.value(j, reg, depth)
        if op == 0x07 or op == 0x08:   # move-object vA, vB
            src = (u >> 12) if op == 0x07 else units[p + 1]
            return self.value(j, src, depth + 1) if depth < 4 else None
        if op == 0x23:          # new-array: the constant strings stored into it before the k-th instruction
            vals = []
            for m in range(j + 1, k):
                q = starts[m]
                if units[q] & 0xFF == 0x4D and units[q + 1] & 0xFF == reg:     # aput-object vAA, vBB, vCC
                    v = self.value(m, units[q] >> 8, depth + 1) if depth < 4 else None
                    if v and v[0] == "string":
                        vals.append(v[1])
            return ("strings", vals)
        if op in MOVE_RESULT and j > 0:
            q = starts[j - 1]
            qop = units[q] & 0xFF
            if qop in (0x24, 0x25):    # filled-new-array
                vals = []
                for r in invoke_registers(units, q):
                    v = self.value(j - 1, r, depth + 1) if depth < 4 else None
                    if v and v[0] == "string":
                        vals.append(v[1])
                return ("strings", vals)
            if qop in INVOKE:
                c, _p, n = self.dex.method_ref(units[q + 1])
                name, cls = self.dex.string(n), self.dex.type_name(c)
                if name == "getPackageName":
                    return ("own_package", "")
                if cls == "Ljava/lang/StringBuilder;" and name == "toString" and depth < 4:   # issue 11
                    parts = self.builder(j - 1, invoke_registers(units, q)[0], depth + 1)
                    if parts is not None:
                        return ("concat", parts)
                if cls == "Ljava/lang/Class;" and name == "forName" and depth < 4:    # reflection (issue 11)
                    inner = self.value(j - 1, invoke_registers(units, q)[0], depth + 1)
                    if inner and inner[0] == "string":
                        return ("class", inner[1])
                if cls == "Ljava/nio/file/Paths;" and name == "get" and depth < 4:
                    inner = self.value(j - 1, invoke_registers(units, q)[0], depth + 1)
                    if inner and inner[0] == "string":
                        return inner
                if cls == "Landroid/net/Uri;" and name == "parse" and depth < 4:
                    inner = self.value(j - 1, invoke_registers(units, q)[0], depth + 1)
                    if inner and inner[0] == "string":
                        return ("uri", inner[1])
                return ("call", f"{cls}->{name}")
        return None


    def constructed(self, j: int, k: int, reg: int, cls: str, depth: int) -> tuple[str, object] | None:
        """The constant an object was constructed from: `new Intent(ACTION)`, `new File(PATH)`, `new ProcessBuilder(ARGV)`."""
        want, units, starts, dex = CONSTRUCTED.get(cls), self.units, self.starts, self.dex
        if want is None:
            return None
        for m in range(j + 1, k):
            q = starts[m]
            if units[q] & 0xFF not in INVOKE:
                continue
            regs = invoke_registers(units, q)
            if len(regs) < 2 or regs[0] != reg:
                continue
            c, p, n = dex.method_ref(units[q + 1])
            if dex.type_name(c) == cls and dex.string(n) == "<init>":
                v = self.value(m, regs[1], depth + 1) if dex.proto(p) == want[0] else None
                return (want[1], v[1]) if v and v[0] in ("string", "strings") else None
        return None

    def builder(self, k: int, reg: int, depth: int) -> list | None:
        """The pieces appended to the StringBuilder in `reg` before instruction k, oldest first: a
        constant string, or None where the piece is not constant (simple concatenations in one method)."""
        units, starts, dex = self.units, self.starts, self.dex
        parts: list = []
        for m in range(k - 1, max(-1, k - 64), -1):
            q = starts[m]
            op = units[q] & 0xFF
            if op not in INVOKE:
                continue
            regs = invoke_registers(units, q)
            if not regs or regs[0] != reg:
                continue
            c, _p, n = dex.method_ref(units[q + 1])
            if dex.type_name(c) != "Ljava/lang/StringBuilder;":
                continue
            name = dex.string(n)
            if name in ("append", "<init>") and len(regs) >= 2:
                v = self.value(m, regs[1], depth + 1) if depth < 4 else None
                parts.insert(0, v[1] if v and v[0] == "string" else (str(v[1]) if v and v[0] == "int" else None))
            if name == "<init>":
                return parts
        return None


def arg_register(units, pos: int, descriptor: str, index: int) -> int | None:
    regs = invoke_registers(units, pos)
    static = (units[pos] & 0xFF) in INVOKE_STATIC
    off = 0 if static else 1
    for t in param_types(descriptor)[:index]:
        off += 2 if t in ("J", "D") else 1
    return regs[off] if off < len(regs) else None


def _judge(api: SensitiveApi, value: tuple[str, str] | None, app_package: str) -> tuple[bool, str]:
    """Does this call count, given what the filtered argument holds? (counts, note)"""
    f = api.arg_filter
    if not f:
        return True, ""
    kind, v = value if value else ("", "")
    if "equals" in f:
        if kind == "string":
            return v in f["equals"], ""
        return True, msg("argument {index} not resolved statically", index=str(f.get('index')))
    if "uri_prefix" in f or "uri_fields" in f:
        if kind == "field":
            return v in (f.get("uri_fields") or ()), ""
        if kind in ("uri", "string"):
            return any(v.startswith(p) for p in f.get("uri_prefix") or ()), ""
        return False, "unresolved"
    if f.get("other_package"):
        if kind == "own_package" or (kind == "string" and v == app_package):
            return False, ""
        if kind == "string":
            return True, ""
        return True, msg("argument {index} (package name) not resolved statically", index=str(f.get('index')))
    return True, ""


# objects whose constructor's constant argument the tracer follows: class -> (constructor descriptor, value kind)
CONSTRUCTED = {"Landroid/content/Intent;": ("(Ljava/lang/String;)V", "intent"),
               "Ljava/io/File;": ("(Ljava/lang/String;)V", "string"),
               "Ljava/lang/ProcessBuilder;": ("([Ljava/lang/String;)V", "strings")}
NOT_CONSTANT = "…"    # marks a run-time piece of a concatenated argument in `target_value`


def judge_target(api: SensitiveApi, value: tuple | None):
    """A matched call (arg_filter.match): the target row its constant argument names, and that text.
    Non-constant arguments do not count here (the dynamic hooks judge them at run time)."""
    kind, v = value if value else ("", "")
    if kind == "strings":
        v, kind = " ".join(v), "string"
    if kind == "intent" and api.match == "service":     # an Intent made from a constant action
        kind = "string"
    if kind == "concat":       # constant pieces around run-time ones: a pattern `*` may stand for those
        if not any(isinstance(x, str) and x for x in v):
            return None, None
        v, kind = "".join(x if x is not None else NOT_CONSTANT for x in v), "string"
    if kind not in ("string", "uri"):
        return None, None
    text = v
    if api.match == "setting":
        text = f"{api.arg_filter.get('namespace', 'system')}/{v}"
    return match_target(api.match, text), v


def _permission_request(api: SensitiveApi, desc: str, units, pos: int, k: int, tracer: ValueTracer) -> dict:
    """The permissions (String[] argument) and request code (int argument) where the bytecode shows them."""
    out: dict = {}
    params = param_types(desc)
    if "[Ljava/lang/String;" in params:
        i = params.index("[Ljava/lang/String;")
        reg = arg_register(units, pos, desc, i)
        v = tracer.value(k, reg) if reg is not None else None
        if v and v[0] == "strings" and v[1]:
            out["permissions"] = list(v[1])
        if i + 1 < len(params) and params[i + 1] == "I":
            reg = arg_register(units, pos, desc, i + 1)
            v = tracer.value(k, reg) if reg is not None else None
            if v and v[0] == "int":
                out["request_code"] = v[1]
    return out


def find_sites(program: Program, index: TargetIndex, app_package: str) -> SiteScan:
    out = SiteScan()
    subtypes = program.subtype_map(index.classes)
    for di, dex in enumerate(program.dexes):
        try:
            _scan_dex(program, di, dex, index, subtypes, app_package, out)
        except (DexError, IndexError, struct.error, ValueError) as exc:
            out.problems.append(msg("{where}: call-site scan stopped: {problem}", where=dex.name, problem=exc_text(exc)))
    return out


def _scan_dex(program: Program, di: int, dex: Dex, index: TargetIndex, subtypes: dict, app_package: str,
              out: SiteScan) -> None:
    types = dex.types
    relevant = {i: subtypes[t] for i, t in enumerate(types) if t in subtypes}
    if not relevant:
        return
    names = index.names
    string, proto = dex.string, dex.proto
    mhits: dict[int, list[tuple[SensitiveApi, str, str | None]]] = {}
    for midx, (c, p, n) in enumerate(dex.method_refs()):
        targets = relevant.get(c)
        if targets is None:
            continue
        name = string(n)
        if name not in names:
            continue
        desc = proto(p)
        for t in targets:
            for api, d in index.methods.get((t, name, desc), ()):
                via = None if t == types[c] else f"{types[c]}->{name}{desc}"
                mhits.setdefault(midx, []).append((api, d, via))
    fhits: dict[int, list[tuple[SensitiveApi, str, str | None]]] = {}
    if index.fields:
        for fidx, (c, t_idx, n) in enumerate(dex.field_refs()):
            targets = relevant.get(c)
            if targets is None:
                continue
            name = string(n)
            if name not in names:
                continue
            ftype = types[t_idx]
            for t in targets:
                for api, d in index.fields.get((t, name, ftype), ()):
                    via = None if t == types[c] else f"{types[c]}->{name}:{ftype}"
                    fhits.setdefault(fidx, []).append((api, d, via))
    if not mhits and not fhits:
        return
    offsets = candidate_offsets(dex, mhits, fhits)
    out.candidates += len(offsets)
    by_method = dex.owners(offsets)
    for midx, positions in by_method.items():
        units = dex.code_units(midx)
        starts = instruction_starts(units)
        where = {p: k for k, p in enumerate(starts)}
        tracer = ValueTracer(dex, units, starts)
        for pos in sorted(set(positions)):
            k = where.get(pos)
            if k is None:
                continue            # the bytes were an operand or payload, not an instruction
            op = units[pos] & 0xFF
            ref = units[pos + 1]
            hits = mhits.get(ref, ()) if op in INVOKE else fhits.get(ref, ())
            unresolved = False
            for api, desc, via in hits:
                note = ""
                extra = {}
                if api.arg_filter and api.kind != "field":
                    idx = int(api.arg_filter.get("index", 0))
                    if idx < 0:             # the receiver (ProcessBuilder.start: its command list)
                        regs = invoke_registers(units, pos)
                        reg = regs[0] if regs else None
                    else:
                        reg = arg_register(units, pos, desc, idx)
                    value = tracer.value(k, reg) if reg is not None else None
                    if api.match:
                        target, text = judge_target(api, value)
                        if target is None:
                            continue
                        extra = {"target": target.id, "target_value": text}
                        counts, note = True, ""
                        if NOT_CONSTANT in text:
                            note = msg("argument {index} is partly not constant (… = a run-time value)", index=idx)
                    else:
                        counts, note = _judge(api, value, app_package)
                    if note == "unresolved":
                        unresolved = True
                        note = ""
                    if not counts:
                        continue
                    if api.arg_filter.get("own_result") == "processes":     # issue 20: the app's own process
                        from .selfreads import own_process_lookup  # noqa: PLC0415
                        if own_process_lookup(dex, units, starts):
                            continue
                if api.kind == "permission_request":
                    extra = _permission_request(api, desc, units, pos, k, tracer)
                out.sites.append(Site(di, midx, pos, api, desc, via, note, extra))
            if unresolved and not any(s.dex == di and s.method == midx and s.pos == pos for s in out.sites[-len(hits):]):
                out.unresolved_queries += 1
                if len(out.unresolved) < 1000:
                    api, desc, via = hits[0]
                    out.unresolved.append(Site(di, midx, pos, api, desc, via, msg("URI not resolved statically"),
                                               {"unresolved_uri": True}))
