"""The call-site candidate search (static/candidates.py): every even offset where an invoke of a target id with
the right argument count stands is found, even when a look-alike starting one byte earlier overlaps it."""
from __future__ import annotations

import struct

from sdkgate.static.candidates import candidate_offsets


class _Dex:
    """The two lookups the search needs: method_ids[i] -> (class, proto, name) and the proto's descriptor."""

    def __init__(self, data: bytes, protos: dict[int, str]):
        self.data = data
        self._protos = protos

    def method_ref(self, idx: int):
        return 0, idx, 0

    def proto(self, idx: int) -> str:
        return self._protos[idx]


def _invoke_virtual(method: int, count: int = 1) -> bytes:
    return bytes([0x6E, count << 4]) + struct.pack("<H", method)


def test_an_invoke_behind_an_odd_look_alike_is_found():
    target = 0x1010                                  # a ()Ljava/lang/String; method: one register (this)
    real = _invoke_virtual(target)                   # 6e 10 10 10 at offset 4
    # at offset 3 (odd) the bytes 70 6e 10 10 read as opcode, any byte, the target's id: the pattern matches there
    # first and would swallow the real invoke at offset 4 if only the match's own position and +2 were tried
    data = b"\x00\x00\x00\x70" + real + b"\x00\x00"
    dex = _Dex(data, {target: "()Ljava/lang/String;"})
    assert candidate_offsets(dex, {target: []}) == [4]


def test_shapes_keep_wrong_argument_counts_out():
    target = 7
    dex = _Dex(_invoke_virtual(target, count=3) + _invoke_virtual(target, count=1), {target: "()V"})
    assert candidate_offsets(dex, {target: []}) == [4]          # the 3-register look-alike is not an invoke of ()V


def test_a_static_field_read_is_a_candidate_for_a_field_id():
    dex = _Dex(b"\x00\x00" + bytes([0x62, 0x00]) + struct.pack("<H", 9), {})
    assert candidate_offsets(dex, {}, {9: []}) == [2]
