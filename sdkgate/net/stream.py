"""Scanning a request body that mitmproxy streams instead of buffering (too large, or of unknown
length). Its own module because two parts look at it: the capture scans through it, and the
offline responder sends what it streams to a loopback sink."""
import zlib
from dataclasses import dataclass, field

from sdkgate.net.matcher import Match, Matcher, StreamScan

STREAM_DECODED_CAP = 256 * 1024 * 1024     # decoded bytes scanned of one streamed, compressed upload


@dataclass
class BodyStream:
    """mitmproxy `request.stream` callable: forwards chunks unchanged and searches them as they stream
    (raw, and gzip/deflate-decoded), so what arrived is known even if the body never ends (a reset
    stream, an early answer); keeps up to `cap` bytes for a full structured scan once it ends."""
    matcher: Matcher
    cap: int
    content_encoding: str = ""
    buf: bytearray = field(default_factory=bytearray)
    total: int = 0
    over: bool = False
    raw_scan: StreamScan | None = None
    dec_scan: StreamScan | None = None
    _dec: object | None = None
    decoded: int = 0
    decode_capped: bool = False
    finished: bool = False          # mitmproxy streamed the body (and called us with b"" at its end)
    frame: bool = False             # offline, a body without length: chunk-framed for the loopback sink

    def __post_init__(self):
        self.raw_scan = self.matcher.stream()
        enc = self.content_encoding.strip().lower()
        if enc in ("gzip", "x-gzip", "deflate"):
            self._dec = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in enc else zlib.MAX_WBITS)
            self.dec_scan = self.matcher.stream()

    def __call__(self, chunk: bytes) -> bytes:
        if not chunk:
            self.finished = True
            return b"0\r\n\r\n" if self.frame else chunk
        self.total += len(chunk)
        if not self.over:
            self.buf += chunk
            if len(self.buf) > self.cap:
                self.over = True
                self.buf = bytearray()
        self._feed(bytes(chunk))
        return b"%x\r\n%s\r\n" % (len(chunk), chunk) if self.frame else chunk

    def _feed(self, data: bytes) -> None:
        assert self.raw_scan is not None
        self.raw_scan.feed(data)
        if self._dec is None or self.dec_scan is None or self.decode_capped:
            return
        try:
            while data:
                out = self._dec.decompress(data, 1 << 20)
                self.decoded += len(out)
                self.dec_scan.feed(out)
                if self.decoded > STREAM_DECODED_CAP:
                    self.decode_capped = True
                    return
                data = self._dec.unconsumed_tail
                if not out:
                    break
        except zlib.error:
            self._dec = None

    def matches(self) -> list[Match]:
        """Every planted value seen in what streamed so far (raw or decoded)."""
        out: list[Match] = []
        for s in (self.raw_scan, self.dec_scan):
            if s:
                out += [m for m in s.matches() if m not in out]
        return out
