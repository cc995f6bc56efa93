"""Call-graph links for how apps really start SDKs (used by paths.py through summary.py; the kinds are
the rows of entries.ENTRY_KINDS).

Deferred work: a method that creates (`new-instance`), fetches as a singleton (`sget-object X.INSTANCE`,
D8/R8 and Kotlin non-capturing lambdas) or names (`const-class`) an object of a task type is linked to that
object's task methods (entries.TASK_METHODS): whoever runs it later (Executor, Handler.post*, Thread.start,
View.post, coroutines) the task is reachable from where it was made, which is what matters before consent.
A Worker class named by const-class is linked to doWork/startWork (WorkManager runs it).

A virtual / interface call on a type the APK defines also reaches the overriding / implementing methods
of its subtypes in the APK (class-hierarchy analysis, capped; a cap hit is a bound). A class loaded by a name
the code builds (reflection.py) has its static initializers and all its methods linked. Static initializers
(`<clinit>`, the class's and its superclasses') are linked where the class is first used (new-instance,
static field access, invoke-static). Method resolution also looks at interface default methods (API >= 24)
and their D8-desugared companion classes (`I$-CC`).
"""
from __future__ import annotations

from dataclasses import dataclass

from .entries import BY_KIND, TASK_METHODS, system_methods
from .program import Program

_TASK_TYPES = frozenset(TASK_METHODS)

NEW_INSTANCE, CONST_CLASS, SGET_OBJECT = 0x22, 0x1C, 0x62
_WORKER = frozenset(BY_KIND["worker"].bases)


