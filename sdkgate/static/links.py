"""Call-graph links for how apps really start SDKs, and which consent checks really gate (used by paths.py).

Deferred work: a method that creates (`new-instance`), fetches as a singleton (`sget-object X.INSTANCE`,
D8/R8 and Kotlin non-capturing lambdas) or names (`const-class`, WorkManager `OneTimeWorkRequest.from(
X.class)`) an object of a task type is linked to that object's task methods: Runnable/Thread/TimerTask.run,
Callable.call, Handler(.Callback).handleMessage, Kotlin FunctionN.invoke and Continuation.invokeSuspend/
resumeWith, WorkManager Worker.doWork/startWork, androidx.startup Initializer.create, AsyncTask. Whoever
runs it later (Executor.execute/submit, Handler.post*, Thread.start, View.post, WorkManager.enqueue,
coroutines) the task is reachable from where it was made, which is what matters before consent.

A virtual / interface call on a type the APK defines also reaches the overriding / implementing methods
of its subtypes in the APK (class-hierarchy analysis, capped; a cap hit is a bound). A class named in the bytecode to `Class.forName` / `ClassLoader.loadClass` (code loaded from an embedded
payload, reflective SDK starts) has all its methods linked. Static initializers (`<clinit>`) are linked where their class is first used (new-instance, static field
access, invoke-static). Method resolution also looks at interface default methods (API >= 24) and their D8-desugared companion
classes (`I$-CC`).

A consent check gates only the code on the branch its result decides: the check's result must be tested
by an `if-eqz`/`if-nez` and only the instructions of the "agreed" side count as gated.
"""
from __future__ import annotations

from dataclasses import dataclass

from .program import Program

TASK_METHODS: dict[str, tuple[str, ...]] = {
    "Ljava/lang/Runnable;": ("run",),
    "Ljava/lang/Thread;": ("run",),
    "Ljava/util/TimerTask;": ("run",),
    "Ljava/util/concurrent/Callable;": ("call",),
    "Landroid/os/Handler$Callback;": ("handleMessage",),
    "Landroid/os/Handler;": ("handleMessage",),
    "Landroid/os/AsyncTask;": ("doInBackground", "onPreExecute", "onPostExecute"),
    "Lkotlin/jvm/functions/Function0;": ("invoke",),
    "Lkotlin/jvm/functions/Function1;": ("invoke",),
    "Lkotlin/jvm/functions/Function2;": ("invoke",),
    "Lkotlin/jvm/functions/Function3;": ("invoke",),
    "Lkotlin/jvm/internal/Lambda;": ("invoke",),
    "Lkotlin/coroutines/Continuation;": ("resumeWith", "invokeSuspend"),
    "Lkotlin/coroutines/jvm/internal/BaseContinuationImpl;": ("invokeSuspend",),
    "Lkotlin/coroutines/jvm/internal/SuspendLambda;": ("invokeSuspend", "invoke"),
    "Landroidx/work/ListenableWorker;": ("startWork", "doWork"),
    "Landroidx/work/Worker;": ("doWork",),
    "Landroidx/work/CoroutineWorker;": ("doWork",),
    "Landroidx/startup/Initializer;": ("create",),
    "Ljava/util/function/Supplier;": ("get",),
    "Ljava/util/function/Consumer;": ("accept",),
}
_TASK_TYPES = frozenset(TASK_METHODS)

NEW_INSTANCE, CONST_CLASS, SGET_OBJECT = 0x22, 0x1C, 0x62
IF_EQZ, IF_NEZ = 0x38, 0x39
GOTO = (0x28, 0x29, 0x2A)
RETURNS_THROW = (0x0E, 0x0F, 0x10, 0x11, 0x27)
MOVE_RESULT = (0x0A, 0x0B, 0x0C)


