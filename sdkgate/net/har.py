"""HAR export of a mitmproxy flow file, for auditors whose tools read HAR rather than mitmproxy flows.

Entries are made by mitmproxy's own converter (SaveHar.flow_entry) and written one at a time, so
memory does not grow with the number of flows. Non-HTTP flows (TCP, UDP) have no HAR form: they are
counted in the log's comment and stay in the flow file.
"""
from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
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


def _headers(h) -> list[dict]:
    return [{"name": k, "value": v} for k, v in h.items(multi=True)]


def raw_entry(f: http.HTTPFlow) -> dict:
    """A HAR entry from the bytes as sent, for flows mitmproxy's converter cannot decode."""
    req, resp = f.request, f.response
    body = req.raw_content or b""
    started = datetime.fromtimestamp(req.timestamp_start, tz=timezone.utc).isoformat()
    entry = {
        "startedDateTime": started, "time": 0,
        "request": {"method": req.method, "url": req.pretty_url, "httpVersion": req.http_version,
                    "cookies": [], "headers": _headers(req.headers),
                    "queryString": [{"name": k, "value": v} for k, v in req.query.items(multi=True)],
                    "headersSize": -1, "bodySize": len(body),
                    "postData": {"mimeType": req.headers.get("content-type", ""),
                                 "text": base64.b64encode(body).decode("ascii"),
                                 "comment": "raw body bytes in base64: its content-encoding could not be decoded"}},
        "response": {"status": resp.status_code if resp else 0, "statusText": resp.reason if resp else "",
                     "httpVersion": resp.http_version if resp else "", "cookies": [],
                     "headers": _headers(resp.headers) if resp else [],
                     "content": {"size": len(resp.raw_content or b"") if resp else 0, "mimeType": "",
                                 "text": base64.b64encode(resp.raw_content or b"").decode("ascii") if resp else "",
                                 "encoding": "base64"},
                     "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0},
        "comment": "written by sdkgate from raw bytes",
    }
    return entry


def export_har(out_dir: str | Path) -> int | None:
    """flows.har from out_dir/flows.mitm, written after the proxy exited (so stopping the proxy takes as
    long as stopping bare mitmproxy, and a proxy killed mid-run still gets a HAR of what it recorded).
    Returns the number of entries, or None when there is no flow file or the export failed."""
    out = Path(out_dir)
    flow_file = out / "flows.mitm"
    if not flow_file.is_file():
        return None
    try:
        return write_har(flow_file, out / "flows.har")
    except Exception:  # noqa: BLE001 - the HAR is a convenience copy; net.jsonl and flows.mitm are the evidence
        Path(str(out / "flows.har") + ".tmp").unlink(missing_ok=True)
        return None


def main(argv: list[str]) -> int:
    """`python -m sdkgate.net.har OUT_DIR`: the child that writes flows.har once the proxy has exited."""
    n = export_har(argv[0]) if argv else None
    return 0 if n is not None else 1


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
            except Exception:            # e.g. a body that claims gzip and is not: keep it, raw
                try:
                    entry = raw_entry(f)
                except Exception:
                    skipped += 1
                    continue
            out.write((",\n" if n else "") + json.dumps(entry, ensure_ascii=False))
            n += 1
        out.write('\n], "comment": ' + json.dumps(f"{skipped} non-HTTP or unconvertible flows are only in the flow file") + "}}\n")
    tmp.replace(har_path)
    return n


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
