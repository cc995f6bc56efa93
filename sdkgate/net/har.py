"""HAR export of a mitmproxy flow file, for auditors whose tools read HAR rather than mitmproxy flows.

Entries are made by mitmproxy's own converter (SaveHar.flow_entry) and written one at a time, so
memory does not grow with the number of flows. Non-HTTP flows (TCP, UDP) have no HAR form: they are
counted in the log's comment and stay in the flow file.
"""
from __future__ import annotations

import json
from pathlib import Path

from mitmproxy import http, io, version
from mitmproxy.addons.savehar import SaveHar


def iter_flows(flow_file: str | Path):
    with open(flow_file, "rb") as fh:
        reader = io.FlowReader(fh)
        try:
            yield from reader.stream()
        except Exception:            # a flow file cut short by a crash: keep what was written
            return


def write_har(flow_file: str | Path, har_path: str | Path) -> int:
    """Write `har_path` from `flow_file`; returns the number of entries."""
    conv = SaveHar()
    servers_seen: set = set()
    n = skipped = 0
    tmp = Path(str(har_path) + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.write('{"log": {"version": "1.2", "creator": ')
        out.write(json.dumps({"name": "mitmproxy", "version": version.VERSION, "comment": "sdkgate"}))
        out.write(', "pages": [], "entries": [\n')
        for f in iter_flows(flow_file):
            if not isinstance(f, http.HTTPFlow):
                skipped += 1
                continue
            try:
                entry = conv.flow_entry(f, servers_seen)
            except Exception:
                skipped += 1
                continue
            out.write((",\n" if n else "") + json.dumps(entry, ensure_ascii=False))
            n += 1
        out.write('\n], "comment": ' + json.dumps(f"{skipped} non-HTTP or unconvertible flows are only in the flow file") + "}}\n")
    tmp.replace(har_path)
    return n
