"""A small, bounds-checked DEX reader: the id tables, class definitions and code item locations.

Why not androguard's DEX class: it decodes every method and instruction up front; the scanner
only needs the reference tables (to find the ids of sensitive APIs) and the raw code units of the
few methods that reference them, so this reader decodes strings and class data on demand and keeps
the file as one bytes object. Every offset is checked; a corrupt file raises DexError (which the
scanner turns into an `incomplete` reason), never IndexError or struct.error.
"""
from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_right
from typing import NamedTuple

NO_INDEX = 0xFFFFFFFF
HEADER_SIZE = 0x70
_HDR = struct.Struct("<8s4s20s20I")


class DexError(Exception):
    """The DEX is truncated or inconsistent (message names the table or offset)."""


def _u32_array(data: bytes, off: int, n: int) -> array:
    a = array("I")
    a.frombytes(data[off:off + 4 * n])
    if sys.byteorder != "little":  # pragma: no cover
        a.byteswap()
    return a


ACC_NATIVE = 0x100


def read_uleb128(data: bytes, pos: int) -> tuple[int, int]:
    b = data[pos]
    if b < 0x80:
        return b, pos + 1
    result = b & 0x7F
    shift = 7
    pos += 1
    while True:
        b = data[pos]
        result |= (b & 0x7F) << shift
        pos += 1
        if b < 0x80:
            return result, pos
        shift += 7
        if shift > 35:
            raise DexError(f"bad uleb128 at offset {pos:#x}")


class ClassDef(NamedTuple):
    type_idx: int
    access: int
    super_idx: int
    interfaces_off: int
    class_data_off: int


def _decode_mutf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # MUTF-8: NUL as C0 80 and supplementary characters as surrogate pairs
        try:
            return raw.replace(b"\xc0\x80", b"\x00").decode("utf-8", errors="surrogatepass") \
                .encode("utf-16", "surrogatepass").decode("utf-16", errors="replace")
        except UnicodeError:                    # not MUTF-8 at all (a corrupt or hostile file): readable anyway
            return raw.decode("utf-8", errors="replace")


