"""Tables: SDK tables (any column order, merged cells, several names in one cell), label | value tables,
permission tables, header-less SDK lists ("Google | play-services-auth"), and data-field tables that belong
to the entry above them ("字段 | 说明" under a push SDK: its data, never 23 SDK rows)."""
from __future__ import annotations

import re

from .datatext import is_none, platform_only
from .blocks import Block
from .names import COMPANY, SDK_WORD, is_data_term, name_shaped, packages_in, paren_groups
from .permtext import PERM_RX
from .records import SdkRecord
from .sink import Ctx, Sink
from .terms import field_of

_SDK_LIST = re.compile(r"SDK|插件|组件|第三方.{0,12}(清单|列表|目录|一览)|third[- ]part(y|ies).{0,20}(list|services|sdk)", re.I)


def set_field(rec: SdkRecord, fld: str, value: str) -> None:
    value = value.strip()
    if not value:
        return
    if fld == "name" and COMPANY.search(value) and not SDK_WORD.search(value):
        fld = "vendor"          # "第三方名称：深圳市腾讯计算机系统有限公司" names the company
    if fld == "name":
        rec.name = rec.name or value
    elif fld == "vendor":
        rec.vendor = rec.vendor or value
    elif fld == "purpose":
        rec.add("purpose", value)
    elif fld in ("data", "android"):
        if is_none(value):
            rec.data_none = True
        rec.add("data", value)
    elif fld == "packages":
        rec.packages += [p for p in (packages_in(value) or [value]) if p not in rec.packages]
    elif fld == "permissions":
        rec.add("permissions_text", value)


def read_table(sink: Sink, rows: list[Block], ctx: Ctx, entry: SdkRecord | None = None) -> Ctx:
    """Reads one table; returns the context after it (a caption row can open an SDK list)."""
    # a caption row spanning the table ("第三方SDK列表" with colspan) is not the header
    while len(rows) > 1 and len({c for c in rows[0].cells if c}) <= 1 and len({c for c in rows[1].cells if c}) >= 2:
        cap = rows[0].text.split(" | ")[0]
        if cap:
            ctx = Ctx(cap[:60], ctx.sdk or bool(_SDK_LIST.search(cap)), ctx.perm or bool(re.search(r"权限|permission", cap,
                                                                                                    re.I)))
        sink.use(rows[0])
        rows = rows[1:]
    header = rows[0].cells
    fields = [field_of(c) for c in header]
    named = [f for f in fields if f]
    pairs = [r for r in rows if len([c for c in r.cells if c]) == 2]
    firsts = [field_of([c for c in r.cells if c][0]) for r in pairs]
    if len([f for f in firsts if f]) >= max(2, int(len(rows) * 0.6)) and len(set(firsts) - {None}) >= 2:
        _vertical_table(sink, rows, ctx, entry)
        return ctx
    if len(named) >= 2 and ("name" in named or "vendor" in named) and \
            not ("permissions" in named and "name" not in named and "vendor" not in named):
        sink.use(rows[0])
        _sdk_table(sink, rows[1:], fields, ctx)
        return ctx
    if "permissions" in named or any(PERM_RX.search(r.text) for r in rows):
        _permission_table(sink, rows, fields if len(named) >= 2 else None)
        sink.use(*rows)
        return ctx
    data_cols = "data" in named and not ({"name", "vendor"} & set(named))
    if entry is not None and (data_cols or sum(is_data_term(r.cells[0]) for r in rows if r.cells) * 2 >= len(rows)):
        # the data fields of the entry above ("系统语言 | …", "时区 | …")
        entry.add("data", "、".join(c for r in rows[1 if data_cols else 0:] for c in r.cells[:1] if c))
        entry.add("data", "；".join(" ".join(c for c in r.cells[1:] if c) for r in rows), " ")
        sink.use(*rows)
        return ctx
    if ctx.sdk:
        for r in rows:
            _headerless_row(sink, r, ctx)
        return ctx
    # no header: rows whose first cell is a known SDK name
    for r in rows:
        if r.cells and name_shaped(r.cells[0]) and len(r.cells[0]) <= 30 and sink.idx.by_name(r.cells[0]):
            rec = SdkRecord(r.line, "table", name=r.cells[0], section=ctx.section)
            rec.data = " ".join(r.cells[1:])
            rec.purpose = rec.data[:80]
            sink.add_record(rec, r)
        sink.text_permissions(r, ctx)
    return ctx


