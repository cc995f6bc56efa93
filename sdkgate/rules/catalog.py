"""Rule ids (a contract: users gate and suppress on them), default severity, titles and clauses."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    en: str
    zh: str
    clause: str


# Neutral defaults: the law and the regulator's practice. The clauses of an app's own policy come from its
# manifest (`clauses:`, rule id -> policy clause and the law it cites), see `clause_for`.
_PIPL_CONSENT = "PIPL Art. 13-14; App认定方法 (2019) 三.1"
RULES: dict[str, Rule] = {r.id: r for r in [
    Rule("SG101", "violation", "Third-party SDK read a gated category before consent",
         "第三方 SDK 在用户同意前读取了受保护的个人信息", _PIPL_CONSENT + "; PIPL Art. 23"),
    Rule("SG102", "violation", "First-party code read a gated category before consent",
         "应用自身代码在用户同意前读取了受保护的个人信息", _PIPL_CONSENT),
    Rule("SG103", "violation", "Read after consent was declined (browse mode) or withdrawn",
         "用户拒绝（浏览模式）或撤回同意后仍读取个人信息", "PIPL Art. 15-16"),
    Rule("SG104", "violation", "Over-frequent read of personal data",
         "过度频繁读取个人信息", "App认定方法 (2019) 四; GB/T 35273-2020 5.2"),
    Rule("SG105", "violation", "SDK bound to a feature read personal data before that feature was used",
         "与特定功能绑定的 SDK 在该功能被使用前读取个人信息", "PIPL Art. 6 (minimum necessary)"),
    Rule("SG106", "violation", "The app recorded a consent the user did not give",
         "应用记录了用户未作出的同意", _PIPL_CONSENT + "; PIPL Art. 14 (consent given voluntarily and explicitly)"),
    Rule("SG201", "violation", "SDK present but not on the declared third-party SDK list",
         "存在未在第三方 SDK 共享清单中声明的 SDK", "PIPL Art. 17, 23"),
    Rule("SG202", "violation", "SDK handles a data category its declared row does not list",
         "SDK 处理了其声明中未列出的个人信息类型", "PIPL Art. 6, 17"),
    Rule("SG203", "info", "Declared SDK not found", "声明的 SDK 未被发现", "PIPL Art. 17"),
    Rule("SG204", "warning", "SDK code runs at process start (ContentProvider, startup initializer, receiver)",
         "SDK 代码在进程启动时自动运行", _PIPL_CONSENT),
    Rule("SG205", "violation", "A path from a process entry point reaches an SDK init or sensitive API with no consent check",
         "存在未经同意检查即从进程入口到达 SDK 初始化或敏感 API 的调用路径", _PIPL_CONSENT),
    Rule("SG206", "warning", "A content-provider query whose URI the static scan cannot resolve (what it reads is unknown)",
         "内容提供者查询的 URI 无法静态解析（读取内容未知）", "sdkgate static scan"),
    Rule("SG301", "violation", "Permission used but not in the declared permission table",
         "使用了权限清单之外的权限", "PIPL Art. 17; GB/T 35273-2020 5.3"),
    Rule("SG302", "violation", "Permission requested before consent", "在用户同意前申请权限",
         "App认定方法 (2019) 三"),
    Rule("SG303", "violation", "Permission re-requested within 48 hours of a denial",
         "用户拒绝后 48 小时内再次申请权限", "工信部 App 检测要求 (48 小时)"),
    Rule("SG304", "violation", "Permission requested at start though the table says on feature",
         "权限清单规定使用功能时申请，但应用在启动时申请", "App认定方法 (2019) 三; GB/T 35273-2020 5.3"),
    Rule("SG401", "violation", "Personal data sent before consent", "在用户同意前发送个人信息", _PIPL_CONSENT),
    Rule("SG402", "violation", "A never-transmit category (e.g. clipboard) was seen in traffic",
         "承诺不上传的信息（如剪切板）出现在网络流量中", "PIPL Art. 6-7"),
    Rule("SG403", "violation", "Personal data over cleartext HTTP", "通过明文 HTTP 传输个人信息",
         "PIPL Art. 51"),
    Rule("SG404", "violation", "Traffic to a domain not declared for that SDK, or to an unknown third party",
         "流量发往该 SDK 未声明的域名或未知第三方", "PIPL Art. 23"),
    Rule("SG405", "violation", "Destination outside the allowed regions", "数据发往允许地区之外",
         "PIPL Art. 38-40"),
    Rule("SG900", "warning", "Evidence incomplete", "证据不完整", "sdkgate fail-closed"),
]}


def clause_for(rid: str, clauses: dict | None = None) -> str:
    """The clause a report shows for a rule: the app's own (manifest `clauses:`) or the neutral default."""
    return (clauses or {}).get(rid) or RULES[rid].clause


def rule(rid: str) -> Rule:
    return RULES[rid]
