"""The app a policy is about, when the policy says: its name ("《XX隐私政策》", "XX App（以下简称…）", "the XX
app") and its package ("包名：com.example.app", a Google Play link). The name keeps the app out of its own SDK
list; the package fills `app.package` when `--package` is not given."""
from __future__ import annotations

import re

from .blocks import Document
from .sdkmatch import AliasIndex, norm

_PKG = r"([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*){1,8})"
_PACKAGE = (re.compile(r"(?:应用|App|APP|软件|客户端)?包名(?:称)?\s*(?:为|是)?\s*[：:]?\s*" + _PKG),
            re.compile(r"(?i)(?:package\s*name|application\s*id|applicationId|bundle\s*id)\s*(?:is)?\s*[:：]?\s*" + _PKG),
            re.compile(r"play\.google\.com/store/apps/details\?id=" + _PKG))
_POLICY = r"(?:隐私政策|隐私权政策|个人信息保护政策|隐私保护政策|隐私保护指引|隐私协议|用户隐私政策)"
_NAME = (re.compile(r"《\s*([^《》]{1,24}?)\s*(?:App|APP|应用|客户端|软件)?\s*" + _POLICY + r"\s*》"),
         re.compile(r"^\s*([^\s，,。《》:：]{1,24}?)\s*(?:App|APP|应用|客户端|软件)?\s*" + _POLICY + r"\s*$"),
         re.compile(r"([^\s，,。《》“”:：（(]{2,20}?)\s*(?:App|APP|客户端|应用程序|软件)\s*[（(]\s*以下简称"),
         re.compile(r"^\s*(?:The\s+)?([A-Z][\w&.' -]{0,40}?)\s+(?:App\s+|Mobile\s+App\s+)?Privacy\s+(?:Policy|Notice)\s*$"),
         re.compile(r"\b(?:the|our)\s+([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})\s+(?:mobile\s+)?app(?:lication)?\b"))
_GENERIC_NAME = re.compile(r"^(?:本|我们的?|该|此|平台|产品|服务|隐私|用户|个人信息|第三方|Privacy|Our|This|The|Mobile|"
                           r"Android|iOS|[\d.]+)$", re.I)


def app_identity(doc: Document, idx: AliasIndex) -> tuple[str, int, str, int]:
    """(name, line, package, line) as the policy states them; empty when it does not."""
    name, name_line, pkg, pkg_line = "", 0, "", 0
    for b in doc.blocks[:400]:
        if b.kind == "code":
            continue
        if not pkg and b.kind != "row" and not re.search(r"(?i)SDK|第三方|third", b.text):
            for rx in _PACKAGE:
                m = rx.search(b.text)
                if m and not idx.catalogue.match_prefix(m.group(1) + ".X") and not m.group(1).startswith("android."):
                    pkg, pkg_line = m.group(1), b.line
                    break
        if not name and b.kind != "row":
            for rx in _NAME:
                m = rx.search(b.text)
                if m:
                    cand = m.group(1).strip(" “”\"'《》")
                    if cand and not _GENERIC_NAME.match(cand) and not idx.by_name(cand) and len(norm(cand)) >= 2:
                        name, name_line = cand, b.line
                        break
        if name and pkg:
            break
    return name, name_line, pkg, pkg_line
