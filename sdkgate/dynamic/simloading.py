"""The simulated app loads code at run time (`load_code` verb): a real DEX/JAR/APK file handed to the
class-loader constructor the model names, through the agent's real loader hooks (loaders.ts), which
read the file's bytes from the disk in the instrumented process. Later actions may run with frames of
the loaded classes (`frames_from_loaded: true`), as a plugin's own code would show on ART."""
from __future__ import annotations

from .simwire import obj

S, CL = "java.lang.String", "java.lang.ClassLoader"
LOADER_CALLS = {
    "dex": ("dalvik.system.DexClassLoader", [S, S, S, CL]),
    "path": ("dalvik.system.PathClassLoader", [S, CL]),
    "inmemory": ("dalvik.system.InMemoryDexClassLoader", ["java.nio.ByteBuffer", CL]),
}


def load_code(sim, a, stack: list[str], thread: str) -> None:
    code = a.code
    cls, types = LOADER_CALLS[code.loader]
    parent = obj("dalvik.system.PathClassLoader")
    if code.loader == "dex":
        args = [str(code.file), "/data/user/0/%s/app_plugin_opt" % sim.model.package, None, parent]
    elif code.loader == "path":
        args = [str(code.file), parent]
    else:
        # ByteBuffer.wrap(bytes) as packers do: a heap buffer over a byte[] (the stand-in's ByteBuffer model,
        # hooks/sim-bridge/arrays.js, with the device's cost of reading it)
        args = [{"$bytebuffer": code.file.read_bytes().hex()}, parent]
    # the new loader carries the classes its code defines: only its ClassFactory sees them (sim-bridge/classloaders.js)
    req = {"cls": cls, "member": "$init", "types": types, "self": {**obj(cls), "loads": list(code.classes)},
           "args": args, "ret": None,
           "stack": list(stack), "thread": thread}
    sim.rt._invoke(req, True)
    sim.stacks.loaded.setdefault(a.by, [])
    for c in code.classes:
        if c not in sim.stacks.loaded[a.by]:
            sim.stacks.loaded[a.by].append(c)


def loaded_classes(model) -> list[str]:
    """Every class of the code the model loads at run time: hidden from the app's first class loader."""
    from .appmodel.parse import _walk  # noqa: PLC0415
    acts = [a for b in model.blocks.values() for a in b] + [a for b in model.feature_blocks.values() for a in b]
    acts += [a for t in model.timers for a in t.actions]
    out: list[str] = []
    for a in _walk(acts):
        if a.code is not None:
            out += [c for c in a.code.classes if c not in out]
    return out

