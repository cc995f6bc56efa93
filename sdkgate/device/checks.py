"""What `sdkgate doctor` checks (and `sdkgate run` re-checks): each problem comes with its one-line fix."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from .adb import DeviceGone, shell

OK, PROBLEM, WARN, SKIPPED, INFO = "ok", "problem", "warning", "not checked", "info"
MIN_FREE_MB = 500
FRIDA_SERVER_DIR = "/data/local/tmp"


@dataclass
class Check:
    name: str
    status: str          # ok | problem | warning | not checked | info
    detail: str
    fix: str = ""

    @property
    def bad(self) -> bool:
        return self.status in (PROBLEM, SKIPPED)


def default_confdir() -> Path:
    """Where the mitmproxy CA lives for device runs: a CA the device can keep trusting across runs."""
    return Path(os.environ.get("SDKGATE_CONFDIR") or Path.home() / ".mitmproxy")


def subject_hash_old(pem_path: str | Path) -> str:
    """OpenSSL's `-subject_hash_old` of a certificate: the file name Android's CA stores use (`<hash>.0`)."""
    from cryptography import x509
    cert = x509.load_pem_x509_certificate(Path(pem_path).read_bytes())
    digest = hashlib.md5(cert.subject.public_bytes()).digest()   # noqa: S324 - Android's naming scheme
    return f"{int.from_bytes(digest[:4], 'little'):08x}"


def major(version: str | None) -> int | None:
    m = re.match(r"\s*(\d+)\.", version or "")
    return int(m.group(1)) if m else None


def frida_server_version(adb) -> tuple[str | None, str]:
    """(version, where) of the frida-server on the device, (None, why) when none is found."""
    running = shell(adb, ["ps", "-A", "-o", "PID,NAME"], timeout=15)
    names = [ln.split()[-1] for ln in running.splitlines()[1:] if ln.split()]
    listing = shell(adb, ["ls", FRIDA_SERVER_DIR], timeout=15)
    candidates = [f"{FRIDA_SERVER_DIR}/{n.strip()}" for n in listing.split() if n.strip().startswith("frida")]
    for path in candidates:
        out = shell(adb, [path, "--version"], timeout=15).strip()
        if re.fullmatch(r"\d+\.\d+\.\d+\S*", out):
            state = "running" if any(n.startswith("frida") for n in names) else "not running"
            return out, f"{path} ({state})"
    if any(n.startswith("frida") for n in names):
        return None, "a frida process runs but its binary is not in /data/local/tmp"
    return None, f"no frida-server in {FRIDA_SERVER_DIR}"


def frida_server_problem(adb, frida_device=None) -> str | None:
    """A one-line problem when frida-server is missing or of another major version than the installed frida."""
    try:
        version, where = frida_server_version(adb)
        abi = (adb.getprop("ro.product.cpu.abi") or "").strip()
    except DeviceGone as exc:
        return f"device disconnected: {exc}"
    except Exception:  # noqa: BLE001 - a device without the property: the file name says which ABIs exist
        abi = None
    return version_problem(version, where, abi)


FRIDA_ABI = {"arm64-v8a": "arm64", "armeabi-v7a": "arm", "armeabi": "arm", "x86_64": "x86_64", "x86": "x86"}


def frida_server_file(abi: str | None = None) -> str:
    """The exact release file of frida-server for the installed Python `frida` and the device's ABI, and where
    a user downloads it (frida's GitHub release of that version)."""
    import frida
    v = frida.__version__
    arch = FRIDA_ABI.get(abi or "", "<arch: arm64 for phones, x86_64 for emulators>")
    return (f"frida-server-{v}-android-{arch}.xz from https://github.com/frida/frida/releases/tag/{v} "
            f"(unxz it, adb push it to {FRIDA_SERVER_DIR}/frida-server, chmod 755, start it as root)")


def supported_frida() -> str:
    """The Frida range whose gating behaviour sdkgate relies on (dynamic/processes.py; pyproject pins it)."""
    from ..dynamic.processes import SUPPORTED_FRIDA  # noqa: PLC0415
    return ",".join(SUPPORTED_FRIDA)


def unsupported_frida(version: str | None) -> bool:
    from packaging.specifiers import SpecifierSet  # noqa: PLC0415
    from packaging.version import InvalidVersion, Version  # noqa: PLC0415
    try:
        return Version(str(version)) not in SpecifierSet(supported_frida())
    except InvalidVersion:
        return True


RANGE_WHY = ("sdkgate relies on frida-server's spawn-gating watchdog signal (spawn-gating-disabled, Frida 17.16) "
             "and the Frida 17 Java bridge")


def version_problem(version: str | None, where: str, abi: str | None = None) -> str | None:
    import frida
    if version is None:
        return f"frida-server not found ({where}): install {frida_server_file(abi)}"
    if major(version) != major(frida.__version__):
        return (f"frida-server {version} on the device ({where}) does not match frida {frida.__version__} here "
                f"(major versions must match): install {frida_server_file(abi)}, "
                f"or pip install 'frida=={version}'")
    if unsupported_frida(version):
        return (f"frida-server {version} on the device ({where}) is outside the supported range {supported_frida()} "
                f"({RANGE_WHY}): install {frida_server_file(abi)}")
    return None


def host_checks() -> list[Check]:
    out = []
    for dist in ("frida", "mitmproxy", "adbutils", "uiautomator2", "androguard"):
        try:
            version = metadata.version(dist)
            if dist == "frida" and unsupported_frida(version):
                out.append(Check("python: frida", PROBLEM, f"{version}: outside the supported range {supported_frida()} "
                                 f"({RANGE_WHY})", f"pip install 'frida{supported_frida()}'"))
            elif dist == "frida":
                out.append(Check("python: frida", OK, f"{version} (supported: {supported_frida()}; {RANGE_WHY})"))
            else:
                out.append(Check(f"python: {dist}", OK, version))
        except metadata.PackageNotFoundError:
            out.append(Check(f"python: {dist}", PROBLEM, "not installed", f"pip install {dist}  (or: pip install .)"))
    try:
        agent = [p.name for p in resources.files("sdkgate.agent").iterdir() if p.name.endswith(".js")]
    except (ModuleNotFoundError, FileNotFoundError, TypeError):
        agent = []
    out.append(Check("frida agent bundle", OK if agent else PROBLEM,
                     ", ".join(agent) if agent else "no compiled agent in sdkgate/agent/",
                     "" if agent else "python -m sdkgate.dynamic.build  (needs npm once; users of a release need nothing)"))
    out.append(Check("node.js", INFO, "not needed: the agent ships compiled"))
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    out.append(Check("chromium (optional)", OK if chromium else INFO,
                     chromium or "not found: only needed to screenshot HTML reports",
                     "" if chromium else "apt-get install chromium"))
    ca = default_confdir() / "mitmproxy-ca-cert.pem"
    out.append(Check("mitmproxy CA (host)", OK if ca.is_file() else WARN,
                     str(ca) if ca.is_file() else f"{ca} missing (the first `sdkgate run` creates it)",
                     "" if ca.is_file() else "python -c \"from mitmproxy.certs import CertStore; "
                     f"CertStore.from_store('{ca.parent}', 'mitmproxy', 2048)\"  then install it on the device"))
    from ..dynamic.simnet import nss_wrapper_available      # the simulated device's resolver (issue 12)
    nss = nss_wrapper_available()
    out.append(Check("nss_wrapper (simulate)", OK if nss else WARN,
                     "libnss_wrapper.so found: simulated raw-socket/DNS/QUIC sends resolve to loopback sinks" if nss
                     else "not found: app-model sends with transport tcp/udp/dns/quic or proxy: false cannot run",
                     "" if nss else "apt-get install libnss-wrapper"))
    return out


def adb_binary_check() -> Check:
    try:
        import adbutils
        path = adbutils.adb_path()
    except Exception as exc:  # noqa: BLE001
        return Check("adb", PROBLEM, f"adbutils has no adb binary: {exc}", "pip install --force-reinstall adbutils")
    try:
        out = subprocess.run([path, "version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check("adb", PROBLEM, f"{path} does not run: {exc}", "pip install --force-reinstall adbutils")
    first = out.splitlines()[0] if out else "?"
    return Check("adb", OK, f"{first} ({path})")


DEVICE_CHECKS = {
    "root or frida-server": "root (emulator: `adb root`) and " + frida_server_file(),
    "proxy route": "sdkgate run sets it itself (adb reverse tcp:P + settings put global http_proxy 127.0.0.1:P)",
    "CA on the device": "install the mitmproxy CA in the system store (emulator: adb root; adb remount; "
                        "adb push HASH.0 /system/etc/security/cacerts/)",
    "free storage": f"keep at least {MIN_FREE_MB} MB free on /data",
}


def no_device_checks(reason: str) -> list[Check]:
    return [Check(name, SKIPPED, f"needs a device ({reason})", fix) for name, fix in DEVICE_CHECKS.items()]


def device_checks(adb) -> list[Check]:
    """Everything about one connected device (adbutils device object)."""
    import frida
    out: list[Check] = []
    try:
        model = (adb.getprop("ro.product.model") or "").strip()
        release = (adb.getprop("ro.build.version.release") or "").strip()
        sdk = (adb.getprop("ro.build.version.sdk") or "").strip()
        out.append(Check("device", OK, f"{model} (Android {release}, API {sdk})"))
        uid = shell(adb, ["id", "-u"]).strip()
        su = shell(adb, ["su", "0", "id", "-u"]).strip() if uid != "0" else "0"
        rooted = uid == "0" or su == "0"
        out.append(Check("root", OK if rooted else WARN,
                         "adbd runs as root" if uid == "0" else ("su works" if su == "0" else "no root"),
                         "" if rooted else "frida-server needs root; advance_clock needs root (emulator: `adb root`)"))
        version, where = frida_server_version(adb)
        abi = (adb.getprop("ro.product.cpu.abi") or "").strip()
        problem = version_problem(version, where, abi)
        if problem:
            what, _, fix = problem.partition(": ")
            out.append(Check("frida-server", PROBLEM, what, fix))
        elif "not running" in where:
            out.append(Check("frida-server", PROBLEM, f"{version} at {where}",
                             f"adb shell su 0 {where.split(' ')[0]} -D &   (or, emulator: adb root; then run it)"))
        else:
            out.append(Check("frida-server", OK, f"{version} at {where}; frida here {frida.__version__}"))
        proxy = shell(adb, ["settings", "get", "global", "http_proxy"]).strip()
        if proxy in ("", "null", ":0"):
            out.append(Check("proxy route", OK, "no proxy set; `sdkgate run` routes through adb reverse and restores it"))
        else:
            out.append(Check("proxy route", WARN, f"http_proxy is set to {proxy} (left by an interrupted run?)",
                             "adb shell settings put global http_proxy :0   (if no sdkgate run is in progress)"))
        out.append(_ca_check(adb, int(sdk) if sdk.isdigit() else 0))
        out.append(_storage_check(adb))
        from .capture import doctor_checks      # --capture wireguard / transparent on this device
        out += doctor_checks(adb, Check, OK, WARN, PROBLEM)
    except DeviceGone as exc:
        out.append(Check("device", PROBLEM, f"disconnected during the checks: {exc}", "reconnect it and run doctor again"))
    return out


def _ca_check(adb, sdk: int) -> Check:
    ca = default_confdir() / "mitmproxy-ca-cert.pem"
    if not ca.is_file():
        return Check("CA on the device", SKIPPED, f"no host CA at {ca} to look for",
                     f"create it first: mitmdump --set confdir={ca.parent}")
    h = subject_hash_old(ca)
    stores = ["/system/etc/security/cacerts", "/apex/com.android.conscrypt/cacerts", "/data/misc/user/0/cacerts-added"]
    found = [s for s in stores if shell(adb, ["ls", f"{s}/{h}.0"]).strip().endswith(f"{h}.0")]
    system = [s for s in found if not s.startswith("/data")]
    if system:
        return Check("CA on the device", OK, f"{h}.0 in {system[0]}")
    fix = (f"openssl x509 -in {ca} -out {h}.0; adb root; adb remount; adb push {h}.0 /system/etc/security/cacerts/; "
           "adb reboot" if sdk < 34 else
           f"Android 14+: mount a tmpfs over /apex/com.android.conscrypt/cacerts with {h}.0 added (rooted/emulator)")
    if found:
        return Check("CA on the device", WARN, f"{h}.0 only in the user store: apps targeting API 24+ ignore it", fix)
    return Check("CA on the device", PROBLEM, f"mitmproxy CA ({h}.0) not installed: HTTPS would show as tls_failed", fix)


def _storage_check(adb) -> Check:
    out = shell(adb, ["df", "-k", "/data"])
    lines = [ln.split() for ln in out.splitlines() if ln.strip()]
    try:
        free_mb = int(lines[-1][3]) // 1024
    except (IndexError, ValueError):
        return Check("free storage", WARN, f"could not read `df /data`: {out.strip()[:80]}", "")
    if free_mb < MIN_FREE_MB:
        return Check("free storage", PROBLEM, f"{free_mb} MB free on /data", f"free space: keep at least {MIN_FREE_MB} MB")
    return Check("free storage", OK, f"{free_mb} MB free on /data")