def _vertical_table(sink: Sink, rows: list[Block], ctx: Ctx, entry: SdkRecord | None) -> None:
    """Label | value rows, one record per name label (several SDKs may follow in one table)."""
    rec: SdkRecord | None = None
    blocks: list[Block] = []

    def close():
        if rec is not None and not rec.empty():
            sink.add_record(rec, *blocks)
        elif rec is not None and ctx.sdk:
            for b in blocks:
                sink.candidate(b, "a label | value table without an SDK name")

    for r in rows:
        cells = [c for c in r.cells if c]
        if ctx.sdk:
            sink.candidate(r, "")
        if len(cells) < 2:
            continue
        f = field_of(cells[0])
        if not f or f == "meta":
            sink.use(r)
            continue
        if f == "name" and rec is not None and rec.name:
            close()
            rec, blocks = None, []
        if rec is None:
            if entry is not None and f != "name":
                set_field(entry, f, " ".join(cells[1:]).replace("\n", "、"))
                sink.use(r)
                continue
            rec, blocks = SdkRecord(r.line, "table", section=ctx.section), []
        set_field(rec, f, " ".join(cells[1:]).replace("\n", "、"))
        blocks.append(r)
        if f not in ("name", "vendor", "link", "packages", "other_platform"):
            sink.text_permissions(Block(r.line, cells[1]), ctx)
    close()


def _sdk_table(sink: Sink, rows: list[Block], fields: list[str | None], ctx: Ctx) -> None:
    """One record per row. An empty name cell continues the SDK above (a merged cell); an empty
    vendor or purpose cell repeats the one above; several names in one cell are several SDKs."""
    prev: list[SdkRecord] = []
    prev_cells: dict[str, str] = {}
    idx = sink.idx
    for r in rows:
        sink.candidate(r, "")
        cells = r.cells + [""] * (len(fields) - len(r.cells))
        if all(not c for c in cells):
            sink.use(r)
            continue
        if len(fields) > 2 and len({c for c in cells if c}) == 1 and sum(1 for c in cells if c) == len(fields):
            # one cell spanning the whole table: a note ("iOS端：…"), not an SDK
            sink.candidate(r, "a note spanning the table, no SDK row")
            sink.text_permissions(Block(r.line, cells[0]), ctx)
            continue
        plat = platform_only(" ".join(c for f, c in zip(fields, cells) if f in ("name", "vendor", "purpose", None)))
        if plat:
            sink.skipped.append((r.line, f"{'iOS' if plat == 'ios' else 'HarmonyOS'}-only, no Android row: {r.text[:80]}"))
            sink.candidate(r, f"{'iOS' if plat == 'ios' else 'HarmonyOS'} only")
            continue
        base = SdkRecord(r.line, "table", section=ctx.section)
        names: list[str] = []
        row_cells: dict[str, str] = {}
        for f, c in zip(fields, cells):
            if not f or not c or f in ("meta", "other_platform", "link"):
                continue
            row_cells.setdefault(f, c)
            if f == "name":
                names.append(c)
            elif f in ("data", "purpose", "permissions", "android"):
                set_field(base, f, c.replace("\n", "、"))
            else:
                set_field(base, f, c.replace("\n", " "))
        unknown = [c for f, c in zip(fields, cells) if f is None and c]
        if unknown and not base.data:
            base.data = "；".join(unknown)
        if not names and prev:
            # merged name cell: more purposes/data of the SDK(s) above
            for rec in prev:
                for f in ("purpose", "data", "permissions_text"):
                    rec.add(f, getattr(base, f))
                rec.packages += [p for p in base.packages if p not in rec.packages]
            sink.use(r)
            continue
        if not base.vendor and "vendor" in fields and prev_cells.get("vendor") and \
                (not base.purpose or _same_vendor(sink, prev, names)):
            # an empty vendor cell continues the one above when the row is of the same group
            base.vendor = prev_cells["vendor"].replace("\n", " ")
            row_cells["vendor"] = prev_cells["vendor"]
        if not base.purpose and "purpose" in fields and prev_cells.get("purpose"):
            base.purpose = prev_cells["purpose"].replace("\n", "、")
            row_cells["purpose"] = prev_cells["purpose"]
        prev_cells = row_cells
        if len(names) > 1 and COMPANY.search(names[0]) and not COMPANY.search(names[1]):
            # "第三方名称 | SDK名称": the first name column is the company
            base.vendor = base.vendor or names[0].replace("\n", " ")
            names = names[1:]
        name_cell = names[0] if names else ""
        parts = [p.strip() for p in re.split(r"\n|、|/(?=\S)", name_cell) if p.strip()] if name_cell else []
        mapped = [p for p in parts if idx.by_name(p)]
        prev = []
        if len(parts) > 1 and len(mapped) >= 2 and len(mapped) >= len(parts) - 1:
            for p in parts:
                rec = SdkRecord(r.line, "table", name=p, vendor=base.vendor, purpose=base.purpose, data=base.data,
                                packages=list(base.packages), permissions_text=base.permissions_text,
                                section=ctx.section, data_none=base.data_none)
                if sink.add_record(rec, r):
                    prev.append(rec)
        else:
            name, parens = paren_groups(name_cell.replace("\n", " "))
            base.name = name if name and idx.by_name(name) else name_cell.replace("\n", " ")
            for p in parens if base.name == name else ():
                if COMPANY.search(p) and not base.vendor:
                    base.vendor = p         # "友盟+（友盟同欣（北京）科技有限公司）"
            if sink.add_record(base, r):
                prev = [base]
        if base.permissions_text:
            sink.permissions(base.permissions_text, r.line,
                             f"{(names[0] if names else base.vendor)}: {base.purpose}".strip(": "), table_row=True)


