"""The simulated device's native side (issue 11): its sandbox and the native libraries that make real
libc calls inside the instrumented process.

- `libsgprops.so` serves bionic's __system_property_* API from the sandbox's property file (glibc has
  none); `libsgsdk.so` is an SDK's native library: each simulated native read is a real call from it.
  Both are built with the machine's C compiler (cached by source hash); a copy of libsgsdk.so is made
  under every SDK library name the app model uses, so the agent sees that library as the caller.
- The sandbox holds the device's files (/sys/class/net/wlan0/address, /proc/net/arp, /proc/cpuinfo,
  /sys/devices/soc0/serial_number, /sys/block/mmcblk0/device/cid, shared storage), its property store
  and its shell (/system/bin/sh answering pm, getprop, settings, ip, ifconfig, cat, dumpsys) with the
  device model's values: never the host's MAC, serial or files.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from ..errors import InputError

SOURCES = ("sgprops.c", "sgsdk.c")
DEFAULT_LIB = "libsdkgate_app.so"      # native code of the app itself (no SDK library named)


class NativeBuildError(InputError):
    def __init__(self, problem: str):
        super().__init__("sdkgate/dynamic/native", None, problem)


def _src(name: str) -> bytes:
    return resources.files("sdkgate.dynamic").joinpath("native", name).read_bytes()


def build_libs(cache: Path | None = None) -> Path:
    """Compile the two libraries once per source version; returns their folder."""
    digest = hashlib.sha256(b"".join(_src(n) for n in SOURCES)).hexdigest()[:16]
    out = (cache or Path(tempfile.gettempdir()) / "sdkgate-simnative") / digest
    if (out / "libsgsdk.so").exists():
        return out
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        raise NativeBuildError("no C compiler (gcc) to build the simulated device's native libraries: apt-get install gcc")
    tmp = Path(tempfile.mkdtemp(prefix="sgnative-", dir=out.parent if out.parent.exists() else None))
    try:
        for n in SOURCES:
            (tmp / n).write_bytes(_src(n))
        for cmd in ([cc, "-shared", "-fPIC", "-O2", "-o", "libsgprops.so", "sgprops.c"],
                    [cc, "-shared", "-fPIC", "-O2", "-fno-optimize-sibling-calls", "-o", "libsgsdk.so", "sgsdk.c", "-L.", "-lsgprops",
                     "-Wl,-rpath,$ORIGIN"]):
            r = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=60)
            if r.returncode != 0:
                raise NativeBuildError(f"{' '.join(cmd)} failed: {r.stderr.strip()[:500]}")
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            tmp.rename(out)
        except OSError:          # built concurrently by another run: use theirs
            shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if tmp.exists() and tmp != out:
            shutil.rmtree(tmp, ignore_errors=True)
    return out


SHELL = r"""#!/bin/sh
# The simulated device's shell: Android commands answered from this sandbox.
R="$(dirname "$(dirname "$(dirname "$0")")")"
[ "$1" = "-c" ] && shift
set -- $1
case "$1" in
  pm|cmd) cat "$R/cmd/pm_list_packages" ;;
  getprop) if [ -n "$2" ]; then sed -n "s/^$2=//p" "$R/props"; else sed 's/^\(.*\)=\(.*\)$/[\1]: [\2]/' "$R/props"; fi ;;
  settings) [ "$4" = "android_id" ] && cat "$R/cmd/android_id" ;;
  cat) cat "$R$2" ;;
  ip|ifconfig) cat "$R/cmd/ip_link" ;;
  dumpsys) cat "$R/cmd/dumpsys" 2>/dev/null ;;
  *) echo "$1: not found" >&2; exit 127 ;;
esac
"""


def prepare_sandbox(root: Path, values: dict[str, str], installed: tuple[str, ...], libs: Path,
                    sdk_libs: tuple[str, ...]) -> dict:
    """Write the device's files, property store and shell under `root`; returns the stand-in's setup."""
    mac, serial = values["device_id.mac"], values["device_id.serial"]
    files = {
        "sys/class/net/wlan0/address": mac + "\n",
        "proc/net/arp": "IP address       HW type     Flags       HW address            Mask     Device\n"
                        "192.168.1.1      0x1         0x2         3c:46:d8:12:34:56     *        wlan0\n",
        "proc/cpuinfo": f"processor\t: 0\nHardware\t: sdkgate simulated SoC\nSerial\t\t: {serial}\n",
        "sys/devices/soc0/serial_number": serial + "\n",
        "sys/block/mmcblk0/device/cid": "150100" + serial.encode().hex()[:26] + "\n",
        "sdcard/.UTSystemConfig/Global/Alvin2.xml": "<map><string name=\"UTDID2\">sim-utdid-0001</string></map>\n",
        "sdcard/backups/.SystemConfig/.cuid": "sim-cuid-0001\n",
        "props": f"ro.serialno={serial}\nro.boot.serialno={serial}\npersist.radio.imei={values.get('device_id.imei', '')}\n"
                 f"ro.boot.wifimacaddr={mac}\ngsm.sim.operator.numeric=46000\nro.product.model=SDKGATE-SIM\n",
        "cmd/pm_list_packages": "".join(f"package:{p}\n" for p in installed),
        "cmd/android_id": values.get("device_id.android_id", "") + "\n",
        "cmd/ip_link": f"3: wlan0: <BROADCAST,MULTICAST,UP> mtu 1500\n    link/ether {mac} brd ff:ff:ff:ff:ff:ff\n",
        "cmd/dumpsys": "".join(f"  Package [{p}]\n" for p in installed),
        "system/bin/sh": SHELL,
    }
    for rel, text in files.items():
        f = root / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, "utf-8")
    (root / "system/bin/sh").chmod(0o755)
    (root / "storage/emulated").mkdir(parents=True, exist_ok=True)
    link = root / "storage/emulated/0"
    if not link.exists():
        link.symlink_to(root / "sdcard")
    (root / "lib").mkdir(exist_ok=True)
    shutil.copyfile(libs / "libsgprops.so", root / "lib" / "libsgprops.so")
    for name in set(sdk_libs) | {DEFAULT_LIB}:
        shutil.copyfile(libs / "libsgsdk.so", root / "lib" / name)
    return {"sandbox": str(root), "props_lib": str(root / "lib" / "libsgprops.so"), "props_file": str(root / "props"),
            "mac": mac}
