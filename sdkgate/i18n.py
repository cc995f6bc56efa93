"""Chinese for the sentences sdkgate writes as plain English text (reasons evidence is incomplete, rules not
judged), so `--lang zh` reports carry no English sentences. Each entry is a pattern of the English sentence
and its Chinese form; names, paths, numbers and identifiers stay as they are (named groups). A sentence
without an entry is shown as is, marked as the original wording, and a test lists the producers' sentences."""
from __future__ import annotations

import re

# (English pattern, Chinese template); tried in order, first match wins
_TABLE: list[tuple[str, str]] = [
    (r"run interrupted by the user \(Ctrl-C\)", "运行被用户中断（Ctrl-C）"),
    (r"network not observed \(run without the proxy\): SG401-SG405 could not be judged",
     "未观察网络（运行时未启用代理）：无法评估 SG401-SG405"),
    (r"network evidence missing: the proxy exited with code (?P<rc>\S+)(?P<rest> and wrote no net\.jsonl)?",
     "网络证据缺失：代理退出码为 {rc}{rest_zh}"),
    (r"no evidence: the event log is empty", "没有证据：事件日志为空"),
    (r"SG405 skipped: no GeoIP database given \(--geoip FILE\.mmdb\)", "未评估 SG405：未提供 GeoIP 数据库（--geoip FILE.mmdb）"),
    (r"SG405 skipped: the manifest declares no allowed_regions", "未评估 SG405：声明文件未声明 allowed_regions"),
    (r"SG405: (?P<n>\d+) flow\(s\) without a server address (?P<rest>.*)", "SG405：{n} 个请求没有服务器地址 {rest}"),
    (r"SG405: (?P<n>\d+) address\(es\) not in (?P<path>\S+): (?P<rest>.*)", "SG405：{n} 个地址不在 {path} 中：{rest}"),
    (r"no manifest: declaration rules \(SG2xx, SG3xx, SG404\) not judged",
     "未提供声明文件：未评估声明类规则（SG2xx、SG3xx、SG404）"),
    (r"SG203 needs a static scan of the APK", "SG203 需要对 APK 做静态扫描"),
    (r"static analysis bound hit: (?P<b>.*)", "静态分析达到上限：{b}"),
    (r"call sites truncated at (?P<n>\d+)", "调用点过多，仅保留前 {n} 个"),
    (r"(?P<src>\w+) events start at seq (?P<seq>\d+): earlier events are missing", "{src} 事件从序号 {seq} 开始：之前的事件缺失"),
    (r"(?P<src>\w+) events: seq (?P<seq>\d+) where (?P<exp>\d+) was expected \((?P<what>.*)\)",
     "{src} 事件：序号应为 {exp}，实际为 {seq}（{what_zh}）"),
    (r"agent dropped (?P<n>\d+) events", "Hook 代理丢弃了 {n} 个事件"),
    (r"agent error: (?P<d>.*)", "Hook 代理错误：{d}"),
    (r"app process died at t=(?P<t>\d+) ms \((?P<d>.*)\)", "应用进程在 t={t} ms 退出（{d}）"),
    (r"step (?P<i>\d+) \((?P<a>[\w_]+)\) failed: ?(?P<d>.*)", "第 {i} 步（{a}）失败：{d}"),
    (r"a scenario ran but no hook evidence arrived \(agent not loaded\?\)", "场景已运行但未收到任何 Hook 证据（代理未加载？）"),
    (r"the scenario has a consent step but no consent event was recorded", "场景包含同意步骤，但未记录到同意事件"),
    (r"consent (?P<tr>\w+) \((?P<scope>\w+)\) at t=(?P<t>\d+) ms has no marker hook within (?P<tol>\d+) ms: step log and app disagree",
     "t={t} ms 的同意状态变化（{scope}，{tr}）在 {tol} ms 内没有应用的同意标记：步骤日志与应用记录不一致"),
    (r"marker hook says consent (?P<tr>\w+) \((?P<scope>\w+)\) at t=(?P<t>\d+) ms with no matching step: step log and app disagree",
     "应用在 t={t} ms 记录了同意状态变化（{scope}，{tr}），但没有对应的用户操作：步骤日志与应用记录不一致"),
    (r"(?P<n>\d+) more broken lines not listed", "另有 {n} 行损坏未列出"),
    (r"(?P<where>\S+): no AndroidManifest\.xml: permissions, components and entry points unknown",
     "{where}：没有 AndroidManifest.xml：权限、组件与入口未知"),
    (r"(?P<where>\S+): no classes\.dex: no code to scan", "{where}：没有 classes.dex：无代码可扫描"),
    (r"(?P<where>\S+): not a readable DEX \(encrypted or packed\?\)", "{where}：无法读取的 DEX（已加密或加固？）"),
    (r"no run-time evidence \(static scan only\): (?P<rules>.*) not judged", "没有运行时证据（仅静态扫描）：未评估 {rules}"),
    (r"no network evidence \(static scan only\): (?P<rules>.*) not judged", "没有网络证据（仅静态扫描）：未评估 {rules}"),
    (r"not observable at run time \(abstract/interface with no concrete class to hook\): (?P<apis>.*)",
     "运行时无法观察（抽象类/接口，没有可 Hook 的具体类）：{apis}"),
    (r"the app calls (?P<api>\S+) \(static: (?P<n>[^)]*)\) but no hook can observe it at run time: its reads are unseen",
     "应用调用了 {api}（静态：{n}），但运行时没有 Hook 能观察到它：这些读取未被看到"),
    (r"(?P<api>\S+): (?P<iface>\S+) implementation not hookable(?: in (?P<proc>\S+))?: (?P<why>.*)",
     "{api}：接口 {iface} 已加载，但没有可 Hook 的实现类：{why}"),
    (r"capture partial: no agent evidence; (?P<what>.*) cannot be excluded",
     "抓包不完整：没有 Hook 代理证据；无法排除以下情况：{what}"),
    (r"consent (?P<tr>\w+) \((?P<scope>\w+)\) at t=(?P<t>\d+) ms was clicked by an accessibility service \((?P<s>.*)\): "
     r"the manifest does not say accessibility answers are the user's \(consent\.accept_accessibility\)",
     "t={t} ms 的同意操作（{scope}，{tr}）由无障碍服务（{s}）点击：声明文件未声明无障碍服务的操作算作用户作答（consent.accept_accessibility）"),
    (r"consent answer not observable by the agent: (?P<why>.*): the run needs consent steps in the scenario",
     "Hook 代理无法观察到用户的同意操作：{why}：运行需要在场景中加入同意步骤"),
    (r"no evidence of the user's answer: the app recorded consent \((?P<m>.*), t=(?P<t>\d+) ms\) but the log has no "
     r"consent step and no observed tap on the consent control",
     "没有用户作答的证据：应用在 t={t} ms 记录了同意（{m}），但日志中没有同意步骤，也没有观察到对同意控件的点击"),
    (r"no manifest \(declarations\) given", "未提供声明清单"),
    (r"androidx\.startup initializer run by (?P<p>\S+) at process start", "由 {p} 在进程启动时运行的 androidx.startup 初始化器"),
    (r"ContentProvider: created at process start, before Application\.onCreate",
     "ContentProvider：在进程启动时、Application.onCreate 之前创建"),
    (r"Application class is or extends SDK class (?P<c>\S+)", "Application 类即为或继承自 SDK 类 {c}"),
    (r"receiver started by system broadcasts: (?P<a>.*)", "由系统广播启动的 Receiver：{a}"),
    (r"agent calibrated on this device: (?P<n>\d+)/(?P<m>\d+) rows", "Hook 代理已在本设备校准：{n}/{m} 行"),
    (r"agent not calibrated on this device(?P<p> \(.*\))?", "Hook 代理未在本设备校准{p}"),
    (r"agent not calibrated on this device(?P<p> \(.*\))?: --require-calibration",
     "Hook 代理未在本设备校准{p}：已要求校准（--require-calibration）"),
    (r"not observable on this device: (?P<c>[^(]+) \(did not fire in calibration: (?P<ids>.*)\)",
     "本设备上无法观察：{c}（校准时未触发：{ids}）"),
    (r"(?P<apk>\S+): reflection not resolved statically on a path before consent: (?P<what>.+), in (?P<m>\S+) "
     r"\(entry point (?P<e>\S+)\)", "{apk}：同意前的路径上有无法静态解析的反射：{what}，位于 {m}（入口 {e}）"),
    (r"(?P<apk>\S+): pre-consent path search stopped: (?P<b>.+)", "{apk}：同意前路径搜索已停止：{b}"),
    # issue 20: manifest checks, reason kinds, notes
    (r"no consent check declared: every start path to an SDK counts as before consent",
     "未声明同意检查：所有到 SDK 的启动路径都按同意前计算"),
    (r"package mismatch allowed \(--allow-package-mismatch\): the APK is (?P<a>\S+), the manifest declares (?P<m>\S+)",
     "已允许包名不一致（--allow-package-mismatch）：APK 为 {a}，声明清单为 {m}"),
    (r"SG203: (?P<s>\S+) is declared as an SDK but the catalogue knows it as platform or library code: its code is "
     r"judged as the app's", "SG203：{s} 被声明为 SDK，但目录中它是平台或通用库代码：其代码按应用自身评估"),
    (r"sdks: (?P<s>\S+) is (?P<k>\w+) code in the catalogue \((?P<n>.*)\): it acts for the app, its code is judged as "
     r"the app's", "sdks：{s} 在目录中是 {k} 代码（{n}）：它代表应用执行，其代码按应用自身评估"),
    (r"permission (?P<p>\S+) is not an Android platform permission sdkgate knows \(API 34 and older\)",
     "权限 {p} 不在 sdkgate 已知的 Android 平台权限中（API 34 及更早）"),
    (r"(?P<n>\d+) more reason\(s\) of kind (?P<k>\w+)", "另有 {n} 条同类原因（{k}）"),
    (r"(?P<where>\S+): code from another installed package (?P<p>\S+) runs in the app \((?P<d>.*)\): it is not in "
     r"the APK and was not scanned; use a device run",
     "{where}：其他已安装应用包 {p} 的代码在应用中运行（{d}）：不在 APK 中，未被扫描；请在设备上运行"),
    (r"(?P<where>\S+): (?P<n>\d+) activit(?:y|ies) in the manifest with no class in any DEX \(only the user opens "
     r"them; nothing runs there before consent\): (?P<names>.*)",
     "{where}：清单中有 {n} 个 Activity 在任何 DEX 中都没有类（只有用户会打开；同意前不会运行）：{names}"),
    (r"(?P<c>\S+) loads a native library with (?P<l>\S+) \((?P<what>.*)\): only the app's own libraries "
     r"\((?P<n>\d+), all read\) or the system's can load",
     "{c} 通过 {l} 加载原生库（{what}）：只能加载应用自带的库（{n} 个，均已读取）或系统库"),
    (r"(?P<c>\S+) loads a native library with (?P<l>\S+) \(system library (?P<lib>.*)\): a library of the device, "
     r"not the app's code", "{c} 通过 {l} 加载系统原生库 {lib}：设备自带的库，不是应用的代码"),
    (r"(?P<c>\S+) opens a DEX with (?P<l>\S+) only to list its classes \(entries\(\), no loadClass\)",
     "{c} 通过 {l} 打开 DEX 仅为列出类名（entries()，未调用 loadClass）：未加载代码"),
    (r"(?P<where>\S+): (?P<c>\S+) loads native code with (?P<l>\S+) \((?P<what>.*)\) that is not shipped in the APK: "
     r"the code it runs was not scanned; use a device run",
     "{where}：{c} 通过 {l} 加载未随 APK 提供的原生代码（{what}）：其运行的代码未被扫描；请在设备上运行"),
    (r"(?P<where>\S+): (?P<c>\S+) loads code with (?P<l>\S+) from (?P<b>\S+), an encrypted or unreadable blob: the "
     r"code it runs was not scanned; use a device run",
     "{where}：{c} 通过 {l} 从加密或无法读取的数据 {b} 加载代码：其运行的代码未被扫描；请在设备上运行"),
    (r"(?P<where>\S+): (?P<c>\S+) loads code with (?P<l>\S+) (?P<what>.*): the payload is not found in the "
     r"APK(?P<cand>.*); the code it runs was not scanned; use a device run",
     "{where}：{c} 通过 {l} 加载代码（{what}）：APK 中找不到其载荷{cand}；其运行的代码未被扫描；请在设备上运行"),
    (r"(?P<where>\S+): (?P<c>\S+) names (?P<n>\S+) as a string \(reflective code loading\): the code it loads was "
     r"not scanned; use a device run", "{where}：{c} 以字符串引用 {n}（反射加载代码）：其加载的代码未被扫描；请在设备上运行"),
    (r"(?P<src>\w+): (?P<reason>.+)", "{src}：{reason_zh}"),
]
_WHAT = {"repeated or out of order": "重复或乱序"}
_COMPILED = [(re.compile(p + r"\Z"), z) for p, z in _TABLE]
ORIGINAL = "（原文）"


def _fill(template: str, m: re.Match) -> str:
    g = {k: (v or "") for k, v in m.groupdict().items()}
    if "rest_zh" in template:
        g["rest_zh"] = "，且未写出 net.jsonl" if g.get("rest") else ""
    if "what_zh" in template:
        w = g.get("what", "")
        g["what_zh"] = _WHAT.get(w, re.sub(r"^(\d+) missing$", r"缺失 \1 个", w))
    if "reason_zh" in template:
        inner = reason_zh(g.get("reason", ""), mark=False)
        if inner is None:
            raise LookupError
        g["reason_zh"] = inner
    return template.format(**g)


def reason_zh(text: str, mark: bool = True) -> str | None:
    """The Chinese form of one sentence; unknown sentences come back marked as original (or None, mark=False)."""
    for rx, zh in _COMPILED:
        m = rx.match(text)
        if m:
            try:
                return _fill(zh, m)
            except LookupError:
                continue
    return f"{ORIGINAL}{text}" if mark else None


def localise(text: str, lang: str) -> str:
    return reason_zh(text) if lang == "zh" else text