@dataclass
class Links:
    """Per-program memo of task classes and their linked methods; counts links made (for bench)."""
    program: Program
    links: int = 0

    def __post_init__(self):
        self._tasks: dict[str, tuple[tuple[int, int], ...]] = {}
        self._anc: dict = {}            # ancestors memo, filled only for the classes the walk meets

    def task_methods(self, cls: str) -> tuple[tuple[int, int], ...]:
        """(dex, method) of the task methods an APK class defines or inherits, if it is a task type."""
        got = self._tasks.get(cls)
        if got is not None:
            return got
        kinds = self.program.ancestors_in(cls, _TASK_TYPES, self._anc)
        out: list[tuple[int, int]] = []
        if kinds and cls in self.program.classes:
            names = {n for k in kinds for n in TASK_METHODS[k]}
            for c in self.program.superclasses(cls):
                for np, node in self.program.methods_of(c).items():
                    if np.split("(", 1)[0] in names and node not in out:
                        out.append(node)
        res = tuple(out)
        self._tasks[cls] = res
        return res

    def deferred(self, dex, units, pos: int) -> tuple[tuple[int, int], ...]:
        """Methods linked by the instruction at `pos`: the task methods of an object it creates, fetches or
        names (new-instance, sget-object, const-class), and the static initializer of a class it initialises
        (new-instance, static field access, invoke-static: `static { Sdk.init(); }` runs then)."""
        op = units[pos] & 0xFF
        if op == NEW_INSTANCE or op == CONST_CLASS:
            cls = dex.type_name(units[pos + 1])
        elif 0x60 <= op <= 0x6D:                       # sget* / sput*
            c, _t, _n = dex.field_ref(units[pos + 1])
            cls = dex.type_name(c)
        elif op in (0x71, 0x77):                       # invoke-static
            c, _p, _n = dex.method_ref(units[pos + 1])
            cls = dex.type_name(c)
        else:
            return ()
        got = self.task_methods(cls) if op in (NEW_INSTANCE, CONST_CLASS, SGET_OBJECT) else ()
        if op != CONST_CLASS:
            init = self.program.methods_of(cls).get("<clinit>()V") if cls in self.program.classes else None
            if init is not None:
                got = got + (init,)
        self.links += len(got)
        return got

    def reflected(self, dex, units, starts, k: int, cls: str, name: str) -> tuple[tuple[int, int], ...]:
        """`Class.forName("x.Y")` / `loader.loadClass("x.Y")` with the name in the bytecode: every method of
        x.Y the APK defines (embedded DEX included) is linked, as the loaded class is then used reflectively."""
        if name not in ("forName", "loadClass") or not (cls == "Ljava/lang/Class;" or cls.endswith("ClassLoader;")):
            return ()
        from .callsites import ValueTracer, arg_register
        pos = starts[k]
        proto = dex.proto(dex.method_ref(units[pos + 1])[1])
        reg = arg_register(units, pos, proto, 0)
        try:
            v = ValueTracer(dex, units, starts).value(k, reg) if reg is not None else None
        except Exception:  # noqa: BLE001 - best effort
            v = None
        if not v or v[0] != "string":
            return ()
        target = "L" + v[1].replace(".", "/") + ";"
        got = tuple(self.program.methods_of(target).values())
        self.links += len(got)
        return got

    def dispatch(self, cls: str, name_proto: str, cap: int = 64) -> tuple[list[tuple[int, int]], bool]:
        """invoke-virtual / invoke-interface on an APK type: the overriding / implementing methods of its
        subtypes in the APK (an `SdkInit` interface whose implementations start SDKs). (methods, capped?)"""
        if cls not in self.program.classes:
            return [], False
        kids = self.__dict__.get("_kids")
        if kids is None:
            kids = {}
            for desc, info in self.program.classes.items():
                for parent in ((info.super_desc,) if info.super_desc else ()) + info.interfaces:
                    kids.setdefault(parent, []).append(desc)
            self._kids = kids
        out: list[tuple[int, int]] = []
        seen, stack = {cls}, list(kids.get(cls, ()))
        while stack:
            sub = stack.pop()
            if sub in seen:
                continue
            seen.add(sub)
            hit = self.program.methods_of(sub).get(name_proto)
            if hit and hit not in out:
                if len(out) >= cap:
                    return out, True
                out.append(hit)
            stack.extend(kids.get(sub, ()))
        self.links += len(out)
        return out, False

    def loaded_code(self, node: tuple[int, int], loaded: dict | None) -> list[tuple[int, int]]:
        """Every method of the payloads (embedded DEX / archives the scan read) that the method `node` loads
        (loaders.py found them): which class of the payload runs is not known, so all of it is reachable."""
        if not loaded or node not in loaded:
            return []
        by_dex = self.__dict__.get("_by_dex")
        if by_dex is None:
            by_dex = {}
            for desc, info in self.program.classes.items():
                by_dex.setdefault(info.dex, []).append(desc)
            self._by_dex = by_dex
        out: list[tuple[int, int]] = []
        for payload in loaded[node]:
            for di, dex in enumerate(self.program.dexes):
                if dex.name == payload or dex.name.startswith(payload + "!"):
                    for desc in by_dex.get(di, ()):
                        out += self.program.methods_of(desc).values()
        self.links += len(out)
        return out

    def entry_extras(self, node: tuple[int, int]) -> tuple[tuple[int, int], ...]:
        """Methods the system runs with an entry point: an androidx.startup Initializer's `dependencies()`
        (its const-class results are the initializers created before it)."""
        dex = self.program.dexes[node[0]]
        c, p, n = dex.method_ref(node[1])
        if dex.string(n) != "create":
            return ()
        cls = dex.type_name(c)
        if "Landroidx/startup/Initializer;" not in self.program.ancestors_in(cls, _TASK_TYPES, self._anc):
            return ()
        dep = self.program.resolve(cls, "dependencies()Ljava/util/List;")
        return (dep,) if dep else ()

    def is_check_wrapper(self, node: tuple[int, int], checks: set[str], check_fields: set[str]) -> bool:
        """A method that returns a consent check's result unchanged (`boolean isAgreed() { return
        ConsentStore.hasAgreed(ctx); }`) is a consent check for its callers."""
        memo = self.__dict__.setdefault("_wrappers", {})
        got = memo.get(node)
        if got is not None:
            return got
        memo[node] = False
        from .callsites import instruction_starts
        from .opcodes import INVOKE
        dex = self.program.dexes[node[0]]
        try:
            units = dex.code_units(node[1])
            starts = instruction_starts(units) if units is not None else []
        except Exception:  # noqa: BLE001
            starts = []
        for k, pos in enumerate(starts[:64]):
            op = units[pos] & 0xFF
            reg = None
            if op in INVOKE:
                c, p, n = dex.method_ref(units[pos + 1])
                if f"{dex.type_name(c)}->{dex.string(n)}{dex.proto(p)}" in checks and k + 1 < len(starts) \
                        and units[starts[k + 1]] & 0xFF in MOVE_RESULT:
                    reg, j = (units[starts[k + 1]] >> 8) & 0xFF, k + 2
            elif check_fields and (0x52 <= op <= 0x58 or 0x60 <= op <= 0x66):
                c, _t, n = dex.field_ref(units[pos + 1])
                if f"{dex.type_name(c)}->{dex.string(n)}" in check_fields:
                    reg, j = (units[pos] >> 8) & (0xF if op <= 0x58 else 0xFF), k + 1
            if reg is None:
                continue
            for m in range(j, min(len(starts), j + 8)):
                q = starts[m]
                if units[q] & 0xFF == 0x0F and (units[q] >> 8) & 0xFF == reg:     # return vAA
                    memo[node] = True
                    return True
                if _writes(units, q, reg):
                    break
        return False

    def resolve(self, cls: str, name_proto: str) -> tuple[int, int] | None:
        """Like Program.resolve, then interface default methods and D8 companions (`I$-CC`)."""
        hit = self.program.resolve(cls, name_proto)
        if hit:
            return hit
        name = name_proto.split("(", 1)[0]
        for c in self.program.superclasses(cls):
            info = self.program.classes.get(c)
            if info is None:
                break
            for iface in self._all_interfaces(info.interfaces):
                hit = self.program.methods_of(iface).get(name_proto) or self._companion(iface, name)
                if hit:
                    self.links += 1
                    return hit
        hit = self._companion(cls, name)
        if hit:
            self.links += 1
        return hit

    def _all_interfaces(self, ifaces, depth: int = 0):
        for i in ifaces:
            yield i
            info = self.program.classes.get(i)
            if info is not None and depth < 8:
                yield from self._all_interfaces(info.interfaces, depth + 1)

    def _companion(self, iface: str, name: str) -> tuple[int, int] | None:
        comp = iface[:-1] + "$-CC;"
        if comp not in self.program.classes:
            return None
        for np, node in self.program.methods_of(comp).items():
            n = np.split("(", 1)[0]
            if n == name or n == f"$default${name}" or n.startswith(f"{name}$"):
                return node
        return None


