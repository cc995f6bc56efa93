"""Models of the library calls values.py evaluates: StringBuilder / String, Base64, Class.forName / loadClass /
getClass / getMethod / getField, Intent / ComponentName / JobInfo.Builder. `st` is a values.State (registers,
and the objects the method allocated: id -> (type, payload)); `ev` the values.Evaluator (it allocates)."""
from __future__ import annotations

import base64
import binascii
import re

SB_TYPES = ("Ljava/lang/StringBuilder;", "Ljava/lang/StringBuffer;")
STRING = "Ljava/lang/String;"
INTENT = "Landroid/content/Intent;"
COMPONENT = "Landroid/content/ComponentName;"
JOB_BUILDER = "Landroid/app/job/JobInfo$Builder;"
JOB_INFO = "Landroid/app/job/JobInfo;"
UNMODELLED = object()


def as_str(v, st) -> str | None:
    """The String a value is, when it is known (a constant, or a String object with known contents)."""
    if not v:
        return None
    if v[0] == "str":
        return v[1]
    o = st.obj(v)
    if o is not None and o[0] == STRING and isinstance(o[1], str):
        return o[1]
    return None


def _java_format(fmt: str, args: list) -> str | None:
    """String.format with %s / %d / %n / %% and positional %1$s; None for anything else unknown."""
    i = 0

    def sub(m):
        nonlocal i
        if m.group(0) == "%%":
            return "%"
        if m.group(0) == "%n":
            return "\n"
        idx = int(m.group(1)[:-1]) - 1 if m.group(1) else i
        if not m.group(1):
            i += 1
        if idx >= len(args) or args[idx] is None:
            raise KeyError
        return str(args[idx])
    try:
        return re.sub(r"%(\d+\$)?[sdSn%]|%%", sub, fmt)
    except KeyError:
        return None


def _b64(s: str | bytes | None) -> bytes | None:
    """Base64 of a constant, standard or URL-safe alphabet, padding optional."""
    if s is None:
        return None
    try:
        raw = s.encode("latin-1") if isinstance(s, str) else s
        raw = raw.strip()
        raw += b"=" * (-len(raw) % 4)
        return base64.urlsafe_b64decode(raw) if b"-" in raw or b"_" in raw else base64.b64decode(raw)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None


def _desc(java: str | None) -> str | None:
    """`a.b.C` (as Class.forName takes it) -> `La/b/C;`; array names are already descriptors."""
    if not java:
        return None
    if java.startswith("["):
        return java.replace(".", "/")
    return "L" + java.replace(".", "/") + ";"


def _strv(v):
    return ("str", v) if v is not None else None


def _piece(st, t: str, v) -> str | None:
    """What String.valueOf / StringBuilder.append make of an argument of type t."""
    if v is None:
        return None
    if t == "C":
        return chr(v[1] & 0xFFFF) if v[0] == "int" else None
    if t in ("I", "J", "S", "B"):
        return str(v[1]) if v[0] == "int" else None
    if t == "Z":
        return ("true" if v[1] else "false") if v[0] == "int" else None
    if t == "[C":
        return _chars(st, v)
    if v[0] == "int":
        return str(v[1])
    return as_str(v, st)


def _chars(st, v) -> str | None:
    o = st.obj(v)
    if o is None or o[0] != "[C" or o[1] is None or any(not isinstance(x, int) for x in o[1]):
        return None
    return "".join(chr(x & 0xFFFF) for x in o[1])


def _bytes(st, v, raw: bool = False):
    o = st.obj(v)
    if o is None or o[0] != "[B" or o[1] is None or any(not isinstance(x, int) for x in o[1]):
        return None
    b = bytes(x & 0xFF for x in o[1])
    return b if raw else b.decode("utf-8", errors="replace")


