"""What the shape readers (tables, entries, prose) share while they walk a policy: the records and permissions
found, the comments, and the accounting of every entry under an SDK-list heading (a row, or "not parsed")."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Block
from .names import SDK_WORD
from .permtext import PermissionFind, permissions_in, strip_mark, when_of
from .records import SdkRecord, Unparsed
from .sdkmatch import AliasIndex, norm


@dataclass(frozen=True)
class Ctx:
    section: str = ""               # the nearest heading's text (a purpose when a row states none)
    sdk: bool = False               # under a heading or lead-in that introduces an SDK list
    perm: bool = False              # under a heading about permissions


@dataclass
class Sink:
    idx: AliasIndex
    records: list[SdkRecord] = field(default_factory=list)
    perms: list[PermissionFind] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    used: set[int] = field(default_factory=set)                    # id() of blocks that are part of a row
    candidates: dict[int, tuple[Block, str]] = field(default_factory=dict)   # entries to account for -> why not a row
    app_names: list[str] = field(default_factory=list)
    label_finds: list[PermissionFind] = field(default_factory=list)

    # -- accounting ---------------------------------------------------------------------------------
    def use(self, *blocks: Block) -> None:
        for b in blocks:
            if b is not None:
                self.used.add(id(b))

    def candidate(self, b: Block, why: str) -> None:
        """An entry under an SDK-list heading: it must end as (part of) a row or a `not parsed` line."""
        if id(b) not in self.candidates or why:
            self.candidates[id(b)] = (b, why)

    def unparsed(self) -> list[Unparsed]:
        out = []
        for b, why in self.candidates.values():
            if id(b) not in self.used:
                out.append(Unparsed(b.line, b.shown[:200], why or "no SDK name recognised"))
        return sorted(out, key=lambda u: (u.line, u.text))

    # -- rows -----------------------------------------------------------------------------------------
    def is_app(self, name: str) -> bool:
        """The app itself named where an SDK would be ("智联招聘" in its own policy's list)."""
        n = app_key(name)
        return bool(n) and n in self.app_names and not SDK_WORD.search(name)


    def add_record(self, rec: SdkRecord, *blocks: Block) -> bool:
        if rec.empty():
            return False
        if self.is_app(rec.name or rec.vendor):
            for b in blocks:
                if id(b) in self.candidates:
                    self.candidate(b, "the app itself, not a third-party SDK")
            self.skipped.append((rec.line, f"the app itself, no SDK row: {rec.name or rec.vendor}"))
            return False
        rec.blocks = list(blocks)
        self.records.append(rec)
        self.use(*blocks)
        return True

    # -- permissions ----------------------------------------------------------------------------------
    def permissions(self, text: str, line: int, purpose: str | None, **kw) -> int:
        fs, sk = permissions_in(text, line, purpose, **kw)
        self.perms += fs
        self.skipped += sk
        return len(fs)

    def text_permissions(self, b: Block, ctx: Ctx) -> int:
        """Permissions a line names. Under a heading about permissions a bare label counts ("存储",
        "查看WLAN状态"), and only the label part of "label：why" names the permission."""
        in_perm = ctx.perm and len(b.text) <= 80
        text = b.text
        label = re.split(r"[：:]", strip_mark(text), maxsplit=1)
        if in_perm and len(label) == 2 and len(label[0]) <= 30:
            fs, sk = permissions_in(label[0], b.line, label[1].strip()[:100] or ctx.section or None, table_row=True,
                                    when_text=label[1])
            if not fs:
                fs, sk = permissions_in(text, b.line, ctx.section or None)
        else:
            fs, sk = permissions_in(text, b.line, ctx.section or None, table_row=in_perm)
        if not fs and self.label_finds:
            # "查看WLAN状态" then "用于判断网络环境，App启动时申请。": the line after a label explains it
            for f in self.label_finds:
                f.purpose = strip_mark(text)[:100]
                f.when = f.when or when_of(text)
            self.label_finds = []
        else:
            # a bare label ("查看WLAN状态") waits for the line that explains it; "label：why" explains itself
            self.label_finds = fs if in_perm and len(text) <= 30 and len(label) < 2 else []
        self.perms += fs
        self.skipped += sk
        return len(fs)


def app_key(name: str) -> str:
    """An app's name without "App" / "客户端" / "Android" after it, comparable."""
    return norm(re.sub(r"(?i)\s*(?:app|application|android|客户端|应用|软件)\s*$", "", name.strip()))