@dataclass
class Links:
    """Per-program memo of task classes and their linked methods; counts links made (for bench)."""
    program: Program
    links: int = 0

    def __post_init__(self):
        self._tasks: dict[str, tuple[tuple[int, int], ...]] = {}
        self._anc: dict = {}            # ancestors memo, filled only for the classes the walk meets
        self._deferred: dict[tuple, list] = {}
        self._owners: dict[tuple, list[int]] = {}
        self._clinits: dict[str, list] = {}

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

    def owner_index(self, dex, what: str) -> list[int]:
        """Class type index of every field ("f") / method ("m") id of a DEX (one unpack pass)."""
        key = (id(dex), what)
        got = self._owners.get(key)
        if got is None:
            refs = dex.field_refs() if what == "f" else dex.method_refs()
            got = self._owners[key] = [c for c, _x, _n in refs]
        return got

    def deferred(self, dex, units, pos: int, caller_idx: int = -1) -> list[tuple[tuple[int, int], str]]:
        """(method, hop kind) linked by the instruction at `pos`: the task methods of an object it creates, fetches
        or names (new-instance, sget-object, const-class: `task`), a Worker class it names (`worker`), and the
        static initializers of a class it initialises and of that class's superclasses (new-instance, static
        field access, invoke-static: `static_init`). Memoised per DEX, opcode and reference."""
        op = units[pos] & 0xFF
        ref = units[pos + 1]
        if op == NEW_INSTANCE or op == CONST_CLASS:
            cidx = ref
        elif 0x60 <= op <= 0x6D:                       # sget* / sput*
            cidx = self.owner_index(dex, "f")[ref] if ref < dex.n_fields else None
        elif op in (0x71, 0x77):                       # invoke-static
            cidx = self.owner_index(dex, "m")[ref] if ref < dex.n_methods else None
        else:
            return []
        if cidx is None:
            return []
        if cidx == caller_idx and op not in (NEW_INSTANCE, CONST_CLASS, SGET_OBJECT):
            return []               # the caller's own statics: its class is initialised already, no task is made
        key = (id(dex), op, ref)
        got = self._deferred.get(key)
        if got is not None:
            return got
        cls = dex.type_name(cidx)
        got = []
        if cls in self.program.classes:
            if op in (NEW_INSTANCE, CONST_CLASS, SGET_OBJECT):
                got += [(m, "task") for m in self.task_methods(cls)]
            if op == CONST_CLASS and self.is_a(cls, _WORKER):
                got += [(m, "worker") for m in system_methods(self.program, cls, BY_KIND["worker"])]
            if op != CONST_CLASS:
                got += [(m, "static_init") for m in self.static_inits(cls)]
            self.links += len(got)
        self._deferred[key] = got
        return got

    def is_a(self, cls: str, bases: frozenset[str]) -> bool:
        """Does the class extend / implement one of `bases` (transitively)? Memoised per set of bases."""
        memos = self.__dict__.setdefault("_is_a", {})
        memo = memos.get(bases)
        if memo is None:
            memo = memos[bases] = {}
        return bool(self.program.ancestors_in(cls, bases, memo))

    def static_inits(self, cls: str) -> list[tuple[int, int]]:
        """<clinit> of the class and of its superclasses in the APK (initialising a class initialises those first)."""
        got = self._clinits.get(cls)
        if got is None:
            inits, classes = self._clinit_map(), self.program.classes
            got, c, n = [], cls, 0
            while c and n < 64:
                hit = inits.get(c)
                if hit is not None:
                    got.append(hit)
                info = classes.get(c)
                c, n = (info.super_desc if info is not None else None), n + 1
            self._clinits[cls] = got
        return got

    def _clinit_map(self) -> dict[str, tuple[int, int]]:
        """class -> its <clinit> (one pass over each DEX's method ids, not a method table per class)."""
        got = self.__dict__.get("_inits")
        if got is None:
            got = self._inits = {}
            for di, dex in enumerate(self.program.dexes):
                name = dex.find_string("<clinit>")
                if name is None:
                    continue
                code, types, classes = dex.code_offsets, dex.types, self.program.classes
                for midx, (c, _p, n) in enumerate(dex.method_refs()):
                    if n == name and midx in code:
                        info = classes.get(types[c])
                        if info is not None and info.dex == di:
                            got.setdefault(types[c], (di, midx))
        return got

    def class_methods(self, cls: str) -> list[tuple[int, int]]:
        """A class used reflectively or loaded by name: its static initializers and every method it defines."""
        if cls not in self.program.classes:
            return []
        got = list(dict.fromkeys(self.static_inits(cls) + list(self.program.methods_of(cls).values())))
        self.links += len(got)
        return got

    def dispatch(self, cls: str, name_proto: str, cap: int = 64) -> tuple[list[tuple[int, int]], bool]:
        """invoke-virtual / invoke-interface on an APK type: the overriding / implementing methods of its
        subtypes in the APK (an `SdkInit` interface whose implementations start SDKs). (methods, capped?)"""
        if cls not in self.program.classes:
            return [], False
        out: list[tuple[int, int]] = []
        for sub in self._descendants(cls):
            hit = self.program.methods_of(sub).get(name_proto)
            if hit and hit not in out:
                if len(out) >= cap:
                    return out, True
                out.append(hit)
        self.links += len(out)
        return out, False

    def subtypes(self, cls: str, cap: int = 64) -> tuple[list[str], bool]:
        """APK classes extending / implementing `cls` (transitively), at most `cap`; (classes, capped?)."""
        out: list[str] = []
        for sub in self._descendants(cls):
            if len(out) >= cap:
                return out, True
            out.append(sub)
        return out, False

    def _descendants(self, cls: str):
        kids = self._kid_map()
        seen, stack = {cls}, list(kids.get(cls, ()))
        while stack:
            sub = stack.pop()
            if sub in seen:
                continue
            seen.add(sub)
            yield sub
            stack.extend(kids.get(sub, ()))

    def _kid_map(self) -> dict[str, list[str]]:
        kids = self.__dict__.get("_kids")
        if kids is None:
            kids = {}
            for desc, info in self.program.classes.items():
                for parent in ((info.super_desc,) if info.super_desc else ()) + info.interfaces:
                    kids.setdefault(parent, []).append(desc)
            self._kids = kids
        return kids

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