def gated_span(units, starts: list[int], k: int) -> tuple[int, int] | None:
    """For a consent check whose instruction is starts[k]: the code-unit span [lo, hi) of the branch taken
    when it returned true, or None when its result decides no branch (ignored, stored, passed on)."""
    n = len(starts)
    if k + 1 >= n:
        return None
    p = starts[k]
    op = units[p] & 0xFF
    if op in MOVE_RESULT or op in (0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58) or 0x60 <= op <= 0x66:
        reg = (units[p] >> 8) & (0xF if 0x52 <= op <= 0x58 else 0xFF)   # iget: vA; sget/move-result: vAA
        j = k + 1
    else:
        q = starts[k + 1]
        if units[q] & 0xFF not in MOVE_RESULT:
            return None
        reg = (units[q] >> 8) & 0xFF
        j = k + 2
    for m in range(j, min(n, j + 24)):
        q = starts[m]
        u = units[q]
        qop = u & 0xFF
        if qop in (IF_EQZ, IF_NEZ) and (u >> 8) & 0xFF == reg:
            off = units[q + 1]
            target = q + (off - 0x10000 if off & 0x8000 else off)
            if target <= q:
                return None
            nxt = starts[m + 1] if m + 1 < n else q + 2
            if qop == IF_EQZ:                     # jumps when false: the fall-through side is "agreed"
                return (nxt, target)
            # if-nez jumps when true: the target side is "agreed" up to where the other side rejoins
            last = max((s for s in starts if s < target), default=q)
            lop = units[last] & 0xFF
            if lop in RETURNS_THROW:
                return (target, len(units))
            if lop in GOTO:
                dest = _goto_target(units, last)
                if dest is not None and dest > target:
                    return (target, dest)
            return None
        if _writes(units, q, reg):
            return None
    return None


def _goto_target(units, pos: int) -> int | None:
    op = units[pos] & 0xFF
    if op == 0x28:
        off = (units[pos] >> 8) & 0xFF
        off = off - 0x100 if off & 0x80 else off
    elif op == 0x29:
        off = units[pos + 1]
        off = off - 0x10000 if off & 0x8000 else off
    else:
        off = units[pos + 1] | (units[pos + 2] << 16)
        off = off - 0x100000000 if off & 0x80000000 else off
    return pos + off


def _writes(units, pos: int, reg: int) -> bool:
    from .opcodes import written_register
    return written_register(units, pos) == reg