def _same_vendor(sink: Sink, prev: list[SdkRecord], names: list[str]) -> bool:
    idx = sink.idx
    here = [idx.by_name(n) for n in names[:1]]
    there = [idx.by_name(r.name) for r in prev[:1]]
    if not (here and there and here[0] and there[0]):
        return False
    return idx.catalogue.sdks[here[0].sdk_id].vendor == idx.catalogue.sdks[there[0].sdk_id].vendor


def _headerless_row(sink: Sink, r: Block, ctx: Ctx) -> None:
    """A row of an SDK list without a header: the cell that names an SDK (by name, Maven artifact or
    package) is the name, a company-shaped cell the vendor, data terms the data, the rest the purpose."""
    idx = sink.idx
    cells = [c for c in r.cells if c]
    if not cells:
        sink.use(r)
        return
    sink.candidate(r, "")
    name = next((c for c in cells if idx.by_name(c) or idx.by_artifact(c)), "")
    pkgs = [p for c in cells for p in packages_in(c)]
    if not name:
        name = next((c for c in cells if name_shaped(c) and not COMPANY.search(c) and not is_data_term(c)
                     and not packages_in(c)), "")
    mt = (idx.by_name(name) or idx.by_artifact(name)) if name else None
    own = idx.vendor_words.get(mt.sdk_id, set()) if mt else set()
    vendor = next((c for c in cells if c != name and (COMPANY.search(c) or idx.by_vendor(c) or own and
                                                      set(re.findall(r"[a-z0-9]+", c.lower())) <= own)), "")
    rest = [c for c in cells if c not in (name, vendor) and not packages_in(c)]
    data = [c for c in rest if is_data_term(c) or is_none(c)]
    purpose = [c for c in rest if c not in data]
    known = bool(idx.by_name(name) or idx.by_artifact(name)) if name else False
    if not name or not (known or pkgs or vendor or SDK_WORD.search(name)):
        sink.candidate(r, "no SDK name recognised in the row")
        return
    coord = re.fullmatch(r"([\w.]+:[\w.\-]+):[\w.\-+]+", name)
    rec = SdkRecord(r.line, "table", name=coord.group(1) if coord else name, vendor=vendor,
                    purpose="；".join(purpose)[:120], data="；".join(data),
                    packages=pkgs, section=ctx.section, data_none=any(is_none(c) for c in data))
    am = idx.by_artifact(name)
    if am is not None:
        rec.match = am
    sink.add_record(rec, r)


def _permission_table(sink: Sink, rows: list[Block], fields) -> None:
    body = rows[1:] if fields else rows
    for r in body:
        purpose_cells, perm_cells, when_cells = [], [], []
        if fields:
            for f, c in zip(fields, r.cells):
                if f == "permissions" and not perm_cells:
                    perm_cells.append(c)
                elif f in ("purpose", "data", "permissions", "name"):
                    purpose_cells.append(c)
                elif f == "when":
                    when_cells.append(c)
        else:
            perm_cells = r.cells[:1]
            purpose_cells = r.cells[1:]
        purpose = "；".join(c.replace("\n", " ") for c in purpose_cells if c)[:160]
        skipped = len(sink.skipped)
        n = sink.permissions(" ".join(perm_cells) or r.text, r.line, purpose, table_row=True,
                             when_text=" ".join(when_cells + purpose_cells))
        if not n and len(sink.skipped) == skipped:
            sink.permissions(r.text, r.line, purpose, table_row=True)
