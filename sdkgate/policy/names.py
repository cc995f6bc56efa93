"""What an SDK list entry's first line holds: a name, then its purpose or data ("Google AdMob - for ads",
"2.1 “极光推送”", "友盟SDK（友盟同欣（北京）科技有限公司）：统计"), and what a name is not: a group label
("推送类", "Analytics"), a data field ("系统语言", "OAID"), a sentence, code, a clause number."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .terms import CATEGORY_PHRASES, DATA_FIELDS, GENERIC_PHRASES, KIND_WORDS

SDK_WORD = re.compile(r"(?<![A-Za-z])(?:SDKs?|Kit|Library|Libraries)(?![A-Za-z])|插件|组件|开发包|工具包|库", re.I)
COMPANY = re.compile(r"(有限|股份|集团|责任)?公司$|公司[（(]|\b(Inc|Ltd|LLC|GmbH|Co|Corp|Corporation|Limited|S\.?A|B\.?V|"
                     r"Pte|PLC|AG|AB|Oy)\.?$", re.I)
NOT_SDK = re.compile(r"合作方|合作伙伴|广告主|广告商|广告平台|运营商|系统服务|操作系统|关联公司|关联方|服务商|供应商|物流|快递|"
                     r"银行|政府|司法|机关|监管|律师|审计|partner|advertiser|carrier|affiliate|vendor of|authorities",
                     re.I)
_NUMBERING = re.compile(r"^\s*(?:[（(]\s*[\d一二三四五六七八九十]{1,3}(?:\.\d{1,3})*\s*[)）]|\d{1,3}(?:\.\d{1,3})+\.?(?!\d)|"
                        r"\d{1,3}\s*[.、．)）](?!\d)|[①-⑳]|[一二三四五六七八九十]{1,3}\s*[、.．]|第[一二三四五六七八九十\d]{1,3}[条章节])\s*")
_QUOTED = re.compile(r"^[“\"「『《【]([^“”\"」』》【】]{1,60})[”\"」』》】]\s*")
_OPEN, _CLOSE = "（([【", "）)]】"
_SENTENCE_START = re.compile(r"^(?:We|You|If|When|Our|This|These|To|For example|In|By|Please|It|They)\b|"
                             r"^(?:我们|您|你|如果|若|当|为了|根据|此外|其中|另外|通过|请|本政策|本应用|本App)", re.I)
_CODE_CHARS = re.compile(r"[{}<>`;=$]|//|\w\(|https?:|www\.")
_PKG_RX = re.compile(r"\b([a-z][a-z0-9_]*(?:\.[a-z0-9_]+){1,8})\b")


def strip_number(text: str) -> str:
    """A clause number or list marker off the front ("2.1 “极光推送”", "（8.2）…", "①…"), repeatedly."""
    t = text.strip()
    for _ in range(3):
        m = _NUMBERING.match(t)
        if not m or m.end() == 0:
            break
        t = t[m.end():].strip()
    return t


@dataclass
class Head:
    name: str
    rest: str = ""                  # what follows the name: purpose and data as written
    parens: list[str] = field(default_factory=list)   # bracketed parts of the name (vendor, alias, platform, data)


def paren_groups(text: str) -> tuple[str, list[str]]:
    """Top-level bracketed groups out of a name (one linear pass; nesting kept inside a group)."""
    out, groups, depth, cur = [], [], 0, []
    for ch in text:
        if ch in _OPEN:
            if depth:
                cur.append(ch)
            depth += 1
            continue
        if ch in _CLOSE and depth:
            depth -= 1
            if depth:
                cur.append(ch)
            else:
                groups.append("".join(cur).strip())
                cur = []
            continue
        (cur if depth else out).append(ch)
    if depth and cur:
        out.append("".join(cur))        # an unclosed bracket: its text stays in the name
    return "".join(out).strip(), [g for g in groups if g]


_SEPARATORS = (re.compile(r"[：:](?!//)"), re.compile(r"\s[-–—]{1,2}\s|——|－|\s[|｜]\s"), re.compile(r"[，,；;。]"))


def split_head(text: str) -> Head:
    t = strip_number(text).strip(" *#>\t")
    m = _QUOTED.match(t)
    if m:
        name, rest, parens = m.group(1), t[m.end():], []
        if rest[:1] in _OPEN:                       # “极光推送”（JPush）：…
            depth = 0
            for k, ch in enumerate(rest[:200]):
                depth += ch in _OPEN
                depth -= ch in _CLOSE
                if depth == 0:
                    parens, rest = [rest[1:k].strip()], rest[k + 1:]
                    break
        return Head(clean_name(name), rest.lstrip(" ：:-–—,，;；").strip(), [p for p in parens if p])
    cut = None
    for rx in _SEPARATORS:
        # the first separator outside brackets, within the first 80 characters
        depth = 0
        for k, ch in enumerate(t[:80]):
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
            elif depth == 0:
                mm = rx.match(t, k)
                if mm and k > 0:
                    cut = (k, mm.end())
                    break
        if cut:
            break
    name_part, rest = (t[:cut[0]], t[cut[1]:]) if cut else (t, "")
    name, parens = paren_groups(name_part)
    return Head(clean_name(name), rest.strip(), parens)


def clean_name(name: str) -> str:
    n = re.sub(r"^[“\"「『《【]+|[”\"」』》】]+$", "", name.strip())
    n = re.sub(r"^(?:第三方)?(?:SDK|sdk)?\s*(?:名称|名字)\s*[：:]?", "", n).strip()
    return n.strip(" ：:-–—,，;；.。*").strip()


# -- what a name is not -------------------------------------------------------------------------------
_GROUP_ZH = ("安全", "风控", "风险", "反作弊", "反欺诈", "验证", "认证", "实名", "识别", "音视频", "直播", "客服", "性能", "监控",
             "社交", "归因", "热修复", "更新", "升级", "下载", "存储", "图片", "视频", "音频", "播放", "语音", "翻译", "搜索",
             "推荐", "营销", "运营", "游戏", "联运", "小程序", "办公", "文档", "日志", "埋点", "网络", "通信", "云", "工具类",
             "第三方", "合作方", "服务商", "供应商", "提供方", "提供商", "服务", "平台", "类别", "类", "相关", "功能", "其他", "其它",
             "以下", "如下", "列表", "清单", "目录", "一览", "说明", "信息", "我们", "接入", "集成", "使用", "嵌入", "所", "的", "和",
             "与", "及", "或", "等", "安卓", "苹果", "鸿蒙", "端", "版本", "版", "客户端", "应用", "软件", "开发", "工具", "包",
             "插件", "组件", "库", "厂商", "手机", "通道", "系统", "基础", "数据", "其他", "共享", "对接", "合作", "业务", "场景",
             "用途", "目的", "名称", "主体", "公司", "机构", "个人", "涉及", "SDK", "APP", "App")
_GROUP_EN = ("name", "names", "third", "party", "parties", "partner", "partners", "provider", "providers", "vendor", "vendors", "service",
             "services", "sdk", "sdks", "library", "libraries", "tool", "tools", "plugin", "plugins", "component",
             "components", "list", "other", "others", "we", "use", "used", "our", "the", "and", "or", "of", "for",
             "android", "ios", "category", "categories", "type", "types", "app", "apps", "testing", "reporting",
             "report", "reports", "monitoring", "performance", "measurement", "attribution", "marketing", "data",
             "basic", "system", "security", "risk", "fraud", "anti", "verification", "identity", "media", "video",
             "audio", "image", "images", "storage", "cloud", "networking", "communication", "communications",
             "messaging", "chat", "customer", "support", "deep", "linking", "links", "link", "utilities", "utility",
             "development", "infrastructure", "hosting", "backend", "database", "email", "sign", "in", "login",
             "authentication", "payments", "payment", "maps", "map", "location", "social", "sharing", "share",
             "analytics", "advertising", "ads", "ad", "push", "notification", "notifications", "crash", "crashes",
             "a", "b", "remote", "config", "configuration", "mobile", "integrated", "integrations", "functionality")


@lru_cache(maxsize=1)
def _group_rx() -> tuple[re.Pattern, re.Pattern]:
    zh = sorted(set(_GROUP_ZH) | {w for ws in KIND_WORDS.values() for w in ws if not w.isascii()}, key=len, reverse=True)
    en = sorted(set(_GROUP_EN) | {w.lower() for ws in KIND_WORDS.values() for w in ws if w.isascii()}, key=len,
                reverse=True)
    return (re.compile("|".join(re.escape(w) for w in zh), re.I),
            re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(w) for w in en) + r")(?![a-z])", re.I))


def is_group_label(name: str) -> bool:
    """"推送类", "统计分析类SDK", "Analytics", "Third-party services": words that group SDKs, naming none."""
    zh, en = _group_rx()
    t = en.sub(" ", zh.sub(" ", name))
    return not re.sub(r"[\W\d_]+", "", t)


@lru_cache(maxsize=1)
def _data_terms() -> frozenset[str]:
    words = set(DATA_FIELDS)
    for ps in list(CATEGORY_PHRASES.values()) + list(GENERIC_PHRASES.values()):
        words.update(ps)
    return frozenset(_norm_term(w) for w in words)


def _norm_term(t: str) -> str:
    return re.sub(r"[\s_\-·]+", "", t.lower())


_TERM_SUFFIX = re.compile(r"(?:信息|数据|等信息|等数据|等|information|info|data|details)$", re.I)


def is_data_term(text: str) -> bool:
    """A data field or a list of them ("系统语言", "IMEI、OAID", "time zone"), never an SDK's name."""
    t = re.sub(r"[（(][^（()）]*[)）]", "", text).strip(" 。.;；:：")
    parts = [p for p in re.split(r"[、,，/／;；]|\s+(?:and|or)\s+|及|和|与|或", t) if p.strip()]
    if not parts:
        return False
    terms = _data_terms()
    for p in parts:
        n = _norm_term(p)
        if n in terms:
            continue
        n2 = _norm_term(_TERM_SUFFIX.sub("", p.strip()))
        if not n2 or n2 not in terms:
            return False
    return True


