"""Stand-ins at the three library boundaries of the device backend, and nowhere else.

FakeAdbDevice behaves like an adbutils.AdbDevice of an emulator (shell, push, reverse, getprop,
screenshot); FakeUiDevice like a uiautomator2.Device (selectors, click, clipboard); FakeFridaDevice
like a frida.core.Device (spawn, attach, resume, kill) with sessions that can detach.
Each records the exact calls the backend made.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import adbutils
from PIL import Image

PKG = "com.example.recruit"


class FakeAdbDevice:
    serial = "emulator-5554"

    def __init__(self, *, frida_server: str = "17.26.2", root: bool = True, http_proxy: str = "null"):
        self.calls: list[str] = []
        self.pushes: list[tuple[str, str]] = []
        self.reverses: set[str] = set()
        self.settings = {"global http_proxy": http_proxy, "global auto_time": "1", "secure android_id": "a1b2c3d4e5f60718"}
        self.frida_server = frida_server
        self.root = root
        self.gone = False
        self.epoch = 1_700_000_000
        self.installed = False
        self.running_pid: int | None = None           # `pidof` answer (an app already running, for --attach)
        self.props = {"ro.product.model": "sdk_gphone64_x86_64", "ro.product.manufacturer": "Google",
                      "ro.build.version.release": "13", "ro.build.version.sdk": "33",
                      "ro.product.cpu.abi": "x86_64", "ro.serialno": "EMULATOR33X1X1", "ro.build.fingerprint": "google/sdk"}

    def _check(self):
        if self.gone:
            raise adbutils.AdbError(f"device '{self.serial}' not found")

    def get_state(self):
        self._check()
        return "device"

    def getprop(self, name):
        self._check()
        return self.props.get(name, "")

    def push(self, local, remote):
        self._check()
        self.pushes.append((local, remote))

    def reverse(self, remote, local, norebind=False):
        self._check()
        self.calls.append(f"reverse {remote} {local}")
        self.reverses.add(remote)

    def reverse_remove(self, remote):
        self._check()
        self.calls.append(f"reverse --remove {remote}")
        self.reverses.discard(remote)

    def screenshot(self, display_id=None, error_ok=True):
        self._check()
        return Image.new("RGB", (36, 64), (200, 30, 30))

    def shell(self, cmd, timeout=None, **kw):
        self._check()
        self.calls.append(cmd)
        a = cmd.split()
        if a[:2] == ["settings", "get"]:
            return self.settings.get(f"{a[2]} {a[3]}", "null")
        if a[:2] == ["settings", "put"]:
            self.settings[f"{a[2]} {a[3]}"] = a[4]
            return ""
        if a[:2] == ["settings", "delete"]:
            self.settings.pop(f"{a[2]} {a[3]}", None)
            return "Deleted 1 rows"
        if a[:2] == ["pm", "install"]:
            self.installed = True
            return "Success"
        if a[:2] in (["pm", "clear"], ["pm", "uninstall"]):
            return "Success"
        if a[:2] == ["ps", "-A"]:
            return "PID NAME\n1 init\n812 frida-server\n"
        if a[:2] == ["ls", "/data/local/tmp"]:
            return "frida-server\nsdkgate-under-test.apk"
        if a[0] == "/data/local/tmp/frida-server" and a[1:] == ["--version"]:
            return self.frida_server
        if a == ["id", "-u"]:
            return "0" if self.root else "2000"
        if a[:3] == ["su", "0", "id"]:
            return "0" if self.root else "/system/bin/sh: su: inaccessible or not found"
        if a == ["date", "+%s"]:
            return str(self.epoch)
        if a[:2] == ["date", "-u"] and self.root:
            self.epoch = int(a[2].lstrip("@"))
            return ""
        if a[0] == "pidof":
            return str(self.running_pid) if self.running_pid else ""
        if a[:2] == ["df", "-k"]:
            return "Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/block/dm-5 6000000 2000000 4000000 34% /data"
        if a[0] == "ls":
            return f"ls: {a[1]}: No such file or directory"
        return ""


class FakeElement:
    def __init__(self, ui: "FakeUiDevice", key):
        self.ui, self.key = ui, key

    @property
    def exists(self):
        if self.ui.gone:
            raise ConnectionError("uiautomator2: connection refused")
        return self.key in self.ui.visible

    def click(self):
        if self.ui.on_click:
            self.ui.on_click(self.key)
        self.ui.clicks.append(self.key)


class FakeUiDevice:
    def __init__(self, visible=()):
        self.visible = set(visible)          # {("resourceId", "..."), ("text", "...")}
        self.clicks: list[tuple[str, str]] = []
        self.clipboard_value = None
        self.stopped = False
        self.gone = False
        self.on_click = None

    def __call__(self, resourceId=None, text=None):
        return FakeElement(self, ("resourceId", resourceId) if resourceId else ("text", text))

    def set_clipboard(self, text, label=None):
        self.clipboard_value = text

    def stop_uiautomator(self):
        self.stopped = True

    def screenshot(self, path):
        Image.new("RGB", (10, 10)).save(path)


class FakeSession:
    def __init__(self, pid):
        self.pid = pid
        self.handlers: dict[str, list] = {}
        self.detached = False
        self.child_gating = False

    def enable_child_gating(self):
        self.child_gating = True

    def on(self, signal, cb):
        self.handlers.setdefault(signal, []).append(cb)

    def detach(self):
        self.detached = True

    def fire_detached(self, reason, crash=None):
        for cb in self.handlers.get("detached", []):
            cb(reason, crash)


@dataclass
class FakeSpawn:
    pid: int
    identifier: str


@dataclass
class FakeProcess:
    pid: int
    name: str


class FakeFridaDevice:
    """Also spawn gating like frida-server on Android: `announce(name)` is zygote starting a process
    (held until resumed, `spawn-added` fired); `processes` is what enumerate_processes() lists."""

    def __init__(self, *, crash_on_resume: str | None = None, attach_fails: set | None = None):
        self.calls: list[tuple] = []
        self.sessions: list[FakeSession] = []
        self.next_pid = 4242
        self.crash_on_resume = crash_on_resume
        self.handlers: dict[str, list] = {}
        self.spawn_gating = False
        self.processes: list[FakeProcess] = []
        self.attach_fails = set(attach_fails or ())

    def on(self, signal, cb):
        self.handlers.setdefault(signal, []).append(cb)

    def off(self, signal, cb):
        if cb in self.handlers.get(signal, []):
            self.handlers[signal].remove(cb)

    def enable_spawn_gating(self):
        self.calls.append(("enable_spawn_gating",))
        self.spawn_gating = True

    def disable_spawn_gating(self):
        self.calls.append(("disable_spawn_gating",))
        self.spawn_gating = False

    def enumerate_pending_spawn(self):
        return []

    def enumerate_processes(self):
        return list(self.processes)

    def announce(self, name: str) -> int:
        """A process starts on the device (zygote fork); with spawn gating it waits for resume()."""
        pid = self.next_pid
        self.next_pid += 1
        self.processes.append(FakeProcess(pid, name))
        if self.spawn_gating:
            for cb in list(self.handlers.get("spawn-added", [])):
                cb(FakeSpawn(pid, name))
        return pid

    def spawn(self, program):
        self.calls.append(("spawn", tuple(program)))
        pid = self.next_pid
        self.next_pid += 1
        if self.spawn_gating:         # frida may announce the spawn it was asked for, too
            self.processes.append(FakeProcess(pid, program[0]))
            for cb in list(self.handlers.get("spawn-added", [])):
                cb(FakeSpawn(pid, program[0]))
        return pid

    def attach(self, pid):
        self.calls.append(("attach", pid))
        if pid in self.attach_fails:
            raise RuntimeError("unable to access process (frida: ProcessNotRespondingError)")
        s = FakeSession(pid)
        self.sessions.append(s)
        return s

    def resume(self, pid):
        self.calls.append(("resume", pid))
        if self.crash_on_resume:
            s = self.sessions[-1]
            threading.Timer(0.05, s.fire_detached, args=(self.crash_on_resume,)).start()

    def kill(self, pid):
        self.calls.append(("kill", pid))
        self.processes = [p for p in self.processes if p.pid != pid]


@dataclass
class RecordingLoader:
    """Takes the agent host's place (sdkgate code, not a library): records that the agent was loaded
    into the suspended process; its events go through ctx.emit like the real host's."""
    loads: list = field(default_factory=list)
    closed: int = 0
    processes: list = field(default_factory=list)     # (pid, process name) per load
    log: list | None = None                            # shared with FakeFridaDevice.calls for ordering

    def __call__(self, session, ctx, package, process=None, pid=None):
        self.loads.append((session.pid, package))
        self.processes.append((session.pid, process))
        if self.log is not None:
            self.log.append(("load", session.pid))
        from sdkgate.events import Event
        ctx.emit(Event(seq=len(self.loads) - 1, t_ms=ctx.clock.now_ms(), source="hook", kind="agent_status",
                       extra={"status": "loaded", "dropped": 0}))
        loader = self

        class Handle:
            def close(self_inner):
                loader.closed += 1
        return Handle()