class Dex:
    """One DEX file. `name` says where it came from (e.g. `classes2.dex`, `assets/a.jar!classes.dex`)."""

    def __init__(self, data: bytes, name: str = "classes.dex"):
        self.name = name
        self.data = data
        n = len(data)
        if n < HEADER_SIZE:
            raise DexError(f"{name}: truncated: {n} bytes, a DEX header alone is {HEADER_SIZE}")
        magic = data[:8]
        if magic[:4] != b"dex\n" or magic[7] != 0:
            raise DexError(f"{name}: not a DEX file (magic {magic[:8]!r})")
        f = _HDR.unpack_from(data, 0)[3:]
        (file_size, header_size, endian, _link_size, _link_off, _map_off,
         self.n_strings, strings_off, self.n_types, types_off, self.n_protos, protos_off,
         self.n_fields, fields_off, self.n_methods, methods_off, self.n_classes, classes_off,
         _data_size, _data_off) = f
        if endian != 0x12345678:
            raise DexError(f"{name}: unsupported endian tag {endian:#x}")
        if file_size > n:
            raise DexError(f"{name}: truncated: header says {file_size} bytes, file has {n}")
        for what, off, count, size in (("string_ids", strings_off, self.n_strings, 4),
                                       ("type_ids", types_off, self.n_types, 4),
                                       ("proto_ids", protos_off, self.n_protos, 12),
                                       ("field_ids", fields_off, self.n_fields, 8),
                                       ("method_ids", methods_off, self.n_methods, 8),
                                       ("class_defs", classes_off, self.n_classes, 32)):
            if count and (off < header_size or off + count * size > n):
                raise DexError(f"{name}: {what} table ({count} entries at {off:#x}) lies outside the file")
        self._string_offs = _u32_array(data, strings_off, self.n_strings)
        self._type_str = _u32_array(data, types_off, self.n_types)
        self._protos_off = protos_off
        self._fields_off = fields_off
        self._methods_off = methods_off
        self._classes_off = classes_off
        self._strings: dict[int, str] = {}
        self._types: list[str] | None = None
        self._proto_desc: dict[int, str] = {}
        self._class_defs: list[ClassDef] | None = None
        self._code: dict[int, int] | None = None       # method_idx -> code_off
        self._code_starts: list[int] = []
        self._natives: list[int] = []        # method_idx of every `native` method (filled with the code index)
        self._code_methods: list[int] = []

    # --- strings and types -----------------------------------------------------------------
    def string(self, idx: int) -> str:
        s = self._strings.get(idx)
        if s is not None:
            return s
        if idx >= self.n_strings:
            raise DexError(f"{self.name}: string index {idx} out of range ({self.n_strings})")
        off = self._string_offs[idx]
        data = self.data
        try:
            _, p = read_uleb128(data, off)
            end = data.index(b"\x00", p)
        except (IndexError, ValueError):
            raise DexError(f"{self.name}: string {idx} at {off:#x} runs past the end of the file") from None
        s = _decode_mutf8(data[p:end])
        self._strings[idx] = s
        return s

    def string_raw(self, idx: int) -> bytes:
        """The string's bytes (MUTF-8) without caching: cheap comparisons during binary search."""
        off = self._string_offs[idx]
        _, p = read_uleb128(self.data, off)
        return self.data[p:self.data.index(b"\x00", p)]

    def find_string(self, value: str) -> int | None:
        """Index of `value` in the sorted string table (binary search), or None."""
        target = value.encode("utf-8")
        lo, hi = 0, self.n_strings
        try:
            while lo < hi:
                mid = (lo + hi) // 2
                raw = self.string_raw(mid)
                if raw < target:
                    lo = mid + 1
                elif raw > target:
                    hi = mid
                else:
                    return mid
        except (IndexError, ValueError):
            raise DexError(f"{self.name}: string table runs past the end of the file") from None
        return None

    @property
    def types(self) -> list[str]:
        """Every type descriptor (`Lcom/a/B;`), decoded once."""
        if self._types is None:
            string = self.string
            self._types = [string(i) for i in self._type_str]
        return self._types

    def type_name(self, idx: int) -> str:
        if idx >= self.n_types:
            raise DexError(f"{self.name}: type index {idx} out of range ({self.n_types})")
        return self.types[idx]

    # --- protos, fields, methods ---------------------------------------------------------------
    def proto(self, idx: int) -> str:
        """`(Ljava/lang/String;I)V` (no spaces, smali notation)."""
        d = self._proto_desc.get(idx)
        if d is not None:
            return d
        if idx >= self.n_protos:
            raise DexError(f"{self.name}: proto index {idx} out of range ({self.n_protos})")
        _shorty, ret, params_off = struct.unpack_from("<III", self.data, self._protos_off + 12 * idx)
        params = ""
        if params_off:
            if params_off + 4 > len(self.data):
                raise DexError(f"{self.name}: proto {idx} parameter list at {params_off:#x} outside the file")
            (size,) = struct.unpack_from("<I", self.data, params_off)
            if params_off + 4 + 2 * size > len(self.data):
                raise DexError(f"{self.name}: proto {idx} parameter list runs past the end of the file")
            idxs = struct.unpack_from(f"<{size}H", self.data, params_off + 4)
            params = "".join(self.type_name(i) for i in idxs)
        d = f"({params}){self.type_name(ret)}"
        self._proto_desc[idx] = d
        return d

    def method_ref(self, idx: int) -> tuple[int, int, int]:
        """(class type idx, proto idx, name string idx) of method_ids[idx]."""
        if idx >= self.n_methods:
            raise DexError(f"{self.name}: method index {idx} out of range ({self.n_methods})")
        return struct.unpack_from("<HHI", self.data, self._methods_off + 8 * idx)

    def field_ref(self, idx: int) -> tuple[int, int, int]:
        """(class type idx, type idx, name string idx) of field_ids[idx]."""
        if idx >= self.n_fields:
            raise DexError(f"{self.name}: field index {idx} out of range ({self.n_fields})")
        return struct.unpack_from("<HHI", self.data, self._fields_off + 8 * idx)

    def method_refs(self):
        """All method_ids as (class idx, proto idx, name idx) tuples."""
        return struct.iter_unpack("<HHI", self.data[self._methods_off:self._methods_off + 8 * self.n_methods])

    def field_refs(self):
        return struct.iter_unpack("<HHI", self.data[self._fields_off:self._fields_off + 8 * self.n_fields])

    def method_sig(self, idx: int) -> str:
        """Smali signature `Lcls;->name(args)ret`."""
        c, p, nm = self.method_ref(idx)
        return f"{self.type_name(c)}->{self.string(nm)}{self.proto(p)}"

    def field_sig(self, idx: int) -> str:
        c, t, nm = self.field_ref(idx)
        return f"{self.type_name(c)}->{self.string(nm)}:{self.type_name(t)}"

    # --- classes ------------------------------------------------------------------------------
    def class_defs(self) -> list[ClassDef]:
        if self._class_defs is None:
            raw = self.data[self._classes_off:self._classes_off + 32 * self.n_classes]
            self._class_defs = [ClassDef(c, a, s, i, d) for c, a, s, i, _src, _ann, d, _sv in struct.iter_unpack("<8I", raw)]
        return self._class_defs

    def interfaces(self, cd: ClassDef) -> list[int]:
        if not cd.interfaces_off:
            return []
        off = cd.interfaces_off
        if off + 4 > len(self.data):
            raise DexError(f"{self.name}: interface list at {off:#x} outside the file")
        (size,) = struct.unpack_from("<I", self.data, off)
        if off + 4 + 2 * size > len(self.data):
            raise DexError(f"{self.name}: interface list at {off:#x} runs past the end of the file")
        return list(struct.unpack_from(f"<{size}H", self.data, off + 4))

    def _load_code(self) -> None:
        """Walk every class_data_item once: method_idx -> code_off, plus a sorted index for owner lookup."""
        code: dict[int, int] = {}
        natives: list[int] = []
        self._natives = natives              # what was read stays listed when the class data breaks off
        data = self.data
        n = len(data)
        uleb = read_uleb128
        try:
            for cd in self.class_defs():
                off = cd.class_data_off
                if not off:
                    continue
                if off >= n:
                    raise DexError(f"{self.name}: class_data of {self.type_name(cd.type_idx)} at {off:#x} outside the file")
                if data[off] | data[off + 1] | data[off + 2] | data[off + 3] < 0x80:   # the usual: four one-byte counts
                    sf, inf, dm, vm = data[off], data[off + 1], data[off + 2], data[off + 3]
                    off += 4
                else:
                    sf, off = uleb(data, off)
                    inf, off = uleb(data, off)
                    dm, off = uleb(data, off)
                    vm, off = uleb(data, off)
                for _ in range(sf + inf):          # encoded_field: idx_diff, access_flags
                    while data[off] & 0x80:
                        off += 1
                    off += 1
                    while data[off] & 0x80:
                        off += 1
                    off += 1
                for count in (dm, vm):
                    midx = 0
                    for _ in range(count):          # encoded_method: idx_diff, access_flags, code_off
                        b = data[off]
                        if b < 0x80:
                            diff = b
                            off += 1
                        else:
                            diff, off = uleb(data, off)
                        b = data[off]
                        if b < 0x80:                # access_flags: ACC_NATIVE (0x100) needs the second byte
                            off += 1
                        else:
                            flags, off = uleb(data, off)
                            if flags & ACC_NATIVE:
                                natives.append(midx + diff)
                        b = data[off]
                        if b < 0x80:
                            code_off = b
                            off += 1
                        else:
                            code_off, off = uleb(data, off)
                        midx += diff
                        if code_off:
                            code[midx] = code_off
        except IndexError:
            raise DexError(f"{self.name}: class data runs past the end of the file") from None
        self._code = code
        pairs = sorted((off, m) for m, off in code.items())
        self._code_starts = [p[0] for p in pairs]
        self._code_methods = [p[1] for p in pairs]

    def native_method_indices(self) -> list[int]:
        """method_idx of every method declared `native`, in class-data order (read with the code index)."""
        if self._code is None:
            self._load_code()
        return self._natives

    @property
    def code_offsets(self) -> dict[int, int]:
        if self._code is None:
            self._load_code()
        return self._code  # type: ignore[return-value]

    def code_units(self, method_idx: int):
        """The method's instructions as 16-bit units (memoryview), or None for abstract/native methods."""
        off = self.code_offsets.get(method_idx)
        if off is None:
            return None
        return self.units_at(off)

    def units_at(self, code_off: int):
        if code_off + 16 > len(self.data):
            raise DexError(f"{self.name}: code item at {code_off:#x} outside the file")
        (insns,) = struct.unpack_from("<I", self.data, code_off + 12)
        start = code_off + 16
        end = start + 2 * insns
        if end > len(self.data):
            raise DexError(f"{self.name}: code item at {code_off:#x} runs past the end of the file")
        return memoryview(self.data)[start:end].cast("H")

    def owners(self, offsets: list[int]) -> dict[int, list[int]]:
        """method idx -> code-unit indexes, for sorted byte offsets (one merge pass, not a search each)."""
        if self._code is None:
            self._load_code()
        starts, methods, data = self._code_starts, self._code_methods, self.data
        out: dict[int, list[int]] = {}
        i, n = -1, len(starts)
        end = -1
        for x in offsets:
            while i + 1 < n and starts[i + 1] <= x:
                i += 1
                code_off = starts[i]
                (insns,) = struct.unpack_from("<I", data, code_off + 12)
                end = code_off + 16 + 2 * insns
            if i >= 0 and starts[i] + 16 <= x < end and (x - starts[i] - 16) % 2 == 0:
                out.setdefault(methods[i], []).append((x - starts[i] - 16) // 2)
        return out

    def owner_of(self, file_off: int) -> tuple[int, int] | None:
        """(method_idx, index of the code unit) whose instructions contain byte offset `file_off`."""
        if self._code is None:
            self._load_code()
        i = bisect_right(self._code_starts, file_off) - 1
        if i < 0:
            return None
        code_off = self._code_starts[i]
        (insns,) = struct.unpack_from("<I", self.data, code_off + 12)
        start = code_off + 16
        if start <= file_off < start + 2 * insns and (file_off - start) % 2 == 0:
            return self._code_methods[i], (file_off - start) // 2
        return None