_SENTENCE_WORDS = re.compile(r"(?<![A-Za-z])(?:we|you|our|your|may|will|can|could|would|is|are|was|be|been|which|that|"
                             r"later|if|when|these|those|listed|here)(?![A-Za-z])|我们|您|可能|以及|如果|用于|进行|以下|如下",
                             re.I)


def name_shaped(name: str) -> bool:
    """Short, a word or a few, no sentence, no code, no URL: what an SDK's name looks like."""
    n = name.strip()
    if not n or len(n) > 60 or not re.search(r"[A-Za-z\u4e00-\u9fff]", n):
        return False
    if _CODE_CHARS.search(n) or re.search(r"[。！？!?]", n) or _SENTENCE_START.search(n) or _SENTENCE_WORDS.search(n):
        return False
    return len(n.split()) <= 8


def first_clause(text: str, limit: int = 80) -> str:
    """The text up to the first clause break outside brackets: a row's purpose when its line runs on."""
    depth = 0
    for k, ch in enumerate(text[:limit]):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "，,；;。":
            return text[:k].strip()
    return text[:limit].strip()


def packages_in(text: str) -> list[str]:
    out = []
    for m in _PKG_RX.finditer(text):
        p = m.group(1)
        if p.count(".") >= 1 and p.split(".")[0] in ("com", "cn", "net", "org", "io", "tv", "me", "okhttp3", "retrofit2",
                                                      "de", "bolts", "dalvik") or p.count(".") >= 2:
            if re.search(r"\.(com|cn|net|html?|org|io)$", p) and p.split(".")[0] not in ("com", "cn"):
                continue
            if "permission" in p or p.endswith((".com", ".cn", ".net")):
                continue
            out.append(p)
    return out
