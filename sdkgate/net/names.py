"""Host names carry data too: `<imei-md5>.t.sdk.com` in a DNS query, the TLS SNI, a CONNECT target,
the Host header. A name is scanned label by label (each label as sent, the labels before the
registrable domain joined without dots, since a 64-char hash does not fit one 63-char label, and
that join read as base32, a common DNS exfiltration encoding); the matcher then applies every
encoding it knows (hex, base64, hashes ...) to those parts.
"""
from __future__ import annotations

import base64
import binascii

from sdkgate.net.attribution import registrable_domain
from sdkgate.net.decode import Decoded

NAME_CAP = 1024


def name_parts(d: Decoded, where: str, name: str) -> None:
    """Add the searchable parts of one host name to `d` under `where`."""
    name = (name or "").strip().rstrip(".")[:NAME_CAP]
    if not name:
        return
    labels = name.split(".")
    reg = registrable_domain(name) or ""
    head = labels[: max(0, len(labels) - len(reg.split(".")))] if reg else labels
    reps = [name.encode("utf-8", "replace")]
    reps += [lab.encode("utf-8", "replace") for lab in head]
    joined = "".join(head)
    if len(head) > 1:
        reps.append(joined.encode("utf-8", "replace"))
    for text in dict.fromkeys([*head, joined]):
        decoded = _base32(text)
        if decoded:
            reps.append(decoded)
    d.add(where, *reps)


def _base32(text: str) -> bytes | None:
    if len(text) < 8:
        return None
    t = text.upper()
    try:
        return base64.b32decode(t + "=" * (-len(t) % 8))
    except (binascii.Error, ValueError):
        return None
