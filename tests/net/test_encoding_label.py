"""The encoding a send is labelled with is the one its bytes show: padded base64 is `base64`, the same value
without its `=` padding is `base64-nopad` (an auditor re-encodes the value and must find exactly that)."""
import base64

from sdkgate.net.matcher import Matcher

VALUE = "0123456789abcdef"                       # 16 bytes: standard base64 ends with "=="


def _encodings(wire: bytes) -> set[str]:
    return {m.encoding for m in Matcher({"device_id.android_id": [VALUE]}).scan(wire)}


def test_padded_and_unpadded_base64_are_labelled_as_sent():
    padded = base64.b64encode(VALUE.encode())
    assert padded.endswith(b"==")
    assert _encodings(b'{"aid":"' + padded + b'"}') == {"base64"}
    assert _encodings(b'{"aid":"' + padded.rstrip(b"=") + b'"}') == {"base64-nopad"}
    assert _encodings(b"aid=" + padded.rstrip(b"=") + b"&x=1") == {"base64-nopad"}
