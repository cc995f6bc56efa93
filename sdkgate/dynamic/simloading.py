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
        data = code.file.read_bytes()
        items = [b - 256 if b > 127 else b for b in data]       # Java bytes are signed
        buf = obj("java.nio.ByteBuffer", returns={"hasArray": True, "array": {"$array": "byte", "items": items},
                                                  "arrayOffset": 0, "position": 0, "remaining": len(data)})
        args = [buf, parent]
    req = {"cls": cls, "member": "$init", "types": types, "self": obj(cls), "args": args, "ret": None,
           "stack": list(stack), "thread": thread}
    sim.rt._invoke(req, True)
    sim.stacks.loaded.setdefault(a.by, [])
    for c in code.classes:
        if c not in sim.stacks.loaded[a.by]:
            sim.stacks.loaded[a.by].append(c)

