"""A tiny PDF writer for tests (reportlab is not installed): pages of positioned text lines, Latin in Helvetica,
any Unicode through a Type0 font with Identity-H and a ToUnicode map (no glyphs: pdfminer needs none to read
text), content streams plain or Flate-compressed, and the hostile shapes the budgets must stop."""
from __future__ import annotations

import zlib


def _hex16(s: str) -> str:
    return "".join(f"{ord(c):04X}" for c in s)


def _hex_runs(ops: str) -> list[str]:
    import re
    return [m[k:k + 4] for m in re.findall(r"<([0-9A-F]+)>", ops) for k in range(0, len(m), 4)]


def _tounicode(chars: set[str]) -> bytes:
    blocks = sorted({ord(c) >> 8 for c in chars if ord(c) < 0x10000})
    ranges = [f"<{b:02X}00> <{b:02X}FF> <{b:02X}00>" for b in blocks]
    body = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def", "1 begincodespacerange", "<0000> <FFFF>",
            "endcodespacerange"]
    for k in range(0, len(ranges), 100):
        chunk = ranges[k:k + 100]
        body += [f"{len(chunk)} beginbfrange", *chunk, "endbfrange"]
    body += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(body).encode("ascii")


def line_ops(lines, size: int = 11) -> str:
    """Operators drawing lines: a str at the next line, or a list of (x, str) cells on one baseline."""
    ops = ["BT"]
    y = 800
    for ln in lines:
        cells = ln if isinstance(ln, list) else [(50, ln)]
        for x, text in cells:
            if not text:
                continue
            ops.append(f"1 0 0 1 {x} {y} Tm")
            if text.isascii():
                esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                ops.append(f"/F1 {size} Tf ({esc}) Tj")
            else:
                ops.append(f"/F2 {size} Tf <{_hex16(text)}> Tj")
        y -= int(size * 1.4) if ln else int(size * 2.8)
    ops.append("ET")
    return "\n".join(ops)


def make_pdf(pages: list[str], *, compress: bool = False, raw_streams: list[bytes] | None = None,
             extra_objects: int = 0) -> bytes:
    """pages: content-stream operator text per page (see line_ops); raw_streams: already-encoded Flate streams
    used instead (bombs); extra_objects: filler objects (object budget)."""
    chars = {chr(int(h, 16)) for p in pages for h in _hex_runs(p)}
    objs: list[bytes] = []

    def add(o: bytes) -> int:
        objs.append(o)
        return len(objs)

    catalog = add(b"")
    pages_id = add(b"")
    f1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    cmap_data = _tounicode(chars or {"\u4e00"})
    cmap = add(b"<< /Length %d >>\nstream\n" % len(cmap_data) + cmap_data + b"\nendstream")
    fd = add(b"<< /Type /FontDescriptor /FontName /Test /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
             b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    desc = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Test /CIDSystemInfo << /Registry (Adobe) "
               b"/Ordering (Identity) /Supplement 0 >> /DW 1000 /CIDToGIDMap /Identity /FontDescriptor %d 0 R >>" % fd)
    f2 = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /Identity-H /DescendantFonts [%d 0 R] "
             b"/ToUnicode %d 0 R >>" % (desc, cmap))
    kids = []
    streams = raw_streams if raw_streams is not None else [
        zlib.compress(p.encode("ascii")) if compress else p.encode("ascii") for p in pages]
    for s in streams:
        filt = b"/Filter /FlateDecode " if (compress or raw_streams is not None) else b""
        content = add(b"<< %s/Length %d >>\nstream\n" % (filt, len(s)) + s + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 842] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>" % (pages_id, content, f1, f2)))
    for _ in range(extra_objects):
        add(b"<< /Filler true >>")
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objs[pages_id - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                          + b"] /Count %d >>" % len(kids))
    out, offs = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)


def flate_bomb(inflated: int) -> bytes:
    """A Flate stream of `inflated` bytes of spaces (about 1000:1)."""
    c = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    out = []
    left = inflated
    while left > 0:
        n = min(left, len(chunk))
        out.append(c.compress(chunk[:n]))
        left -= n
    out.append(c.flush())
    return b"".join(out)