def model_call(ev, st, cls, name, proto, ptypes, recv, args):
    """What a library call returns, updating the objects it changes; UNMODELLED when it is not modelled."""
    s = lambda v: as_str(v, st)     # noqa: E731
    ro = st.obj(recv)
    if cls in SB_TYPES:
        if ro is None:
            return UNMODELLED
        if name == "<init>":
            st.heap[recv[1]] = (ro[0], "" if not args or ptypes[0] == "I" else s(args[0]))
            return None
        if name == "append":
            piece = _piece(st, ptypes[0], args[0]) if args else None
            st.heap[recv[1]] = (ro[0], ro[1] + piece if isinstance(ro[1], str) and piece is not None else None)
            return recv
        if name == "reverse":
            st.heap[recv[1]] = (ro[0], ro[1][::-1] if isinstance(ro[1], str) else None)
            return recv
        if name == "toString":
            return ("str", ro[1]) if isinstance(ro[1], str) else None
        return UNMODELLED
    if cls == STRING:
        if name == "<init>":
            if ro is None:
                return None
            val = None
            if not args:
                val = ""
            elif ptypes[0] == "[C":
                val = _chars(st, args[0])
            elif ptypes[0] == "[B":
                val = _bytes(st, args[0])
            elif ptypes[0] == STRING:
                val = s(args[0])
            st.heap[recv[1]] = (STRING, val)
            return None
        me = s(recv) if recv else None
        if name in ("valueOf", "copyValueOf") and args:
            return _strv(_piece(st, ptypes[0], args[0]))
        if name == "format":
            fmt_i = 1 if ptypes and ptypes[0] == "Ljava/util/Locale;" else 0
            fmt = s(args[fmt_i]) if len(args) > fmt_i else None
            arr = st.obj(args[fmt_i + 1]) if len(args) > fmt_i + 1 else None
            vals = [_piece(st, "Ljava/lang/Object;", v) for v in arr[1]] if arr and arr[1] is not None else None
            return _strv(_java_format(fmt, vals) if fmt is not None and vals is not None else None)
        if me is None:
            return None
        if name == "concat":
            o = s(args[0]) if args else None
            return _strv(me + o if o is not None else None)
        if name in ("toLowerCase", "toUpperCase", "trim", "intern", "toString"):
            return ("str", {"toLowerCase": me.lower(), "toUpperCase": me.upper(), "trim": me.strip()}.get(name, me))
        if name == "replace" and len(args) == 2:
            a, b = (_piece(st, t, v) for t, v in zip(ptypes, args))
            return _strv(me.replace(a, b) if a is not None and b is not None else None)
        if name == "substring":
            idx = [v[1] if v and v[0] == "int" else None for v in args]
            if None in idx:
                return None
            return ("str", me[idx[0]:idx[1]] if len(idx) > 1 else me[idx[0]:])
        if name == "toCharArray":
            return ev.alloc(st, "[C", tuple(ord(ch) for ch in me))
        if name == "getBytes":
            return ev.alloc(st, "[B", tuple(me.encode("utf-8")))
        return None
    if cls in ("Landroid/util/Base64;", "Ljava/util/Base64$Decoder;") and name == "decode" and args:
        v = args[0]
        got = _b64(s(v) if ptypes[0] == STRING else _bytes(st, v, raw=True))
        return ev.alloc(st, "[B", tuple(got)) if got is not None else None
    if cls == "Ljava/lang/Class;":
        if name == "forName" and args:
            return ("class", _desc(s(args[0])))
        if name in ("getMethod", "getDeclaredMethod", "getField", "getDeclaredField"):
            owner = recv[1] if recv and recv[0] == "class" else None
            return ("member", owner, s(args[0]) if args else None, name)
        return UNMODELLED
    if name == "loadClass" and proto.startswith("(Ljava/lang/String;") and args:
        return ("class", _desc(s(args[0])))
    if name == "getClass" and proto == "()Ljava/lang/Class;":
        t = ro[0] if ro else recv[1] if recv and recv[0] == "type" and len(recv) > 2 else None
        return ("class", t)
    if cls == INTENT or cls == COMPONENT or cls == JOB_BUILDER:
        return _component(ev, st, cls, name, proto, ptypes, recv, args)
    return UNMODELLED


def _component(ev, st, cls, name, proto, ptypes, recv, args):
    """Intent / ComponentName / JobInfo.Builder payload: (frozenset of class names, frozenset of actions)."""
    ro = st.obj(recv)
    if ro is None:
        return UNMODELLED
    classes, actions = ro[1] if isinstance(ro[1], tuple) and len(ro[1]) == 2 else (frozenset(), frozenset())
    got_c, got_a = set(classes), set(actions)
    for t, v in zip(ptypes, args):
        if t == "Ljava/lang/Class;" and v and v[0] == "class" and v[1]:
            got_c.add(v[1])
        elif t == STRING:
            sv = as_str(v, st)
            if sv is not None and name in ("<init>", "setAction") and cls == INTENT:
                got_a.add(sv)
            elif sv is not None and name in ("<init>", "setClassName"):
                got_c.add(_desc(sv))
        elif t == COMPONENT:
            co = st.obj(v)
            if co is not None and isinstance(co[1], tuple):
                got_c |= co[1][0]
    if name in ("<init>", "setClass", "setClassName", "setComponent", "setAction", "setPackage") or \
            (cls == JOB_BUILDER and name.startswith("set")):
        st.heap[recv[1]] = (ro[0], (frozenset(got_c), frozenset(got_a)))
        return None if name == "<init>" else recv
    if cls == JOB_BUILDER and name == "build":
        return ev.alloc(st, JOB_INFO, (frozenset(got_c), frozenset(got_a)))
    if proto.endswith(")" + ro[0]):                 # putExtra, addFlags, setX(...): the same object
        return recv
    return ("type", proto.rsplit(")", 1)[1]) if proto.rsplit(")", 1)[1][0] in "L[" else None
