"""Canary values: planted personal data of the right format, fresh per run, found again in traffic.

The agent returns them in canary mode, run.json records them, the proxy searches for them.
A canary file is JSON: {"<category id>": "<value>" | ["<value>", ...]}.
"""
from __future__ import annotations

import secrets
import uuid
from pathlib import Path

from .errors import InputError
from .fileio import read_json_document
from .taxonomy import categories


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def _digits(n: int) -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(n))


def generate() -> dict[str, str]:
    """Fresh canaries for one run. Formats follow what real devices return."""
    imei_body = "86" + _digits(12)                      # 86: a TAC range used by Chinese handsets
    mac = [secrets.randbelow(256) for _ in range(6)]
    mac[0] = (mac[0] | 0x02) & 0xFE                    # locally administered, unicast
    lat = 39.9 + secrets.randbelow(10_000) / 100_000    # Beijing area, 5+ decimals
    lon = 116.3 + secrets.randbelow(10_000) / 100_000
    return {
        "device_id.imei": imei_body + luhn_digit(imei_body),
        "device_id.meid": "A1000" + secrets.token_hex(5).upper()[:9],
        "device_id.imsi": "46000" + _digits(10),
        "device_id.iccid": "898600" + _digits(13),
        "device_id.serial": secrets.token_hex(6).upper(),
        "device_id.android_id": secrets.token_hex(8),
        "device_id.oaid": str(uuid.uuid4()),
        "device_id.gaid": str(uuid.uuid4()),
        "device_id.mac": ":".join(f"{b:02x}" for b in mac),
        "device_id.phone_number": "138" + _digits(8),
        "clipboard": "sdkgate-clip-" + secrets.token_hex(6),
        "location": f"{lat:.6f},{lon:.6f}",
        "installed_apps": "com.sdkgate.canary." + secrets.token_hex(4),
    }


def load_canary_file(path: str | Path) -> dict[str, list[str]]:
    """Read and validate a canary file; errors name the file and the key."""
    path = Path(path)
    try:
        data = read_json_document(path, max_bytes=1 << 20)
    except FileNotFoundError:
        raise InputError(str(path), None, "file not found") from None
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(str(path), None, f"not valid JSON: {exc}") from None
    return validate_canaries(data, str(path))


def validate_canaries(data, name: str) -> dict[str, list[str]]:
    if not isinstance(data, dict):
        raise InputError(name, None, "a canary file is a JSON object of category id -> value(s)")
    cats = categories()
    out: dict[str, list[str]] = {}
    for key, val in data.items():
        if key not in cats:
            raise InputError(name, f"key {key!r}", "unknown category id")
        if cats[key].generic:
            raise InputError(name, f"key {key!r}", "a generic category names no value to plant: use one of its children")
        vals = [val] if isinstance(val, str) else val
        if not isinstance(vals, list) or not vals:
            raise InputError(name, f"key {key!r}", "value must be a non-empty string or list of strings")
        for v in vals:
            if not isinstance(v, str) or not v.strip():
                raise InputError(name, f"key {key!r}", "empty or non-string value")
            if len(v.strip()) < 4:
                raise InputError(name, f"key {key!r}", f"value {v!r} is too short to search for safely")
        out[key] = [v.strip() for v in vals]
    return out
