"""The manifest of an Android App Bundle (.aab): aapt2's protobuf XML (`XmlNode` of Resources.proto), turned
into an ElementTree like the one androguard gives for binary XML, so manifest_xml reads both the same way.

    XmlNode      1: element (XmlElement)   2: text
    XmlElement   1: namespace_declaration  2: namespace_uri  3: name  4: attribute (XmlAttribute)  5: child (XmlNode)
    XmlAttribute 1: namespace_uri  2: name  3: value (string)  5: resource_id  6: compiled_item (Item)
    Item         ... 7: prim (Primitive: 8 boolean_value, 6 int_decimal_value, ...)
"""
from __future__ import annotations

import xml.etree.ElementTree as ET


class ProtoXmlError(Exception):
    pass


def _fields(data: bytes):
    """(field number, wire type, value) of one message; value is int or bytes."""
    pos, n = 0, len(data)
    while pos < n:
        key, pos = _varint(data, pos)
        no, wt = key >> 3, key & 7
        if wt == 0:
            v, pos = _varint(data, pos)
        elif wt == 2:
            ln, pos = _varint(data, pos)
            if pos + ln > n:
                raise ProtoXmlError("length-delimited field runs past the end")
            v, pos = data[pos:pos + ln], pos + ln
        elif wt == 5:
            v, pos = data[pos:pos + 4], pos + 4
        elif wt == 1:
            v, pos = data[pos:pos + 8], pos + 8
        else:
            raise ProtoXmlError(f"unsupported wire type {wt}")
        yield no, wt, v


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    out, shift = 0, 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ProtoXmlError("truncated varint")
        b = data[pos]
        pos += 1
        out |= (b & 0x7F) << shift
        if b < 0x80:
            return out, pos
        shift += 7


def _prim_text(item: bytes) -> str | None:
    for no, wt, v in _fields(item):
        if no == 7 and wt == 2:                      # Primitive
            for pno, pwt, pv in _fields(v):
                if pno == 8 and pwt == 0:
                    return "true" if pv else "false"
                if pwt == 0:
                    return str(pv)
    return None


def _element(data: bytes, depth: int = 0) -> ET.Element:
    if depth > 64:
        raise ProtoXmlError("elements nested more than 64 deep")
    name, attrs, children = "", {}, []
    for no, wt, v in _fields(data):
        if wt != 2:
            continue
        if no == 3:
            name = v.decode("utf-8", "replace")
        elif no == 4:
            ns = an = val = ""
            compiled = None
            for ano, awt, av in _fields(v):
                if awt != 2:
                    continue
                if ano == 1:
                    ns = av.decode("utf-8", "replace")
                elif ano == 2:
                    an = av.decode("utf-8", "replace")
                elif ano == 3:
                    val = av.decode("utf-8", "replace")
                elif ano == 6:
                    compiled = av
            if not val and compiled is not None:
                val = _prim_text(compiled) or ""
            attrs[f"{{{ns}}}{an}" if ns else an] = val
        elif no == 5:
            for cno, cwt, cv in _fields(v):
                if cno == 1 and cwt == 2:
                    children.append(_element(cv, depth + 1))
    el = ET.Element(name, attrs)
    el.extend(children)
    return el


def parse_proto_xml(data: bytes) -> ET.Element:
    """The root element of an aapt2 protobuf XML document."""
    try:
        for no, wt, v in _fields(data):
            if no == 1 and wt == 2:
                return _element(v)
    except (ProtoXmlError, IndexError) as exc:
        raise ProtoXmlError(f"not aapt2 protobuf XML: {exc}") from None
    raise ProtoXmlError("not aapt2 protobuf XML: no root element")
